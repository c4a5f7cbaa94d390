import type { AgentCandidate, QueueRule } from './routing-types.js';

/**
 * Available, under capacity, and holding every skill the queue asks for (at any level; levels and
 * relaxation are skills.ts's). Membership of the queue is the caller's filter.
 */
export function isEligible(agent: AgentCandidate, queue: QueueRule): boolean {
  return (
    agent.availability === 'available' &&
    agent.activeCount < agent.capacity &&
    queue.requiredSkills.every((skill) => (agent.skills[skill] ?? 0) > 0)
  );
}
