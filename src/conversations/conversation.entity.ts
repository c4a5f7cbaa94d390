import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChannelKind } from '../contacts/contact.entity.js';
import type { ConversationStatus } from './domain/conversation-state.js';
import type { OfflineReason } from '../routing/domain/offline-mode.js';

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

  /** Highest seq the customer has marked read. */
  @Column({ name: 'customer_read_seq', type: 'integer', default: 0 })
  customerReadSeq: number;

  /** Highest seq the agent side has marked read. */
  @Column({ name: 'agent_read_seq', type: 'integer', default: 0 })
  agentReadSeq: number;

  /** Position in the queue: older first. Kept on requeue so a returned chat goes to the front. */
  @Column({ name: 'enqueued_at', type: 'timestamptz' })
  enqueuedAt: Date;

  /** When the queue's SLA escalation happened (once: an overflowed conversation is not escalated again). */
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  /**
   * When the customer was told nobody can answer now and the conversation was kept for later (outside
   * business hours, no agents, the maximum wait passed, or a message left offline); null while live.
   */
  @Column({ name: 'offline_at', type: 'timestamptz', nullable: true })
  offlineAt: Date | null;

  @Column({ name: 'offline_reason', type: 'text', nullable: true })
  offlineReason: OfflineReason | null;

  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
