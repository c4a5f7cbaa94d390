/**
 * `npm run bench`: drives one Switchboard node and the raw baseline (bench/raw-server.ts) with the same
 * simulated customers and agents, one server at a time, and reports each metric beside its baseline.
 * See bench/README.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killAllChildren } from './lib/children.js';
import { LoadClient } from './lib/client.js';
import { CpuMeter } from './lib/cpu.js';
import {
  cpuLine,
  fmt,
  log,
  memoryRun,
  meteredMessageRun,
  routingRun,
  sustainedRun,
  type MemoryResult,
  type MessageResult,
  type RoutingResult,
  type SustainedResult,
} from './lib/scenarios.js';
import { round, summarize, type LatencySummary } from './lib/stats.js';
import { startRaw, startSwitchboard, type Target, type TargetOptions } from './lib/targets.js';

const CONFIG = {
  agents: 20,
  agentCapacity: 50,
  routing: { chatsPerSecond: 20, warmupChats: 20, chats: 200, p99TargetMs: 10 },
  /** The same arrival rate into an offer-mode queue with a skill requirement (Switchboard only). */
  offerRouting: { chatsPerSecond: 20, warmupChats: 10, chats: 100 },
  memory: { idleConnections: 4000, settleMs: 2000, maxRatio: 1.5 },
  warmup: { messagesPerSecond: 200, durationMs: 3000 },
  messages: { messagesPerSecond: 200, durationMs: 8000, maxP99Ratio: 3 },
  sustained: { steps: [100, 200, 400, 800, 1600], stepMs: 4000, p99LimitMs: 50, minAchievedFraction: 0.95, minRatio: 0.5 },
};

type TargetName = 'switchboard' | 'raw';

interface TargetResult {
  pid: number;
  logFile: string;
  memory?: MemoryResult;
  routing?: RoutingResult;
  /** Offer mode + skills: `latencyMs` is start → assigned (after the agent's accept), `offerLatencyMs` start → offer. */
  offerRouting?: RoutingResult & { offerLatencyMs: LatencySummary };
  messages?: MessageResult;
  sustained?: SustainedResult;
  error?: string;
}

interface MetricRow {
  id: string;
  metric: string;
  unit: string;
  switchboard: number | null;
  raw: number | null;
  /** switchboard / raw. */
  ratio: number | null;
  target: string;
  /** null: informational, or not computable. */
  pass: boolean | null;
  note?: string;
}

