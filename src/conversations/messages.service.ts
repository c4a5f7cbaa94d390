import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import { FileLinks, type AttachmentSummary } from '../attachments/file-links.js';
import { StaffService } from '../auth/staff.service.js';
import { ChannelOutbound } from '../channels/delivery/channel-outbound.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { MessageAck, MessageView } from '../realtime/contracts/common.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { toMessageView } from './conversation-views.js';
import { canParticipate, isSupervisorOrAdmin, type Actor } from './domain/access.js';
import type { ConversationStatus } from './domain/conversation-state.js';
import { Message, type SenderKind } from './message.entity.js';

export interface NewMessage {
  conversationId: string;
  body: string;
  clientId: string | null;
  internal?: boolean;
  /** Files uploaded beforehand by the same sender into the same conversation, not yet sent. */
  attachmentIds?: string[];
}

const HISTORY_PAGE = 500;

interface LockedRow {
  status: ConversationStatus;
  agent_id: string | null;
  contact_id: string;
  site_id: string | null;
  m_id: string | null;
  m_seq: number;
  m_sender_id: string | null;
  m_body: string;
  m_internal: boolean;
  m_created_at: Date;
  m_attachments: AttachmentSummary[] | null;
  channel: string;
}

/** Website chats never go through a messaging network's delivery. */
const WEB_CHANNEL = 'web';

