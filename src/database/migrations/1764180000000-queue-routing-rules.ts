import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-queue routing rules: preferred skill levels, relaxation, pre-chat skill rules, priority aging, sticky window. */
export class QueueRoutingRules1764180000000 implements MigrationInterface {
  name = 'QueueRoutingRules1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE queue
        ADD COLUMN skill_levels jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN relaxation jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN answer_rules jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN priority_aging jsonb,
        ADD COLUMN sticky_window_seconds integer NOT NULL DEFAULT 0 CHECK (sticky_window_seconds >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE queue
        DROP COLUMN skill_levels, DROP COLUMN relaxation, DROP COLUMN answer_rules, DROP COLUMN priority_aging,
        DROP COLUMN sticky_window_seconds`);
  }
}
