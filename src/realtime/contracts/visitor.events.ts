import type { AckCallback, ConversationStatus, MessageAck, MessageView, ReadMark } from './common.js';

/** Namespace `/visitor`. Handshake `auth`: { siteKey: string; token?: string }. */
export const VISITOR_NAMESPACE = '/visitor';

export interface VisitorHandshake {
  siteKey: string;
  /** The token from a previous `session` event, to resume as the same visitor. */
  token?: string;
  /** A customer signed in on the host site, vouched for by the host's backend (see VisitorIdentity). */
  identity?: VisitorIdentity;
}

/**
 * `signature` = hex(HMAC-SHA256(site identity secret, userId)), computed by the host site's backend.
 * With a valid one the customer is the same contact on every device; an invalid one refuses the
 * connection with `unauthorized`.
 */
export interface VisitorIdentity {
  userId: string;
  signature: string;
  name?: string;
  email?: string;
}

/** A closed conversation of the customer's past, with its messages (internal notes never included). */
export interface PastConversation {
  id: string;
  status: ConversationStatus;
  createdAt: string;
  closedAt: string | null;
  messages: MessageView[];
}

export interface VisitorConversation {
  id: string;
  status: ConversationStatus;
  lastSeq: number;
  queuePosition: number | null;
  agent: { id: string; displayName: string } | null;
  /** Set when the conversation was kept for later (see `queue:offline`); null while live. */
  offline: { reason: OfflineReason; since: string } | null;
  /** Highest seq the agent side has read (0: none yet). */
  agentReadSeq: number;
  /** Highest seq the customer has marked read. */
  customerReadSeq: number;
  /** Whether the customer has rated this (closed) conversation. */
  rated: boolean;
}

export interface VisitorClientEvents {
  /**
   * Whether the site's queue takes live chats right now (ask before showing the chat or the "leave a
   * message" form). A chat started while closed still works: it is kept and `queue:offline` says so.
   */
  'queue:status': (req: Record<string, never>, ack: AckCallback<QueueStatus>) => void;
  /**
   * Leaves a message without a live chat (e.g. outside business hours). It is stored as a conversation
   * of this visitor in the site's queue, kept until staff answer it (routed when the queue is open and
   * an agent is free); replies reach the visitor as `message` events when they are back, or by email.
   * With an open conversation already, the message is added to it.
   */
  'offline:message': (
    req: OfflineMessageRequest,
    ack: AckCallback<{ conversationId: string; message: MessageAck }>,
  ) => void;
  'conversation:start': (
    req: { prechat?: Record<string, string>; message?: { clientId: string; body: string } },
    ack: AckCallback<{ conversation: VisitorConversation; message: MessageAck | null }>,
  ) => void;
  /** `body` may be empty when `attachmentIds` (uploaded through HTTP, by this visitor, here) is not. */
  'message:send': (
    req: { conversationId: string; clientId: string; body: string; attachmentIds?: string[] },
    ack: AckCallback<MessageAck>,
  ) => void;
  /** Marks every message up to `seq` read; the agent receives `read`. */
  'message:read': (req: { conversationId: string; seq: number }, ack?: AckCallback<{ seq: number }>) => void;
  /** Rates a closed conversation once: `score` 1–5, `comment` up to 1000 characters. */
  'conversation:rate': (
    req: { conversationId: string; score: number; comment?: string },
    ack: AckCallback<{ conversationId: string }>,
  ) => void;
  /**
   * The customer's closed conversations, newest first, created before `before` (ISO 8601; from now
   * when absent), `limit` 1–20 (5). Pass `nextBefore` to get older ones; null when there are none.
   */
  history: (
    req: { before?: string; limit?: number },
    ack: AckCallback<{ conversations: PastConversation[]; nextBefore: string | null }>,
  ) => void;
  typing: (req: { conversationId: string; isTyping: boolean }, ack?: AckCallback<null>) => void;
  /**
   * The customer ends the chat: a waiting one is abandoned, one with an agent is closed
   * (`customer-left`). Leaving a closed conversation succeeds and changes nothing.
   */
  'conversation:leave': (req: { conversationId: string }, ack: AckCallback<{ conversationId: string }>) => void;
  /** Everything after `afterSeq`, for a reconnect. */
  sync: (
    req: { conversationId: string; afterSeq: number },
    ack: AckCallback<{ conversation: VisitorConversation; messages: MessageView[] }>,
  ) => void;
}

export interface VisitorServerEvents {
  session: (data: { token: string; visitorId: string; conversations: VisitorConversation[] }) => void;
  message: (data: MessageView) => void;
  typing: (data: { conversationId: string; senderKind: 'agent'; isTyping: boolean }) => void;
  'agent:joined': (data: { conversationId: string; agent: { id: string; displayName: string } }) => void;
  'agent:left': (data: { conversationId: string }) => void;
  /**
   * Place in the queue (1 = next) and an estimate from the queue's recent service rate, in seconds;
   * null when there is nothing honest to say (no recent assignments, or nobody able to serve now).
   */
  'queue:position': (data: { conversationId: string; position: number; estimatedWaitSeconds: number | null }) => void;
  'conversation:closed': (data: { conversationId: string }) => void;
  /**
   * Nobody can answer this conversation live now (see OfflineReason). It is kept: the customer may write
   * a message and leave; it is answered when the queue opens or an agent is free, and a kept
   * conversation is not abandoned when the page closes.
   */
  'queue:offline': (data: OfflineNotice) => void;
  /** The agent side has read up to `seq` (`by` is always 'agent' here). */
  read: (data: ReadMark) => void;
}

/**
 * Why nobody can answer a live chat now: `closed` (outside the queue's business hours or a holiday),
 * `no-agents` (nobody able to serve the queue is on, where the queue is set to go offline then),
 * `max-wait` (the customer waited the queue's maximum), `offline-message` (a message left with
 * `offline:message`).
 */
export type OfflineReason = 'closed' | 'no-agents' | 'max-wait' | 'offline-message';

/** Whether the site's queue takes live chats now. */
export interface QueueStatus {
  open: boolean;
  /** Null when open. */
  reason: 'closed' | 'no-agents' | null;
  /** ISO 8601: when the queue next opens, when its business hours say (null when open or unknown). */
  nextOpeningAt: string | null;
}

/** A conversation kept for later: the customer may leave a message and go; staff answer it later. */
export interface OfflineNotice {
  conversationId: string;
  reason: OfflineReason;
  /** ISO 8601, when known (reason `closed`). */
  nextOpeningAt: string | null;
  /** Text to show the customer (also posted in the transcript for `max-wait`). */
  message: string;
}

/** What the widget's "leave a message" form sends. */
export interface OfflineMessageRequest {
  name: string;
  email: string;
  /** 1–4000 characters. */
  message: string;
  /** Idempotency key (up to 100 characters): a retried request stores the message once. */
  clientId?: string;
  /** The site's pre-chat answers, validated as for `conversation:start` when given. */
  prechat?: Record<string, string>;
}
