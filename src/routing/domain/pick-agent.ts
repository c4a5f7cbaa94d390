import type { AgentCandidate, QueueRule, RoutingStrategy, WaitingConversation } from './routing-types.js';

/** Available, under capacity, and holding every skill the queue asks for. Membership is the caller's filter. */
export function isEligible(agent: AgentCandidate, queue: QueueRule): boolean {
  return (
    agent.availability === 'available' &&
    agent.activeCount < agent.capacity &&
    queue.requiredSkills.every((skill) => (agent.skills[skill] ?? 0) > 0)
  );
}

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
const byId: Comparator = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const STRATEGIES: Record<RoutingStrategy, Comparator[]> = {
  longest_idle: [byLongestIdle, byId],
  least_busy: [byLeastBusy, byLongestIdle, byId],
};

/** Candidates in the order the queue's strategy would offer them work. Deterministic for equal inputs. */
export function rankAgents(queue: QueueRule, candidates: readonly AgentCandidate[]): AgentCandidate[] {
  const comparators = STRATEGIES[queue.strategy];
  return candidates
    .filter((agent) => isEligible(agent, queue))
    .sort((a, b) => {
      for (const compare of comparators) {
        const order = compare(a, b);
        if (order !== 0) return order;
      }
      return 0;
    });
}

export function pickAgent(queue: QueueRule, candidates: readonly AgentCandidate[]): AgentCandidate | null {
  return rankAgents(queue, candidates)[0] ?? null;
}

/** Queue order: higher priority first, then the one waiting longest, then id for a stable order. */
export function compareWaiting(a: WaitingConversation, b: WaitingConversation): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const age = a.enqueuedAt.getTime() - b.enqueuedAt.getTime();
  if (age !== 0) return age;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** 1-based place of each waiting conversation in its queue. */
export function queuePositions(waiting: readonly WaitingConversation[]): Map<string, number> {
  return new Map([...waiting].sort(compareWaiting).map((c, i) => [c.id, i + 1]));
}
