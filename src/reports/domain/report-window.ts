import { DateTime } from 'luxon';

/** Reports group their numbers by the hour or the day of the report's time zone. */
export const REPORT_BUCKETS = ['hour', 'day'] as const;
export type ReportBucket = (typeof REPORT_BUCKETS)[number];

/** A year, leap day included: enough for a yearly report, small enough to stay a quick query. */
export const MAX_REPORT_DAYS = 366;

export interface ReportWindow {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  bucket: ReportBucket;
  /** An IANA zone name the database understands too, e.g. "Europe/Berlin". */
  timeZone: string;
}

export interface ReportWindowInput {
  from: string;
  to: string;
  bucket?: ReportBucket;
  timeZone?: string;
}

// A date and a time with an explicit offset: "2026-11-26" or a local time alone would name a
// different instant in every zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant an ISO-8601 date-time with an offset names, or null (also for impossible dates like 02-30). */
export function parseInstant(text: string): Date | null {
  // An unescaped "+" in a query string arrives as a space; nothing else can stand before the offset.
  const instant = text.replace(/(T[\d:.]+) (\d{2}:\d{2})$/, '$1+$2');
  if (!INSTANT.test(instant)) return null;
  const parsed = DateTime.fromISO(instant, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : null;
}

// Zone names only. PostgreSQL reads "+01:00" or "UTC+1" as POSIX offsets, which run the other way
// round from ISO ones, and newer Intl versions accept offsets too: neither may reach the query.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;
const POSIX_OFFSET = /^(UTC|GMT|UT)[+-]/i;

/**
 * The canonical IANA name of a time zone, or null when Intl does not know it. The canonical name is
 * what goes to PostgreSQL: it reads some aliases (e.g. "CET") as fixed-offset abbreviations without
 * daylight saving time, while Intl resolves them to a region with its DST rules.
 */
export function resolveTimeZone(name: string): string | null {
  if (!ZONE_NAME.test(name) || POSIX_OFFSET.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export type ReportWindowResult = { ok: true; window: ReportWindow } | { ok: false; problems: string[] };

/** Checks a report's period, bucket and zone together, listing every problem at once. */
export function reportWindow(input: ReportWindowInput): ReportWindowResult {
  const problems: string[] = [];
  const from = parseInstant(input.from);
  const to = parseInstant(input.to);
  const example = 'e.g. 2026-11-26T00:00:00Z';
  if (!from) problems.push(`from must be an ISO-8601 date and time with an offset, ${example}`);
  if (!to) problems.push(`to must be an ISO-8601 date and time with an offset, ${example}`);
  if (from && to) {
    if (to.getTime() <= from.getTime()) problems.push('to must be later than from');
    else if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
      problems.push(`the period must not be longer than ${MAX_REPORT_DAYS} days`);
    }
  }
  const bucket = input.bucket ?? 'day';
  if (!(REPORT_BUCKETS as readonly string[]).includes(bucket)) {
    problems.push(`bucket must be one of: ${REPORT_BUCKETS.join(', ')}`);
  }
  const timeZone = resolveTimeZone(input.timeZone ?? 'UTC');
  if (!timeZone) problems.push(`timeZone must be an IANA time zone name, e.g. Europe/Berlin`);
  if (problems.length > 0 || !from || !to || !timeZone) return { ok: false, problems };
  return { ok: true, window: { from, to, bucket, timeZone } };
}

/** What a report covers, as its response states it: instants in UTC ISO-8601, the zone's canonical name. */
export interface ReportHeading {
  from: string;
  to: string;
  bucket: ReportBucket;
  timeZone: string;
}

export function reportHeading(window: ReportWindow): ReportHeading {
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    bucket: window.bucket,
    timeZone: window.timeZone,
  };
}
