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
  'queue:position': (data: { conversationId: string; position: number }) => void;
  'conversation:closed': (data: { conversationId: string }) => void;
}
