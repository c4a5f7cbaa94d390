import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ChannelCapacity } from './domain/capacity.js';
import type { Availability } from './domain/routing-types.js';

/** Routing's view of one staff member: availability and how much they can hold. */
@Entity('agent_state')
export class AgentState {
  @PrimaryColumn({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ type: 'text', default: 'offline' })
  availability: Availability;

  /** Has at least one console socket open. Routing offers work only to connected agents. */
  @Column({ type: 'boolean', default: false })
  connected: boolean;

  @Column({ type: 'integer', default: 3 })
  capacity: number;

  /** Limits per channel kind, e.g. `{ web: 3, im: 6 }`; `capacity` stays the overall cap. Null: `capacity` of anything. */
  @Column({ name: 'channel_capacity', type: 'jsonb', nullable: true })
  channelCapacity: ChannelCapacity | null;

  /** Skill name → level (1–5). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  skills: Record<string, number>;

  @Column({ name: 'availability_changed_at', type: 'timestamptz', default: () => 'now()' })
  availabilityChangedAt: Date;

  /** Offers in a row this agent let time out (offer-mode queues); an accept or a decline resets it. */
  @Column({ name: 'missed_offers', type: 'integer', default: 0 })
  missedOffers: number;

  @Column({ name: 'last_assigned_at', type: 'timestamptz', nullable: true })
  lastAssignedAt: Date | null;
}
