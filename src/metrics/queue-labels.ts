/**
 * Queue names for metric labels, so dashboards read "Claims" rather than a uuid, without a query on the
 * routing path: names are cached by id, refreshed from every scrape (which reads all queues anyway),
 * and looked up once for a queue the cache has not seen yet.
 */
export class QueueLabels {
  private names = new Map<string, string>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly lookup: (queueId: string) => Promise<string | undefined>) {}

  /** Calls `use` with the queue's name: now if known, else once looked up (the id if that fails). */
  use(queueId: string, use: (label: string) => void): void {
    const known = this.names.get(queueId);
    if (known !== undefined) return use(known);
    const done: Promise<void> = this.lookup(queueId)
      .catch(() => undefined)
      .then((name) => {
        if (name !== undefined) this.names.set(queueId, name);
        use(name ?? queueId);
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Resolves once every observation waiting for a name has been recorded (before a scrape renders). */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  /** All queues as they are now: renamed queues get their new name, deleted ones are forgotten. */
  replace(queues: { id: string; name: string }[]): void {
    this.names = new Map(queues.map((q) => [q.id, q.name]));
  }
}
