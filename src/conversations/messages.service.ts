import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import { StaffService } from '../auth/staff.service.js';
import type { MessageAck, MessageView } from '../realtime/contracts/common.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { toMessageView } from './conversation-views.js';
import { Conversation } from './conversation.entity.js';
import { canParticipate, isSupervisorOrAdmin, type Actor } from './domain/access.js';
import { Message } from './message.entity.js';

export interface NewMessage {
  conversationId: string;
  body: string;
  clientId: string | null;
  internal?: boolean;
}

const HISTORY_PAGE = 500;

/** Messages: stored with a gapless per-conversation seq before anyone is told, then fanned out. */
@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hub: RealtimeHub,
    private readonly staff: StaffService,
  ) {}

  async send(actor: Actor, input: NewMessage): Promise<MessageAck> {
    if (input.internal && actor.kind !== 'staff') throw new ForbiddenException('Only staff can write internal notes');
    const result = await this.db.transaction((tx) => this.store(tx, actor, input));
    if (result.created) await this.fanOut(result.message, result.agentId);
    return { id: result.message.id, seq: result.message.seq, createdAt: result.message.createdAt.toISOString() };
  }

  /** A system notice in the transcript (e.g. "the agent left"), visible to both sides. */
  async notice(conversationId: string, body: string): Promise<void> {
    const result = await this.db.transaction((tx) => this.store(tx, null, { conversationId, body, clientId: null }));
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
    return messages.map((m) => toMessageView(m, m.senderId ? (names.get(m.senderId) ?? null) : null));
  }

  private async store(
    tx: EntityManager,
    actor: Actor | null,
    input: NewMessage,
  ): Promise<{ message: Message; created: boolean; agentId: string | null }> {
    // The row lock serialises writers of one conversation: seq stays gapless and a retried client id is seen.
    const conversation = await tx.findOne(Conversation, {
      where: { id: input.conversationId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!conversation) throw new NotFoundException('No such conversation');
    if (actor && !canParticipate(actor, conversation) && !isSupervisorOrAdmin(actor)) {
      throw new ForbiddenException('This conversation is not yours');
    }
    const senderKind = actor === null ? 'system' : actor.kind === 'customer' ? 'customer' : 'agent';
    const senderId = actor?.kind === 'staff' ? actor.staffId : null;
    if (input.clientId) {
      // A client id is the sender's idempotency key: the same sender retrying gets the original ack.
      const existing = await tx.findOneBy(Message, { conversationId: conversation.id, senderKind, clientId: input.clientId });
      if (existing && existing.senderId !== senderId) throw new ConflictException('That clientId was already used by another sender');
      if (existing) return { message: existing, created: false, agentId: conversation.agentId };
    }
    if (conversation.status === 'closed') throw new ConflictException('This conversation is closed');

    const seq = conversation.lastSeq + 1;
    await tx.update(Conversation, { id: conversation.id }, { lastSeq: seq });
    const message = await tx.save(
      tx.create(Message, {
        conversationId: conversation.id,
        seq,
        senderKind,
        senderId,
        body: input.body,
        clientId: input.clientId,
        internal: input.internal ?? false,
      }),
    );
    return { message, created: true, agentId: conversation.agentId };
  }

  private async fanOut(message: Message, agentId: string | null): Promise<void> {
    const [view] = await this.views([message]);
    if (!message.internal) this.hub.toConversation(message.conversationId).emit('message', view);
    if (agentId) this.hub.toAgent(agentId).emit('message', view);
  }
}
