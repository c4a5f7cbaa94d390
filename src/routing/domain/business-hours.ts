import { DateTime, IANAZone } from 'luxon';

/** Monday first, as luxon numbers weekdays (1 = Monday … 7 = Sunday). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Local wall-clock times, "HH:mm". Open from `open` up to (not including) `close`; `close` may be "24:00".
 * An interval across midnight is written as two (22:00–24:00, then 00:00–02:00 on the next day).
 */
export interface OpeningInterval {
  open: string;
  close: string;
}

export interface BusinessHours {
  /** IANA zone, e.g. "Europe/Madrid". Opening times follow its clock through DST changes. */
  timeZone: string;
  weekly: Partial<Record<Weekday, readonly OpeningInterval[]>>;
  /** Local dates ("2026-12-25") closed all day. */
  holidays: readonly string[];
}

/** Looking a year and a week ahead covers a full year of holidays on top of the weekly pattern. */
const LOOKAHEAD_DAYS = 372;

const HH_MM = /^(\d{2}):(\d{2})$/;

function minutes(time: string): number | null {
  const match = HH_MM.exec(time);
  if (!match) return null;
  const [h, m] = [Number(match[1]), Number(match[2])];
  if (m > 59 || h > 24 || (h === 24 && m > 0)) return null;
  return h * 60 + m;
}

/** What is wrong with a configuration, for the settings form; empty when it is usable. */
export function businessHoursProblems(hours: BusinessHours): string[] {
  const problems: string[] = [];
  if (!IANAZone.isValidZone(hours.timeZone)) problems.push(`unknown time zone "${hours.timeZone}"`);
  for (const day of WEEKDAYS) {
    for (const { open, close } of hours.weekly[day] ?? []) {
      const [from, to] = [minutes(open), minutes(close)];
      if (from === null || to === null) problems.push(`${day}: times must be HH:mm (00:00–24:00)`);
      else if (from >= to) problems.push(`${day}: ${open}–${close} closes before it opens`);
    }
  }
  for (const date of hours.holidays) {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
    if (!valid) problems.push(`bad holiday date "${date}" (want YYYY-MM-DD)`);
  }
  return problems;
}

function localTime(hours: BusinessHours, instant: Date): DateTime<true> {
  const local = DateTime.fromJSDate(instant, { zone: hours.timeZone });
  if (!local.isValid)
    throw new RangeError(`Cannot read ${instant.toISOString()} in zone "${hours.timeZone}"`);
  return local;
}

function intervalsOn(hours: BusinessHours, local: DateTime<true>): { from: number; to: number }[] {
  if (hours.holidays.includes(local.toISODate())) return [];
  const day = WEEKDAYS[local.weekday - 1];
  return (hours.weekly[day] ?? [])
    .map(({ open, close }) => {
      const [from, to] = [minutes(open), minutes(close)];
      if (from === null || to === null)
        throw new RangeError(`Bad opening interval ${open}–${close} on ${day}`);
      return { from, to };
    })
    .sort((a, b) => a.from - b.from);
}

/**
 * Open at `instant`? Compared on the local wall clock, so an 08:00–20:00 day is 08:00–20:00 local on
 * both sides of a DST change (and an hour that happens twice in autumn is open or closed both times).
 */
export function isOpen(hours: BusinessHours, instant: Date): boolean {
  const local = localTime(hours, instant);
  const minuteOfDay = local.hour * 60 + local.minute + (local.second + local.millisecond / 1000) / 60;
  return intervalsOn(hours, local).some(({ from, to }) => from <= minuteOfDay && minuteOfDay < to);
}

/**
 * `instant` itself when open; otherwise when the next opening interval starts, or null if nothing opens
 * within the next year. An opening inside a spring-forward gap (02:30 on the night clocks jump to 03:00)
 * moves forward by the gap, as the local clock does.
 */
export function nextOpening(hours: BusinessHours, instant: Date): Date | null {
  if (isOpen(hours, instant)) return new Date(instant.getTime());
  // Step through calendar days from local noon: noon exists on every day, unlike midnight in some zones.
  const noon = localTime(hours, instant).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
    const day = noon.plus({ days: offset });
    for (const { from } of intervalsOn(hours, day)) {
      const opening = day.set({ hour: Math.floor(from / 60), minute: from % 60 });
      if (opening.toMillis() > instant.getTime()) return opening.toJSDate();
    }
  }
  return null;
}
