import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the housekeeping deletions need: processed raw inbound events by age, the inbound dedupe rows
 * pointing at an event (its foreign key is `ON DELETE SET NULL`: without an index every deleted event
 * scans that table), and uploads never sent, by age.
 *
 * Built CONCURRENTLY, outside a transaction: `channel_inbound_event` kept every event until now and may
 * be large, and a plain CREATE INDEX would hold webhook intake for as long as the build takes. A build
 * that failed half-way leaves an invalid index of the same name behind, so each is dropped first.
 */
export class HousekeepingIndexes1764245000000 implements MigrationInterface {
  name = 'HousekeepingIndexes1764245000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    const indexes: [name: string, definition: string][] = [
      [
        'channel_inbound_event_processed_idx',
        `channel_inbound_event (received_at) WHERE status = 'processed'`,
      ],
      ['channel_inbound_message_event_idx', `channel_inbound_message (event_id) WHERE event_id IS NOT NULL`],
      ['attachment_unsent_idx', `attachment (created_at) WHERE message_id IS NULL`],
    ];
    for (const [name, definition] of indexes) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY ${name} ON ${definition}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      'attachment_unsent_idx',
      'channel_inbound_message_event_idx',
      'channel_inbound_event_processed_idx',
    ]) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    }
  }
}
