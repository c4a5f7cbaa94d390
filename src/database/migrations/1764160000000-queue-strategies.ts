import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Round-robin and manual-pick queues; round robin remembers whom the queue served last. */
export class QueueStrategies1764160000000 implements MigrationInterface {
  name = 'QueueStrategies1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE queue DROP CONSTRAINT queue_strategy_check`);
    await q.query(
      `ALTER TABLE queue ADD CONSTRAINT queue_strategy_check
         CHECK (strategy IN ('longest_idle', 'least_busy', 'round_robin', 'manual'))`,
    );
    await q.query(
      `ALTER TABLE queue ADD COLUMN last_assigned_agent_id uuid REFERENCES staff_user(id) ON DELETE SET NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE queue DROP COLUMN last_assigned_agent_id`);
    await q.query(`UPDATE queue SET strategy = 'longest_idle' WHERE strategy IN ('round_robin', 'manual')`);
    await q.query(`ALTER TABLE queue DROP CONSTRAINT queue_strategy_check`);
    await q.query(`ALTER TABLE queue ADD CONSTRAINT queue_strategy_check CHECK (strategy IN ('longest_idle', 'least_busy'))`);
  }
}
