import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Availability changes forced by a supervisor or an admin, with who forced them (the audit trail of item 11). */
export class AgentStateEvents1764170000000 implements MigrationInterface {
  name = 'AgentStateEvents1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agent_state_event (
        id bigserial PRIMARY KEY,
        staff_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        availability text NOT NULL CHECK (availability IN ('available', 'away', 'offline')),
        actor_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agent_state_event_staff_idx ON agent_state_event (staff_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agent_state_event`);
  }
}
