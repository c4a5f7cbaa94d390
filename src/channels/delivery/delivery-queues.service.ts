import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { FileLinks } from '../../attachments/file-links.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { ChannelAccountsService } from '../channel-accounts/channel-accounts.service.js';
import {
  SendError,
  type Connector,
  type ConnectorAccount,
  type OutboundMessage,
} from '../connectors/connector.js';
import { connectorFor } from '../connectors/registry.js';
import { DeliveryStatusService, returnedRows } from './delivery-status.service.js';
import { partKey, type DeliveryPart } from './domain/delivery-parts.js';
import { planRetry } from './domain/retry-plan.js';

const MAX_DELAY_MS = 10 * 60_000;
const WORKER_REFRESH_MS = 60_000;

export const deliveryQueueName = (accountId: string) => `channel-delivery-${accountId}`;

interface DeliveryRow {
  part: number;
  account_id: string;
  recipient: string;
  payload: DeliveryPart;
  attempts: number;
}

/**
 * One BullMQ queue per channel account for outbound messages: a provider's rate limit pauses that
 * account only. Each node runs a worker for every enabled account (started at boot and on first use).
 */
@Injectable()
export class DeliveryQueues implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryQueues.name);
  private readonly queues = new Map<string, { queue: Queue; worker: Worker }>();
  private closing = false;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: ChannelAccountsService,
    private readonly statuses: DeliveryStatusService,
    private readonly links: FileLinks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAll();
    // Accounts created on another node get a worker here too within a minute, so their queued messages
    // do not depend on the node that queued them.
    this.timer = setInterval(() => {
      this.ensureAll().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not list channel accounts'),
      );
    }, WORKER_REFRESH_MS);
    this.timer.unref();
  }

  private async ensureAll(): Promise<void> {
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM channel_account WHERE enabled`);
    if (!this.closing) for (const row of rows) this.ensure(row.id);
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    const all = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(all.map(({ worker }) => worker.close()));
    await Promise.all(all.map(({ queue }) => queue.close()));
  }

  async enqueue(accountId: string, messageId: string): Promise<void> {
    const { queue } = this.ensure(accountId);
    await queue.add(
      'deliver',
      { messageId },
      { jobId: `deliver-${messageId}`, removeOnComplete: true, removeOnFail: 1000 },
    );
  }

  private ensure(accountId: string): { queue: Queue; worker: Worker } {
    const existing = this.queues.get(accountId);
    if (existing) return existing;
    const connection = { url: this.config.redis.url };
    const name = deliveryQueueName(accountId);
    const prefix = this.config.redis.queuePrefix;
    const queue = new Queue(name, { connection, prefix });
    const worker = new Worker<{ messageId: string }>(name, (job, token) => this.deliver(queue, job, token), {
      connection,
      prefix,
      concurrency: 1,
      // A limiter must be set for queue.rateLimit (a provider's retry_after) to pause the worker.
      limiter: { max: 1000, duration: 1000 },
    });
    queue.on('error', (error) => this.logger.warn({ err: error }, 'delivery queue connection error'));
    worker.on('error', (error) => {
      if (!this.closing) this.logger.warn({ err: error }, 'delivery worker error');
    });
    const entry = { queue, worker };
    this.queues.set(accountId, entry);
    return entry;
  }

  /**
   * One attempt at the message's parts, in order (text before files where the text goes first). Each
   * part's provider id is recorded before the next is sent and before the job is acknowledged, and a
   * part with one recorded is not sent again: a retried or duplicated job never sends a part twice. A
   * part that fails for good is reported and the others still go; a retryable failure retries the job
   * from that part.
   */
  private async deliver(queue: Queue, job: Job<{ messageId: string }>, token?: string): Promise<void> {
    const { messageId } = job.data;
    let target: { account: ConnectorAccount; connector: Connector } | null = null;
    for (;;) {
      const [row] = returnedRows<DeliveryRow>(
        await this.db.query(
          `UPDATE channel_delivery d SET attempts = attempts + 1, updated_at = now()
            WHERE d.message_id = $1 AND d.part = (
              SELECT min(part) FROM channel_delivery
               WHERE message_id = $1 AND provider_message_id IS NULL AND status = 'pending')
            RETURNING d.part, d.account_id, d.recipient, d.payload, d.attempts`,
          [messageId],
        ),
      );
      if (!row) return;
      if (!target) {
        const account = await this.accounts.connectorAccount(row.account_id);
        const connector = account && connectorFor(account.network);
        if (!account || !connector || !account.enabled) {
          await this.statuses.failed(messageId, 'the channel account is disabled or gone');
          return;
        }
        target = { account, connector };
      }
      const failure = await this.sendPart(messageId, row, target.account, target.connector);
      if (!failure) continue;
      const plan = planRetry(row.attempts, failure, {
        maxAttempts: this.config.channels.deliveryMaxAttempts,
        baseDelayMs: this.config.channels.deliveryBackoffMs,
        maxDelayMs: MAX_DELAY_MS,
      });
      this.logger.warn(
        {
          accountId: row.account_id,
          messageId,
          part: row.part,
          attempt: row.attempts,
          reason: failure.reason,
          retry: plan.retry,
        },
        'delivery attempt failed',
      );
      if (!plan.retry) {
        await this.statuses.failed(messageId, failure.reason, row.part);
        continue;
      }
      if (plan.pauseAccountMs > 0) await queue.rateLimit(plan.pauseAccountMs);
      await job.moveToDelayed(Date.now() + plan.delayMs, token);
      throw new DelayedError();
    }
  }

  /** Sends one part and records its provider id; answers the failure when the send failed. */
  private async sendPart(
    messageId: string,
    row: DeliveryRow,
    account: ConnectorAccount,
    connector: Connector,
  ): Promise<SendError | null> {
    try {
      const message = this.outboundMessage(row.payload, connector);
      const result = await connector.send(account, row.recipient, message, partKey(messageId, row.part));
      await this.statuses.sent(messageId, row.part, result.providerMessageId);
      return null;
    } catch (error) {
      return error instanceof SendError
        ? error
        : new SendError(error instanceof Error ? error.message : String(error), true);
    }
  }

  /**
   * What the connector sends for a stored part. A file gets its link now, signed from the moment it is
   * sent; a network cannot fetch a file without PUBLIC_URL, and no retry changes that.
   */
  private outboundMessage(part: DeliveryPart, connector: Connector): OutboundMessage {
    if (part.type !== 'file') return part;
    if (!connector.capabilities.outboundMedia)
      throw new SendError(`${connector.name} cannot take files ("${part.fileName}" was not sent)`, false);
    const url = this.links.networkUrl(part.attachmentId);
    if (!url) {
      throw new SendError(
        `set PUBLIC_URL so ${connector.name} can fetch the file ("${part.fileName}" was not sent)`,
        false,
      );
    }
    const { fileName, contentType, size, caption } = part;
    return { type: 'media', url, contentType, fileName, size, ...(caption ? { caption } : {}) };
  }
}
