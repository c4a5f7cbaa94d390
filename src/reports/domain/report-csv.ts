import { stringify } from 'csv-stringify/sync';
import type { AgentReportRow, DurationStats, QueueReportRow } from './report-rows.js';
import type { ReportHeading } from './report-window.js';

export type ReportKind = 'queues' | 'agents';
export type ReportFormat = 'json' | 'csv';

type Cell = string | number | null;
export type Column<R> = readonly [header: string, value: (row: R) => Cell];

const durationColumns = <R>(prefix: string, stats: (row: R) => DurationStats): Column<R>[] => [
  [`${prefix}_avg_seconds`, (r) => stats(r).averageSeconds],
  [`${prefix}_median_seconds`, (r) => stats(r).medianSeconds],
  [`${prefix}_n`, (r) => stats(r).n],
];

/** Column order of the queue report CSV; the header row uses these names. Append new columns at the end. */
export const QUEUE_COLUMNS: readonly Column<QueueReportRow>[] = [
  ['bucket_start', (r) => r.bucketStart],
  ['bucket_local', (r) => r.bucketLocal],
  ['queue_id', (r) => r.queue.id],
  ['queue_name', (r) => r.queue.name],
  ['volume', (r) => r.volume],
  ['answered', (r) => r.answered],
  ['sla_target_seconds', (r) => r.sla.targetSeconds],
  ['answered_within_sla', (r) => r.sla.answeredWithinTarget],
  ['sla_rate', (r) => r.sla.rate],
  ['sla_n', (r) => r.sla.n],
  ...durationColumns<QueueReportRow>('wait', (r) => r.wait),
  ...durationColumns<QueueReportRow>('first_response', (r) => r.firstResponse),
  ...durationColumns<QueueReportRow>('handle', (r) => r.handle),
  ['abandoned', (r) => r.abandoned],
  ['abandonment_rate', (r) => r.abandonmentRate],
  ['transfers', (r) => r.transfers],
  ['csat_avg', (r) => r.csat.average],
  ['csat_n', (r) => r.csat.n],
  ['csat_median', (r) => r.csat.median],
];

/** Column order of the agent report CSV. Append new columns at the end. */
export const AGENT_COLUMNS: readonly Column<AgentReportRow>[] = [
  ['bucket_start', (r) => r.bucketStart],
  ['bucket_local', (r) => r.bucketLocal],
  ['agent_id', (r) => r.agent.id],
  ['agent_name', (r) => r.agent.displayName],
  ['handled', (r) => r.handled],
  ...durationColumns<AgentReportRow>('handle', (r) => r.handle),
  ...durationColumns<AgentReportRow>('first_response', (r) => r.firstResponse),
  ['transfers_out', (r) => r.transfersOut],
  ['offers_declined', (r) => r.offersDeclined],
  ['offers_timed_out', (r) => r.offersTimedOut],
  ['csat_avg', (r) => r.csat.average],
  ['csat_n', (r) => r.csat.n],
  ['csat_median', (r) => r.csat.median],
];

/**
 * CSV (comma-separated, quoted where needed, lines ending in \n) with a header row; a missing figure is an empty cell. Queue and agent names are typed
 * by admins, and a spreadsheet runs a cell starting with "=", "+", "-" or "@" as a formula, so such
 * text cells get a leading apostrophe (numbers are left alone).
 */
export function toCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  return stringify(
    rows.map((row) => columns.map(([, value]) => value(row))),
    { header: true, columns: columns.map(([header]) => header), escape_formulas: true },
  );
}

export const queueReportCsv = (rows: readonly QueueReportRow[]) => toCsv(QUEUE_COLUMNS, rows);
export const agentReportCsv = (rows: readonly AgentReportRow[]) => toCsv(AGENT_COLUMNS, rows);

// "2026-11-01T00:00:00.000Z" → "20261101T000000Z": no colons, which Windows refuses in file names.
export const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/** e.g. "switchboard-queues-day-20261101T000000Z-20261201T000000Z.csv": sorts by period in a folder. */
export function reportFilename(kind: ReportKind, heading: ReportHeading): string {
  return `switchboard-${kind}-${heading.bucket}-${compact(heading.from)}-${compact(heading.to)}.csv`;
}

/** The quality (0–1) the Accept header gives `mediaType` when it lists it by name; 0 otherwise. */
function quality(accept: string, mediaType: string): number {
  let best = 0;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== mediaType) continue;
    const q = params.find((p) => p.startsWith('q='));
    best = Math.max(best, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  return best;
}

/**
 * `format` decides when given. Otherwise CSV when the Accept header names `text/csv` and prefers it to
 * `application/json`; JSON for everything else, including a browser's wildcard.
 */
export function responseFormat(format: ReportFormat | undefined, accept: string | undefined): ReportFormat {
  if (format) return format;
  const csv = quality(accept ?? '', 'text/csv');
  return csv > 0 && csv > quality(accept ?? '', 'application/json') ? 'csv' : 'json';
}
