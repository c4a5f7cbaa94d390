import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { ChannelAccountsService } from '../channel-accounts/channel-accounts.service.js';
import { MediaTooLargeError, PayloadError } from '../connectors/connector.js';
import { connectorFor } from '../connectors/registry.js';
import { InboundEventsService } from './inbound-events.service.js';
import { CHANNEL_INBOUND_QUEUE, type InboundJob } from './inbound-jobs.js';
import { MediaDownloadService } from './media-download.service.js';

interface StoredEvent {
  account_id: string;
  url: string;
  headers: Record<string, string>;
  raw_body: Buffer;
  received_at: Date;
  status: string;
}

/** Works the inbound queue: parses stored raw events and applies them; downloads media. */
@Processor(CHANNEL_INBOUND_QUEUE, { concurrency: 4 })
export class InboundProcessor extends WorkerHost {
  private readonly logger = new Logger(InboundProcessor.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: ChannelAccountsService,
    private readonly events: InboundEventsService,
    private readonly media: MediaDownloadService,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    const typed = { name: job.name, data: job.data as unknown } as InboundJob;
    switch (typed.name) {
      case 'event':
        try {
          return await this.event(typed.data.eventId);
        } catch (error) {
          // The provider already has its 200: after the last attempt the event is marked, not lost silently.
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
            await this.finish(
              typed.data.eventId,
              'failed',
              error instanceof Error ? error.message : String(error),
            );
          }
          throw error;
        }
      case 'media':
        try {
          return await this.media.download(typed.data);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          const last =
            error instanceof MediaTooLargeError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          if (last) return this.media.giveUp(typed.data, reason);
          throw error;
        }
    }
  }

  private async event(eventId: string): Promise<void> {
    const [row]: StoredEvent[] = await this.db.query(
      `SELECT account_id, url, headers, raw_body, received_at, status FROM channel_inbound_event WHERE id = $1`,
      [eventId],
    );
    if (!row || row.status === 'processed' || row.status === 'rejected') return;
    const account = await this.accounts.connectorAccount(row.account_id);
    const connector = account && connectorFor(account.network);
    if (!account || !connector) return this.finish(eventId, 'failed', 'account or network no longer exists');
    let parsed;
    try {
      parsed = connector.parse(
        { rawBody: row.raw_body, headers: row.headers, url: row.url, receivedAt: row.received_at },
        account,
      );
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      this.logger.warn(
        { eventId, network: account.network, reason: error.message },
        'webhook payload rejected',
      );
      return this.finish(eventId, 'rejected', error.message);
    }
    for (const event of parsed) await this.events.apply(connector, account, eventId, event);
    await this.finish(eventId, 'processed', null);
  }

  private async finish(
    eventId: string,
    status: 'processed' | 'rejected' | 'failed',
    error: string | null,
  ): Promise<void> {
    await this.db.query(
      `UPDATE channel_inbound_event SET status = $2, error = $3, processed_at = now() WHERE id = $1`,
      [eventId, status, error],
    );
  }
}
