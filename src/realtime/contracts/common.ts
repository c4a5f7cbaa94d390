/** Longest message body accepted, in characters. */
export const MESSAGE_MAX_LENGTH = 4000;
/** Longest client id (idempotency key) accepted. */
export const CLIENT_ID_MAX_LENGTH = 100;

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'internal';

export interface AckError {
  code: ErrorCode;
  message: string;
  /** With `rate_limited`: how long until the request may be tried again, in whole seconds. */
  retryAfterSeconds?: number;
}

/** Every request event is answered through its acknowledgement with one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };

export type AckCallback<T> = (ack: Ack<T>) => void;

export type Availability = 'available' | 'away' | 'offline';
export type ConversationStatus = 'queued' | 'assigned' | 'closed';
export type SenderKind = 'customer' | 'agent' | 'system';

/** Most attachments one message may carry. */
export const MESSAGE_MAX_ATTACHMENTS = 10;

/**
 * A file sent with a message. `url` is signed and short-lived (10 minutes by default): fetch a fresh
 * one through `sync` or the history when it has expired. It is root-relative (`/files/…`) unless the
 * server has PUBLIC_URL set; resolve it against the server's address (`new URL(url, serverUrl)`).
 */
export interface AttachmentView {
  id: string;
  fileName: string;
  contentType: string;
  /** Bytes. */
  size: number;
  url: string;
}

export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  senderKind: SenderKind;
  senderId: string | null;
  /** Display name of the sender as the other party should see it. */
  senderName: string | null;
  body: string;
  internal: boolean;
  clientId: string | null;
  createdAt: string;
  /** Files sent with the message, in the order they were attached; empty for most messages. */
  attachments: AttachmentView[];
}

export interface ConversationView {
  id: string;
  contactId: string;
  channel: string;
  status: ConversationStatus;
  queueId: string;
  agentId: string | null;
  priority: number;
  attributes: Record<string, string>;
  disposition: string | null;
  lastSeq: number;
  enqueuedAt: string;
  assignedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  /** Highest seq the customer has marked read (0: none). */
  customerReadSeq: number;
  /** Highest seq the agent side has marked read (0: none). */
  agentReadSeq: number;
}

/** A read mark: the reader (`by`) has read every message up to and including `seq`. */
export interface ReadMark {
  conversationId: string;
  seq: number;
  by: 'customer' | 'agent';
}

export interface ContactView {
  id: string;
  displayName: string | null;
  email: string | null;
  phone: string | null;
  identities: { channel: string; externalId: string }[];
}

export interface MessageAck {
  id: string;
  seq: number;
  createdAt: string;
}
