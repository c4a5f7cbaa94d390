import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { ChannelAccountsService } from '../channel-accounts/channel-accounts.service.js';
import {
  SendError,
  type ConnectionRelay,
  type Connector,
  type ConnectorAccount,
  type InboundEvent,
  type InboundSink,
  type OutboundMessage,
  type SendResult,
} from '../connectors/connector.js';
import { CONNECTORS, connectorFor } from '../connectors/registry.js';
import { CHANNEL_INBOUND_QUEUE, queueInboundEvent } from '../webhooks/inbound-jobs.js';

const RELAY_TIMEOUT_MS = 10_000;
/** Renews the hold only if this node still has it. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

type Call =
  | {
      kind: 'call';
      id: string;
      from: string;
      accountId: string;
      op: 'send';
      to: string;
      message: OutboundMessage;
      key: string;
    }
  | { kind: 'call'; id: string; from: string; accountId: string; op: 'typing'; to: string; active: boolean };
type Reply = {
  kind: 'reply';
  id: string;
  result?: unknown;
  error?: { reason: string; retryable: boolean; retryAfterSeconds?: number };
};

interface Held {
  connector: Connector;
  account: ConnectorAccount;
  fingerprint: string;
}

/**
 * Runs the long-lived connections of connectors that have `start` (XMPP): one node holds each enabled
 * account's connection, through a Redis key it renews on every check (a node stalled past its hold
 * loses it, and stops its connection at its next check). Accounts created,
 * changed, disabled or deleted are picked up at the next check; when a node dies its hold lapses and
 * another node takes over. Other nodes' sends reach the holder over Redis (`ConnectionRelay`).
 * Inbound stanzas become raw events processed by the inbound queue, the path webhooks take.
 */
