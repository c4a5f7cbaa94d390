import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764150000000 implements MigrationInterface {
  name = 'InitialSchema1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE app_setting (key text PRIMARY KEY, value text NOT NULL)`);

    await q.query(`
      CREATE TABLE staff_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE queue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        strategy text NOT NULL DEFAULT 'longest_idle' CHECK (strategy IN ('longest_idle', 'least_busy')),
        required_skills text[] NOT NULL DEFAULT '{}',
        sla_target_seconds integer NOT NULL DEFAULT 60 CHECK (sla_target_seconds > 0),
        priority integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE queue_member (
        queue_id uuid NOT NULL REFERENCES queue(id) ON DELETE CASCADE,
        staff_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        PRIMARY KEY (queue_id, staff_id)
      )`);
    await q.query(`CREATE INDEX queue_member_staff_idx ON queue_member (staff_id)`);

    await q.query(`
      CREATE TABLE agent_state (
        staff_id uuid PRIMARY KEY REFERENCES staff_user(id) ON DELETE CASCADE,
        availability text NOT NULL DEFAULT 'offline' CHECK (availability IN ('available', 'away', 'offline')),
        connected boolean NOT NULL DEFAULT false,
        capacity integer NOT NULL DEFAULT 3 CHECK (capacity >= 0),
        skills jsonb NOT NULL DEFAULT '{}',
        availability_changed_at timestamptz NOT NULL DEFAULT now(),
        last_assigned_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text,
        email text,
        phone text,
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE contact_identity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contact_id uuid NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
        channel text NOT NULL,
        external_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (channel, external_id)
      )`);
    await q.query(`CREATE INDEX contact_identity_contact_idx ON contact_identity (contact_id)`);

    await q.query(`
      CREATE TABLE site (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        public_key text NOT NULL UNIQUE,
        allowed_origins text[] NOT NULL DEFAULT '{}',
        default_queue_id uuid NOT NULL REFERENCES queue(id),
        prechat_fields jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE conversation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contact_id uuid NOT NULL REFERENCES contact(id),
        site_id uuid REFERENCES site(id),
        channel text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'assigned', 'closed')),
        queue_id uuid NOT NULL REFERENCES queue(id),
        agent_id uuid REFERENCES staff_user(id),
        priority integer NOT NULL DEFAULT 0,
        attributes jsonb NOT NULL DEFAULT '{}',
        disposition text,
        last_seq integer NOT NULL DEFAULT 0,
        enqueued_at timestamptz NOT NULL DEFAULT now(),
        assigned_at timestamptz,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'assigned') = (agent_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX conversation_contact_idx ON conversation (contact_id, created_at DESC)`);
    await q.query(
      `CREATE INDEX conversation_waiting_idx ON conversation (queue_id, priority DESC, enqueued_at) WHERE status = 'queued'`,
    );
    // One open website conversation per visitor and site: a second tab resumes the first.
    await q.query(
      `CREATE UNIQUE INDEX conversation_open_web_uq ON conversation (contact_id, site_id) WHERE status <> 'closed' AND site_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX conversation_agent_open_idx ON conversation (agent_id) WHERE status = 'assigned'`);

    await q.query(`
      CREATE TABLE message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq > 0),
        sender_kind text NOT NULL CHECK (sender_kind IN ('customer', 'agent', 'system')),
        sender_id uuid,
        body text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        client_id text,
        internal boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        body_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
        UNIQUE (conversation_id, seq)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX message_client_id_uq ON message (conversation_id, sender_kind, client_id) WHERE client_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX message_body_tsv_idx ON message USING gin (body_tsv)`);

    await q.query(`
      CREATE TABLE conversation_event (
        id bigserial PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
        type text NOT NULL,
        queue_id uuid,
        agent_id uuid,
        actor_id uuid,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX conversation_event_conv_idx ON conversation_event (conversation_id, id)`);
    await q.query(`CREATE INDEX conversation_event_time_idx ON conversation_event (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'conversation_event',
      'message',
      'conversation',
      'site',
      'contact_identity',
      'contact',
      'agent_state',
      'queue_member',
      'queue',
      'staff_user',
      'app_setting',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
