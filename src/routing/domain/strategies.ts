import { ROUTING_STRATEGIES, type AgentCandidate } from './routing-types.js';

/** Every strategy the router can rank by (the queue table's CHECK constraint lists the same names). */
export const ALL_STRATEGIES = ROUTING_STRATEGIES;
export type Strategy = (typeof ALL_STRATEGIES)[number];

export function isStrategy(value: string): value is Strategy {
  return (ALL_STRATEGIES as readonly string[]).includes(value);
}

/** What a strategy may know about the queue beyond its candidates. */
export interface QueueContext {
  /** round_robin's cursor: the agent who got this queue's previous assignment; null if none yet. */
  lastAssignedAgentId: string | null;
}

export const NO_PREVIOUS_ASSIGNMENT: QueueContext = { lastAssignedAgentId: null };

/**
 * The moment an agent became idle: their last assignment, or when they became available if that is later.
 * An agent back from a break has not been waiting for work during the break.
 */
export function idleSince(agent: AgentCandidate): number {
  const assigned = agent.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return Math.max(assigned, agent.availabilityChangedAt.getTime());
}

type Comparator = (a: AgentCandidate, b: AgentCandidate) => number;

const byLongestIdle: Comparator = (a, b) => idleSince(a) - idleSince(b);
const byLeastBusy: Comparator = (a, b) => a.activeCount - b.activeCount;
// Code-unit order, not localeCompare: the order must not depend on the server's ICU locale.
const byId: Comparator = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function sortBy(candidates: readonly AgentCandidate[], comparators: readonly Comparator[]): AgentCandidate[] {
  return [...candidates].sort((a, b) => {
    for (const compare of comparators) {
      const order = compare(a, b);
      if (order !== 0) return order;
    }
    return 0;
  });
}

/**
 * Agents in id order, starting with the first one after the previous assignee. Compares ids rather than
 * looking the previous assignee up, so the turn still moves on when that agent has since gone offline.
 */
function roundRobin(candidates: readonly AgentCandidate[], previous: string | null): AgentCandidate[] {
  const inIdOrder = sortBy(candidates, [byId]);
  if (previous === null) return inIdOrder;
  const next = inIdOrder.findIndex((agent) => agent.id > previous);
  if (next <= 0) return inIdOrder; // everyone sorts at or before the cursor: wrap to the start
  return [...inIdOrder.slice(next), ...inIdOrder.slice(0, next)];
}

/**
 * Candidates in the order the strategy would offer them the conversation; empty for `manual`, where a
 * supervisor or agent picks conversations by hand and the router never assigns.
 *
 * Candidates must already be eligible (available, skilled enough, under capacity: see skills.ts and
 * capacity.ts). Deterministic: the same candidates in any order give the same ranking; the caller's array
 * is left untouched.
 *
 * `now` is the routing instant. Today's strategies order by recorded timestamps only, so none reads it;
 * it is part of the signature so a time-dependent strategy can be added without changing callers.
 */
export function rank(
  strategy: Strategy,
  queue: QueueContext,
  candidates: readonly AgentCandidate[],
  _now?: Date,
): AgentCandidate[] {
  switch (strategy) {
    case 'longest_idle':
      return sortBy(candidates, [byLongestIdle, byId]);
    case 'least_busy':
      return sortBy(candidates, [byLeastBusy, byLongestIdle, byId]);
    case 'round_robin':
      return roundRobin(candidates, queue.lastAssignedAgentId);
    case 'manual':
      return [];
  }
}
