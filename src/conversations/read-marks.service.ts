import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { canParticipate, type Actor } from './domain/access.js';

/**
 * How far each side has read a conversation: one number per side, only ever moving forward, never past
 * the last message. The other side hears of it only when it moved.
 */
@Injectable()
export class ReadMarksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hub: RealtimeHub,
  ) {}

  /** The customer, or the assigned agent, has read everything up to `seq`. Returns the stored mark. */
  async markRead(actor: Actor, conversationId: string, seq: number): Promise<number> {
    const by = actor.kind === 'customer' ? 'customer' : 'agent';
    const column = by === 'customer' ? 'customer_read_seq' : 'agent_read_seq';
    const rows: {
      contact_id: string;
      site_id: string | null;
      agent_id: string | null;
      status: 'queued' | 'assigned' | 'closed';
    }[] = await this.db.query(
      `SELECT contact_id, site_id, agent_id, status FROM conversation WHERE id = $1`,
      [conversationId],
    );
    const row = rows[0];
    if (!row) throw new NotFoundException('No such conversation');
    const facts = {
      contactId: row.contact_id,
      siteId: row.site_id,
      agentId: row.agent_id,
      status: row.status,
    };
    if (!canParticipate(actor, facts)) throw new ForbiddenException('This conversation is not yours');

    // Only a forward move updates the row (re-checked after a concurrent writer), so each move is
    // announced once however marks race.
    const moved: { mark: number; agent_id: string | null }[] = await this.db.query(
      `WITH moved AS (
         UPDATE conversation SET ${column} = LEAST($2::int, last_seq)
          WHERE id = $1 AND ${column} < LEAST($2::int, last_seq)
          RETURNING ${column} AS mark, agent_id
       )
       SELECT mark, agent_id FROM moved`,
      [conversationId, seq],
    );
    if (moved.length === 0) {
      const [current]: { mark: number }[] = await this.db.query(
        `SELECT ${column} AS mark FROM conversation WHERE id = $1`,
        [conversationId],
      );
      return current.mark;
    }
    const mark = { conversationId, seq: moved[0].mark, by } as const;
    if (by === 'customer') {
      if (moved[0].agent_id) this.hub.toAgent(moved[0].agent_id).emit('read', mark);
    } else {
      this.hub.toConversation(conversationId).emit('read', mark);
    }
    return mark.seq;
  }
}
