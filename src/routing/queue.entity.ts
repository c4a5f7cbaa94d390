import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RoutingStrategy } from './domain/routing-types.js';

@Entity('queue')
export class Queue {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text', default: 'longest_idle' })
  strategy: RoutingStrategy;

  @Column({ name: 'required_skills', type: 'text', array: true, default: () => `'{}'` })
  requiredSkills: string[];

  @Column({ name: 'sla_target_seconds', type: 'integer', default: 60 })
  slaTargetSeconds: number;

  /** round_robin's cursor: the agent who got this queue's previous assignment. */
  @Column({ name: 'last_assigned_agent_id', type: 'uuid', nullable: true, select: false })
  lastAssignedAgentId: string | null;

  /** Higher runs first when an agent serves several queues. */
  @Column({ type: 'integer', default: 0 })
  priority: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('queue_member')
export class QueueMember {
  @PrimaryColumn({ name: 'queue_id', type: 'uuid' })
  queueId: string;

  @PrimaryColumn({ name: 'staff_id', type: 'uuid' })
  staffId: string;
}
