import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChannelKind } from '../contacts/contact.entity.js';
import type { ConversationStatus } from './domain/conversation-state.js';

@Entity('conversation')
export class Conversation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @Column({ name: 'site_id', type: 'uuid', nullable: true })
  siteId: string | null;

  @Column({ type: 'text' })
  channel: ChannelKind;

  @Column({ type: 'text' })
  status: ConversationStatus;

  @Column({ name: 'queue_id', type: 'uuid' })
  queueId: string;

  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId: string | null;

  @Column({ type: 'integer', default: 0 })
  priority: number;

  /** Pre-chat answers and other facts about the case (policy number, claim type…). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  attributes: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  disposition: string | null;

  /** Highest message seq handed out; the next message gets last_seq + 1. */
  @Column({ name: 'last_seq', type: 'integer', default: 0 })
  lastSeq: number;

  /** Position in the queue: older first. Kept on requeue so a returned chat goes to the front. */
  @Column({ name: 'enqueued_at', type: 'timestamptz' })
  enqueuedAt: Date;

  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
