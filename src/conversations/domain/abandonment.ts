/** A waiting customer who gave up: how long they waited, and whether it was too short to count against SLA. */
export interface Abandonment {
  waitedSeconds: number;
  /** Left within the short-abandon threshold: reports leave them out of SLA figures. */
  short: boolean;
}

/**
 * The wait runs from the conversation's place in its queue (`enqueuedAt`) to the moment the customer
 * left: their explicit leave, or their last socket closing (not the end of the grace period, which is
 * our delay, not their wait).
 */
export function abandonment(enqueuedAt: Date, leftAt: Date, shortThresholdSeconds: number): Abandonment {
  const waited = Math.max(0, (leftAt.getTime() - enqueuedAt.getTime()) / 1000);
  return { waitedSeconds: Math.round(waited * 10) / 10, short: waited < shortThresholdSeconds };
}
