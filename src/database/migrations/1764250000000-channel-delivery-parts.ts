import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agent message can take several provider messages on a messaging network (its text and each of its
 * files): `channel_delivery` gets one row per part, each with its own provider id and state. Existing
 * deliveries become part 0.
 */
export class ChannelDeliveryParts1764250000000 implements MigrationInterface {
  name = 'ChannelDeliveryParts1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE channel_delivery ADD COLUMN part integer NOT NULL DEFAULT 0 CHECK (part >= 0)`,
    );
    await q.query(`ALTER TABLE channel_delivery DROP CONSTRAINT channel_delivery_pkey`);
    await q.query(`ALTER TABLE channel_delivery ADD PRIMARY KEY (message_id, part)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM channel_delivery WHERE part > 0`);
    await q.query(`ALTER TABLE channel_delivery DROP CONSTRAINT channel_delivery_pkey`);
    await q.query(`ALTER TABLE channel_delivery ADD PRIMARY KEY (message_id)`);
    await q.query(`ALTER TABLE channel_delivery DROP COLUMN part`);
  }
}
