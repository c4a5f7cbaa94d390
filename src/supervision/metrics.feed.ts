import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { SupervisorSnapshot } from '../realtime/contracts/supervisor.events.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { sameMetrics } from './domain/same-metrics.js';
import { SupervisionService } from './supervision.service.js';

/** How often a node with supervisors connected recomputes the metrics: at most one push per interval. */
export const METRICS_TICK_MS = 1000;

interface SupervisorConnection {
  id: string;
  connected: boolean;
  emit(event: 'snapshot', snapshot: SupervisorSnapshot): unknown;
}

interface Versioned {
  snapshot: SupervisorSnapshot;
  /** Bumped whenever the numbers differ from the previous computation's. */
  version: number;
  /** Order in which the computation started; a slower, older one must not replace a newer one. */
  started: number;
}

/**
 * Keeps this node's supervisors up to date. Every node polls PostgreSQL for its own supervisors rather
 * than being told of changes: nothing else has to remember to notify, changes made on other nodes are
 * seen the same way, and a burst of changes costs one push. The timer runs only while this node has a
 * supervisor connected.
 */
@Injectable()
export class MetricsFeed implements OnModuleDestroy {
  private readonly logger = new Logger(MetricsFeed.name);
  private timer: NodeJS.Timeout | null = null;
  private latest: Versioned | null = null;
  private computations = 0;
  private ticking = false;
  private stopped = false;
  /** Welcomed supervisor sockets of this node → the version of the numbers they have. */
  private readonly delivered = new Map<string, number>();

  constructor(
    private readonly supervision: SupervisionService,
    private readonly hub: RealtimeHub,
  ) {}

  /** The full picture for a new connection, computed now; changes follow with the next ticks. */
  async welcome(socket: SupervisorConnection): Promise<void> {
    const current = await this.refresh();
    if (!socket.connected || this.stopped) return;
    socket.emit('snapshot', current.snapshot);
    this.delivered.set(socket.id, current.version);
    this.timer ??= setInterval(() => void this.tick(), METRICS_TICK_MS);
  }

  forget(socketId: string): void {
    this.delivered.delete(socketId);
    if (this.delivered.size === 0) this.stopTimer();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.stopTimer();
    this.delivered.clear();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    // A slow database skips a beat instead of piling up queries.
    if (this.ticking) return;
    this.ticking = true;
    try {
      const current = await this.refresh();
      if (this.stopped) return;
      // Per socket, so that a supervisor who connected since the last push is not sent the numbers
      // their snapshot already had.
      const behind = [...this.delivered]
        .filter(([, version]) => version !== current.version)
        .map(([id]) => id);
      this.hub.metricsToLocalSupervisors(behind, current.snapshot);
      for (const id of behind) this.delivered.set(id, current.version);
    } catch (error) {
      if (!this.stopped) this.logger.error(error, 'supervisor metrics refresh failed');
    } finally {
      this.ticking = false;
    }
  }

  private async refresh(): Promise<Versioned> {
    const started = ++this.computations;
    const snapshot = await this.supervision.snapshot(new Date());
    const previous = this.latest;
    if (previous && previous.started > started) return previous;
    const version = !previous
      ? 1
      : sameMetrics(previous.snapshot, snapshot)
        ? previous.version
        : previous.version + 1;
    this.latest = { snapshot, version, started };
    return this.latest;
  }
}
