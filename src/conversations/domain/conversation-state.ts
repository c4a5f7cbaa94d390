export const CONVERSATION_STATUSES = ['queued', 'assigned', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export type ConversationAction =
  | 'assign'
  | 'requeue'
  | 'transfer-to-queue'
  | 'transfer-to-agent'
  | 'close';

const ALLOWED: Record<ConversationAction, { from: readonly ConversationStatus[]; to: ConversationStatus }> = {
  assign: { from: ['queued'], to: 'assigned' },
  requeue: { from: ['assigned'], to: 'queued' },
  'transfer-to-queue': { from: ['queued', 'assigned'], to: 'queued' },
  'transfer-to-agent': { from: ['queued', 'assigned'], to: 'assigned' },
  close: { from: ['queued', 'assigned'], to: 'closed' },
};

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: ConversationStatus,
    readonly action: ConversationAction,
  ) {
    super(`A ${from} conversation cannot ${action.replaceAll('-', ' ')}`);
  }
}

export function canTransition(from: ConversationStatus, action: ConversationAction): boolean {
  return ALLOWED[action].from.includes(from);
}

/** The status after `action`, or InvalidTransitionError. Closed is final: a returning customer starts a new conversation. */
export function transition(from: ConversationStatus, action: ConversationAction): ConversationStatus {
  if (!canTransition(from, action)) throw new InvalidTransitionError(from, action);
  return ALLOWED[action].to;
}
