/** What a queue does for a conversation that has waited too long. */
export type Escalation = { kind: 'priority-bump'; by: number } | { kind: 'overflow'; toQueueId: string };

export interface SlaSettings {
  /** The answer target: a conversation answered within this many seconds of entering the queue met the SLA. */
  slaTargetSeconds: number;
  /** When to escalate; null with no escalation. */
  escalateAfterSeconds: number | null;
  escalation: Escalation | null;
  /** After this wait the customer is offered an offline handover (leave a message); null for never. */
  maxWaitSeconds: number | null;
}

export interface SlaWait {
  /**
   * When the customer started waiting. Keep the first queue's time after an overflow: the customer's wait
   * did not restart.
   */
  enqueuedAt: Date;
  /** Set once escalated (in any queue), so an overflowed conversation is not escalated again, or back. */
  escalatedAt: Date | null;
}

export type SlaAction =
  { kind: 'none' } | { kind: 'escalate'; escalation: Escalation } | { kind: 'offline-handover' };

export interface SlaDecision {
  action: SlaAction;
  /** Waited past the answer target without an answer. */
  breached: boolean;
  /** The next moment this decision changes (breach, escalation or max wait); null if none. Check again then. */
  nextCheckAt: Date | null;
}

const secondsAfter = (start: Date, seconds: number) => start.getTime() + seconds * 1000;

/**
 * What to do for a waiting conversation at `now`. Thresholds are inclusive: at exactly
 * `escalateAfterSeconds` the conversation escalates. Offline handover wins over escalation, since once
 * the maximum wait has passed no queue should keep the customer waiting any longer.
 */
export function slaDecision(settings: SlaSettings, wait: SlaWait, now: Date): SlaDecision {
  const t = now.getTime();
  const breachAt = secondsAfter(wait.enqueuedAt, settings.slaTargetSeconds);
  const maxWaitAt =
    settings.maxWaitSeconds === null ? null : secondsAfter(wait.enqueuedAt, settings.maxWaitSeconds);
  const escalateAt =
    settings.escalation && settings.escalateAfterSeconds !== null && wait.escalatedAt === null
      ? secondsAfter(wait.enqueuedAt, settings.escalateAfterSeconds)
      : null;

  const breached = t > breachAt;
  let action: SlaAction = { kind: 'none' };
  if (maxWaitAt !== null && t >= maxWaitAt) action = { kind: 'offline-handover' };
  else if (escalateAt !== null && settings.escalation && t >= escalateAt) {
    action = { kind: 'escalate', escalation: settings.escalation };
  }

  // After a handover nothing further happens; otherwise the next threshold still ahead of us.
  const upcoming =
    action.kind === 'offline-handover'
      ? []
      : [breached ? null : breachAt + 1, escalateAt, maxWaitAt].filter(
          (x): x is number => x !== null && x > t,
        );
  return {
    action,
    breached,
    nextCheckAt: upcoming.length > 0 ? new Date(Math.min(...upcoming)) : null,
  };
}

/** Whether a conversation answered at `answeredAt` met the queue's answer target (the target itself counts). */
export function answeredWithinSla(settings: SlaSettings, enqueuedAt: Date, answeredAt: Date): boolean {
  return answeredAt.getTime() <= secondsAfter(enqueuedAt, settings.slaTargetSeconds);
}

/**
 * When the queue's rules next act on this waiting conversation (escalation or maximum wait); null if
 * never. The SLA timer sleeps until then; a breach alone needs no action, so it does not wake it.
 */
export function nextSlaActionAt(settings: SlaSettings, wait: SlaWait, now: Date): Date | null {
  const t = now.getTime();
  const times = [
    settings.maxWaitSeconds === null ? null : secondsAfter(wait.enqueuedAt, settings.maxWaitSeconds),
    settings.escalation && settings.escalateAfterSeconds !== null && wait.escalatedAt === null
      ? secondsAfter(wait.enqueuedAt, settings.escalateAfterSeconds)
      : null,
  ].filter((x): x is number => x !== null && x > t);
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}
