import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('conversation_event')
export class ConversationEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  @Column({ type: 'text' })
  type: ConversationEventType;

  @Column({ name: 'queue_id', type: 'uuid', nullable: true })
  queueId: string | null;

  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId: string | null;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  data: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export type ConversationEventType =
  | 'queued'
  | 'offered'
  | 'offer-declined'
  | 'offer-timeout'
  /** An open offer taken back: the agent went away or offline, or the conversation left the queue. */
  | 'offer-withdrawn'
  | 'assigned'
  | 'requeued'
  | 'transferred'
  | 'abandoned'
  /** SLA escalation: `data.action` is `priority-bump` (`by`) or `overflow` (`fromQueueId`, `toQueueId`). */
  | 'escalated'
  /** Kept for later, the customer told nobody can answer live now: `data.reason` (OfflineReason). */
  | 'offline'
  | 'closed'
  /** The customer's rating of a closed conversation: data { score: 1–5, comment? }, agent_id who held it. */
  | 'csat'
  /** Staff changed the conversation's attributes: data { changes: { [name]: { from, to } } } (null: absent). */
  | 'attributes-updated';
