import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Actor } from '../conversations/domain/access.js';
import type { WaitingConversation } from '../realtime/contracts/agent.events.js';
import { assign, lockAgentLoad } from './assignment.repository.js';
import { AssignmentNotifier } from './assignment.notifier.js';
import type { Channel } from './domain/capacity.js';

/** Manual-pick queues: agents see who is waiting and take a conversation themselves. */
@Injectable()
export class ManualPickService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notifier: AssignmentNotifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Waiting conversations of the manual-pick queues the agent belongs to, oldest first. */
  async waitingFor(agentId: string): Promise<WaitingConversation[]> {
    const queues: { queue_id: string }[] = await this.db.query(
      `SELECT m.queue_id FROM queue_member m JOIN queue q ON q.id = m.queue_id
        WHERE m.staff_id = $1 AND q.strategy = 'manual'`,
      [agentId],
    );
    const lists = await Promise.all(queues.map((q) => this.notifier.waitingList(q.queue_id)));
    return lists.flat().sort((a, b) => a.enqueuedAt.localeCompare(b.enqueuedAt));
  }

  /**
   * Takes the conversation for the agent: it must still be waiting in a manual-pick queue of theirs and
   * they must be available with a free slot. The row lock makes two agents clicking at once safe: the
   * second finds it taken.
   */
  async pick(actor: Actor, conversationId: string): Promise<void> {
    if (actor.kind !== 'staff') throw new ForbiddenException('Only staff can pick conversations');
    const agentId = actor.staffId;
    const queueId = await this.db.transaction(async (tx) => {
      const rows: { status: string; queue_id: string; channel: Channel; strategy: string; member: boolean }[] = await tx.query(
        `SELECT c.status, c.queue_id, c.channel, q.strategy,
                EXISTS (SELECT 1 FROM queue_member m WHERE m.queue_id = c.queue_id AND m.staff_id = $2) AS member
           FROM conversation c JOIN queue q ON q.id = c.queue_id
          WHERE c.id = $1
            FOR UPDATE OF c`,
        [conversationId, agentId],
      );
      const row = rows[0];
      if (!row) throw new NotFoundException('No such conversation');
      if (!row.member) throw new ForbiddenException('This conversation is in a queue you do not work');
      if (row.strategy !== 'manual') throw new ConflictException('This queue assigns conversations automatically');
      if (row.status !== 'queued') throw new ConflictException('Someone else has taken this conversation');
      const load = await lockAgentLoad(tx, agentId, this.config.routing.wrapUpSeconds);
      if (!load || load.availability !== 'available' || !load.connected) {
        throw new ConflictException('Set yourself available to take conversations');
      }
      if (!load.canTake(row.channel).canTake) throw new ConflictException('You are at capacity');
      await assign(tx, conversationId, row.queue_id, agentId, { type: 'assigned', actorId: agentId, data: { picked: true } });
      return row.queue_id;
    });
    await this.notifier.assigned({ conversationId, queueId, agentId });
    await this.notifier.queueChanged(queueId);
  }
}