async function measure(target: Target, postgresUrl: string): Promise<TargetResult> {
  const result: TargetResult = { pid: target.server.pid, logFile: target.server.logFile };
  const client = new LoadClient(target.endpoint);
  const meter = new CpuMeter(target.server.pid, target.database, postgresUrl);
  try {
    await meter.open();
    await client.connectAgents();
    log(`  ${client.agents.length} agents connected and available`);
    // The visitors who will chat, opened before anything is measured (also warms up the connect path).
    const chatVisitors = await client.openVisitors(CONFIG.routing.warmupChats + CONFIG.routing.chats);

    log(`  memory: ${CONFIG.memory.idleConnections} idle visitor sockets`);
    result.memory = await memoryRun(client, target.server.pid, CONFIG.memory.idleConnections, CONFIG.memory.settleMs);
    log(`    RSS +${fmt(result.memory.deltaBytes / 1024 / 1024)} MiB → ${fmt(result.memory.bytesPerConnection / 1024)} KiB per connection`);

    log(`  routing: ${CONFIG.routing.chats} conversations at ${CONFIG.routing.chatsPerSecond}/s (after ${CONFIG.routing.warmupChats} unmeasured)`);
    // The first few conversations open database connections and warm up code paths: not measured.
    const warm = await routingRun(client, chatVisitors.slice(0, CONFIG.routing.warmupChats), CONFIG.routing.chatsPerSecond);
    if (warm.failed > 0) log(`    warm-up: ${warm.failed} of ${warm.started} not assigned (${warm.firstError})`);
    const measured = await meter.measure(() => routingRun(client, chatVisitors.slice(CONFIG.routing.warmupChats), CONFIG.routing.chatsPerSecond));
    const r = (result.routing = { ...measured.result, cpu: measured.cpu });
    log(
      `    assigned ${r.assigned}/${r.started}  p50 ${fmt(r.latencyMs.p50)} ms  p99 ${fmt(r.latencyMs.p99)} ms  ` +
        `(start ack p50 ${fmt(r.startAckMs.p50)} ms)  ${cpuLine(r.cpu)}` +
        `${r.firstError ? `  first error: ${r.firstError}` : ''}`,
    );

    if (target.endpoint.offerSiteKey) {
      const { chats, warmupChats, chatsPerSecond } = CONFIG.offerRouting;
      log(`  routing, offer mode + skills: ${chats} conversations at ${chatsPerSecond}/s (after ${warmupChats} unmeasured)`);
      const offerVisitors = await client.openVisitors(warmupChats + chats, 50, target.endpoint.offerSiteKey);
      await routingRun(client, offerVisitors.slice(0, warmupChats), chatsPerSecond);
      client.offerLatencies.length = 0;
      const offered = await meter.measure(() => routingRun(client, offerVisitors.slice(warmupChats), chatsPerSecond));
      const o = (result.offerRouting = { ...offered.result, cpu: offered.cpu, offerLatencyMs: summarize(client.offerLatencies) });
      log(
        `    assigned ${o.assigned}/${o.started}  to offer p50 ${fmt(o.offerLatencyMs.p50)} p99 ${fmt(o.offerLatencyMs.p99)} ms  ` +
          `to assignment (after accept) p50 ${fmt(o.latencyMs.p50)} p99 ${fmt(o.latencyMs.p99)} ms  ${cpuLine(o.cpu)}` +
          `${o.firstError ? `  first error: ${o.firstError}` : ''}`,
      );
    }

    const conversations = client.conversations;
    if (conversations.length === 0) throw new Error('no conversation was assigned; cannot send messages');
    await meteredMessageRun(null, client, conversations, CONFIG.warmup.messagesPerSecond, CONFIG.warmup.durationMs);

    log(`  messages: ${CONFIG.messages.messagesPerSecond}/s for ${CONFIG.messages.durationMs / 1000} s over ${conversations.length} conversations`);
    result.messages = await meteredMessageRun(meter, client, conversations, CONFIG.messages.messagesPerSecond, CONFIG.messages.durationMs);
    const m = result.messages;
    log(
      `    c→a p50 ${fmt(m.c2a.p50)} p99 ${fmt(m.c2a.p99)} ms   a→c p50 ${fmt(m.a2c.p50)} p99 ${fmt(m.a2c.p99)} ms   ` +
        `ack p50 ${fmt(m.ackMs.p50)} p99 ${fmt(m.ackMs.p99)} ms   delivered ${m.delivered}/${m.sent}${m.lastError ? `  last error: ${m.lastError}` : ''}`,
    );
    log(
      `    per message: server CPU ${fmt(m.serverCpuMsPerMessage ?? NaN, 3)} ms, PostgreSQL CPU ${fmt(m.postgresCpuMsPerMessage ?? NaN, 3)} ms, ` +
        `${fmt(m.postgresCommitsPerMessage ?? NaN)} commits  ${cpuLine(m.cpu)}`,
    );

    log(`  sustained rate: steps ${CONFIG.sustained.steps.join(', ')} msg/s, ${CONFIG.sustained.stepMs / 1000} s each`);
    result.sustained = await sustainedRun(
      client,
      conversations,
      CONFIG.sustained.steps,
      CONFIG.sustained.stepMs,
      CONFIG.sustained.p99LimitMs,
      CONFIG.sustained.minAchievedFraction,
      meter,
    );
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    log(`  ERROR: ${result.error}`);
  } finally {
    client.disconnectAll();
    await meter.close();
    // Let the server finish its disconnect handlers before it is told to stop.
    await sleep(1000);
  }
  return result;
}

