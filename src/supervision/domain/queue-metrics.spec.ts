import {
  agentState,
  average,
  buildSnapshot,
  countAgentStates,
  percent,
  type AgentRow,
  type MetricsRows,
  type QueueRow,
} from './queue-metrics.js';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const WINDOW = 1800;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function queue(id: string, overrides: Partial<QueueRow> = {}): QueueRow {
  return {
    id,
    name: id,
    slaTargetSeconds: 60,
    waiting: 0,
    assigned: 0,
    longestWaitingSince: null,
    ...overrides,
  };
}

function agent(id: string, overrides: Partial<AgentRow> = {}): AgentRow {
  return {
    id,
    displayName: id,
    availability: 'available',
    connected: true,
    capacity: 2,
    activeConversations: 0,
    queueIds: [],
    availabilityChangedAt: NOW,
    missedOffers: 0,
    ...overrides,
  };
}

const rows = (overrides: Partial<MetricsRows> = {}): MetricsRows => ({
  queues: [],
  answered: [],
  handled: [],
  events: [],
  agents: [],
  ...overrides,
});

describe('average and percent', () => {
  it('are null without a sample, not 0', () => {
    expect(average(0, 0)).toBeNull();
    expect(percent(0, 0)).toBeNull();
  });

  it('round to one decimal', () => {
    expect(average(10, 3)).toBe(3.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(0, 4)).toBe(0);
    expect(percent(4, 4)).toBe(100);
  });
});

describe('agentState', () => {
  it('is available when available, connected and below capacity', () => {
    expect(agentState(agent('a', { activeConversations: 1, capacity: 2 }))).toBe('available');
  });

  it('is busy when available and connected but at or over capacity (also capacity 0)', () => {
    expect(agentState(agent('a', { activeConversations: 2, capacity: 2 }))).toBe('busy');
    expect(agentState(agent('a', { activeConversations: 3, capacity: 2 }))).toBe('busy');
    expect(agentState(agent('a', { capacity: 0 }))).toBe('busy');
  });

  it('is away when away and connected, even with conversations', () => {
    expect(agentState(agent('a', { availability: 'away', activeConversations: 2 }))).toBe('away');
  });

  it('is offline when offline, or when not connected whatever the availability', () => {
    expect(agentState(agent('a', { availability: 'offline' }))).toBe('offline');
    expect(agentState(agent('a', { availability: 'available', connected: false }))).toBe('offline');
    expect(agentState(agent('a', { availability: 'away', connected: false }))).toBe('offline');
  });

  it('puts every agent in exactly one state', () => {
    const agents = [
      agent('a'),
      agent('b', { activeConversations: 2 }),
      agent('c', { availability: 'away' }),
      agent('d', { connected: false }),
      agent('e', { availability: 'offline' }),
    ];
    expect(countAgentStates(agents)).toEqual({ available: 1, busy: 1, away: 1, offline: 2 });
  });
});

