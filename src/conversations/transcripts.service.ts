import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { ContactsService } from '../contacts/contacts.service.js';
import type { ContactView, ConversationView, MessageView } from '../realtime/contracts/common.js';
import { ConversationEvent } from './conversation-event.entity.js';
import { toConversationView } from './conversation-views.js';
import { Conversation } from './conversation.entity.js';
import { Message } from './message.entity.js';
import { MessagesService } from './messages.service.js';

export interface ConversationWithMessages extends ConversationView {
  messages: MessageView[];
}

export interface SearchHit {
  conversationId: string;
  contactId: string;
  messageId: string;
  seq: number;
  senderKind: string;
  snippet: string;
  createdAt: string;
}

/**
 * Agents read the history of customers they serve or have served, and of conversations in their
 * queues; supervisors and admins read everything.
 */
const AGENT_SCOPE = `(
  c.queue_id IN (SELECT queue_id FROM queue_member WHERE staff_id = $1)
  OR c.contact_id IN (
    SELECT c2.contact_id FROM conversation c2
    WHERE c2.agent_id = $1
       OR c2.id IN (SELECT conversation_id FROM conversation_event WHERE agent_id = $1)
  )
)`;

/** Conversations read per query by an export. */
const EXPORT_BATCH = 100;

const seesAll = (staff: StaffUser) => staff.role === 'supervisor' || staff.role === 'admin';

@Injectable()
export class TranscriptsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly contacts: ContactsService,
    private readonly messages: MessagesService,
  ) {}

  async contactHistory(
    staff: StaffUser,
    contactId: string,
    page: number,
    pageSize: number,
  ): Promise<{ contact: ContactView; conversations: ConversationWithMessages[]; total: number; page: number; pageSize: number }> {
    await this.assertContactVisible(staff, contactId);
    const contact = await this.contacts.view(contactId);
    const [conversations, total] = await this.db.getRepository(Conversation).findAndCount({
      where: { contactId },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    const messages = await this.db.getRepository(Message).find({
      where: { conversationId: In(conversations.map((c) => c.id)) },
      order: { seq: 'ASC' },
    });
    const views = await this.messages.views(messages);
    return {
      contact,
      total,
      page,
      pageSize,
      conversations: conversations.map((c) => ({
        ...toConversationView(c),
        messages: views.filter((m) => m.conversationId === c.id),
      })),
    };
  }

  async transcript(staff: StaffUser, conversationId: string) {
    const conversation = await this.db.getRepository(Conversation).findOneBy({ id: conversationId });
    if (!conversation) throw new NotFoundException('No such conversation');
    await this.assertContactVisible(staff, conversation.contactId);
    return this.whole(conversation);
  }

  /**
   * Every conversation started in [from, to), oldest first, each whole (as `transcript` gives it), for
   * an archive: read in batches of EXPORT_BATCH, each handed to `write` before the next is read.
   * Returns how many there were.
   */
  async exportStarted(
    from: Date,
    to: Date,
    write: (transcript: Awaited<ReturnType<TranscriptsService['whole']>>) => Promise<void>,
  ): Promise<number> {
    // The cursor is the last row's id; its created_at is read back in SQL at full (microsecond) precision.
    let afterId: string | null = null;
    let count = 0;
    for (;;) {
      const batch: Conversation[] = await this.db
        .getRepository(Conversation)
        .createQueryBuilder('c')
        .where('c.created_at >= :from AND c.created_at < :to', { from, to })
        .andWhere(
          afterId ? '(c.created_at, c.id) > (SELECT a.created_at, a.id FROM conversation a WHERE a.id = :afterId)' : 'TRUE',
          { afterId },
        )
        .orderBy('c.created_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(EXPORT_BATCH)
        .getMany();
      for (const conversation of batch) await write(await this.whole(conversation));
      count += batch.length;
      if (batch.length < EXPORT_BATCH) return count;
      afterId = batch[batch.length - 1].id;
    }
  }

  /** The conversation with its contact, every message (notes included) and its history of events. */
  private async whole(conversation: Conversation) {
    const conversationId = conversation.id;
    const [contact, messages, events] = await Promise.all([
      this.contacts.view(conversation.contactId),
      this.db.getRepository(Message).find({ where: { conversationId }, order: { seq: 'ASC' } }),
      this.db.getRepository(ConversationEvent).find({ where: { conversationId }, order: { id: 'ASC' } }),
    ]);
    return {
      conversation: toConversationView(conversation),
      contact,
      messages: await this.messages.views(messages),
      events: events.map((e) => ({
        type: e.type,
        queueId: e.queueId,
        agentId: e.agentId,
        actorId: e.actorId,
        data: e.data,
        createdAt: e.createdAt.toISOString(),
      })),
    };
  }

  /** Full-text search over message bodies (PostgreSQL `websearch_to_tsquery` syntax), newest first. */
  async search(staff: StaffUser, query: string, limit: number): Promise<SearchHit[]> {
    // Supervisors search everything; $1 still names the caller so one statement serves both.
    const scope = seesAll(staff) ? 'AND $1::uuid IS NOT NULL' : `AND ${AGENT_SCOPE}`;
    const rows: {
      conversation_id: string;
      contact_id: string;
      id: string;
      seq: number;
      sender_kind: string;
      snippet: string;
      created_at: Date;
    }[] = await this.db.query(
      `SELECT m.conversation_id, c.contact_id, m.id, m.seq, m.sender_kind, m.created_at,
              ts_headline('simple', m.body, q, 'MaxFragments=1,MaxWords=20,MinWords=5,StartSel="",StopSel=""') AS snippet
         FROM message m
         JOIN conversation c ON c.id = m.conversation_id,
              websearch_to_tsquery('simple', $2) q
        WHERE m.body_tsv @@ q ${scope}
        ORDER BY m.created_at DESC
        LIMIT $3`,
      [staff.id, query, limit],
    );
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      contactId: r.contact_id,
      messageId: r.id,
      seq: r.seq,
      senderKind: r.sender_kind,
      snippet: r.snippet,
      createdAt: r.created_at.toISOString(),
    }));
  }

  private async assertContactVisible(staff: StaffUser, contactId: string): Promise<void> {
    if (seesAll(staff)) return;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM conversation c WHERE c.contact_id = $2 AND ${AGENT_SCOPE} LIMIT 1`,
      [staff.id, contactId],
    );
    if (rows.length === 0) throw new ForbiddenException('This customer is outside your queues');
  }
}
