import type { CapacityKind } from './capacity.js';

export const ROUTING_STRATEGIES = ['longest_idle', 'least_busy', 'round_robin', 'manual'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

export const AVAILABILITIES = ['available', 'away', 'offline'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** An agent as the router sees them at one instant. */
export interface AgentCandidate {
  id: string;
  availability: Availability;
  capacity: number;
  activeCount: number;
  skills: Record<string, number>;
  /** When they last got a conversation; null if never. */
  lastAssignedAt: Date | null;
  /** When their availability last changed (e.g. became available). */
  availabilityChangedAt: Date;
  /**
   * Kinds of conversation (live web, messaging) they can take one more of now, per-kind limits and
   * wrap-up included (capacity.ts). Absent: `activeCount < capacity` decides for every kind.
   */
  freeKinds?: readonly CapacityKind[];
}

export interface QueueRule {
  id: string;
  strategy: RoutingStrategy;
  requiredSkills: string[];
}
