import type { AgentCandidate, QueueRule, WaitingConversation } from './routing-types.js';
import { NO_PREVIOUS_ASSIGNMENT, rank } from './strategies.js';

// idleSince moved to strategies.ts with the comparators that use it; re-exported for existing callers.
export { idleSince } from './strategies.js';

/** Available, under capacity, and holding every skill the queue asks for. Membership is the caller's filter. */
export function isEligible(agent: AgentCandidate, queue: QueueRule): boolean {
  return (
    agent.availability === 'available' &&
    agent.activeCount < agent.capacity &&
    queue.requiredSkills.every((skill) => (agent.skills[skill] ?? 0) > 0)
  );
}

/** Candidates in the order the queue's strategy would offer them work. Deterministic for equal inputs. */
export function rankAgents(queue: QueueRule, candidates: readonly AgentCandidate[]): AgentCandidate[] {
  return rank(
    queue.strategy,
    NO_PREVIOUS_ASSIGNMENT,
    candidates.filter((agent) => isEligible(agent, queue)),
  );
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
