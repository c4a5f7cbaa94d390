import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CannedReply } from './canned-reply.entity.js';
import { rankCannedReplies } from './domain/rank-canned-replies.js';

export interface CannedReplyInput {
  shortcut: string;
  title: string;
  body: string;
}

@Injectable()
export class CannedRepliesService {
  constructor(@InjectRepository(CannedReply) private readonly replies: Repository<CannedReply>) {}

  list(): Promise<CannedReply[]> {
    return this.replies.find({ order: { shortcut: 'ASC' } });
  }

  /** The replies an agent's `/text` matches, best first (a team keeps tens to a few hundred). */
  async search(typed: string): Promise<CannedReply[]> {
    return rankCannedReplies(await this.list(), typed);
  }

  async get(id: string): Promise<CannedReply> {
    const reply = await this.replies.findOneBy({ id });
    if (!reply) throw new NotFoundException('No such canned reply');
    return reply;
  }

  async create(input: CannedReplyInput): Promise<CannedReply> {
    const saved = await this.replies.save(this.replies.create(input));
    return this.get(saved.id);
  }

  async update(id: string, changes: Partial<CannedReplyInput>): Promise<CannedReply> {
    await this.get(id);
    if (Object.keys(changes).length > 0) await this.replies.update(id, changes);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const result = await this.replies.delete(id);
    if (!result.affected) throw new NotFoundException('No such canned reply');
  }
}