describe('buildSnapshot', () => {
  it('is all zeros and nulls for an idle deployment, stamped with the time passed in', () => {
    const snapshot = buildSnapshot(rows({ queues: [queue('q1', { name: 'Claims' })] }), NOW, WINDOW);
    const empty = {
      waiting: 0,
      assigned: 0,
      longestWaitingSince: null,
      answered: 0,
      averageWaitSeconds: null,
      answeredWithinSla: 0,
      slaPercent: null,
      abandoned: 0,
      abandonedPercent: null,
      offersDeclined: 0,
      offersTimedOut: 0,
      escalated: 0,
      keptOffline: 0,
      handled: 0,
      averageHandleSeconds: null,
      agents: { available: 0, busy: 0, away: 0, offline: 0 },
    };
    expect(snapshot).toEqual({
      at: '2026-11-26T10:00:00.000Z',
      windowSeconds: 1800,
      overall: empty,
      queues: [{ queueId: 'q1', name: 'Claims', slaTargetSeconds: 60, ...empty }],
      agents: [],
    });
  });

  it('computes a queue from its rows: wait, SLA, abandonment, offers, handle time', () => {
    const snapshot = buildSnapshot(
      rows({
        queues: [queue('q1', { waiting: 3, assigned: 2, longestWaitingSince: minutesAgo(4) })],
        answered: [{ queueId: 'q1', answered: 4, waitSecondsTotal: 130, withinSla: 3 }],
        handled: [{ queueId: 'q1', handled: 2, handleSecondsTotal: 601 }],
        events: [
          { queueId: 'q1', type: 'abandoned', count: 1 },
          { queueId: 'q1', type: 'offer-declined', count: 2 },
          { queueId: 'q1', type: 'offer-timeout', count: 5 },
          { queueId: 'q1', type: 'escalated', count: 3 },
          { queueId: 'q1', type: 'offline', count: 4 },
          { queueId: 'q1', type: 'something-else', count: 9 },
        ],
      }),
      NOW,
      WINDOW,
    );
    expect(snapshot.queues[0]).toMatchObject({
      waiting: 3,
      assigned: 2,
      longestWaitingSince: '2026-11-26T09:56:00.000Z',
      answered: 4,
      averageWaitSeconds: 32.5,
      answeredWithinSla: 3,
      slaPercent: 75,
      abandoned: 1,
      abandonedPercent: 20, // 1 of the 5 who either got an answer or gave up
      offersDeclined: 2,
      offersTimedOut: 5,
      escalated: 3,
      keptOffline: 4,
      handled: 2,
      averageHandleSeconds: 300.5,
    });
  });

  it('weighs overall averages and SLA by samples, not by queue, each against its own numbers', () => {
    const snapshot = buildSnapshot(
      rows({
        queues: [
          queue('q1', { name: 'Billing', waiting: 1, longestWaitingSince: minutesAgo(2) }),
          queue('q2', { name: 'Claims', waiting: 2, assigned: 1, longestWaitingSince: minutesAgo(7) }),
        ],
        answered: [
          { queueId: 'q1', answered: 1, waitSecondsTotal: 100, withinSla: 0 },
          { queueId: 'q2', answered: 9, waitSecondsTotal: 90, withinSla: 9 },
        ],
        handled: [{ queueId: 'q2', handled: 1, handleSecondsTotal: 42 }],
        events: [{ queueId: 'q1', type: 'abandoned', count: 2 }],
      }),
      NOW,
      WINDOW,
    );
    expect(snapshot.overall).toMatchObject({
      waiting: 3,
      assigned: 1,
      longestWaitingSince: minutesAgo(7).toISOString(),
      answered: 10,
      averageWaitSeconds: 19, // 190 s over 10 answers, not the mean of 100 and 10
      answeredWithinSla: 9,
      slaPercent: 90,
      abandoned: 2,
      abandonedPercent: 16.7,
      handled: 1,
      averageHandleSeconds: 42,
    });
    expect(snapshot.queues.map((q) => [q.name, q.slaPercent, q.averageHandleSeconds])).toEqual([
      ['Billing', 0, null],
      ['Claims', 100, 42],
    ]);
  });

  it("counts each queue's members by state, and every listed agent once overall", () => {
    const snapshot = buildSnapshot(
      rows({
        queues: [queue('q1'), queue('q2')],
        agents: [
          agent('ana', { queueIds: ['q1', 'q2'] }),
          agent('ben', { queueIds: ['q1'], activeConversations: 2 }),
          agent('cy', { queueIds: ['q2'], availability: 'away' }),
          agent('dee', { queueIds: [], connected: false, activeConversations: 1 }), // holds one, in no queue
        ],
      }),
      NOW,
      WINDOW,
    );
    expect(snapshot.queues.map((q) => q.agents)).toEqual([
      { available: 1, busy: 1, away: 0, offline: 0 },
      { available: 1, busy: 0, away: 1, offline: 0 },
    ]);
    expect(snapshot.overall.agents).toEqual({ available: 1, busy: 1, away: 1, offline: 1 });
  });

  it('orders queues and agents by name, then id, and sorts queue ids, whatever order rows came in', () => {
    const agents = [
      agent('id-2', { displayName: 'Ben', queueIds: ['q2', 'q1'] }),
      agent('id-3', { displayName: 'Ana' }),
      agent('id-1', { displayName: 'Ben' }),
    ];
    const queues = [queue('q2', { name: 'Claims' }), queue('q1', { name: 'Billing' })];
    const a = buildSnapshot(rows({ queues, agents }), NOW, WINDOW);
    const b = buildSnapshot(
      rows({ queues: [...queues].reverse(), agents: [...agents].reverse() }),
      NOW,
      WINDOW,
    );
    expect(a).toEqual(b);
    expect(a.agents.map((x) => x.id)).toEqual(['id-3', 'id-1', 'id-2']);
    expect(a.agents[2].queueIds).toEqual(['q1', 'q2']);
    expect(a.queues.map((q) => q.name)).toEqual(['Billing', 'Claims']);
  });

  it("sends each agent's last availability change as an ISO time, and their missed offers", () => {
    const changed = new Date('2026-11-26T09:41:07.250Z');
    const snapshot = buildSnapshot(
      rows({ agents: [agent('ana', { availabilityChangedAt: changed, missedOffers: 2 })] }),
      NOW,
      WINDOW,
    );
    expect(snapshot.agents[0]).toMatchObject({
      availabilityChangedAt: '2026-11-26T09:41:07.250Z',
      missedOffers: 2,
    });
  });

  it('leaves out rows of queues that no longer exist, so overall is the sum of the queues shown', () => {
    const snapshot = buildSnapshot(
      rows({
        queues: [queue('q1')],
        answered: [{ queueId: 'gone', answered: 5, waitSecondsTotal: 50, withinSla: 5 }],
        events: [{ queueId: null, type: 'abandoned', count: 1 }],
      }),
      NOW,
      WINDOW,
    );
    expect(snapshot.overall).toMatchObject({ answered: 0, abandoned: 0, slaPercent: null });
  });
});
