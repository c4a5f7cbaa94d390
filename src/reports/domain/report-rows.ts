/**
 * Report rows: the database's per-bucket aggregates, rounded and completed with rates. Definitions of
 * every figure: docs/protocol.md, "Reports".
 */

/** An aggregate over durations as the database returns it: unrounded, null without a sample. */
export interface DurationAggregate {
  average: number | null;
  median: number | null;
  n: number;
}

interface BucketAggregate {
  /** The bucket's first instant. */
  bucketStart: Date;
  /** The bucket's first wall-clock time in the report's zone, "YYYY-MM-DDTHH:MM:SS". */
  bucketLocal: string;
}

export interface QueueAggregate extends BucketAggregate {
  queueId: string;
  /** Null for a queue deleted since. */
  queueName: string | null;
  slaTargetSeconds: number | null;
  volume: number;
  answered: number;
  /** Answered conversations whose wait could be compared with the target (the queue still exists). */
  slaSample: number;
  answeredWithinSla: number;
  wait: DurationAggregate;
  firstResponse: DurationAggregate;
  handle: DurationAggregate;
  abandoned: number;
  transfers: number;
  /** Customer ratings (1–5) given in the bucket, as an aggregate over the scores. */
  csat: DurationAggregate;
}

export interface AgentAggregate extends BucketAggregate {
  agentId: string;
  /** Null for a staff account deleted since. */
  displayName: string | null;
  handled: number;
  handle: DurationAggregate;
  firstResponse: DurationAggregate;
  transfersOut: number;
  offersDeclined: number;
  offersTimedOut: number;
  csat: DurationAggregate;
}

export interface DurationStats {
  averageSeconds: number | null;
  medianSeconds: number | null;
  n: number;
}

/** Customer satisfaction: ratings 1–5 given in the bucket; average (2 decimals) and median, null without any. */
export interface CsatStats {
  average: number | null;
  median: number | null;
  n: number;
}

export interface QueueReportRow {
  bucketStart: string;
  bucketLocal: string;
  queue: { id: string; name: string | null };
  volume: number;
  answered: number;
  sla: { targetSeconds: number | null; answeredWithinTarget: number; rate: number | null; n: number };
  wait: DurationStats;
  firstResponse: DurationStats;
  handle: DurationStats;
  abandoned: number;
  abandonmentRate: number | null;
  transfers: number;
  csat: CsatStats;
}

export interface AgentReportRow {
  bucketStart: string;
  bucketLocal: string;
  agent: { id: string; displayName: string | null };
  handled: number;
  handle: DurationStats;
  firstResponse: DurationStats;
  transfersOut: number;
  offersDeclined: number;
  offersTimedOut: number;
  csat: CsatStats;
}

/** Tenths of a second: finer than anyone reads a wait, coarse enough to hide float noise. */
export function roundSeconds(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 10) / 10;
}

/** `part / whole` between 0 and 1 with three decimals; null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}

export function durationStats(aggregate: DurationAggregate): DurationStats {
  return {
    averageSeconds: aggregate.n === 0 ? null : roundSeconds(aggregate.average),
    medianSeconds: aggregate.n === 0 ? null : roundSeconds(aggregate.median),
    n: aggregate.n,
  };
}

export function csatStats(aggregate: DurationAggregate): CsatStats {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  return {
    average: aggregate.n === 0 ? null : round(aggregate.average),
    median: aggregate.n === 0 ? null : round(aggregate.median),
    n: aggregate.n,
  };
}

export function queueReportRow(a: QueueAggregate): QueueReportRow {
  return {
    bucketStart: a.bucketStart.toISOString(),
    bucketLocal: a.bucketLocal,
    queue: { id: a.queueId, name: a.queueName },
    volume: a.volume,
    answered: a.answered,
    sla: {
      targetSeconds: a.slaTargetSeconds,
      answeredWithinTarget: a.answeredWithinSla,
      rate: rate(a.answeredWithinSla, a.slaSample),
      n: a.slaSample,
    },
    wait: durationStats(a.wait),
    firstResponse: durationStats(a.firstResponse),
    handle: durationStats(a.handle),
    abandoned: a.abandoned,
    // Abandonments are counted when they happen and arrivals when they queue, so in short buckets an
    // hour can lose more customers than arrived in it: the rate may then exceed 1.
    abandonmentRate: rate(a.abandoned, a.volume),
    transfers: a.transfers,
    csat: csatStats(a.csat),
  };
}

export function agentReportRow(a: AgentAggregate): AgentReportRow {
  return {
    bucketStart: a.bucketStart.toISOString(),
    bucketLocal: a.bucketLocal,
    agent: { id: a.agentId, displayName: a.displayName },
    handled: a.handled,
    handle: durationStats(a.handle),
    firstResponse: durationStats(a.firstResponse),
    transfersOut: a.transfersOut,
    offersDeclined: a.offersDeclined,
    offersTimedOut: a.offersTimedOut,
    csat: csatStats(a.csat),
  };
}
