import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { BusinessHours } from './domain/business-hours.js';
import type { PriorityAging } from './domain/priority.js';
import type { RoutingStrategy } from './domain/routing-types.js';
import type { Escalation } from './domain/sla.js';
import type { AnswerRule, RelaxationStep } from './domain/skills.js';

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

  /** Preferred minimum level per required skill; a skill not listed is needed at any level. */
  @Column({ name: 'skill_levels', type: 'jsonb', default: () => `'{}'` })
  skillLevels: Record<string, number>;

  /** After how long a waiting conversation's skill requirement loosens, and to what. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  relaxation: RelaxationStep[];

  /** Pre-chat answers that add a skill requirement (claim type Home → home-claims level 2). */
  @Column({ name: 'answer_rules', type: 'jsonb', default: () => `'[]'` })
  answerRules: AnswerRule[];

  /** Waiting conversations gain priority with time, up to a cap; null: no aging. */
  @Column({ name: 'priority_aging', type: 'jsonb', nullable: true })
  priorityAging: PriorityAging | null;

  /** A returning customer goes first to their last agent if that conversation ended this recently; 0: off. */
  @Column({ name: 'sticky_window_seconds', type: 'integer', default: 0 })
  stickyWindowSeconds: number;

  /** Offer mode: each conversation is offered to one agent, who has this long to accept; null or 0: assign directly. */
  @Column({ name: 'offer_timeout_seconds', type: 'integer', nullable: true })
  offerTimeoutSeconds: number | null;

  /** In offer mode, an agent who lets this many offers in a row time out is set away; 0: never. */
  @Column({ name: 'missed_offers_before_away', type: 'integer', default: 3 })
  missedOffersBeforeAway: number;

  /** After this wait a conversation is escalated once (see `escalation`); null: never. */
  @Column({ name: 'escalate_after_seconds', type: 'integer', nullable: true })
  escalateAfterSeconds: number | null;

  /** What escalation does: raise the conversation's priority, or move it to an overflow queue. */
  @Column({ type: 'jsonb', nullable: true })
  escalation: Escalation | null;

  /** After this wait the customer is told and may leave a message; the conversation is kept. Null: never. */
  @Column({ name: 'max_wait_seconds', type: 'integer', nullable: true })
  maxWaitSeconds: number | null;

  /** Opening hours and holidays in a time zone; null: always open. */
  @Column({ name: 'business_hours', type: 'jsonb', nullable: true })
  businessHours: BusinessHours | null;

  /** Offline mode also while no member is available and connected (customers are told and kept). */
  @Column({ name: 'offline_when_no_agents', type: 'boolean', default: false })
  offlineWhenNoAgents: boolean;

  /** Seconds after a close before the agent's slot frees; null: the deployment's WRAP_UP_SECONDS. */
  @Column({ name: 'wrap_up_seconds', type: 'integer', nullable: true })
  wrapUpSeconds: number | null;

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
