/** What the deployment keeps, and for how long (0 = keep for good). */
export interface RetentionSettings {
  /** Processed raw inbound events (webhook bodies, XMPP stanzas), in days. */
  rawEventRetentionDays: number;
  /** Uploaded files never sent with a message, in hours. */
  uploadOrphanHours: number;
  /** Audit log records, in days. */
  auditRetentionDays: number;
}

/** The moments before which data goes; null: that kind is kept. */
export interface RetentionCutoffs {
  rawEventsReceivedBefore: Date | null;
  uploadsCreatedBefore: Date | null;
  auditRecordsBefore: Date | null;
}

const HOUR_MS = 3_600_000;

/** Rows deleted per statement: short statements keep row locks and the write-ahead log burst small. */
export const DELETE_BATCH_SIZE = 1000;

export function retentionCutoffs(now: Date, settings: RetentionSettings): RetentionCutoffs {
  const before = (ms: number) => (ms > 0 ? new Date(now.getTime() - ms) : null);
  return {
    rawEventsReceivedBefore: before(settings.rawEventRetentionDays * 24 * HOUR_MS),
    uploadsCreatedBefore: before(settings.uploadOrphanHours * HOUR_MS),
    auditRecordsBefore: before(settings.auditRetentionDays * 24 * HOUR_MS),
  };
}

/**
 * Whether another batch may hold more: a full batch says the backlog may go on; a short one that the
 * statement found everything left (rows skipped because someone else holds them wait for the next run).
 */
export function mayHaveMore(deletedInBatch: number, batchSize = DELETE_BATCH_SIZE): boolean {
  return deletedInBatch >= batchSize;
}
