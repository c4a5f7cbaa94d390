import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: who did what, when, from where — staff sign-ins (and failed attempts), changes to the
 * configuration, supervisors' actions, and reads of transcripts and reports. Rows are never changed;
 * they are deleted only by the retention run (`AUDIT_RETENTION_DAYS`), which says so for its
 * transaction.
 */
export class AuditLog1764260000000 implements MigrationInterface {
  name = 'AuditLog1764260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_email text,
        actor_role text,
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
        target_type text,
        target_id text,
        ip text,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX audit_event_at_idx ON audit_event (at, id)`);
    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, id)`);
    await q.query(`CREATE INDEX audit_event_target_idx ON audit_event (target_id, id)`);
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('switchboard.audit_retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_event rows cannot be changed or deleted';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_append_only()`);
  }
}
