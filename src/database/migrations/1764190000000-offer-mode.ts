import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Offer mode per queue: conversations are offered to one agent at a time, who accepts or declines. The
 * open offer lives in its own row (one per conversation, which makes a second concurrent offer fail);
 * who was offered what is kept as `conversation_event` rows (`offered`, `offer-declined`, `offer-timeout`).
 */
export class OfferMode1764190000000 implements MigrationInterface {
  name = 'OfferMode1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE queue
        ADD COLUMN offer_timeout_seconds integer CHECK (offer_timeout_seconds >= 0),
        ADD COLUMN missed_offers_before_away integer NOT NULL DEFAULT 3 CHECK (missed_offers_before_away >= 0)`);
    await q.query(`ALTER TABLE agent_state ADD COLUMN missed_offers integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE conversation_offer (
        conversation_id uuid PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
        agent_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        offered_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX conversation_offer_agent_idx ON conversation_offer (agent_id)`);
    await q.query(`CREATE INDEX conversation_event_offer_idx ON conversation_event (conversation_id, id)
                    WHERE type IN ('offered', 'offer-declined', 'offer-timeout')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX conversation_event_offer_idx`);
    await q.query(`DROP TABLE conversation_offer`);
    await q.query(`ALTER TABLE agent_state DROP COLUMN missed_offers`);
    await q.query(
      `ALTER TABLE queue DROP COLUMN offer_timeout_seconds, DROP COLUMN missed_offers_before_away`,
    );
  }
}
