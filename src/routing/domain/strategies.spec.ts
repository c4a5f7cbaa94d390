import { ROUTING_STRATEGIES, type AgentCandidate } from './routing-types.js';
import { ALL_STRATEGIES, isStrategy, NO_PREVIOUS_ASSIGNMENT, rank, type QueueContext } from './strategies.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const NOW = at(60);

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

const ids = (agents: readonly AgentCandidate[]) => agents.map((a) => a.id);
const after = (lastAssignedAgentId: string | null): QueueContext => ({ lastAssignedAgentId });

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('strategy names', () => {
  it('lists all four strategies', () => {
    expect([...ALL_STRATEGIES].sort()).toEqual(['least_busy', 'longest_idle', 'manual', 'round_robin']);
  });

  it('offers the queue API the same four names', () => {
    expect([...ROUTING_STRATEGIES].sort()).toEqual([...ALL_STRATEGIES].sort());
  });

  it('recognises strategy names and nothing else', () => {
    expect(isStrategy('round_robin')).toBe(true);
    expect(isStrategy('manual')).toBe(true);
    expect(isStrategy('random')).toBe(false);
    expect(isStrategy('')).toBe(false);
  });
});

describe('rank: longest_idle and least_busy', () => {
  const candidates = [
    agent('d', { activeCount: 1, lastAssignedAt: at(2) }),
    agent('a', { activeCount: 1, lastAssignedAt: at(2) }),
    agent('c', { activeCount: 0, lastAssignedAt: at(7) }),
    agent('b', { activeCount: 2, lastAssignedAt: null, availabilityChangedAt: at(1) }),
    agent('e', { activeCount: 0, lastAssignedAt: at(2), availabilityChangedAt: at(6) }),
  ];

  it('longest_idle: idle longest first, a break does not count as idle, ties by id', () => {
    expect(ids(rank('longest_idle', NO_PREVIOUS_ASSIGNMENT, candidates, NOW))).toEqual([
      'b',
      'a',
      'd',
      'e',
      'c',
    ]);
  });

  it('least_busy: fewest active first, then idle longest, then id', () => {
    expect(ids(rank('least_busy', NO_PREVIOUS_ASSIGNMENT, candidates, NOW))).toEqual([
      'e',
      'c',
      'a',
      'd',
      'b',
    ]);
  });

  it('ignore the round-robin cursor', () => {
    expect(ids(rank('longest_idle', after('b'), candidates, NOW))).toEqual(['b', 'a', 'd', 'e', 'c']);
  });

});

describe('rank: round_robin', () => {
  const team = [agent('carol'), agent('alice'), agent('bob')];

  it('starts with the first agent by id when the queue has never assigned', () => {
    expect(ids(rank('round_robin', after(null), team, NOW))).toEqual(['alice', 'bob', 'carol']);
  });

  it('gives the next turn to the agent after the previous assignee', () => {
    expect(ids(rank('round_robin', after('alice'), team, NOW))).toEqual(['bob', 'carol', 'alice']);
    expect(ids(rank('round_robin', after('bob'), team, NOW))).toEqual(['carol', 'alice', 'bob']);
  });

  it('wraps around after the last agent by id', () => {
    expect(ids(rank('round_robin', after('carol'), team, NOW))).toEqual(['alice', 'bob', 'carol']);
  });

  it('moves on to the next id when the previous assignee is no longer a candidate', () => {
    expect(ids(rank('round_robin', after('beth'), team, NOW))).toEqual(['bob', 'carol', 'alice']);
    expect(ids(rank('round_robin', after('zoe'), team, NOW))).toEqual(['alice', 'bob', 'carol']);
  });

  it('gives the only candidate the turn even if they had the last one', () => {
    expect(ids(rank('round_robin', after('bob'), [agent('bob')], NOW))).toEqual(['bob']);
  });

  it('takes turns regardless of load or idle time', () => {
    const busy = agent('bob', { activeCount: 2, lastAssignedAt: at(59) });
    const idle = agent('carol', { activeCount: 0, lastAssignedAt: at(1) });
    expect(ids(rank('round_robin', after('alice'), [idle, busy], NOW))).toEqual(['bob', 'carol']);
  });

  it('cycles through everyone when each assignment moves the cursor', () => {
    let previous: string | null = null;
    const served: string[] = [];
    for (let turn = 0; turn < 6; turn++) {
      previous = rank('round_robin', after(previous), team, NOW)[0].id;
      served.push(previous);
    }
    expect(served).toEqual(['alice', 'bob', 'carol', 'alice', 'bob', 'carol']);
  });

  it('gives the same order whatever order candidates arrive in', () => {
    for (const order of permutations(team)) {
      expect(ids(rank('round_robin', after('alice'), order, NOW))).toEqual(['bob', 'carol', 'alice']);
    }
  });
});

describe('rank: manual', () => {
  it('never offers anyone, however many agents are free', () => {
    expect(rank('manual', NO_PREVIOUS_ASSIGNMENT, [agent('a'), agent('b')], NOW)).toEqual([]);
  });
});

describe('rank: contract', () => {
  it.each(ALL_STRATEGIES.filter((s) => s !== 'manual'))(
    '%s leaves the caller’s array as it was',
    (strategy) => {
      const candidates = [agent('b', { lastAssignedAt: at(5) }), agent('a', { lastAssignedAt: at(1) })];
      rank(strategy, after(null), candidates, NOW);
      expect(ids(candidates)).toEqual(['b', 'a']);
    },
  );

  it.each(ALL_STRATEGIES)('%s ranks nobody when there are no candidates', (strategy) => {
    expect(rank(strategy, after('a'), [], NOW)).toEqual([]);
  });
});
