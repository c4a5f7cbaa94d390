import type { AttachmentView, ConversationView, MessageView } from '../realtime/contracts/common.js';
import type { Conversation } from './conversation.entity.js';
import type { Message } from './message.entity.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toConversationView(c: Conversation): ConversationView {
  return {
    id: c.id,
    contactId: c.contactId,
    channel: c.channel,
    status: c.status,
    queueId: c.queueId,
    agentId: c.agentId,
    priority: c.priority,
    attributes: c.attributes,
    disposition: c.disposition,
    lastSeq: c.lastSeq,
    enqueuedAt: c.enqueuedAt.toISOString(),
    assignedAt: iso(c.assignedAt),
    closedAt: iso(c.closedAt),
    createdAt: c.createdAt.toISOString(),
    customerReadSeq: c.customerReadSeq,
    agentReadSeq: c.agentReadSeq,
  };
}

export function toMessageView(m: Message, senderName: string | null, attachments: AttachmentView[] = []): MessageView {
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    senderKind: m.senderKind,
    senderId: m.senderId,
    senderName,
    body: m.body,
    internal: m.internal,
    clientId: m.clientId,
    createdAt: m.createdAt.toISOString(),
    attachments,
  };
}
