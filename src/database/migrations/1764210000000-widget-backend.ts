import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The website widget's server side: per-site appearance, greeting, locale and identity secret (kept
 * encrypted); attachments (bytes in the storage driver, metadata here, claimed once by one message);
 * how far each side has read a conversation; one satisfaction rating per conversation.
 */
export class WidgetBackend1764210000000 implements MigrationInterface {
  name = 'WidgetBackend1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE site
        ADD COLUMN locale text CHECK (locale IN ('en', 'es')),
        ADD COLUMN appearance jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN greeting jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN identity_secret text`);
    await q.query(`
      ALTER TABLE conversation
        ADD COLUMN customer_read_seq integer NOT NULL DEFAULT 0 CHECK (customer_read_seq >= 0),
        ADD COLUMN agent_read_seq integer NOT NULL DEFAULT 0 CHECK (agent_read_seq >= 0)`);
    await q.query(`
      CREATE TABLE attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
        uploader_kind text NOT NULL CHECK (uploader_kind IN ('customer', 'agent')),
        uploader_id uuid NOT NULL,
        message_id uuid REFERENCES message(id) ON DELETE SET NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size integer NOT NULL CHECK (size > 0),
        storage_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachment_conversation_idx ON attachment (conversation_id)`);
    await q.query(
      `CREATE INDEX attachment_message_idx ON attachment (message_id) WHERE message_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX conversation_event_csat_uq ON conversation_event (conversation_id) WHERE type = 'csat'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX conversation_event_csat_uq`);
    await q.query(`DROP TABLE attachment`);
    await q.query(`ALTER TABLE conversation DROP COLUMN customer_read_seq, DROP COLUMN agent_read_seq`);
    await q.query(
      `ALTER TABLE site DROP COLUMN locale, DROP COLUMN appearance, DROP COLUMN greeting, DROP COLUMN identity_secret`,
    );
  }
}
