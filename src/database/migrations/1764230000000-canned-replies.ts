import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Canned replies: short texts agents insert by shortcut (`/greeting`), managed by admins. */
export class CannedReplies1764230000000 implements MigrationInterface {
  name = 'CannedReplies1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE canned_reply (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shortcut text NOT NULL UNIQUE,
        title text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE canned_reply`);
  }
}
