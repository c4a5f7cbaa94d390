import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestJson } from './http.js';

/** A server under test, run as its own process so its RSS is its own. */
export interface ChildServer {
  name: string;
  pid: number;
  url: string;
  port: number;
  logFile: string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let handlersInstalled = false;

/** Kill every child still running. Synchronous, so it also works from an 'exit' handler. */
export function killAllChildren(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping the servers under test\n`);
      killAllChildren();
      process.exit(130);
    });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  name: string;
  script: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  env: Record<string, string>;
  port: number;
  logFile: string;
  /** How long to wait for GET /health to answer 200. */
  startTimeoutMs?: number;
}

/** Starts `node <script>`, logs its output to a file and resolves once GET /health answers 200. */
export async function spawnServer(options: SpawnOptions): Promise<ChildServer> {
  installHandlers();
  const log = createWriteStream(options.logFile);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.finally(() => {
    running.delete(child);
    log.end();
  }).catch(() => undefined);

  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.script}`);
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await sleep(100);
      throw new Error(`${options.name} exited during start-up (code ${child.exitCode ?? child.signalCode}):\n${tail(options.logFile)}`);
    }
    try {
      const res = await requestJson('GET', `${url}/health`, { timeoutMs: 2000 });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not become healthy within the start timeout:\n${tail(options.logFile)}`);
    }
    await sleep(200);
  }

  const pid = child.pid;
  return {
    name: options.name,
    pid,
    url,
    port: options.port,
    logFile: options.logFile,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS is reported in kB). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
