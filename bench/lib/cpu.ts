import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { round } from './stats.js';

/**
 * Where the CPU went during a phase: the server under test, the PostgreSQL backends serving its
 * database, this load generator, and everything else on the machine (other people's work on a shared
 * box shows up there, and makes latencies noisier). Linux only (/proc); zeros elsewhere.
 */
export interface CpuUsage {
  wallSeconds: number;
  /** CPU-seconds per wall-second, i.e. cores kept busy. */
  serverCores: number;
  postgresCores: number;
  benchCores: number;
  otherCores: number;
  hostBusyCores: number;
  /** Commits (explicit transactions and autocommitted statements) in the target's database. */
  postgresCommits: number;
}

interface Snapshot {
  at: number;
  hostBusy: number;
  server: number;
  postgres: Map<number, number>;
  benchMicros: number;
  commits: number;
}

let ticksPerSecond = 0;
function clockTicks(): number {
  if (ticksPerSecond === 0) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Busy jiffies of the whole machine (all CPUs), from /proc/stat. */
function hostBusyTicks(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
    void idle;
    void iowait;
    return user + nice + system + irq + softirq + (steal || 0);
  } catch {
    return 0;
  }
}

/** utime + stime of one process, in jiffies; 0 if it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; count fields after its closing parenthesis.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}

export class CpuMeter {
  private readonly admin: pg.Client;

  constructor(
    private readonly serverPid: number,
    private readonly database: string,
    postgresUrl: string,
  ) {
    const url = new URL(postgresUrl);
    url.pathname = '/postgres';
    this.admin = new pg.Client({ connectionString: url.toString() });
  }

  async open(): Promise<void> {
    await this.admin.connect();
  }

  async close(): Promise<void> {
    await this.admin.end().catch(() => undefined);
  }

  async snapshot(): Promise<Snapshot> {
    const backends = await this.admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [this.database]);
    const commits = await this.admin.query<{ xact_commit: string }>(
      `SELECT xact_commit FROM pg_stat_database WHERE datname = $1`,
      [this.database],
    );
    const usage = process.cpuUsage();
    return {
      at: performance.now(),
      hostBusy: hostBusyTicks(),
      server: processTicks(this.serverPid),
      postgres: new Map(backends.rows.map((r) => [r.pid, processTicks(r.pid)])),
      benchMicros: usage.user + usage.system,
      commits: Number(commits.rows[0]?.xact_commit ?? 0),
    };
  }

  /** Runs `work` and reports the CPU spent meanwhile. */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; cpu: CpuUsage }> {
    const before = await this.snapshot();
    const result = await work();
    const after = await this.snapshot();
    return { result, cpu: this.diff(before, after) };
  }

  private diff(before: Snapshot, after: Snapshot): CpuUsage {
    const hz = clockTicks();
    const wall = (after.at - before.at) / 1000;
    // Backends that appeared during the phase count from zero; ones that ended are missed (the pools
    // keep their connections while busy, so few do).
    let postgresTicks = 0;
    for (const [pid, ticks] of after.postgres) postgresTicks += ticks - (before.postgres.get(pid) ?? 0);
    const cores = (seconds: number) => (wall > 0 ? round(seconds / wall, 2) : 0);
    const server = (after.server - before.server) / hz;
    const postgres = postgresTicks / hz;
    const bench = (after.benchMicros - before.benchMicros) / 1e6;
    const host = (after.hostBusy - before.hostBusy) / hz;
    return {
      wallSeconds: round(wall, 2),
      serverCores: cores(server),
      postgresCores: cores(postgres),
      benchCores: cores(bench),
      otherCores: cores(Math.max(0, host - server - postgres - bench)),
      hostBusyCores: cores(host),
      postgresCommits: after.commits - before.commits,
    };
  }
}
