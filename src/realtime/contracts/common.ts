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
}

/** Every request event is answered through its acknowledgement with one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };

export type AckCallback<T> = (ack: Ack<T>) => void;

export type Availability = 'available' | 'away' | 'offline';
export type ConversationStatus = 'queued' | 'assigned' | 'closed';
export type SenderKind = 'customer' | 'agent' | 'system';

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
