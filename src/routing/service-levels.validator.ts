import {
  isUUID,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { businessHoursProblems, WEEKDAYS } from './domain/business-hours.js';
import { CAPACITY_KINDS } from './domain/capacity.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with a business-hours body; empty when usable. */
function hoursProblems(value: unknown): string[] {
  if (!isPlainObject(value)) return ['businessHours must be an object { timeZone, weekly, holidays }'];
  const extra = Object.keys(value).filter((k) => !['timeZone', 'weekly', 'holidays'].includes(k));
  if (extra.length > 0) return [`businessHours has unknown fields: ${extra.join(', ')}`];
  const { timeZone, weekly, holidays = [] } = value;
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64)
    return ['timeZone must be an IANA zone name'];
  if (!isPlainObject(weekly)) return ['weekly must map weekdays (mon … sun) to opening intervals'];
  for (const [day, intervals] of Object.entries(weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) return [`unknown weekday "${day}" (use mon … sun)`];
    if (!Array.isArray(intervals) || intervals.length > 8)
      return [`${day}: a list of up to 8 { open, close } intervals`];
    const valid = intervals.every(
      (i) =>
        isPlainObject(i) &&
        typeof i.open === 'string' &&
        typeof i.close === 'string' &&
        Object.keys(i).length === 2,
    );
    if (!valid) return [`${day}: each interval is { open: "HH:mm", close: "HH:mm" }`];
  }
  if (!Array.isArray(holidays) || holidays.length > 400 || holidays.some((h) => typeof h !== 'string')) {
    return ['holidays must be a list of up to 400 dates (YYYY-MM-DD)'];
  }
  return businessHoursProblems({ timeZone, weekly, holidays });
}

/** A queue's opening hours: IANA zone, weekly HH:mm intervals, holiday dates (business-hours.ts). */
@ValidatorConstraint({ name: 'businessHours' })
export class BusinessHoursValid implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return hoursProblems(value).length === 0;
  }
  defaultMessage(args: ValidationArguments): string {
    return hoursProblems(args.value).join('; ');
  }
}

/** `{ kind: 'priority-bump', by: 1–1000 }` or `{ kind: 'overflow', toQueueId: uuid }`. */
@ValidatorConstraint({ name: 'escalation' })
export class EscalationValid implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (!isPlainObject(value)) return false;
    if (value.kind === 'priority-bump') {
      return (
        Object.keys(value).length === 2 &&
        Number.isInteger(value.by) &&
        (value.by as number) >= 1 &&
        (value.by as number) <= 1000
      );
    }
    if (value.kind === 'overflow') {
      return (
        Object.keys(value).length === 2 && typeof value.toQueueId === 'string' && isUUID(value.toQueueId)
      );
    }
    return false;
  }
  defaultMessage(): string {
    return 'escalation is { kind: "priority-bump", by: 1–1000 } or { kind: "overflow", toQueueId: <queue id> }';
  }
}

/** `{ web?: n, im?: n }` with whole numbers 0–50. */
@ValidatorConstraint({ name: 'channelCapacity' })
export class ChannelCapacityValid implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (!isPlainObject(value)) return false;
    return Object.entries(value).every(
      ([kind, n]) =>
        (CAPACITY_KINDS as readonly string[]).includes(kind) &&
        Number.isInteger(n) &&
        (n as number) >= 0 &&
        (n as number) <= 50,
    );
  }
  defaultMessage(): string {
    return 'channelCapacity maps "web" (live chat) and "im" (messaging apps) to a whole number from 0 to 50';
  }
}
