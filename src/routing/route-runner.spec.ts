import { describe, expect, it } from '@jest/globals';
import { RouteRunner } from './route-runner.js';
import type { RoutingJobs } from './routing-jobs.js';
import type { RoutingService } from './routing.service.js';

/** A routing pass that stays open until the test ends it. */
interface OpenPass {
  queueId: string;
  finish(): void;
  fail(error: Error): void;
}

function setUp() {
  const open: OpenPass[] = [];
  const queued: string[] = [];
  const routing = {
    routeQueue: (queueId: string) =>
      new Promise<never[]>((resolve, reject) =>
        open.push({ queueId, finish: () => resolve([]), fail: reject }),
      ),
    routeForAgent: () => Promise.resolve([]),
  } as unknown as RoutingService;
  let local: unknown = null;
  const jobs = {
    routeLocally: (router: unknown) => (local = router),
    enqueueRoute: (ids: readonly string[]) => (queued.push(...ids), Promise.resolve()),
    enqueueRouteForAgent: () => Promise.resolve(),
  } as unknown as RoutingJobs;
  const runner = new RouteRunner(routing, jobs);
  runner.onModuleInit();
  return { runner, open, queued, registered: () => local };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RouteRunner', () => {
  it('routes at once on this node, up to four passes per queue, folding the rest into one more pass', async () => {
    const { runner, open, registered } = setUp();
    expect(registered()).toBe(runner);
    for (let i = 0; i < 10; i++) expect(runner.routeQueues(['q1'])).toBe(true);
    expect(open.map((p) => p.queueId)).toEqual(['q1', 'q1', 'q1', 'q1']);
    // Another queue is not held up by the first one's passes.
    runner.routeQueues(['q2']);
    expect(open).toHaveLength(5);

    open[0].finish();
    await settle();
    // The six requests that found four passes running are served by one more pass, not six.
    expect(open).toHaveLength(6);
    for (const pass of open.slice(1)) pass.finish();
    await settle();
    expect(open).toHaveLength(6);
  });

  it('hands a failed pass to the job queue, so another attempt routes it', async () => {
    const { runner, open, queued } = setUp();
    runner.routeQueues(['q1']);
    open[0].fail(new Error('connection reset'));
    await settle();
    expect(queued).toEqual(['q1']);
  });

  it('waits for running passes when the node stops, and declines requests from then on', async () => {
    const { runner, open, registered } = setUp();
    runner.routeQueues(['q1']);
    let stopped = false;
    const stopping = runner.onModuleDestroy().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    expect(registered()).toBeNull();
    expect(runner.routeQueues(['q1'])).toBe(false);
    open[0].finish();
    await stopping;
    expect(stopped).toBe(true);
  });
});
