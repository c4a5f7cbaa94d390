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

/** Each kind of conversation has its own limit; 0 switches its auto-close off. */
export interface InactivityLimits {
  /** Website chats (INACTIVITY_CLOSE_MINUTES). */
  webMinutes: number;
  /** Messaging-network conversations: WhatsApp, Telegram, SMS, XMPP, API … (IM_INACTIVITY_CLOSE_HOURS). */
  messagingHours: number;
}

const WEB_CHANNEL = 'web';

/**
 * How long a conversation on `channel` may stay without a customer message. Messaging customers answer
 * hours later from their phone, so their conversations get a limit of their own.
 */
export function inactivityLimitMs(channel: string, limits: InactivityLimits): number {
  return channel === WEB_CHANNEL ? limits.webMinutes * 60_000 : limits.messagingHours * 3_600_000;
}

/**
 * Customer inactivity counts only while an agent is with the customer: from the later of the
 * assignment and the customer's last message. A customer waiting in the queue is waiting for us, not
 * idle (abandonment covers one who left on the website; a messaging customer never leaves); and a long
 * wait must not close a conversation the moment an agent joins. The same rule for every channel, with
 * the channel's limit as `closeAfterMs`.
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

/** The closing notice of either kind of conversation, in the transcript. */
export function inactivityNoticeFor(channel: string, limits: InactivityLimits): string {
  return channel === WEB_CHANNEL
    ? inactivityNotice(limits.webMinutes)
    : messagingInactivityNotice(limits.messagingHours);
}

/** "This conversation was closed after 24 hours without a message from the customer." */
export function messagingInactivityNotice(closeAfterHours: number): string {
  const amount = Number.isInteger(closeAfterHours)
    ? String(closeAfterHours)
    : String(Number(closeAfterHours.toFixed(4)));
  return `This conversation was closed after ${amount} ${closeAfterHours === 1 ? 'hour' : 'hours'} without a message from the customer.`;
}
