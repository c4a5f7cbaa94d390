import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { SupervisorSnapshot } from '../realtime/contracts/supervisor.events.js';
import type { RealtimeHub } from '../realtime/realtime.hub.js';
import { buildSnapshot, type MetricsRows } from './domain/queue-metrics.js';
import { METRICS_TICK_MS, MetricsFeed } from './metrics.feed.js';
import type { SupervisionService } from './supervision.service.js';

/** The feed's timing and bookkeeping, over a stand-in for the database whose numbers the test sets. */
describe('MetricsFeed', () => {
  let waiting: number;
  let computed: number;
  let pushes: { ids: string[]; snapshot: SupervisorSnapshot }[];
  let feed: MetricsFeed;

  const rows = (): MetricsRows => ({
    queues: [
      { id: 'q1', name: 'Claims', slaTargetSeconds: 60, waiting, assigned: 0, longestWaitingSince: null },
    ],
    answered: [],
    handled: [],
    events: [],
    agents: [],
  });

  const socket = (id: string) => {
    const emitted: SupervisorSnapshot[] = [];
    return {
      id,
      connected: true,
      emitted,
      emit: (_event: 'snapshot', snapshot: SupervisorSnapshot) => emitted.push(snapshot),
    };
  };

  const tick = () => jest.advanceTimersByTimeAsync(METRICS_TICK_MS);

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T10:00:00Z') });
    waiting = 0;
    computed = 0;
    pushes = [];
    const service = {
      snapshot: async (now: Date) => {
        computed += 1;
        return buildSnapshot(rows(), now, 1800);
      },
    } as unknown as SupervisionService;
    const hub = {
      metricsToLocalSupervisors: (ids: string[], snapshot: SupervisorSnapshot) => {
        if (ids.length > 0) pushes.push({ ids, snapshot });
      },
    } as unknown as RealtimeHub;
    feed = new MetricsFeed(service, hub);
  });

  afterEach(() => {
    feed.onModuleDestroy();
    jest.useRealTimers();
  });

  it('sends the snapshot on connect, then nothing while the numbers stay the same', async () => {
    const s = socket('s1');
    await feed.welcome(s);
    expect(s.emitted.map((x) => x.queues[0].waiting)).toEqual([0]);
    await tick();
    await tick();
    await tick();
    expect(computed).toBe(4);
    expect(pushes).toEqual([]);
  });

  it('pushes a change once, at the next tick, to every supervisor of the node', async () => {
    await feed.welcome(socket('s1'));
    await feed.welcome(socket('s2'));
    waiting = 1;
    waiting = 2; // two changes between ticks: one push, with the latest numbers
    await tick();
    expect(pushes.map((p) => [p.ids, p.snapshot.queues[0].waiting])).toEqual([[['s1', 's2'], 2]]);
    await tick();
    expect(pushes).toHaveLength(1);
  });

  it('does not push to a supervisor whose snapshot already had the new numbers', async () => {
    await feed.welcome(socket('early'));
    waiting = 3;
    const late = socket('late');
    await feed.welcome(late);
    expect(late.emitted[0].queues[0].waiting).toBe(3);
    await tick();
    expect(pushes.map((p) => p.ids)).toEqual([['early']]);
  });

  it('stops querying when the last supervisor of the node leaves, and starts again with the next', async () => {
    await feed.welcome(socket('s1'));
    feed.forget('s1');
    const before = computed;
    await tick();
    await tick();
    expect(computed).toBe(before);

    await feed.welcome(socket('s2'));
    waiting = 5;
    await tick();
    expect(pushes.map((p) => p.ids)).toEqual([['s2']]);
  });

  it('does not start for a socket that left before its snapshot was ready', async () => {
    const gone = { ...socket('gone'), connected: false };
    await feed.welcome(gone);
    expect(gone.emitted).toEqual([]);
    const before = computed;
    await tick();
    expect(computed).toBe(before);
  });

  it('stops on shutdown', async () => {
    await feed.welcome(socket('s1'));
    feed.onModuleDestroy();
    const before = computed;
    waiting = 9;
    await tick();
    expect(computed).toBe(before);
    expect(pushes).toEqual([]);
  });
});
