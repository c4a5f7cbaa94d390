import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
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
>;

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
    const saved = await this.queues.save(this.queues.create(input));
    return this.get(saved.id);
  }

  async update(id: string, changes: Partial<QueueInput>): Promise<Queue> {
    const queue = await this.get(id);
    if (changes.name && changes.name !== queue.name && (await this.queues.existsBy({ name: changes.name }))) {
      throw new ConflictException(`A queue named ${changes.name} exists`);
    }
    await this.queues.update(id, changes);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    const [{ used }]: { used: boolean }[] = await this.queues.query(
      `SELECT (EXISTS (SELECT 1 FROM conversation WHERE queue_id = $1)
            OR EXISTS (SELECT 1 FROM site WHERE default_queue_id = $1)) AS used`,
      [id],
    );
    if (used) throw new ConflictException('The queue has conversations or is a site default; it cannot be deleted');
    await this.queues.delete(id);
  }
}