/** Messages: stored with a gapless per-conversation seq before anyone is told, then fanned out. */
@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hub: RealtimeHub,
    private readonly staff: StaffService,
    private readonly metrics: MetricsService,
    private readonly links: FileLinks,
    /** Messaging-network conversations: window check before, delivery queue after (absent in web-only setups). */
    @Optional() private readonly channels?: ChannelOutbound,
  ) {}

  async send(actor: Actor, input: NewMessage): Promise<MessageAck> {
    if (input.internal && actor.kind !== 'staff') throw new ForbiddenException('Only staff can write internal notes');
    if (input.body.length === 0 && (input.attachmentIds ?? []).length === 0) {
      throw new BadRequestException('body must not be empty unless the message has attachments');
    }
    const result = await this.db.transaction((tx) => this.store(tx, actor, input));
    if (result.created) {
      this.metrics.messageStored(result.message.senderKind);
      await this.fanOut(result.message, result.agentId, actor);
      if (actor.kind === 'staff' && result.channel !== WEB_CHANNEL) await this.channels?.afterAgentMessage(result.message);
    }
    return { id: result.message.id, seq: result.message.seq, createdAt: result.message.createdAt.toISOString() };
  }

  /**
   * A system notice in the transcript (e.g. "the agent left"), visible to both sides. With a `clientId`
   * it is stored once: a retried job that posts it again neither duplicates nor re-broadcasts it.
   */
  async notice(conversationId: string, body: string, clientId: string | null = null): Promise<void> {
    const result = await this.db.transaction((tx) => this.store(tx, null, { conversationId, body, clientId }));
    if (!result.created) return;
    this.metrics.messageStored('system');
    await this.fanOut(result.message, result.agentId);
  }

  /** Messages after `afterSeq`, oldest first; customers never see internal notes. */
  async history(conversationId: string, afterSeq: number, includeInternal: boolean): Promise<MessageView[]> {
    const messages = await this.db.getRepository(Message).find({
      where: { conversationId, seq: MoreThan(afterSeq), ...(includeInternal ? {} : { internal: false }) },
      order: { seq: 'ASC' },
      take: HISTORY_PAGE,
    });
    return this.views(messages);
  }

  async views(messages: Message[]): Promise<MessageView[]> {
    const names = await this.staff.displayNames([
      ...new Set(messages.filter((m) => m.senderKind === 'agent' && m.senderId).map((m) => m.senderId as string)),
    ]);
    const now = Date.now();
    return messages.map((m) =>
      toMessageView(
        m,
        m.senderId ? (names.get(m.senderId) ?? null) : null,
        m.attachments.map((a) => this.links.view(a, now)),
      ),
    );
  }

  private async store(
    tx: EntityManager,
    actor: Actor | null,
    input: NewMessage,
  ): Promise<{ message: Message; created: boolean; agentId: string | null; channel: string }> {
    const senderKind: SenderKind = actor === null ? 'system' : actor.kind === 'customer' ? 'customer' : 'agent';
    const senderId = actor?.kind === 'staff' ? actor.staffId : null;
    // The row lock serialises writers of one conversation: seq stays gapless and a retried client id is
    // seen. The same statement looks the client id up (it is the sender's idempotency key).
    const rows: LockedRow[] = await tx.query(
      `SELECT c.status, c.agent_id, c.contact_id, c.site_id, c.channel,
              m.id AS m_id, m.seq AS m_seq, m.sender_id AS m_sender_id, m.body AS m_body,
              m.internal AS m_internal, m.created_at AS m_created_at, m.attachments AS m_attachments
         FROM conversation c
         LEFT JOIN message m ON m.conversation_id = c.id AND m.sender_kind = $2 AND m.client_id = $3
        WHERE c.id = $1
          FOR UPDATE OF c`,
      [input.conversationId, senderKind, input.clientId],
    );
    const row = rows[0];
    if (!row) throw new NotFoundException('No such conversation');
    const facts = { contactId: row.contact_id, siteId: row.site_id, agentId: row.agent_id, status: row.status };
    if (actor && !canParticipate(actor, facts) && !isSupervisorOrAdmin(actor)) {
      throw new ForbiddenException('This conversation is not yours');
    }
    const base = { conversationId: input.conversationId, senderKind, clientId: input.clientId };
    if (row.m_id) {
      if (row.m_sender_id !== senderId) throw new ConflictException('That clientId was already used by another sender');
      const existing = { ...base, attachments: row.m_attachments ?? [], id: row.m_id, seq: row.m_seq, senderId, body: row.m_body, internal: row.m_internal, createdAt: row.m_created_at };
      return { message: existing, created: false, agentId: row.agent_id, channel: row.channel };
    }
    if (row.status === 'closed') throw new ConflictException('This conversation is closed');

    const internal = input.internal ?? false;
    // A messaging network may refuse free-form replies (its messaging window) or files: asked before storing.
    if (senderKind === 'agent' && row.channel !== WEB_CHANNEL) await this.channels?.beforeAgentMessage(input.conversationId, internal, input.attachmentIds?.length ?? 0);
    const attachments = actor ? await this.claimableAttachments(tx, actor, input) : [];
    const [inserted]: { id: string; seq: number; created_at: Date }[] = await tx.query(
      `WITH next AS (
         UPDATE conversation SET last_seq = last_seq + 1, updated_at = now() WHERE id = $1 RETURNING last_seq
       )
       INSERT INTO message (conversation_id, seq, sender_kind, sender_id, body, client_id, internal, attachments)
       SELECT $1, next.last_seq, $2, $3, $4, $5, $6, $7::jsonb FROM next
       RETURNING id, seq, created_at`,
      [input.conversationId, senderKind, senderId, input.body, input.clientId, internal, JSON.stringify(attachments)],
    );
    if (attachments.length > 0) {
      await tx.query(`UPDATE attachment SET message_id = $1 WHERE id = ANY($2::uuid[])`, [
        inserted.id,
        attachments.map((a) => a.id),
      ]);
    }
    const message = { ...base, attachments, id: inserted.id, seq: inserted.seq, senderId, body: input.body, internal, createdAt: inserted.created_at };
    return { message, created: true, agentId: row.agent_id, channel: row.channel };
  }

  /**
   * The files named by `attachmentIds`, locked: each must have been uploaded by this sender into this
   * conversation and not sent yet. Someone else's file is reported as missing, so ids reveal nothing.
   */
  private async claimableAttachments(tx: EntityManager, actor: Actor, input: NewMessage): Promise<AttachmentSummary[]> {
    const ids = [...new Set(input.attachmentIds ?? [])];
    if (ids.length === 0) return [];
    const uploaderKind = actor.kind === 'customer' ? 'customer' : 'agent';
    const uploaderId = actor.kind === 'customer' ? actor.contactId : actor.staffId;
    const rows: { id: string; file_name: string; content_type: string; size: number; message_id: string | null }[] =
      await tx.query(
        `SELECT id, file_name, content_type, size, message_id FROM attachment
          WHERE id = ANY($1::uuid[]) AND conversation_id = $2 AND uploader_kind = $3 AND uploader_id = $4
            FOR UPDATE`,
        [ids, input.conversationId, uploaderKind, uploaderId],
      );
    const found = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw new NotFoundException(`No such attachment of yours in this conversation: ${missing.join(', ')}`);
    const sent = rows.filter((r) => r.message_id !== null);
    if (sent.length > 0) throw new ConflictException(`Already sent with another message: ${sent.map((r) => r.id).join(', ')}`);
    return ids.map((id) => {
      const r = found.get(id) as (typeof rows)[number];
      return { id: r.id, name: r.file_name, contentType: r.content_type, size: r.size };
    });
  }

  private async fanOut(message: Message, agentId: string | null, actor: Actor | null = null): Promise<void> {
    // The sender's name is at hand when staff write; only other cases need a lookup.
    const [view] =
      actor?.kind === 'staff' && actor.displayName !== undefined
        ? [toMessageView(message, actor.displayName, message.attachments.map((a) => this.links.view(a)))]
        : await this.views([message]);
    if (!message.internal) this.hub.toConversation(message.conversationId).emit('message', view);
    if (agentId) this.hub.toAgent(agentId).emit('message', view);
    this.hub.conversationChanged(message.conversationId, 'message');
  }
}
