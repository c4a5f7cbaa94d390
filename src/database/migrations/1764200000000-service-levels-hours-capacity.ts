import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service levels, business hours and capacity per channel kind.
 * - queue: escalation after a wait (priority bump or overflow to another queue), maximum wait, weekly
 *   opening hours with holidays, offline mode when nobody can serve, wrap-up time after a close.
 * - agent_state: limits per channel kind (`{"web": 3, "im": 6}`); `capacity` stays the overall cap.
 * - conversation: when it was escalated (once), and when it was kept for later (offline) and why.
 */
export class ServiceLevelsHoursCapacity1764200000000 implements MigrationInterface {
  name = 'ServiceLevelsHoursCapacity1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE queue
        ADD COLUMN escalate_after_seconds integer CHECK (escalate_after_seconds >= 0),
        ADD COLUMN escalation jsonb,
        ADD COLUMN max_wait_seconds integer CHECK (max_wait_seconds > 0),
        ADD COLUMN business_hours jsonb,
        ADD COLUMN offline_when_no_agents boolean NOT NULL DEFAULT false,
        ADD COLUMN wrap_up_seconds integer CHECK (wrap_up_seconds >= 0)`);
    await q.query(`ALTER TABLE agent_state ADD COLUMN channel_capacity jsonb`);
    await q.query(`
      ALTER TABLE conversation
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN offline_at timestamptz,
        ADD COLUMN offline_reason text CHECK (offline_reason IN ('closed', 'no-agents', 'max-wait', 'offline-message'))`);
    // Wrap-up: an agent's recent closes hold slots; capacity checks look them up by agent and time.
    await q.query(`CREATE INDEX conversation_event_agent_close_idx ON conversation_event (agent_id, created_at)
                    WHERE type = 'closed' AND agent_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX conversation_event_agent_close_idx`);
    await q.query(
      `ALTER TABLE conversation DROP COLUMN escalated_at, DROP COLUMN offline_at, DROP COLUMN offline_reason`,
    );
    await q.query(`ALTER TABLE agent_state DROP COLUMN channel_capacity`);
    await q.query(`
      ALTER TABLE queue
        DROP COLUMN escalate_after_seconds, DROP COLUMN escalation, DROP COLUMN max_wait_seconds,
        DROP COLUMN business_hours, DROP COLUMN offline_when_no_agents, DROP COLUMN wrap_up_seconds`);
  }
}
