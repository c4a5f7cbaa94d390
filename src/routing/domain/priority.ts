/**
 * Priority aging: a conversation gains `bumpBy` priority for every `everySeconds` it waits, never more than
 * `maxBump` in total, so a long wait in a low-priority queue is eventually served before fresh arrivals in
 * a busier, higher-priority one, while a VIP still cannot be overtaken without limit.
 */
export interface PriorityAging {
  everySeconds: number;
  bumpBy: number;
  maxBump: number;
}

export interface PrioritisedConversation {
  id: string;
  /** The queue's priority (higher first). Matters when one agent serves several queues. */
  queuePriority: number;
  /** The conversation's own priority (VIP contact, escalation bump…). */
  priority: number;
  enqueuedAt: Date;
}

function steps(waited: number, aging: PriorityAging): number {
  return Math.floor(Math.max(0, waited) / (aging.everySeconds * 1000));
}

/** Aging is off when not configured or configured to add nothing. */
function agingApplies(aging: PriorityAging | null): aging is PriorityAging {
  return aging !== null && aging.everySeconds > 0 && aging.bumpBy > 0 && aging.maxBump > 0;
}

export function agingBump(enqueuedAt: Date, aging: PriorityAging | null, now: Date): number {
  if (!agingApplies(aging)) return 0;
  return Math.min(aging.maxBump, steps(now.getTime() - enqueuedAt.getTime(), aging) * aging.bumpBy);
}

export function effectivePriority(
  conversation: PrioritisedConversation,
  aging: PriorityAging | null,
  now: Date,
): number {
  return conversation.queuePriority + conversation.priority + agingBump(conversation.enqueuedAt, aging, now);
}

/**
 * When the effective priority next goes up, or null once capped (or without aging). The stored priority
 * column does not age, so a service that orders in SQL must re-rank at these moments.
 */
export function nextBumpAt(enqueuedAt: Date, aging: PriorityAging | null, now: Date): Date | null {
  if (!agingApplies(aging) || agingBump(enqueuedAt, aging, now) >= aging.maxBump) return null;
  const next = steps(now.getTime() - enqueuedAt.getTime(), aging) + 1;
  return new Date(enqueuedAt.getTime() + next * aging.everySeconds * 1000);
}

/** Serving order at `now`: higher effective priority, then the one waiting longest, then id. */
export function compareEffective(
  aging: PriorityAging | null,
  now: Date,
): (a: PrioritisedConversation, b: PrioritisedConversation) => number {
  return (a, b) => {
    const priority = effectivePriority(b, aging, now) - effectivePriority(a, aging, now);
    if (priority !== 0) return priority;
    const age = a.enqueuedAt.getTime() - b.enqueuedAt.getTime();
    if (age !== 0) return age;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** Waiting conversations in serving order; the caller's array is left untouched. */
export function orderWaiting<T extends PrioritisedConversation>(
  waiting: readonly T[],
  aging: PriorityAging | null,
  now: Date,
): T[] {
  return [...waiting].sort(compareEffective(aging, now));
}
