import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { STORAGE_DRIVER, type StorageDriver } from '../storage/storage-driver.js';
import { DELETE_BATCH_SIZE, mayHaveMore, retentionCutoffs } from './domain/retention.js';

export interface HousekeepingResult {
  rawEvents: number;
  uploads: number;
  auditRecords: number;
}

/**
 * Deletes what the deployment no longer keeps: processed raw inbound events after
 * RAW_EVENT_RETENTION_DAYS, uploads never sent with a message after UPLOAD_ORPHAN_HOURS, and audit
 * log records after AUDIT_RETENTION_DAYS (when set).
 * Batches of DELETE_BATCH_SIZE rows, each its own short statement, so that a large backlog never holds
 * many locks for long; rows another transaction holds are skipped and left to the next run.
 */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger(HousekeepingService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One run; `signal` (shutdown) stops it between batches, the rest waits for the next run. */
  async run(signal?: AbortSignal): Promise<HousekeepingResult> {
    // The database's clock, which also stamped the rows.
    const [{ now }]: { now: Date }[] = await this.db.query(`SELECT now() AS now`);
    const {
      rawEventsReceivedBefore: eventsBefore,
      uploadsCreatedBefore: uploadsBefore,
      auditRecordsBefore: auditBefore,
    } = retentionCutoffs(now, this.config.housekeeping);
    const result: HousekeepingResult = { rawEvents: 0, uploads: 0, auditRecords: 0 };
    if (eventsBefore)
      result.rawEvents = await this.inBatches(signal, () => this.deleteRawEvents(eventsBefore));
    if (uploadsBefore)
      result.uploads = await this.inBatches(signal, () => this.deleteUnsentUploads(uploadsBefore));
    if (auditBefore)
      result.auditRecords = await this.inBatches(signal, () => this.deleteAuditRecords(auditBefore));
    if (result.rawEvents > 0 || result.uploads > 0 || result.auditRecords > 0)
      this.logger.log(result, 'housekeeping deleted old data');
    return result;
  }

  private async inBatches(signal: AbortSignal | undefined, batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      if (signal?.aborted) return total;
      const deleted = await batch();
      total += deleted;
      if (!mayHaveMore(deleted)) return total;
    }
  }

  /**
   * The audit log is append-only (a trigger refuses changes and deletions); the retention run is the one
   * deleter, and says so for its own transaction.
   */
  private async deleteAuditRecords(before: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('switchboard.audit_retention', 'on', true)`);
      const [, count]: [unknown[], number] = await tx.query(
        `DELETE FROM audit_event WHERE id IN (
           SELECT id FROM audit_event WHERE at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [before, DELETE_BATCH_SIZE],
      );
      return count;
    });
  }

  /**
   * Processed events only: pending ones are still to be applied, failed and rejected ones are kept for
   * whoever looks into why. Their dedupe rows (channel_inbound_message) stay, with the event link
   * cleared by the foreign key, so a provider's late redelivery is still recognised.
   */
  private async deleteRawEvents(receivedBefore: Date): Promise<number> {
    const [, count]: [unknown[], number] = await this.db.query(
      `DELETE FROM channel_inbound_event WHERE id IN (
         SELECT id FROM channel_inbound_event
          WHERE status = 'processed' AND received_at < $1
          ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [receivedBefore, DELETE_BATCH_SIZE],
    );
    return count;
  }

  /**
   * Rows first, files after the commit. A crash in between leaves files no row points at: wasted space,
   * never served (a file is reached only through its row). The other order could leave a row whose file
   * is gone, and a message could still claim it and send the customer a link that answers 404.
   *
   * A message claims a file by locking its row and setting `message_id`. The lock makes the select skip
   * a row being claimed, and `message_id IS NULL` on the DELETE itself is checked again on the row's
   * latest version, so a file claimed between the select and the delete is never removed.
   */
  private async deleteUnsentUploads(createdBefore: Date): Promise<number> {
    const [rows]: [{ storage_key: string }[], number] = await this.db.query(
      `DELETE FROM attachment WHERE id IN (
         SELECT id FROM attachment
          WHERE message_id IS NULL AND created_at < $1
          ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         AND message_id IS NULL
       RETURNING storage_key`,
      [createdBefore, DELETE_BATCH_SIZE],
    );
    for (const { storage_key: key } of rows) {
      try {
        await this.storage.delete(key);
      } catch (error) {
        // The row is gone already: the file can no longer be reached, only its space is lost.
        this.logger.warn({ err: error, key }, 'could not delete the file of an unsent upload');
      }
    }
    return rows.length;
  }
}
