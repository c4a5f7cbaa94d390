import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue as JobQueue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Server } from 'socket.io';
import { DataSource } from 'typeorm';
import type { SenderKind } from '../conversations/message.entity.js';
import { AGENT_NAMESPACE } from '../realtime/contracts/agent.events.js';
import { VISITOR_NAMESPACE } from '../realtime/contracts/visitor.events.js';
import { ROUTING_QUEUE } from '../routing/routing-jobs.js';
import { QueueLabels } from './queue-labels.js';

const PREFIX = 'switchboard_';
/** From a router that keeps up (a few milliseconds) to a queue nobody serves (ten minutes). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const SENDERS: SenderKind[] = ['customer', 'agent', 'system'];
const NAMESPACES = [VISITOR_NAMESPACE, AGENT_NAMESPACE];
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** A scrape still answers (with the in-process metrics) while PostgreSQL or Redis does not. */
const SCRAPE_TIMEOUT_MS = 2000;

interface QueueRow {
  id: string;
  name: string;
  waiting: number;
  longest_wait: number;
}

/**
 * Prometheus metrics of this node, in a registry of its own (several apps may share a process, e.g. in
 * tests). Counters are fed by small hooks where things happen; gauges of shared state (queues, jobs) are
 * read from PostgreSQL and Redis at scrape time, so every node reports the same deployment-wide values.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  private readonly logger = new Logger(MetricsService.name);
  private readonly registry = new Registry();
  private readonly queueLabels: QueueLabels;
  private readonly socketServers = new Set<Server>();
  /** Queue labels that already have assignment series (Histogram.zero would wipe observations). */
  private readonly seededQueues = new Set<string>();
  private readonly assignments: Counter<'queue'>;
  private readonly routingLatency: Histogram<'queue'>;
  private readonly messages: Counter<'sender'>;
  private queueSnapshot?: Promise<QueueRow[] | null>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(ROUTING_QUEUE) private readonly jobs: JobQueue,
  ) {
    // Bounded like the scrape reads: a scrape waits for these lookups (QueueLabels.settled).
    this.queueLabels = new QueueLabels(async (id) => {
      const rows = await this.guarded('a queue name', (): Promise<{ name: string }[]> =>
        this.db.query(`SELECT name FROM queue WHERE id = $1`, [id]),
      );
      return rows?.[0]?.name;
    });
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    const registers = [this.registry];
    // Rendered after the queue snapshot: names are current and every queue has a series from zero.
    const afterQueueSnapshot = async () => {
      await this.queueStats();
      await this.queueLabels.settled();
    };
    this.assignments = new Counter({
      name: `${PREFIX}assignments_total`,
      help: 'Conversations assigned to an agent by routing, by queue (transfers not included).',
      labelNames: ['queue'],
      registers,
      collect: afterQueueSnapshot,
    });
    this.routingLatency = new Histogram({
      name: `${PREFIX}routing_latency_seconds`,
      help: 'Time from a conversation entering its queue to its assignment, by queue.',
      labelNames: ['queue'],
      buckets: LATENCY_BUCKETS,
      registers,
      collect: afterQueueSnapshot,
    });
    this.messages = new Counter({
      name: `${PREFIX}messages_total`,
      help: 'Messages stored, by sender (customer, agent incl. internal notes, system).',
      labelNames: ['sender'],
      registers,
    });
    for (const sender of SENDERS) this.messages.inc({ sender }, 0);
    this.queueGauges(registers);
    this.socketGauge(registers);
    this.jobGauge(registers);
  }

  /** An assignment committed (counted by the node that made it). */
  assignmentMade(queueId: string, enqueuedAt: Date, assignedAt: Date = new Date()): void {
    // enqueued_at comes from the database clock: a skewed app clock could make this negative.
    const seconds = Math.max(0, (assignedAt.getTime() - enqueuedAt.getTime()) / 1000);
    this.queueLabels.use(queueId, (queue) => {
      this.seededQueues.add(queue);
      this.assignments.inc({ queue });
      this.routingLatency.observe({ queue }, seconds);
    });
  }

  /** A new message was stored (not an idempotent retry). */
  messageStored(sender: SenderKind): void {
    this.messages.inc({ sender });
  }

  /** The socket.io server of this node, whose connections are counted at scrape time. */
  watchSockets(server: Server): void {
    this.socketServers.add(server);
  }

  /** Every metric in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  onModuleDestroy(): void {
    this.socketServers.clear();
    this.registry.clear();
  }

  private queueGauges(registers: Registry[]): void {
    const waiting: Gauge<'queue'> = new Gauge({
      name: `${PREFIX}queue_waiting`,
      help: 'Conversations waiting in the queue now (the same on every node).',
      labelNames: ['queue'],
      registers,
      collect: async () => fill(waiting, await this.queueStats(), (row) => row.waiting),
    });
    const longest: Gauge<'queue'> = new Gauge({
      name: `${PREFIX}queue_longest_wait_seconds`,
      help: 'How long the longest-waiting conversation of the queue has waited; 0 when none waits.',
      labelNames: ['queue'],
      registers,
      collect: async () => fill(longest, await this.queueStats(), (row) => row.longest_wait),
    });
  }

  private socketGauge(registers: Registry[]): void {
    const sockets: Gauge<'namespace'> = new Gauge({
      name: `${PREFIX}socket_connections`,
      help: 'Socket.io connections on this node, by namespace.',
      labelNames: ['namespace'],
      registers,
      collect: () => {
        for (const namespace of NAMESPACES) {
          let count = 0;
          for (const server of this.socketServers) count += server.of(namespace).sockets.size;
          sockets.set({ namespace }, count);
        }
      },
    });
  }

  private jobGauge(registers: Registry[]): void {
    const jobs: Gauge<'queue' | 'state'> = new Gauge({
      name: `${PREFIX}job_queue_jobs`,
      help: 'Background jobs by state (the same on every node).',
      labelNames: ['queue', 'state'],
      registers,
      collect: async () => {
        const counts = await this.guarded('routing job counts', () => this.jobs.getJobCounts(...JOB_STATES));
        jobs.reset();
        if (!counts) return;
        for (const state of JOB_STATES) jobs.set({ queue: ROUTING_QUEUE, state }, counts[state] ?? 0);
      },
    });
  }

  /** One read of the queues per scrape, shared by the metrics that need it (they collect concurrently). */
  private queueStats(): Promise<QueueRow[] | null> {
    this.queueSnapshot ??= this.readQueues().finally(() => {
      this.queueSnapshot = undefined;
    });
    return this.queueSnapshot;
  }

  private async readQueues(): Promise<QueueRow[] | null> {
    // Ages come from the database clock, like enqueued_at itself.
    const rows = await this.guarded('queue statistics', (): Promise<QueueRow[]> =>
      this.db.query(
        `SELECT q.id, q.name, count(c.id)::int AS waiting,
                COALESCE(EXTRACT(EPOCH FROM now() - min(c.enqueued_at)), 0)::float8 AS longest_wait
           FROM queue q
           LEFT JOIN conversation c ON c.queue_id = q.id AND c.status = 'queued'
          GROUP BY q.id`,
      ),
    );
    if (rows) {
      this.queueLabels.replace(rows);
      // Series from zero, so that increase() also sees a queue's first assignment.
      for (const { name: queue } of rows.filter((row) => !this.seededQueues.has(row.name))) {
        this.seededQueues.add(queue);
        this.assignments.inc({ queue }, 0);
        this.routingLatency.zero({ queue });
      }
    }
    return rows;
  }

  private async guarded<T>(what: string, read: () => Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${SCRAPE_TIMEOUT_MS} ms`)),
        SCRAPE_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([read(), timeout]);
    } catch (error) {
      this.logger.warn({ err: error }, `metrics: could not read ${what}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

function fill(gauge: Gauge<'queue'>, rows: QueueRow[] | null, value: (row: QueueRow) => number): void {
  gauge.reset();
  for (const row of rows ?? []) gauge.set({ queue: row.name }, value(row));
}