@Injectable()
export class ConnectionSupervisor
  implements OnApplicationBootstrap, OnModuleDestroy, InboundSink, ConnectionRelay
{
  private readonly logger = new Logger(ConnectionSupervisor.name);
  private readonly nodeId = randomUUID();
  private readonly held = new Map<string, Held>();
  private readonly pending = new Map<string, { resolve: (r: Reply) => void; timer: NodeJS.Timeout }>();
  private readonly networks = CONNECTORS.filter((c) => c.start !== undefined && c.stop !== undefined);
  private redis: Redis | null = null;
  private subscriber: Redis | null = null;
  private connecting: Promise<Redis> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: ChannelAccountsService,
    @InjectQueue(CHANNEL_INBOUND_QUEUE) private readonly queue: Queue,
  ) {}

  /** Three missed checks, and never under 5 s: a busy node's event loop may stall for a second or two. */
  private get holdMs(): number {
    return Math.max(3 * this.config.channels.connectionCheckMs, 5000);
  }

  private lockKey(accountId: string): string {
    return `${this.config.redis.queuePrefix}:channel-connection:${accountId}`;
  }

  private inbox(nodeId: string): string {
    return `${this.config.redis.queuePrefix}:channel-connection-relay:${nodeId}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.networks.length === 0) return;
    for (const connector of this.networks) connector.useRelay?.(this);
    await this.check();
    this.timer = setInterval(() => void this.check(), this.config.channels.connectionCheckMs);
  }

  /** Redis clients, opened once the first long-lived account exists (or a relay is needed). */
  private connection(): Promise<Redis> {
    this.connecting ??= (async () => {
      this.redis = new Redis(this.config.redis.url, { maxRetriesPerRequest: 2 });
      this.subscriber = new Redis(this.config.redis.url);
      for (const r of [this.redis, this.subscriber])
        r.on('error', (error) => this.logger.warn({ err: error }, 'connection supervisor redis error'));
      this.subscriber.on('message', (_channel, text: string) => void this.onRelayMessage(text));
      await this.subscriber.subscribe(this.inbox(this.nodeId));
      return this.redis;
    })();
    return this.connecting;
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    await this.connecting?.catch(() => undefined);
    await Promise.all([...this.held.keys()].map((id) => this.release(id)));
    for (const { timer, resolve } of this.pending.values()) {
      clearTimeout(timer);
      resolve({ kind: 'reply', id: '', error: { reason: 'node shutting down', retryable: true } });
    }
    await Promise.all([
      this.subscriber?.quit().catch(() => undefined),
      this.redis?.quit().catch(() => undefined),
    ]);
  }

  /** Ids of the accounts whose connection this node holds. */
  holding(): string[] {
    return [...this.held.keys()];
  }

  /** One pass: start what should run here, renew what runs, stop what should not. Never overlaps itself. */
  check(): Promise<void> {
    this.checking = this.checking
      .then(() => this.reconcile())
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'connection check failed');
      });
    return this.checking;
  }

  private async reconcile(): Promise<void> {
    if (this.closing) return;
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM channel_account WHERE enabled AND network = ANY($1) ORDER BY created_at`,
      [this.networks.map((c) => c.name)],
    );
    if (rows.length === 0 && this.held.size === 0) return;
    const redis = await this.connection();
    const wanted = new Set(rows.map((r) => r.id));
    for (const id of [...this.held.keys()]) if (!wanted.has(id)) await this.release(id);
    // Holds first, all in one go: starting a connection below can take a while, and must not let the
    // holds of connections already running here lapse meanwhile.
    const held = [...this.held.keys()];
    const renewals = await Promise.all(
      held.map((id) => redis.eval(RENEW, 1, this.lockKey(id), this.nodeId, String(this.holdMs))),
    );
    const renewed = new Set(held.filter((_, i) => renewals[i] === 1));
    for (const { id } of rows) {
      if (this.closing) return;
      const account = await this.accounts.connectorAccount(id);
      const connector = account && connectorFor(account.network);
      if (!account || !connector?.start) continue;
      const fingerprint = createHash('sha256')
        .update(JSON.stringify([account.externalId, account.settings, account.secrets]))
        .digest('hex');
      const current = this.held.get(id);
      if (current) {
        if (!renewed.has(id)) {
          this.logger.warn({ accountId: id }, 'lost the hold on a connection; stopping it here');
          await this.stopHeld(id);
        } else if (current.fingerprint !== fingerprint) {
          // New password, server or certificate: reconnect with them.
          await current.connector.stop?.(current.account);
          this.held.set(id, { connector, account, fingerprint });
          await this.startHeld(id);
        }
        continue;
      }
      const taken = await redis.set(this.lockKey(id), this.nodeId, 'PX', this.holdMs, 'NX');
      if (taken !== 'OK') continue;
      this.held.set(id, { connector, account, fingerprint });
      await this.startHeld(id);
    }
  }

  private async startHeld(id: string): Promise<void> {
    const held = this.held.get(id);
    if (!held) return;
    try {
      await held.connector.start!(held.account, this);
    } catch (error) {
      this.logger.warn({ accountId: id, err: error }, 'connection could not start');
      await this.release(id);
    }
  }

  private async stopHeld(id: string): Promise<void> {
    const held = this.held.get(id);
    this.held.delete(id);
    await held?.connector.stop?.(held.account).catch(() => undefined);
  }

  private async release(id: string): Promise<void> {
    await this.stopHeld(id);
    await this.redis?.eval(RELEASE, 1, this.lockKey(id), this.nodeId).catch(() => undefined);
  }

  /** InboundSink: the raw stanza is stored like a webhook body, then the inbound queue parses and applies it. */
  async accept(account: ConnectorAccount, raw: Buffer, events: InboundEvent[]): Promise<void> {
    if (events.length === 0) return;
    const [row]: { id: string }[] = await this.db.query(
      `INSERT INTO channel_inbound_event (account_id, received_at, url, headers, raw_body, status)
       VALUES ($1, now(), $2, '{}', $3, 'pending') RETURNING id`,
      [account.id, `${account.network}:${account.externalId}`, raw],
    );
    await queueInboundEvent(this.queue, row.id);
  }

  /** ConnectionRelay: runs a send on the node that holds the account's connection. */
  async send(
    account: ConnectorAccount,
    to: string,
    message: OutboundMessage,
    key: string,
  ): Promise<SendResult> {
    const reply = await this.call(account, { op: 'send', to, message, key });
    return reply as SendResult;
  }

  async sendTyping(account: ConnectorAccount, to: string, active: boolean): Promise<void> {
    await this.call(account, { op: 'typing', to, active });
  }

  private async call(
    account: ConnectorAccount,
    request:
      | { op: 'send'; to: string; message: OutboundMessage; key: string }
      | { op: 'typing'; to: string; active: boolean },
  ): Promise<unknown> {
    const redis = await this.connection();
    const holder = await redis.get(this.lockKey(account.id));
    if (!holder || holder === this.nodeId)
      throw new SendError('no node holds the connection of this account yet', true);
    const id = randomUUID();
    const answered = new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({
          kind: 'reply',
          id,
          error: { reason: 'the node holding the connection did not answer', retryable: true },
        });
      }, RELAY_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
    });
    const call = { kind: 'call', id, from: this.nodeId, accountId: account.id, ...request } as Call;
    await redis.publish(this.inbox(holder), JSON.stringify(call));
    const reply = await answered;
    if (reply.error)
      throw new SendError(reply.error.reason, reply.error.retryable, reply.error.retryAfterSeconds);
    return reply.result;
  }

  private async onRelayMessage(text: string): Promise<void> {
    let message: Call | Reply;
    try {
      message = JSON.parse(text) as Call | Reply;
    } catch {
      return;
    }
    if (message.kind === 'reply') {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      waiting.resolve(message);
      return;
    }
    const reply: Reply = { kind: 'reply', id: message.id };
    const held = this.held.get(message.accountId);
    try {
      if (!held) throw new SendError('this node no longer holds the connection', true);
      reply.result =
        message.op === 'send'
          ? await held.connector.send(held.account, message.to, message.message, message.key)
          : await held.connector.sendTyping?.(held.account, message.to, message.active);
    } catch (error) {
      reply.error =
        error instanceof SendError
          ? { reason: error.reason, retryable: error.retryable, retryAfterSeconds: error.retryAfterSeconds }
          : { reason: error instanceof Error ? error.message : String(error), retryable: true };
    }
    await this.redis?.publish(this.inbox(message.from), JSON.stringify(reply)).catch(() => undefined);
  }
}