async function runTarget(name: TargetName, options: TargetOptions): Promise<TargetResult> {
  log(`\n== ${name} ==`);
  const started = Date.now();
  let target: Target;
  try {
    target = name === 'switchboard' ? await startSwitchboard(options) : await startRaw(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ERROR: could not start: ${message}`);
    return { pid: 0, logFile: '', error: `could not start: ${message}` };
  }
  log(`  started (pid ${target.server.pid}, ${target.server.url}) in ${fmt((Date.now() - started) / 1000, 1)} s; log: ${target.server.logFile}`);
  try {
    return await measure(target, options.postgresUrl);
  } finally {
    await target.server.stop();
    await target.cleanup().catch((error: unknown) => log(`  (cleanup failed: ${String(error)})`));
  }
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return null;
  return round(a / b, 2);
}

function metrics(sb: TargetResult, raw: TargetResult): MetricRow[] {
  const rows: MetricRow[] = [];
  const add = (row: Omit<MetricRow, 'ratio'> & { ratio?: number | null }) =>
    rows.push({ ...row, ratio: row.ratio === undefined ? ratio(row.switchboard, row.raw) : row.ratio });
  const val = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);

  const routingP99 = val(sb.routing?.latencyMs.p99);
  add({ id: 'routing.p50', metric: 'routing latency p50', unit: 'ms', switchboard: val(sb.routing?.latencyMs.p50), raw: val(raw.routing?.latencyMs.p50), target: '', pass: null });
  add({
    id: 'routing.p99',
    metric: 'routing latency p99',
    unit: 'ms',
    switchboard: routingP99,
    raw: val(raw.routing?.latencyMs.p99),
    target: `≤ ${CONFIG.routing.p99TargetMs} ms`,
    pass: routingP99 === null || (sb.routing?.failed ?? 1) > 0 ? false : routingP99 <= CONFIG.routing.p99TargetMs,
    note: 'baseline: insert + SKIP LOCKED pick + update + emit, no job queue',
  });
  const offerP99 = val(sb.offerRouting?.offerLatencyMs.p99);
  add({
    id: 'routing.offer.p99',
    metric: 'routing p99, offer mode + skills (start → offer)',
    unit: 'ms',
    switchboard: offerP99,
    raw: val(raw.routing?.latencyMs.p99),
    target: `≤ ${CONFIG.routing.p99TargetMs} ms`,
    pass: offerP99 === null || (sb.offerRouting?.failed ?? 1) > 0 ? false : offerP99 <= CONFIG.routing.p99TargetMs,
    note: 'raw column: the plain routing baseline (the baseline has no offers or skills)',
  });
  add({
    id: 'routing.offer.assigned.p99',
    metric: 'offer mode: start → assigned after accept p99',
    unit: 'ms',
    switchboard: val(sb.offerRouting?.latencyMs.p99),
    raw: null,
    target: '',
    pass: null,
  });
  for (const [dir, label] of [
    ['c2a', 'customer→agent'],
    ['a2c', 'agent→customer'],
  ] as const) {
    add({ id: `message.${dir}.p50`, metric: `msg ${label} p50`, unit: 'ms', switchboard: val(sb.messages?.[dir].p50), raw: val(raw.messages?.[dir].p50), target: '', pass: null });
    const p99Ratio = ratio(val(sb.messages?.[dir].p99), val(raw.messages?.[dir].p99));
    add({
      id: `message.${dir}.p99`,
      metric: `msg ${label} p99`,
      unit: 'ms',
      switchboard: val(sb.messages?.[dir].p99),
      raw: val(raw.messages?.[dir].p99),
      ratio: p99Ratio,
      target: `≤ ${CONFIG.messages.maxP99Ratio}× raw`,
      pass: p99Ratio === null || (sb.messages?.lost ?? 1) > 0 ? false : p99Ratio <= CONFIG.messages.maxP99Ratio,
    });
  }
  for (const [key, label] of [
    ['serverCpuMsPerMessage', 'server CPU per message'],
    ['postgresCpuMsPerMessage', 'PostgreSQL CPU per message'],
  ] as const) {
    add({
      id: `message.${key}`,
      metric: label,
      unit: 'ms',
      switchboard: val(sb.messages?.[key]),
      raw: val(raw.messages?.[key]),
      target: '',
      pass: null,
      note: key === 'serverCpuMsPerMessage' ? `at ${CONFIG.messages.messagesPerSecond} msg/s; steadier than latency on a shared machine` : undefined,
    });
  }
  const sbRate = sb.sustained?.sustainedPerSecond ?? null;
  const rawRate = raw.sustained?.sustainedPerSecond ?? null;
  const rateRatio = ratio(sbRate, rawRate);
  add({
    id: 'sustained.rate',
    metric: `sustained msg/s (p99 < ${CONFIG.sustained.p99LimitMs} ms)`,
    unit: 'msg/s',
    switchboard: sbRate,
    raw: rawRate,
    ratio: rateRatio,
    target: `≥ ${CONFIG.sustained.minRatio}× raw`,
    pass: rateRatio === null ? (sbRate === null ? false : null) : rateRatio >= CONFIG.sustained.minRatio,
    note: raw.sustained?.topStepHeld ? 'raw held the top step: its ceiling is at least this, the ratio at most this' : undefined,
  });
  const kib = (v: number | undefined) => (v === undefined ? null : round(v / 1024, 1));
  const memRatio = ratio(kib(sb.memory?.bytesPerConnection), kib(raw.memory?.bytesPerConnection));
  add({
    id: 'memory.perConnection',
    metric: 'RSS per idle customer socket',
    unit: 'KiB',
    switchboard: kib(sb.memory?.bytesPerConnection),
    raw: kib(raw.memory?.bytesPerConnection),
    ratio: memRatio,
    target: `≤ ${CONFIG.memory.maxRatio}× raw`,
    pass: memRatio === null ? null : memRatio <= CONFIG.memory.maxRatio,
  });
  const widget = widgetSize();
  add({
    id: 'widget.gzip',
    metric: 'chat widget bundle, gzipped',
    unit: 'KiB',
    switchboard: widget === null ? null : round(widget / 1024, 1),
    raw: null,
    target: '≤ 40 KiB',
    pass: widget === null ? null : widget <= 40 * 1024,
    note: 'widget.js with Preact and socket.io-client (dist/web/chat/size.json, written by the build)',
  });
  return rows;
}

/** Gzipped bytes of the built chat widget, as its build recorded them; null when it was not built. */
function widgetSize(): number | null {
  const file = join(import.meta.dirname, '..', 'web', 'chat', 'size.json');
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { gzipBytes?: number };
  return typeof report.gzipBytes === 'number' ? report.gzipBytes : null;
}

/** The most CPU other processes took during any measured phase of either server, in cores. */
function contention(results: TargetResult[]): number {
  let worst = 0;
  for (const r of results) {
    const phases = [r.routing?.cpu, r.offerRouting?.cpu, r.messages?.cpu, ...(r.sustained?.steps.map((s) => s.cpu) ?? [])];
    for (const cpu of phases) if (cpu) worst = Math.max(worst, cpu.otherCores);
  }
  return round(worst, 2);
}

function table(rows: MetricRow[]): string {
  const show = (v: number | null, unit = '') => (v === null ? 'n/a' : `${Number.isInteger(v) ? v : v.toFixed(2)}${unit}`);
  const cells = [
    ['metric', 'switchboard', 'raw baseline', 'ratio', 'target', 'result'],
    ...rows.map((r) => [
      `${r.metric} (${r.unit})`,
      show(r.switchboard),
      show(r.raw),
      r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}×`,
      r.target || '—',
      r.pass === null ? (r.target ? 'n/a' : 'info') : r.pass ? 'PASS' : 'FAIL',
    ]),
  ];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const out = [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `  * ${r.metric}: ${r.note}`);
  return [...out, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(import.meta.dirname, '..', '..', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const options: TargetOptions = {
    postgresUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    agents: CONFIG.agents,
    agentCapacity: CONFIG.agentCapacity,
    logDir: resultsDir,
    stamp,
    cpuProfile: process.env.BENCH_CPU_PROF === '1',
  };

  log(`Switchboard bench — ${cpus().length} CPUs, Node ${process.version}`);
  // BENCH_ONLY=raw or BENCH_ONLY=switchboard measures one server (the other's columns stay empty).
  const only = process.env.BENCH_ONLY;
  const skipped: TargetResult = { pid: 0, logFile: '', error: 'skipped (BENCH_ONLY)' };
  const raw = only && only !== 'raw' ? skipped : await runTarget('raw', options);
  const switchboard = only && only !== 'switchboard' ? skipped : await runTarget('switchboard', options);
  const rows = metrics(switchboard, raw);
  const finishedAt = new Date();

  log('\n' + table(rows));
  const otherCores = contention([switchboard, raw]);
  if (otherCores >= 0.25) {
    log(
      `\nWARNING: other processes kept up to ${fmt(otherCores)} of ${cpus().length} cores busy during measured phases.\n` +
        `         Latencies and rates are pessimistic and noisy; CPU per message is the steadier comparison.`,
    );
  }
  const report = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1),
    environment: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, platform: process.platform },
    config: CONFIG,
    metrics: rows,
    /** Most cores other processes used during a measured phase (see targets.*.*.cpu.otherCores). */
    otherProcessesMaxCores: otherCores,
    targets: { switchboard, raw },
  };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = join(resultsDir, `bench-${stamp}.json`);
  writeFileSync(file, json);
  writeFileSync(join(resultsDir, 'latest.json'), json);
  log(`\nResults: ${file} (also bench/results/latest.json), ${report.durationSeconds} s`);
  if ((switchboard.error || raw.error) && !only) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    killAllChildren();
    // Lingering sockets or timers must not keep a finished run alive.
    setTimeout(() => process.exit(), 200).unref();
  });
