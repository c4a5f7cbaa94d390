import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssBytes } from './children.js';
import type { CpuMeter, CpuUsage } from './cpu.js';
import type { Direction, LoadClient, Visitor } from './client.js';
import { median, round, summarize, type LatencySummary } from './stats.js';

/** A span of CLOCK_MONOTONIC time in microseconds: the clock V8 CPU profiles use, so a phase can be cut out of one. */
export interface Window {
  startUs: number;
  endUs: number;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Open-loop load: item i is due at start + i / rate, whether or not earlier ones were answered (a
 * closed loop would slow down with the server and hide its queueing). Checks the clock every ~1 ms.
 */
async function openLoop(rate: number, durationMs: number, fire: (i: number) => void): Promise<{ sent: number; startedAt: number }> {
  const total = Math.round((rate * durationMs) / 1000);
  const startedAt = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1);
    while (sent < due) fire(sent++);
    await sleep(1);
  }
  return { sent, startedAt };
}

// ---- 1. routing ---------------------------------------------------------------------------------------

export interface RoutingResult {
  window: Window;
  cpu?: CpuUsage;
  offeredPerSecond: number;
  started: number;
  assigned: number;
  failed: number;
  firstError: string | null;
  latencyMs: LatencySummary;
  /** Start emitted → the visitor's own acknowledgement (conversation stored; may come after assignment). */
  startAckMs: LatencySummary;
}

/** Each visitor starts one conversation, `rate` a second; latency = start emitted → agent assigned. */
export async function routingRun(client: LoadClient, visitors: readonly Visitor[], rate: number): Promise<RoutingResult> {
  const latencies: number[] = [];
  const acks: number[] = [];
  const waits: Promise<void>[] = [];
  let failed = 0;
  let firstError: string | null = null;
  const startUs = monotonicUs();
  await openLoop(rate, (visitors.length / rate) * 1000, (i) => {
    waits.push(
      client.startConversation(visitors[i], 15_000, (ackMs) => acks.push(ackMs)).then(
        (latency) => void latencies.push(latency),
        (error: unknown) => {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        },
      ),
    );
  });
  await Promise.all(waits);
  return {
    window: { startUs, endUs: monotonicUs() },
    offeredPerSecond: rate,
    started: visitors.length,
    assigned: latencies.length,
    failed,
    firstError,
    latencyMs: summarize(latencies),
    startAckMs: summarize(acks),
  };
}

// ---- 2. and 3. messages ------------------------------------------------------------------------------

export interface MessageResult {
  window: Window;
  offeredPerSecond: number;
  durationMs: number;
  sent: number;
  delivered: number;
  /** Not delivered within the drain time, or refused / not acknowledged. */
  lost: number;
  errors: number;
  lastError: string | null;
  /** delivered / (last delivery − first send). */
  achievedPerSecond: number;
  all: LatencySummary;
  c2a: LatencySummary;
  a2c: LatencySummary;
  /** Send → the sender's acknowledgement (stored, and for Switchboard also fanned out). */
  ackMs: LatencySummary;
  /** Where the CPU went during the run (not during the drain), when metered. */
  cpu?: CpuUsage;
  /** Server (Node) CPU per delivered message, in ms. */
  serverCpuMsPerMessage?: number;
  /** PostgreSQL backend CPU per delivered message, in ms. */
  postgresCpuMsPerMessage?: number;
  postgresCommitsPerMessage?: number;
}

/** messageRun with the CPU spent on it (including the drain), when a meter is given. */
export async function meteredMessageRun(
  meter: CpuMeter | null,
  ...args: Parameters<typeof messageRun>
): Promise<MessageResult> {
  if (!meter) return messageRun(...args);
  const { result, cpu } = await meter.measure(() => messageRun(...args));
  const perMessage = (cores: number) => (result.delivered > 0 ? round((cores * cpu.wallSeconds * 1000) / result.delivered, 3) : 0);
  return {
    ...result,
    cpu,
    serverCpuMsPerMessage: perMessage(cpu.serverCores),
    postgresCpuMsPerMessage: perMessage(cpu.postgresCores),
    postgresCommitsPerMessage: result.delivered > 0 ? round(cpu.postgresCommits / result.delivered, 2) : 0,
  };
}

/**
 * `rate` messages a second for `durationMs`, alternating customer→agent and agent→customer, spread
 * round-robin over the conversations; then up to `drainMs` for the stragglers.
 */
