import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ContactsService } from '../contacts/contacts.service.js';
import type { PastConversation } from '../realtime/contracts/visitor.events.js';
import { Conversation } from './conversation.entity.js';
import { isOwnConversation, type Actor } from './domain/access.js';
import { renderTranscript } from './domain/transcript-text.js';
import { Message } from './message.entity.js';
import { MessagesService } from './messages.service.js';

/** What a customer may read of their own past: closed conversations and a downloadable transcript. */
@Injectable()
export class CustomerHistoryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly messages: MessagesService,
    private readonly contacts: ContactsService,
  ) {}

  /** The customer's closed conversations on this site created before `before`, newest first. */
  async past(
    actor: Actor,
    before: Date | null,
    limit: number,
  ): Promise<{ conversations: PastConversation[]; nextBefore: string | null }> {
    if (actor.kind !== 'customer') throw new ForbiddenException('Only customers have a history here');
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM conversation
        WHERE contact_id = $1 AND site_id = $2 AND status = 'closed'
          AND ($3::timestamptz IS NULL OR date_trunc('milliseconds', created_at) < $3::timestamptz)
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [actor.contactId, actor.siteId, before, limit + 1],
    );
    const page = rows.slice(0, limit).map((r) => r.id);
    const conversations = page.length
      ? await this.db
          .getRepository(Conversation)
          .createQueryBuilder('c')
          .whereInIds(page)
          .orderBy('c.created_at', 'DESC')
          .getMany()
      : [];
    const messages = page.length
      ? await this.db
          .getRepository(Message)
          .createQueryBuilder('m')
          .where('m.conversation_id IN (:...page) AND NOT m.internal', { page })
          .orderBy('m.seq', 'ASC')
          .getMany()
      : [];
    const views = await this.messages.views(messages);
    return {
      conversations: conversations.map((c) => ({
        id: c.id,
        status: c.status,
        createdAt: c.createdAt.toISOString(),
        closedAt: c.closedAt ? c.closedAt.toISOString() : null,
        messages: views.filter((m) => m.conversationId === c.id),
      })),
      nextBefore:
        rows.length > limit ? conversations[conversations.length - 1].createdAt.toISOString() : null,
    };
  }

  /** The plain-text transcript of the customer's own conversation; internal notes are left out. */
  async transcriptText(actor: Actor, conversationId: string, siteName: string): Promise<string> {
    const conversation = await this.db.getRepository(Conversation).findOneBy({ id: conversationId });
    if (!conversation) throw new NotFoundException('No such conversation');
    if (!isOwnConversation(actor, conversation))
      throw new ForbiddenException('This conversation is not yours');
    const messages = await this.db.getRepository(Message).find({
      where: { conversationId, internal: false },
      order: { seq: 'ASC' },
    });
    const [views, contact] = await Promise.all([
      this.messages.views(messages),
      this.contacts.view(conversation.contactId),
    ]);
    return renderTranscript({
      siteName,
      conversationId,
      customerName: contact.displayName,
      startedAt: conversation.createdAt,
      closedAt: conversation.closedAt,
      lines: views.map((m) => ({
        createdAt: new Date(m.createdAt),
        senderKind: m.senderKind,
        senderName: m.senderName,
        body: m.body,
        attachments: m.attachments.map((a) => ({ fileName: a.fileName, size: a.size })),
      })),
    });
  }
}
