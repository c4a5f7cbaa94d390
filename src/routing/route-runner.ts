import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RoutingJobs, type LocalRouter } from './routing-jobs.js';
import { RoutingService } from './routing.service.js';

/** Passes over one queue (or one agent's queues) at a time on this node, like the job worker's concurrency. */
const PASSES_PER_KEY = 4;

interface Passes {
  running: Set<Promise<void>>;
  /** A request came in while all passes were busy: one of them runs once more when it ends. */
  again: boolean;
}

/**
 * Runs route requests on the node where they happen, at once — a conversation that starts here is
 * routed without a round trip through the job queue. Up to PASSES_PER_KEY passes per queue (or agent)
 * run at a time on this node; requests beyond that are folded into one more pass after a running one,
 * so a burst costs a few passes, not one each. Passes on other nodes run concurrently: the assignment transaction makes that
 * safe (see assignment.repository). A pass that fails is handed to the job queue, which retries it on
 * any node; the periodic sweep remains the safety net for a node that dies mid-pass.
 */
@Injectable()
export class RouteRunner implements LocalRouter, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RouteRunner.name);
  private readonly passes = new Map<string, Passes>();
  private stopping = false;

  constructor(
    private readonly routing: RoutingService,
    private readonly jobs: RoutingJobs,
  ) {}

  onModuleInit(): void {
    this.jobs.routeLocally(this);
  }

  /** Lets running passes finish; requests from now on go to the job queue (another node takes them). */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.jobs.routeLocally(null);
    await Promise.all([...this.passes.values()].flatMap((p) => [...p.running]));
  }

  routeQueues(queueIds: readonly string[]): boolean {
    if (this.stopping) return false;
    for (const queueId of queueIds) {
      this.run(
        `queue:${queueId}`,
        () => this.routing.routeQueue(queueId),
        () => this.jobs.enqueueRoute([queueId]),
      );
    }
    return true;
  }

  routeAgent(agentId: string): boolean {
    if (this.stopping) return false;
    this.run(
      `agent:${agentId}`,
      () => this.routing.routeForAgent(agentId),
      () => this.jobs.enqueueRouteForAgent(agentId),
    );
    return true;
  }

  private run(key: string, pass: () => Promise<unknown>, retryLater: () => Promise<void>): void {
    const passes = this.passes.get(key) ?? { running: new Set<Promise<void>>(), again: false };
    this.passes.set(key, passes);
    if (passes.running.size >= PASSES_PER_KEY) {
      passes.again = true;
      return;
    }
    const runPasses = async (): Promise<void> => {
      try {
        do {
          passes.again = false;
          await pass();
        } while (passes.again);
      } catch (error) {
        this.logger.warn({ err: error, key }, 'routing pass failed; handed to the job queue');
        await retryLater().catch((queueError: unknown) =>
          this.logger.error(
            { err: queueError, key },
            'routing pass could not be queued; the sweep will route it',
          ),
        );
      } finally {
        passes.running.delete(done);
        if (passes.running.size === 0) this.passes.delete(key);
      }
    };
    const done = runPasses();
    passes.running.add(done);
  }
}
