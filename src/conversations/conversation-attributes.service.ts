import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ConversationView } from '../realtime/contracts/common.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { ConversationEvent } from './conversation-event.entity.js';
import { toConversationView } from './conversation-views.js';
import { Conversation } from './conversation.entity.js';
import { canParticipate, isSupervisorOrAdmin, type Actor } from './domain/access.js';
import { editAttributes } from './domain/attribute-edit.js';

/** Staff correcting a conversation's pre-chat or claim attributes; every change is recorded. */
@Injectable()
export class ConversationAttributesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hub: RealtimeHub,
  ) {}

  /** The assigned agent, or a supervisor or admin, sets (or with an empty value removes) attributes. */
  async edit(actor: Actor, conversationId: string, edit: Record<string, unknown>): Promise<ConversationView> {
    const { view, changed } = await this.db.transaction(async (tx) => {
      const current = await tx.findOne(Conversation, {
        where: { id: conversationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw new NotFoundException('No such conversation');
      if (actor.kind !== 'staff' || !(canParticipate(actor, current) || isSupervisorOrAdmin(actor))) {
        throw new ForbiddenException('This conversation is not yours');
      }
      const result = editAttributes(current.attributes, edit);
      if (!result.ok) throw new BadRequestException(result.reason);
      const changed = Object.keys(result.changes).length > 0;
      if (changed) {
        await tx.update(Conversation, { id: current.id }, { attributes: result.attributes });
        await tx.insert(ConversationEvent, {
          conversationId: current.id,
          type: 'attributes-updated',
          queueId: current.queueId,
          agentId: current.agentId,
          actorId: actor.staffId,
          data: { changes: result.changes },
        });
      }
      return {
        view: toConversationView(await tx.findOneByOrFail(Conversation, { id: current.id })),
        changed,
      };
    });
    if (changed) this.hub.conversationChanged(conversationId, 'attributes');
    return view;
  }
}
