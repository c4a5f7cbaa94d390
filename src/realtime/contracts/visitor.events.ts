import type { AckCallback, ConversationStatus, MessageAck, MessageView } from './common.js';

/** Namespace `/visitor`. Handshake `auth`: { siteKey: string; token?: string }. */
export const VISITOR_NAMESPACE = '/visitor';

export interface VisitorHandshake {
  siteKey: string;
  /** The token from a previous `session` event, to resume as the same visitor. */
  token?: string;
}

export interface VisitorConversation {
  id: string;
  status: ConversationStatus;
  lastSeq: number;
  queuePosition: number | null;
  agent: { id: string; displayName: string } | null;
}

export interface VisitorClientEvents {
  'conversation:start': (
    req: { prechat?: Record<string, string>; message?: { clientId: string; body: string } },
    ack: AckCallback<{ conversation: VisitorConversation; message: MessageAck | null }>,
  ) => void;
  'message:send': (
    req: { conversationId: string; clientId: string; body: string },
    ack: AckCallback<MessageAck>,
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
}