export async function messageRun(
  client: LoadClient,
  conversations: readonly string[],
  rate: number,
  durationMs: number,
  drainMs = 5000,
): Promise<MessageResult> {
  if (conversations.length === 0) throw new Error('no conversations to send messages in');
  const c2a: number[] = [];
  const a2c: number[] = [];
  let lastDeliveryAt = 0;
  const acks: number[] = [];
  client.onAck = (ackMs) => acks.push(ackMs);
  client.onDelivery = (delivery) => {
    (delivery.direction === 'c2a' ? c2a : a2c).push(delivery.latencyMs);
    lastDeliveryAt = performance.now();
  };
  const errorsBefore = client.errors;
  const startUs = monotonicUs();
  const { sent, startedAt } = await openLoop(rate, durationMs, (i) => {
    const direction: Direction = i % 2 === 0 ? 'c2a' : 'a2c';
    client.send(conversations[Math.floor(i / 2) % conversations.length], direction);
  });
  const drainUntil = performance.now() + drainMs;
  while (client.pendingMessageCount > 0 && performance.now() < drainUntil) await sleep(5);
  const undelivered = client.dropPending();
  client.onDelivery = null;
  client.onAck = null;
  const delivered = c2a.length + a2c.length;
  const errors = client.errors - errorsBefore;
  const window = (lastDeliveryAt - startedAt) / 1000;
  return {
    window: { startUs, endUs: monotonicUs() },
    offeredPerSecond: rate,
    durationMs,
    sent,
    delivered,
    lost: undelivered + errors,
    errors,
    lastError: errors > 0 ? client.lastError : null,
    achievedPerSecond: delivered > 0 && window > 0 ? round(delivered / window, 1) : 0,
    all: summarize([...c2a, ...a2c]),
    c2a: summarize(c2a),
    a2c: summarize(a2c),
    ackMs: summarize(acks),
  };
}

export interface StepResult extends MessageResult {
  /** 1, or 2 for the repeat of a failed step. */
  attempt: number;
  sustained: boolean;
  reason: string | null;
}

export interface SustainedResult {
  p99LimitMs: number;
  minAchievedFraction: number;
  /** The highest offered rate that was sustained, 0 if none was. */
  sustainedPerSecond: number;
  /** True when even the top step held: the ceiling is at least this, not at it. */
  topStepHeld: boolean;
  steps: StepResult[];
}

/**
 * Steps the offered rate up until a step fails (twice, with `retries` = 1): p99 ≥ the limit, less than
 * `minAchievedFraction` of the offered rate delivered, or any message lost.
 */
export async function sustainedRun(
  client: LoadClient,
  conversations: readonly string[],
  rates: readonly number[],
  stepMs: number,
  p99LimitMs = 50,
  minAchievedFraction = 0.95,
  meter: CpuMeter | null = null,
  retries = 1,
): Promise<SustainedResult> {
  const steps: StepResult[] = [];
  let sustainedPerSecond = 0;
  for (const rate of rates) {
    let sustained = false;
    // A failed step is tried once more after a pause: on a shared machine one burst of someone else's
    // work can sink a 4-second step. Lost messages are never retried away.
    for (let attempt = 1; attempt <= 1 + retries && !sustained; attempt++) {
      if (attempt > 1) await sleep(2000);
      const run = await meteredMessageRun(meter, client, conversations, rate, stepMs);
      const reasons: string[] = [];
      if (!(run.all.p99 < p99LimitMs)) reasons.push(`p99 ${run.all.p99} ms ≥ ${p99LimitMs} ms`);
      if (run.achievedPerSecond < rate * minAchievedFraction) {
        reasons.push(`achieved ${run.achievedPerSecond}/s < ${Math.round(minAchievedFraction * 100)}% of ${rate}/s`);
      }
      if (run.lost > 0) reasons.push(`${run.lost} lost${run.lastError ? ` (${run.lastError})` : ''}`);
      sustained = reasons.length === 0;
      steps.push({ ...run, attempt, sustained, reason: sustained ? null : reasons.join('; ') });
      log(
        `    ${String(rate).padStart(5)}/s${attempt > 1 ? ' (again)' : ''}  achieved ${String(run.achievedPerSecond).padStart(7)}/s  ` +
          `p50 ${fmt(run.all.p50)} ms  p99 ${fmt(run.all.p99)} ms  ${cpuLine(run.cpu)}  ${sustained ? 'ok' : `FAIL: ${reasons.join('; ')}`}`,
      );
      if (run.lost > 0) break;
    }
    if (!sustained) break;
    sustainedPerSecond = rate;
    await sleep(500);
  }
  return {
    p99LimitMs,
    minAchievedFraction,
    sustainedPerSecond,
    topStepHeld: sustainedPerSecond === rates[rates.length - 1],
    steps,
  };
}

// ---- 4. memory -----------------------------------------------------------------------------------------

export interface MemoryResult {
  connections: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  deltaBytes: number;
  bytesPerConnection: number;
}

/** Median of a few VmRSS samples after letting the process settle. */
async function settledRss(pid: number, settleMs: number): Promise<number> {
  await sleep(settleMs);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssBytes(pid));
    await sleep(200);
  }
  return median(samples);
}

/** Opens `count` idle visitor sockets and divides the server's RSS growth by `count`. */
export async function memoryRun(client: LoadClient, pid: number, count: number, settleMs = 2000): Promise<MemoryResult> {
  const rssBeforeBytes = await settledRss(pid, settleMs);
  const visitors = await client.openVisitors(count);
  const rssAfterBytes = await settledRss(pid, settleMs);
  client.closeVisitors(visitors);
  const deltaBytes = rssAfterBytes - rssBeforeBytes;
  return { connections: count, rssBeforeBytes, rssAfterBytes, deltaBytes, bytesPerConnection: Math.round(deltaBytes / count) };
}

// ---- output helpers ----------------------------------------------------------------------------------

export function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

export function cpuLine(cpu: CpuUsage | undefined): string {
  if (!cpu) return '';
  return `[cores: server ${fmt(cpu.serverCores)} pg ${fmt(cpu.postgresCores)} bench ${fmt(cpu.benchCores)} other ${fmt(cpu.otherCores)}]`;
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
