import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { STORAGE_DRIVER, type StorageDriver } from '../../storage/storage-driver.js';
import { ChannelAccountsService } from '../channel-accounts/channel-accounts.service.js';
import { connectorFor } from '../connectors/registry.js';
import type { InboundJob } from './inbound-jobs.js';
import { InboundEventsService } from './inbound-events.service.js';

type MediaJob = Extract<InboundJob, { name: 'media' }>['data'];

function extensionFor(contentType: string): string {
  const sub = contentType.split('/')[1]?.split(/[;+]/)[0] ?? 'bin';
  return /^[a-z0-9.-]{1,10}$/.test(sub) ? sub.replace('jpeg', 'jpg') : 'bin';
}

/**
 * Downloads a customer's media file from the network into storage (the same storage and size limit as
 * widget uploads) and posts it as the customer's message. When the download finally fails the message
 * is still posted, saying so, so the agent knows something was sent.
 */
@Injectable()
export class MediaDownloadService {
  private readonly logger = new Logger(MediaDownloadService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly accounts: ChannelAccountsService,
    private readonly inbound: InboundEventsService,
  ) {}

  async download(job: MediaJob): Promise<void> {
    if (await this.alreadyStored(job)) return;
    const account = await this.accounts.connectorAccount(job.accountId);
    const connector = account && connectorFor(account.network);
    if (!account || !connector?.fetchMedia) throw new Error('the account or its media download is gone');
    const file = await connector.fetchMedia(account, job.media, this.config.storage.uploadMaxBytes);
    const fileName = (
      job.media.fileName ??
      `${job.providerMessageId.replace(/[^A-Za-z0-9_-]/g, '').slice(-24) || 'file'}.${extensionFor(file.contentType)}`
    ).slice(0, 200);
    const stored = await this.storage.put(Readable.from(file.body), {
      contentType: file.contentType,
      fileName,
    });
    const [row]: { id: string }[] = await this.db.query(
      `INSERT INTO attachment (conversation_id, uploader_kind, uploader_id, file_name, content_type, size, storage_key)
       VALUES ($1, 'customer', $2, $3, $4, $5, $6) RETURNING id`,
      [job.conversationId, job.contactId, fileName, file.contentType, stored.size, stored.key],
    );
    await this.inbound.store(
      job.accountId,
      job.providerMessageId,
      job.conversationId,
      job.contactId,
      job.caption ?? '',
      [row.id],
    );
  }

  /** After the last attempt: the message without the file, with the reason. */
  async giveUp(job: MediaJob, reason: string): Promise<void> {
    if (await this.alreadyStored(job)) return;
    this.logger.warn(
      { accountId: job.accountId, providerMessageId: job.providerMessageId, reason },
      'media download failed',
    );
    const body = [`[The customer sent a file that could not be downloaded: ${reason}]`, job.caption]
      .filter(Boolean)
      .join('\n');
    await this.inbound.store(
      job.accountId,
      job.providerMessageId,
      job.conversationId,
      job.contactId,
      body,
      [],
    );
  }

  private async alreadyStored(job: MediaJob): Promise<boolean> {
    const rows: { message_id: string | null }[] = await this.db.query(
      `SELECT message_id FROM channel_inbound_message WHERE account_id = $1 AND provider_message_id = $2`,
      [job.accountId, job.providerMessageId],
    );
    return Boolean(rows[0]?.message_id);
  }
}
