import type {
  AckCallback,
  Availability,
  ContactView,
  ConversationView,
  MessageAck,
  MessageView,
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
  'message:send': (
    req: { conversationId: string; clientId: string; body: string; internal?: boolean },
    ack: AckCallback<MessageAck>,
  ) => void;
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

export interface AgentServerEvents {
  session: (data: {
    agent: { id: string; displayName: string; role: string };
    availability: Availability;
    assignments: Assignment[];
  }) => void;
  'conversation:assigned': (data: Assignment) => void;
  /** A conversation is offered to this agent until `expiresAt`. */
  offer: (data: Offer) => void;
  /** The offer ran out unanswered; it counts as a missed offer. */
  'offer:expired': (data: { conversationId: string }) => void;
  /** The conversation is no longer this agent's (transferred away, or requeued after a disconnect). */
  'conversation:removed': (data: { conversationId: string; reason: string }) => void;
  'conversation:closed': (data: { conversationId: string }) => void;
  message: (data: MessageView) => void;
  typing: (data: { conversationId: string; senderKind: 'customer'; isTyping: boolean }) => void;
  availability: (data: { availability: Availability }) => void;
  /** The waiting list of a manual-pick queue changed (a new conversation, or someone took one). */
  'queue:waiting': (data: { queueId: string; waiting: WaitingConversation[] }) => void;
}
