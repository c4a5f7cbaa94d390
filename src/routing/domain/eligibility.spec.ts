import { isEligible } from './eligibility.js';
import { idleSince } from './strategies.js';
import type { AgentCandidate, QueueRule, RoutingStrategy } from './routing-types.js';

const T0 = Date.parse('2025-06-02T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function agent(id: string, overrides: Partial<AgentCandidate> = {}): AgentCandidate {
  return {
    id,
    availability: 'available',
    capacity: 3,
    activeCount: 0,
    skills: {},
    lastAssignedAt: null,
    availabilityChangedAt: at(0),
    ...overrides,
  };
}

function queue(strategy: RoutingStrategy, requiredSkills: string[] = []): QueueRule {
  return { id: 'q-1', strategy, requiredSkills };
}

describe('isEligible', () => {
  const claims = queue('longest_idle', ['claims']);

  it('takes an available agent under capacity who has every required skill', () => {
    expect(isEligible(agent('a', { skills: { claims: 1 }, activeCount: 2, capacity: 3 }), claims)).toBe(true);
  });

  it.each(['away', 'offline'] as const)('refuses an agent who is %s', (availability) => {
    expect(isEligible(agent('a', { availability, skills: { claims: 3 } }), claims)).toBe(false);
  });

  it('refuses an agent at capacity, and one over it (capacity lowered while busy)', () => {
    expect(isEligible(agent('a', { skills: { claims: 3 }, activeCount: 3, capacity: 3 }), claims)).toBe(
      false,
    );
    expect(isEligible(agent('a', { skills: { claims: 3 }, activeCount: 4, capacity: 2 }), claims)).toBe(
      false,
    );
  });

  it('refuses an agent with capacity 0 (configured to take no chats)', () => {
    expect(isEligible(agent('a', { capacity: 0 }), queue('longest_idle'))).toBe(false);
  });

  it('refuses an agent missing one of several required skills, or holding it at level 0', () => {
    const q = queue('least_busy', ['claims', 'spanish']);
    expect(isEligible(agent('a', { skills: { claims: 5 } }), q)).toBe(false);
    expect(isEligible(agent('a', { skills: { claims: 5, spanish: 0 } }), q)).toBe(false);
    expect(isEligible(agent('a', { skills: { claims: 1, spanish: 1 } }), q)).toBe(true);
  });

  it('needs no skills when the queue asks for none', () => {
    expect(isEligible(agent('a'), queue('longest_idle', []))).toBe(true);
  });
});

describe('idleSince', () => {
  it('is the last assignment when that came after becoming available', () => {
    expect(idleSince(agent('a', { availabilityChangedAt: at(0), lastAssignedAt: at(10) }))).toBe(
      at(10).getTime(),
    );
  });

  it('is the return from a break when that came after the last assignment', () => {
    expect(idleSince(agent('a', { lastAssignedAt: at(0), availabilityChangedAt: at(30) }))).toBe(
      at(30).getTime(),
    );
  });

  it('is when they became available for an agent never assigned', () => {
    expect(idleSince(agent('a', { lastAssignedAt: null, availabilityChangedAt: at(5) }))).toBe(
      at(5).getTime(),
    );
  });
});
