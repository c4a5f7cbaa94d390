import { isOpen, nextOpening, type BusinessHours } from './business-hours.js';

/**
 * Why a conversation was kept for later: the queue was closed, nobody could serve it, the customer waited
 * the queue's maximum, or the customer left a message without starting a live chat.
 */
export const OFFLINE_REASONS = ['closed', 'no-agents', 'max-wait', 'offline-message'] as const;
export type OfflineReason = (typeof OFFLINE_REASONS)[number];

export interface QueueOpening {
  /** Null: always open. */
  businessHours: BusinessHours | null;
  /** Offline also while no member is available and connected. */
  offlineWhenNoAgents: boolean;
}

export type QueueAvailability =
  { open: true } | { open: false; reason: 'closed' | 'no-agents'; nextOpeningAt: Date | null };

/**
 * Whether a queue takes live chats at `now`. Closed by its hours wins over "no agents", because only then
 * is there an opening time to tell the customer.
 */
export function queueAvailability(
  queue: QueueOpening,
  availableAgents: number,
  now: Date,
): QueueAvailability {
  if (queue.businessHours && !isOpen(queue.businessHours, now)) {
    return { open: false, reason: 'closed', nextOpeningAt: nextOpening(queue.businessHours, now) };
  }
  if (queue.offlineWhenNoAgents && availableAgents === 0)
    return { open: false, reason: 'no-agents', nextOpeningAt: null };
  return { open: true };
}

/**
 * Whether routing may hand out a waiting conversation at `now`. During opening hours, any. After closing,
 * agents still at work finish the line that was waiting when the queue closed, as contact centres do;
 * conversations that arrived while closed, or were kept for later, wait for the next opening.
 */
export function routableNow(
  businessHours: BusinessHours | null,
  conversation: { enqueuedAt: Date; offlineAt: Date | null },
  now: Date,
): boolean {
  if (!businessHours || isOpen(businessHours, now)) return true;
  return conversation.offlineAt === null && isOpen(businessHours, conversation.enqueuedAt);
}

/**
 * Whether the customers still waiting live should be told the queue is offline and kept for later: only
 * when it is offline and no agent is left who could serve them (after closing time, the agents still
 * available finish the line first).
 */
export function keepWaitingForLater(availability: QueueAvailability, availableAgents: number): boolean {
  return !availability.open && availableAgents === 0;
}

/** What the customer reads when kept for later; `nextOpeningAt` in the queue's own zone when known. */
export function offlineNotice(reason: OfflineReason, nextOpeningLocal: string | null): string {
  const leave = 'You can leave a message here and we will answer it';
  switch (reason) {
    case 'closed':
      return nextOpeningLocal
        ? `We are closed right now. ${leave} when we open (${nextOpeningLocal}).`
        : `We are closed right now. ${leave} as soon as we can.`;
    case 'no-agents':
      return `Nobody is available to chat right now. ${leave} as soon as someone is.`;
    case 'max-wait':
      return `Sorry for the long wait. ${leave} as soon as an agent is free; you do not need to stay on this page.`;
    case 'offline-message':
      return 'Thank you, we have your message and will answer it as soon as we can.';
  }
}
