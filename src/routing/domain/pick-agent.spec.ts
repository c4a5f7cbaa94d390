import {
  compareWaiting,
  idleSince,
  isEligible,
  pickAgent,
  queuePositions,
  rankAgents,
} from './pick-agent.js';
import type { AgentCandidate, QueueRule, RoutingStrategy, WaitingConversation } from './routing-types.js';

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

const ids = (agents: AgentCandidate[]) => agents.map((a) => a.id);

/** Every ordering of `items`, to show a result does not depend on the order rows came back in. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
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

describe('longest_idle', () => {
  const q = queue('longest_idle');

  it('offers work to the agent idle the longest', () => {
    const ranked = rankAgents(q, [
      agent('a', { lastAssignedAt: at(20) }),
      agent('b', { lastAssignedAt: at(5) }),
      agent('c', { lastAssignedAt: at(10) }),
    ]);
    expect(ids(ranked)).toEqual(['b', 'c', 'a']);
  });

  it('does not count a break as idle time: back from a break goes behind someone who waited through it', () => {
    // "a" was last assigned long ago but only came back from a break at minute 30; "b" has waited since minute 20.
    const back = agent('a', { lastAssignedAt: at(0), availabilityChangedAt: at(30) });
    const waiting = agent('b', { lastAssignedAt: at(20), availabilityChangedAt: at(0) });
    expect(pickAgent(q, [back, waiting])?.id).toBe('b');
  });

  it('ranks a never-assigned agent by when they became available', () => {
    const fresh = agent('a', { lastAssignedAt: null, availabilityChangedAt: at(15) });
    const earlier = agent('b', { lastAssignedAt: at(10), availabilityChangedAt: at(0) });
    const later = agent('c', { lastAssignedAt: at(20), availabilityChangedAt: at(0) });
    expect(ids(rankAgents(q, [later, fresh, earlier]))).toEqual(['b', 'a', 'c']);
  });

  it('ignores how busy agents are', () => {
    const busyButIdleLonger = agent('a', { activeCount: 2, lastAssignedAt: at(1) });
    const freeButRecent = agent('b', { activeCount: 0, lastAssignedAt: at(2) });
    expect(pickAgent(q, [freeButRecent, busyButIdleLonger])?.id).toBe('a');
  });

  it('breaks a tie by id', () => {
    const tie = { lastAssignedAt: at(3), availabilityChangedAt: at(0) };
    expect(ids(rankAgents(q, [agent('c', tie), agent('a', tie), agent('b', tie)]))).toEqual(['a', 'b', 'c']);
  });
});

describe('least_busy', () => {
  const q = queue('least_busy');

  it('offers work to the agent with the fewest active conversations', () => {
    const ranked = rankAgents(q, [
      agent('a', { activeCount: 2 }),
      agent('b', { activeCount: 0 }),
      agent('c', { activeCount: 1 }),
    ]);
    expect(ids(ranked)).toEqual(['b', 'c', 'a']);
  });

  it('between equally busy agents, prefers the one idle longest', () => {
    const ranked = rankAgents(q, [
      agent('a', { activeCount: 1, lastAssignedAt: at(9) }),
      agent('b', { activeCount: 1, lastAssignedAt: at(4) }),
      agent('c', { activeCount: 0, lastAssignedAt: at(12) }),
    ]);
    expect(ids(ranked)).toEqual(['c', 'b', 'a']);
  });

  it('then by id', () => {
    const same = { activeCount: 1, lastAssignedAt: at(4) };
    expect(ids(rankAgents(q, [agent('b', same), agent('a', same)]))).toEqual(['a', 'b']);
  });
});

describe('rankAgents and pickAgent', () => {
  it('leave out agents who cannot take the conversation', () => {
    const q = queue('least_busy', ['claims']);
    const ranked = rankAgents(q, [
      agent('away', { availability: 'away', skills: { claims: 3 } }),
      agent('full', { activeCount: 3, capacity: 3, skills: { claims: 3 } }),
      agent('unskilled', { skills: { billing: 3 } }),
      agent('ok', { activeCount: 2, skills: { claims: 1 } }),
    ]);
    expect(ids(ranked)).toEqual(['ok']);
  });

  it('pick nobody when nobody is eligible, or there are no candidates', () => {
    const q = queue('longest_idle', ['claims']);
    expect(
      pickAgent(q, [agent('a'), agent('b', { availability: 'offline', skills: { claims: 1 } })]),
    ).toBeNull();
    expect(pickAgent(q, [])).toBeNull();
  });

  it.each(['longest_idle', 'least_busy'] as const)(
    '%s gives the same order whatever order candidates arrive in',
    (strategy) => {
      const candidates = [
        agent('d', { activeCount: 1, lastAssignedAt: at(2) }),
        agent('a', { activeCount: 1, lastAssignedAt: at(2) }),
        agent('c', { activeCount: 0, lastAssignedAt: at(7) }),
        agent('b', { activeCount: 2, lastAssignedAt: null, availabilityChangedAt: at(1) }),
        agent('e', { activeCount: 0, lastAssignedAt: at(2), availabilityChangedAt: at(6) }),
      ];
      const expected = strategy === 'longest_idle' ? ['b', 'a', 'd', 'e', 'c'] : ['e', 'c', 'a', 'd', 'b'];
      for (const order of permutations(candidates))
        expect(ids(rankAgents(queue(strategy), order))).toEqual(expected);
    },
  );

  it('do not reorder the caller’s array', () => {
    const candidates = [agent('b', { lastAssignedAt: at(5) }), agent('a', { lastAssignedAt: at(1) })];
    rankAgents(queue('longest_idle'), candidates);
    expect(ids(candidates)).toEqual(['b', 'a']);
  });
});

describe('compareWaiting and queuePositions', () => {
  const waiting = (id: string, priority: number, enqueuedMinute: number): WaitingConversation => ({
    id,
    priority,
    enqueuedAt: at(enqueuedMinute),
  });

  it('serves higher priority first, even if it arrived later', () => {
    expect(compareWaiting(waiting('vip', 5, 10), waiting('old', 0, 0))).toBeLessThan(0);
    expect(compareWaiting(waiting('old', 0, 0), waiting('vip', 5, 10))).toBeGreaterThan(0);
  });

  it('within a priority, serves the one waiting longest', () => {
    expect(compareWaiting(waiting('first', 0, 1), waiting('second', 0, 2))).toBeLessThan(0);
    expect(compareWaiting(waiting('second', 0, 2), waiting('first', 0, 1))).toBeGreaterThan(0);
  });

  it('orders by id when priority and arrival are equal, and a conversation equals itself', () => {
    expect(compareWaiting(waiting('a', 0, 1), waiting('b', 0, 1))).toBeLessThan(0);
    expect(compareWaiting(waiting('b', 0, 1), waiting('a', 0, 1))).toBeGreaterThan(0);
    expect(compareWaiting(waiting('a', 0, 1), waiting('a', 0, 1))).toBe(0);
  });

  it('numbers each waiting conversation from 1 in serving order, whatever order they are listed in', () => {
    const line = [
      waiting('late', 0, 9),
      waiting('urgent', 2, 8),
      waiting('early', 0, 1),
      waiting('tie-b', 0, 5),
      waiting('tie-a', 0, 5),
    ];
    const expected = new Map([
      ['urgent', 1],
      ['early', 2],
      ['tie-a', 3],
      ['tie-b', 4],
      ['late', 5],
    ]);
    for (const order of permutations(line)) {
      const positions = queuePositions(order);
      expect([...positions.entries()].sort((a, b) => a[1] - b[1])).toEqual([...expected.entries()]);
    }
  });

  it('handles an empty queue and leaves the input untouched', () => {
    expect(queuePositions([]).size).toBe(0);
    const line = [waiting('b', 0, 2), waiting('a', 0, 1)];
    queuePositions(line);
    expect(line.map((w) => w.id)).toEqual(['b', 'a']);
  });
});
