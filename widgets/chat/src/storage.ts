/**
 * What the widget keeps in the host page's localStorage, per site key: the visitor token (to come back as
 * the same visitor after a reload or in another tab), the conversation last shown, and the outbox of
 * messages not yet acknowledged (sent again with the same client id when the connection returns).
 * Storage can be unavailable (privacy modes): everything then lives for the page only.
 */

export interface OutboxEntry {
  clientId: string;
  conversationId: string;
  body: string;
  attachmentIds: string[];
  /** Names of the attached files, shown while the message waits. */
  attachmentNames: string[];
  createdAt: string;
}

export class WidgetStorage {
  private readonly memory = new Map<string, string>();

  constructor(private readonly siteKey: string) {}

  private key(name: string): string {
    return `switchboard:${this.siteKey}:${name}`;
  }

  /** True when `event` (a window `storage` event) concerns this site's widget. */
  concerns(event: StorageEvent): boolean {
    return event.key === null || event.key.startsWith(`switchboard:${this.siteKey}:`);
  }

  private read(name: string): string | null {
    try {
      return localStorage.getItem(this.key(name));
    } catch {
      return this.memory.get(name) ?? null;
    }
  }

  private write(name: string, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(this.key(name));
      else localStorage.setItem(this.key(name), value);
    } catch {
      if (value === null) this.memory.delete(name);
      else this.memory.set(name, value);
    }
  }

  get token(): string | null {
    return this.read('token');
  }

  set token(value: string | null) {
    this.write('token', value);
  }

  /** The conversation shown last (kept after it closes, until rated or a new one starts). */
  get conversationId(): string | null {
    return this.read('conversation');
  }

  set conversationId(value: string | null) {
    this.write('conversation', value);
  }

  get outbox(): OutboxEntry[] {
    try {
      const parsed: unknown = JSON.parse(this.read('outbox') ?? '[]');
      return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
    } catch {
      return [];
    }
  }

  set outbox(entries: OutboxEntry[]) {
    this.write('outbox', entries.length > 0 ? JSON.stringify(entries) : null);
  }

  addToOutbox(entry: OutboxEntry): void {
    this.outbox = [...this.outbox, entry];
  }

  removeFromOutbox(clientId: string): void {
    this.outbox = this.outbox.filter((e) => e.clientId !== clientId);
  }
}
