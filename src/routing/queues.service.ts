import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Queue } from './queue.entity.js';

export type QueueInput = Pick<
  Queue,
  | 'name'
  | 'strategy'
  | 'requiredSkills'
  | 'slaTargetSeconds'
  | 'priority'
  | 'skillLevels'
  | 'relaxation'
  | 'answerRules'
  | 'priorityAging'
  | 'stickyWindowSeconds'
  | 'offerTimeoutSeconds'
  | 'missedOffersBeforeAway'
  | 'escalateAfterSeconds'
  | 'escalation'
  | 'maxWaitSeconds'
  | 'businessHours'
  | 'offlineWhenNoAgents'
  | 'wrapUpSeconds'
>;

/** Settings a queue always has (the others take `null` for "none"). */
const NOT_NULL = [
  'name',
  'strategy',
  'requiredSkills',
  'slaTargetSeconds',
  'priority',
  'skillLevels',
  'relaxation',
  'answerRules',
  'stickyWindowSeconds',
  'missedOffersBeforeAway',
  'offlineWhenNoAgents',
] as const satisfies readonly (keyof QueueInput)[];

@Injectable()
export class QueuesService {
  constructor(@InjectRepository(Queue) private readonly queues: Repository<Queue>) {}

  list(): Promise<Queue[]> {
    return this.queues.find({ order: { name: 'ASC' } });
  }

  async get(id: string): Promise<Queue> {
    const queue = await this.queues.findOneBy({ id });
    if (!queue) throw new NotFoundException('No such queue');
    return queue;
  }

  findByName(name: string): Promise<Queue | null> {
    return this.queues.findOneBy({ name });
  }

  async create(input: Partial<QueueInput> & { name: string }): Promise<Queue> {
    if (await this.queues.existsBy({ name: input.name })) throw new ConflictException(`A queue named ${input.name} exists`);
    await this.assertServiceLevels(null, input);
    const saved = await this.queues.save(this.queues.create(input));
    return this.get(saved.id);
  }

  async update(id: string, changes: Partial<QueueInput>): Promise<Queue> {
    // A PATCH body's fields are all optional, which lets `null` through validation: refuse it where the
    // setting cannot be empty, rather than failing in the database.
    const cleared = NOT_NULL.filter((key) => changes[key] === null);
    if (cleared.length > 0) throw new BadRequestException(`${cleared.join(', ')} cannot be null`);
    const queue = await this.get(id);
    if (changes.name && changes.name !== queue.name && (await this.queues.existsBy({ name: changes.name }))) {
      throw new ConflictException(`A queue named ${changes.name} exists`);
    }
    await this.assertServiceLevels(id, { ...queue, ...changes });
    await this.queues.update(id, changes);
    return this.get(id);
  }

  /** An escalation needs its wait, and an overflow queue must exist and be another queue. */
  private async assertServiceLevels(id: string | null, queue: Partial<QueueInput>): Promise<void> {
    if (queue.escalation && (queue.escalateAfterSeconds === null || queue.escalateAfterSeconds === undefined)) {
      throw new BadRequestException('escalation needs escalateAfterSeconds');
    }
    if (queue.escalation?.kind !== 'overflow') return;
    if (queue.escalation.toQueueId === id) throw new BadRequestException('A queue cannot overflow to itself');
    if (!(await this.queues.existsBy({ id: queue.escalation.toQueueId }))) {
      throw new BadRequestException('The overflow queue does not exist');
    }
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    const [{ used }]: { used: boolean }[] = await this.queues.query(
      `SELECT (EXISTS (SELECT 1 FROM conversation WHERE queue_id = $1)
            OR EXISTS (SELECT 1 FROM site WHERE default_queue_id = $1)) AS used`,
      [id],
    );
    if (used) throw new ConflictException('The queue has conversations or is a site default; it cannot be deleted');
    const overflowing: { name: string }[] = await this.queues.query(
      `SELECT name FROM queue WHERE escalation->>'kind' = 'overflow' AND escalation->>'toQueueId' = $1::text`,
      [id],
    );
    if (overflowing.length > 0) {
      throw new ConflictException(`Queue ${overflowing[0].name} overflows to this queue; change that first`);
    }
    await this.queues.delete(id);
  }
}
