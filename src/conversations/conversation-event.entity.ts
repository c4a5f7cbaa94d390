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
  | 'assigned'
  | 'requeued'
  | 'transferred'
  | 'abandoned'
  | 'closed';
