import { buildSnapshot, type MetricsRows } from './queue-metrics.js';
import { deepEqual, sameMetrics } from './same-metrics.js';

const T0 = new Date('2026-11-26T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

const rows = (waiting: number): MetricsRows => ({
  queues: [
    {
      id: 'q1',
      name: 'Claims',
      slaTargetSeconds: 60,
      waiting,
      assigned: 0,
      longestWaitingSince: waiting ? T0 : null,
    },
  ],
  answered: [],
  handled: [],
  events: [],
  agents: [
    {
      id: 'a1',
      displayName: 'Ana',
      availability: 'available',
      connected: true,
      capacity: 2,
      activeConversations: 0,
      queueIds: ['q1'],
      availabilityChangedAt: T0,
      missedOffers: 0,
    },
  ],
});

describe('deepEqual', () => {
  it.each([
    [1, 1],
    ['a', 'a'],
    [null, null],
    [
      [1, [2, { a: null }]],
      [1, [2, { a: null }]],
    ],
    [
      { a: 1, b: { c: [] } },
      { b: { c: [] }, a: 1 },
    ],
  ])('%j equals %j', (a, b) => {
    expect(deepEqual(a, b)).toBe(true);
  });

  it.each([
    [1, 2],
    [0, null],
    [null, {}],
    [[], {}],
    [[1, 2], [1]],
    [{ a: 1 }, { a: 1, b: 2 }],
    [
      { a: 1, b: undefined },
      { a: 1, c: undefined },
    ],
    [{ a: { b: 1 } }, { a: { b: '1' } }],
  ])('%j differs from %j', (a, b) => {
    expect(deepEqual(a, b)).toBe(false);
    expect(deepEqual(b, a)).toBe(false);
  });
});

describe('sameMetrics', () => {
  it('ignores when the numbers were computed: a long wait with nothing happening is no change', () => {
    const first = buildSnapshot(rows(1), T0, 1800);
    const minuteLater = buildSnapshot(rows(1), later(60_000), 1800);
    expect(first.at).not.toBe(minuteLater.at);
    expect(sameMetrics(first, minuteLater)).toBe(true);
  });

  it('sees one more conversation waiting', () => {
    expect(sameMetrics(buildSnapshot(rows(1), T0, 1800), buildSnapshot(rows(2), later(1000), 1800))).toBe(
      false,
    );
  });

  it("sees an agent's availability change", () => {
    const before = rows(0);
    const after = rows(0);
    after.agents[0] = { ...after.agents[0], availability: 'away' };
    expect(sameMetrics(buildSnapshot(before, T0, 1800), buildSnapshot(after, T0, 1800))).toBe(false);
  });

  it("sees an agent's missed offer", () => {
    const before = rows(0);
    const after = rows(0);
    after.agents[0] = { ...after.agents[0], missedOffers: 1 };
    expect(sameMetrics(buildSnapshot(before, T0, 1800), buildSnapshot(after, T0, 1800))).toBe(false);
  });
});
