import type {
  AckCallback,
  Availability,
  ContactView,
  ConversationView,
  MessageAck,
  MessageView,
  ReadMark,
} from './common.js';

/** Namespace `/agent`. Handshake `auth`: { token: string } (the JWT from POST /auth/login). */
export const AGENT_NAMESPACE = '/agent';

export interface Assignment {
  conversation: ConversationView;
  contact: ContactView;
  /** The conversation's messages so far, oldest first. */
  messages: MessageView[];
}

/**
 * A conversation offered to this agent (offer-mode queues): accept it with `offer:accept` before
 * `expiresAt`, or pass with `offer:decline`. It holds one of the agent's slots while open.
 */
export interface Offer {
  conversation: ConversationView;
  contact: ContactView;
  /** ISO 8601; an answer from this instant on is refused. */
  expiresAt: string;
}

/** A conversation waiting in a manual-pick queue, as the agents of that queue see it. */
export interface WaitingConversation {
  id: string;
  queueId: string;
  channel: string;
  contactName: string | null;
  attributes: Record<string, string>;
  enqueuedAt: string;
}

export interface AgentClientEvents {
  /** Conversations waiting in the manual-pick queues this agent belongs to, oldest first. */
  'queue:list': (req: Record<string, never>, ack: AckCallback<{ waiting: WaitingConversation[] }>) => void;
  /** Takes a waiting conversation from a manual-pick queue; it disappears for everyone else. */
  'conversation:pick': (req: { conversationId: string }, ack: AckCallback<{ conversationId: string }>) => void;
  /** Takes the conversation offered to this agent; it arrives as `conversation:assigned`. */
  'offer:accept': (req: { conversationId: string }, ack: AckCallback<{ conversationId: string }>) => void;
  /** Passes on the offer; the conversation is offered to someone else and never again to this agent this round. */
  'offer:decline': (req: { conversationId: string }, ack: AckCallback<{ conversationId: string }>) => void;
  'availability:set': (req: { availability: Availability }, ack: AckCallback<{ availability: Availability }>) => void;
  /** `body` may be empty when `attachmentIds` (uploaded by this agent into this conversation) is not. */
  'message:send': (
    req: { conversationId: string; clientId: string; body: string; internal?: boolean; attachmentIds?: string[] },
    ack: AckCallback<MessageAck>,
  ) => void;
  /** Marks every message up to `seq` read (the assigned agent only); the customer receives `read`. */
  'message:read': (req: { conversationId: string; seq: number }, ack?: AckCallback<{ seq: number }>) => void;
  typing: (req: { conversationId: string; isTyping: boolean }, ack?: AckCallback<null>) => void;
  'conversation:close': (
    req: { conversationId: string; disposition: string },
    ack: AckCallback<{ conversationId: string }>,
  ) => void;
  'conversation:transfer': (
    req: { conversationId: string; queueId?: string; agentId?: string; note?: string },
    ack: AckCallback<{ conversationId: string }>,
  ) => void;
  sync: (
    req: { conversationId: string; afterSeq: number },
    ack: AckCallback<{ conversation: ConversationView; messages: MessageView[] }>,
  ) => void;
}

/**
 * Where an agent's message to a messaging-network customer stands. `pending`: queued for the provider;
 * `sent`: the provider accepted it; `delivered` / `read`: the provider says so; `failed`: given up,
 * `reason` says why (shown to the agent).
 */
export interface DeliveryUpdate {
  conversationId: string;
  messageId: string;
  status: 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
  reason: string | null;
}

export interface AgentServerEvents {
  session: (data: {
    agent: { id: string; displayName: string; role: string };
    availability: Availability;
    assignments: Assignment[];
    /** Offers still open for this agent (e.g. after a reconnect): answer them as if just received. */
    offers: Offer[];
  }) => void;
  'conversation:assigned': (data: Assignment) => void;
  /** A conversation is offered to this agent until `expiresAt`. */
  offer: (data: Offer) => void;
  /**
   * The offer was taken back without counting as missed: the agent went away or offline, or the
   * conversation left the queue (escalated to an overflow queue, kept for later, ended).
   */
  'offer:withdrawn': (data: { conversationId: string; reason: string }) => void;
  /** The offer ran out unanswered; it counts as a missed offer. */
  'offer:expired': (data: { conversationId: string }) => void;
  /** The conversation is no longer this agent's (transferred away, or requeued after a disconnect). */
  'conversation:removed': (data: { conversationId: string; reason: string }) => void;
  'conversation:closed': (data: { conversationId: string }) => void;
  message: (data: MessageView) => void;
  /** Delivery state of an agent message in a messaging-network conversation changed. */
  'message:delivery': (data: DeliveryUpdate) => void;
  typing: (data: { conversationId: string; senderKind: 'customer'; isTyping: boolean }) => void;
  /** The customer has read up to `seq` (`by` is always 'customer' here). */
  read: (data: ReadMark) => void;
  availability: (data: { availability: Availability }) => void;
  /** The waiting list of a manual-pick queue changed (a new conversation, or someone took one). */
  'queue:waiting': (data: { queueId: string; waiting: WaitingConversation[] }) => void;
}
