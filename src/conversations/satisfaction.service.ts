import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ConversationEvent } from './conversation-event.entity.js';
import { Conversation } from './conversation.entity.js';
import { isOwnConversation, type Actor } from './domain/access.js';

export interface Rating {
  score: number;
  comment?: string;
}

/**
 * Customer satisfaction (CSAT): the customer rates their own closed conversation once. The rating is a
 * `csat` conversation event for the queue it was closed in and the agent who held it, which the
 * reports average.
 */
@Injectable()
export class SatisfactionService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async rate(actor: Actor, conversationId: string, rating: Rating): Promise<void> {
    await this.db.transaction(async (tx) => {
      const conversation = await tx.findOne(Conversation, {
        where: { id: conversationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!conversation) throw new NotFoundException('No such conversation');
      if (!isOwnConversation(actor, conversation))
        throw new ForbiddenException('This conversation is not yours');
      if (conversation.status !== 'closed')
        throw new ConflictException('Only a closed conversation can be rated');
      const closed = await tx.findOne(ConversationEvent, {
        where: { conversationId, type: 'closed' },
        order: { id: 'DESC' },
      });
      const rated = await tx.existsBy(ConversationEvent, { conversationId, type: 'csat' });
      if (rated) throw new ConflictException('This conversation has already been rated');
      await tx.insert(ConversationEvent, {
        conversationId,
        type: 'csat',
        queueId: closed?.queueId ?? conversation.queueId,
        agentId: closed?.agentId ?? null,
        data: { score: rating.score, ...(rating.comment ? { comment: rating.comment } : {}) },
      });
    });
  }
}
