import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messaging-network connectors: channel accounts (secrets encrypted by the application), raw inbound
 * events, the inbound dedupe key (account, provider message id), outbound deliveries with their
 * provider id and state, the account a conversation runs on, and provider-verified addresses that link
 * a customer's identities across networks.
 */
export class ChannelConnectors1764220000000 implements MigrationInterface {
  name = 'ChannelConnectors1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE channel_account (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        network text NOT NULL,
        name text NOT NULL,
        external_id text NOT NULL,
        default_queue_id uuid NOT NULL REFERENCES queue(id),
        settings jsonb NOT NULL DEFAULT '{}',
        secret_names text[] NOT NULL DEFAULT '{}',
        secrets_ciphertext text,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (network, external_id)
      )`);
    await q.query(`
      CREATE TABLE channel_inbound_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES channel_account(id) ON DELETE CASCADE,
        received_at timestamptz NOT NULL DEFAULT now(),
        url text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        raw_body bytea NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'rejected', 'failed')),
        error text,
        processed_at timestamptz
      )`);
    await q.query(`CREATE INDEX channel_inbound_event_account_idx ON channel_inbound_event (account_id, received_at DESC)`);
    await q.query(`
      CREATE TABLE channel_inbound_message (
        account_id uuid NOT NULL REFERENCES channel_account(id) ON DELETE CASCADE,
        provider_message_id text NOT NULL,
        event_id uuid REFERENCES channel_inbound_event(id) ON DELETE SET NULL,
        sender_external_id text NOT NULL,
        sent_at timestamptz NOT NULL,
        conversation_id uuid REFERENCES conversation(id) ON DELETE CASCADE,
        message_id uuid REFERENCES message(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, provider_message_id)
      )`);
    await q.query(
      `CREATE INDEX channel_inbound_message_sender_idx ON channel_inbound_message (account_id, sender_external_id, sent_at DESC)`,
    );
    await q.query(`
      CREATE TABLE channel_conversation (
        conversation_id uuid PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES channel_account(id) ON DELETE CASCADE,
        customer_external_id text NOT NULL
      )`);
    await q.query(`CREATE INDEX channel_conversation_customer_idx ON channel_conversation (account_id, customer_external_id)`);
    await q.query(`
      CREATE TABLE channel_delivery (
        message_id uuid PRIMARY KEY REFERENCES message(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES channel_account(id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
        recipient text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed')),
        provider_message_id text,
        reason text,
        attempts integer NOT NULL DEFAULT 0,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX channel_delivery_provider_uq ON channel_delivery (account_id, provider_message_id) WHERE provider_message_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX channel_delivery_recipient_idx ON channel_delivery (account_id, recipient, sent_at)`);
    await q.query(`
      CREATE TABLE contact_verified_address (
        kind text NOT NULL CHECK (kind IN ('phone', 'email')),
        value text NOT NULL,
        contact_id uuid NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, value)
      )`);
    await q.query(`CREATE INDEX contact_verified_address_contact_idx ON contact_verified_address (contact_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'contact_verified_address',
      'channel_delivery',
      'channel_conversation',
      'channel_inbound_message',
      'channel_inbound_event',
      'channel_account',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
