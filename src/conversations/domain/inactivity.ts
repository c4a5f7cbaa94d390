import type { ConversationStatus } from './conversation-state.js';

export interface InactivityFacts {
  status: ConversationStatus;
  /** When the current agent got the conversation; null while it waits. */
  assignedAt: Date | null;
  lastCustomerMessageAt: Date | null;
  now: Date;
}

export type InactivityDecision =
  /** Nothing more to watch: closed, or the auto-close is switched off. */
  | { kind: 'stop' }
  | { kind: 'close' }
  /** Look again in `ms` milliseconds. */
  | { kind: 'wait'; ms: number };

/**
 * Customer inactivity counts only while an agent is with the customer: from the later of the
 * assignment and the customer's last message. A customer waiting in the queue is waiting for us, not
 * idle (abandonment covers one who left); and a long wait must not close a chat the moment an agent
 * joins.
 */
export function inactivityDecision(facts: InactivityFacts, closeAfterMs: number): InactivityDecision {
  if (closeAfterMs <= 0 || facts.status === 'closed') return { kind: 'stop' };
  if (facts.status === 'queued' || facts.assignedAt === null) return { kind: 'wait', ms: closeAfterMs };
  const since = Math.max(facts.assignedAt.getTime(), facts.lastCustomerMessageAt?.getTime() ?? 0);
  const remaining = since + closeAfterMs - facts.now.getTime();
  return remaining <= 0 ? { kind: 'close' } : { kind: 'wait', ms: remaining };
}

/** "This chat was closed after 30 minutes without activity." */
export function inactivityNotice(closeAfterMinutes: number): string {
  const amount = Number.isInteger(closeAfterMinutes)
    ? String(closeAfterMinutes)
    : String(Number(closeAfterMinutes.toFixed(2)));
  return `This chat was closed after ${amount} ${closeAfterMinutes === 1 ? 'minute' : 'minutes'} without activity.`;
}
