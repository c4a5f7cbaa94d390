import type { Namespace } from 'socket.io';

/** How long a node believes a conversation is watched after it last heard so. */
export const WATCH_TTL_MS = 60_000;
/** How often each node repeats the watches of its own sockets (well within the TTL). */
export const WATCH_REFRESH_MS = 20_000;

/** How soon a node that could not learn the others' watches at start asks again. */
const LEARN_RETRY_MS = 500;
/** Time for a repeat to travel from another node, on top of the refresh period. */
const WATCH_REPEAT_MARGIN_MS = 2_000;

const WATCH_ROOM_PREFIX = 'watch:';

/** Supervisor sockets watching one conversation (a dashboard drill-in). */
export const watchRoom = (conversationId: string): string => `${WATCH_ROOM_PREFIX}${conversationId}`;

/**
 * Which conversations some supervisor, on any node, watches — so that a change is broadcast (one Redis
 * publish) only for those, not for every message of every conversation.
 *
 * A node that gains a watching socket tells the others at once (`serverSideEmit`, through the Redis
 * adapter) and repeats the watches of its sockets every WATCH_REFRESH_MS; each node forgets a watch it
 * has not heard of for WATCH_TTL_MS, so one whose socket left (or whose node died) stops costing
 * publishes within a minute. A node that starts asks every other node for its watches; until all have
 * answered (or, if one does not, until each has repeated its watches once) it treats every
 * conversation as watched.
 */
export class ConversationWatches {
  private readonly expiry = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  /** Until then every node has repeated its watches at least once since this one started. */
  private learnedAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly namespace: Namespace,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.learnedAt = this.now() + WATCH_REFRESH_MS + WATCH_REPEAT_MARGIN_MS;
    this.namespace.on('watches', (ids: unknown) => this.heard(ids));
    this.namespace.on('watches:list', (reply: unknown) => {
      if (typeof reply === 'function') (reply as (ids: string[]) => void)(this.ownWatches());
    });
    this.timer = setInterval(() => this.repeat(), WATCH_REFRESH_MS);
    this.timer.unref();
    void this.learn();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** A socket of this node now watches the conversation: every node hears of it. */
  watched(conversationId: string): void {
    this.heard([conversationId]);
    this.namespace.serverSideEmit('watches', [conversationId]);
  }

  isWatched(conversationId: string): boolean {
    if (this.now() < this.learnedAt) return true;
    const until = this.expiry.get(conversationId);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.expiry.delete(conversationId);
    return false;
  }

  /**
   * Asks every other node what its sockets watch. Retried each LEARN_RETRY_MS until it works or the
   * refresh period has made it unnecessary: right after start this node's own subscription to the bus
   * may not be up yet.
   */
  private async learn(): Promise<void> {
    if (this.stopped || this.now() >= this.learnedAt) return;
    try {
      const lists: unknown[] = await this.namespace.serverSideEmitWithAck('watches:list');
      for (const ids of lists) this.heard(ids);
      // The request counted the nodes to wait for when it was sent, this one's subscription included
      // or not: count again, and trust the answers only if every other node gave one.
      if ((await this.namespace.adapter.serverCount()) === lists.length + 1) {
        this.learnedAt = Math.min(this.learnedAt, this.now());
        return;
      }
    } catch {
      // A node did not answer in time.
    }
    setTimeout(() => void this.learn(), LEARN_RETRY_MS).unref();
  }

  /** The conversations this node's sockets watch. */
  private ownWatches(): string[] {
    return [...this.namespace.adapter.rooms.keys()]
      .filter((room) => room.startsWith(WATCH_ROOM_PREFIX))
      .map((room) => room.slice(WATCH_ROOM_PREFIX.length));
  }

  private heard(ids: unknown): void {
    if (!Array.isArray(ids)) return;
    const until = this.now() + WATCH_TTL_MS;
    for (const id of ids) if (typeof id === 'string') this.expiry.set(id, until);
  }

  /** Tells every node (itself included) what this node's sockets watch, and forgets what expired. */
  private repeat(): void {
    const now = this.now();
    for (const [id, until] of this.expiry) if (until <= now) this.expiry.delete(id);
    const ids = this.ownWatches();
    if (ids.length === 0) return;
    this.heard(ids);
    this.namespace.serverSideEmit('watches', ids);
  }
}
