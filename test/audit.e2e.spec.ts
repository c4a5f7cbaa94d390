import { parse } from 'csv-parse/sync';
import { randomBytes } from 'node:crypto';
import { HousekeepingService } from '../src/housekeeping/housekeeping.service.js';
import type { AuditPage } from '../src/realtime/contracts/audit.js';
import {
  ack,
  ADMIN,
  connectAgent,
  connectVisitor,
  http,
  login,
  nextEvent,
  PASSWORD,
  type AgentClient,
} from './support/clients.js';
import {
  ADMIN_ENV,
  createOrganisation,
  createSupervisor,
  type Organisation,
} from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const SECRET = 'api-channel-signing-secret-42';

/**
 * The audit log: what staff did (and tried), recorded through the real HTTP API, read back by admins
 * as JSON or CSV; rows that cannot be changed, and a retention that can delete them.
 */
describe('audit log', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let supervisor: { id: string; token: string };
  let ana: AgentClient;
  let ben: AgentClient;
  /** An agent of Billing only: conversations in Claims are not theirs to read. */
  let cleo: { id: string; token: string };

  beforeAll(async () => {
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      AUDIT_RETENTION_DAYS: '30',
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 3 });
    supervisor = await createSupervisor(node, org);
    const created = await http(node, 'POST', '/admin/staff', {
      token: org.adminToken,
      body: {
        email: 'cleo@test.example',
        displayName: 'Cleo',
        password: PASSWORD,
        role: 'agent',
        queueIds: [org.queues.billing],
      },
    });
    expect(created.status).toBe(201);
    cleo = { id: created.body.id, token: await login(node, 'cleo@test.example', PASSWORD) };
    ana = (await connectAgent(node, org.agents[0].token)).socket;
    ben = (await connectAgent(node, org.agents[1].token)).socket;
    expect((await ack(ana, 'availability:set', { availability: 'available' })).ok).toBe(true);
  });

  afterAll(async () => {
    ana?.disconnect();
    ben?.disconnect();
    await new Promise((r) => setTimeout(r, 300));
    await env.close();
  });

  const audit = async (query = '', token = org.adminToken) => {
    const result = await http<AuditPage>(node, 'GET', `/admin/audit${query}`, {
      token,
    });
    expect(result.status).toBe(200);
    return result.body;
  };

  async function chatWithAna(name: string): Promise<string> {
    const { socket: customer } = await connectVisitor(node, org.siteKey);
    const assigned = nextEvent<any>(
      ana,
      'conversation:assigned',
      (a) => a.conversation.attributes.name === name,
    );
    const started = await ack(customer, 'conversation:start', { prechat: { name, policyNumber: 'P-1' } });
    expect(started.ok).toBe(true);
    await assigned;
    customer.disconnect();
    return started.data.conversation.id as string;
  }

  it('records sign-ins, and failed attempts with the address and the email tried', async () => {
    const wrong = await http(node, 'POST', '/auth/login', {
      body: { email: ADMIN.email, password: 'not-it-at-all' },
    });
    expect(wrong.status).toBe(401);
    const unknown = await http(node, 'POST', '/auth/login', {
      body: { email: 'nobody@test.example', password: PASSWORD },
    });
    expect(unknown.status).toBe(401);
    const { events } = await audit('?action=auth.login&limit=20');
    const failed = events.filter((e) => e.outcome === 'failed');
    expect(failed.slice(0, 2)).toEqual([
      expect.objectContaining({
        actorId: null,
        action: 'auth.login',
        targetType: 'staff',
        targetId: null,
        ip: expect.stringMatching(/127\.0\.0\.1/),
        data: { email: 'nobody@test.example' },
      }),
      expect.objectContaining({ actorId: null, data: { email: ADMIN.email } }),
    ]);
    // The successful sign-ins of the set-up: the supervisor's among them, with who it was.
    expect(events).toContainEqual(
      expect.objectContaining({
        actorId: supervisor.id,
        actorEmail: 'sam@test.example',
        actorRole: 'supervisor',
        outcome: 'ok',
        targetId: supervisor.id,
      }),
    );
    // No password is ever stored.
    const stored = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE data::text LIKE '%' || $1 || '%' OR data::text LIKE '%' || $2 || '%'`,
      ['not-it-at-all', PASSWORD],
    );
    expect(stored[0].n).toBe(0);
  });

  it('records configuration changes with what was asked, secrets redacted, and the created id as target', async () => {
    const created = await http(node, 'POST', '/admin/queues', {
      token: org.adminToken,
      body: { name: 'Fraud', strategy: 'round_robin' },
    });
    expect(created.status).toBe(201);
    expect(
      (
        await http(node, 'PATCH', `/admin/queues/${created.body.id}`, {
          token: org.adminToken,
          body: { priority: 3 },
        })
      ).status,
    ).toBe(200);
    expect(
      (await http(node, 'DELETE', `/admin/queues/${created.body.id}`, { token: org.adminToken })).status,
    ).toBe(204);
    const account = await http(node, 'POST', '/admin/channel-accounts', {
      token: org.adminToken,
      body: {
        network: 'api',
        name: 'Broker app',
        externalId: 'broker-app',
        defaultQueueId: org.queues.claims,
        settings: { outboundUrl: 'https://broker.example/out' },
        secrets: { signingSecret: SECRET },
      },
    });
    expect(account.status).toBe(201);

    const { events } = await audit(`?targetId=${created.body.id}`);
    expect(events.map((e) => [e.action, e.outcome, e.targetType, e.actorEmail])).toEqual([
      ['queue.delete', 'ok', 'queue', ADMIN.email],
      ['queue.update', 'ok', 'queue', ADMIN.email],
      ['queue.create', 'ok', 'queue', ADMIN.email],
    ]);
    expect(events[1].data).toEqual({ params: { id: created.body.id }, body: { priority: 3 } });
    expect(events[2].data).toEqual({ body: { name: 'Fraud', strategy: 'round_robin' } });

    const [accountRecord] = (await audit(`?action=channel-account.create`)).events;
    expect(accountRecord).toMatchObject({ targetId: account.body.id, outcome: 'ok' });
    expect(accountRecord.data.body).toMatchObject({ name: 'Broker app', secrets: '[redacted]' });
    const leaked = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE data::text LIKE '%' || $1 || '%'`,
      [SECRET],
    );
    expect(leaked[0].n).toBe(0);
  });

  it('records who read which transcript, and an agent refused one that is not theirs', async () => {
    const conversationId = await chatWithAna('Audited Customer');
    expect(
      (await http(node, 'GET', `/conversations/${conversationId}/transcript`, { token: supervisor.token }))
        .status,
    ).toBe(200);
    // Cleo works another queue: refused, and the attempt is on record.
    expect(
      (await http(node, 'GET', `/conversations/${conversationId}/transcript`, { token: cleo.token })).status,
    ).toBe(403);
    const reassigned = await http(node, 'POST', `/supervision/conversations/${conversationId}/close`, {
      token: supervisor.token,
      body: { disposition: 'Closed by supervisor' },
    });
    expect(reassigned.status).toBe(200);

    const { events } = await audit(`?targetId=${conversationId}`);
    expect(events.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
      ['conversation.close', 'ok', supervisor.id],
      ['transcript.read', 'denied', cleo.id],
      ['transcript.read', 'ok', supervisor.id],
    ]);
    expect(events[0].data.body).toEqual({ disposition: 'Closed by supervisor' });
  });

  it('lets only admins read it, filters by action prefix and actor, and pages newest first', async () => {
    expect((await http(node, 'GET', '/admin/audit')).status).toBe(401);
    expect((await http(node, 'GET', '/admin/audit', { token: supervisor.token })).status).toBe(403);
    expect((await http(node, 'GET', '/admin/audit', { token: org.agents[0].token })).status).toBe(403);

    const queueChanges = await audit('?action=queue.');
    expect(queueChanges.events.length).toBeGreaterThanOrEqual(5); // the set-up's two queues and the test's three
    expect(queueChanges.events.every((e) => e.action.startsWith('queue.'))).toBe(true);

    const bySupervisor = await audit(`?actorId=${supervisor.id}`);
    expect(bySupervisor.events.length).toBeGreaterThan(0);
    expect(bySupervisor.events.every((e) => e.actorId === supervisor.id)).toBe(true);

    const all = (await audit('?limit=500')).events;
    // Reading the log adds to it: page from just above the newest record seen.
    const top = Number(all[0].id) + 1;
    const first = await audit(`?limit=3&before=${top}`);
    expect(first.events).toEqual(all.slice(0, 3));
    const second = await audit(`?limit=3&before=${first.next}`);
    expect(second.events).toEqual(all.slice(3, 6));
    const ids = all.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const since = new Date(Date.now() - 60_000).toISOString();
    expect(
      (await audit(`?from=${since}&to=${new Date(Date.now() + 60_000).toISOString()}`)).events.length,
    ).toBeGreaterThan(0);
    expect((await audit(`?to=${since}`)).events.filter((e) => e.action !== 'audit.read')).toEqual([]);
  });

  it('refuses a malformed query with 400', async () => {
    for (const query of [
      '?limit=0',
      '?limit=501',
      '?action=DROP TABLE',
      '?from=yesterday',
      '?before=abc',
      '?actorId=x',
      '?unknown=1',
    ]) {
      const result = await http(node, 'GET', `/admin/audit${query}`, { token: org.adminToken });
      expect({ query, status: result.status }).toEqual({ query, status: 400 });
    }
    const backwards = await http(
      node,
      'GET',
      '/admin/audit?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z',
      {
        token: org.adminToken,
      },
    );
    expect(backwards.status).toBe(400);
  });

  it('exports every matching record as CSV, and records that it was read', async () => {
    const response = await fetch(`${node.url}/admin/audit?action=queue.&format=csv`, {
      headers: { authorization: `Bearer ${org.adminToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="switchboard-audit.csv"/,
    );
    const rows: Record<string, string>[] = parse(await response.text(), { columns: true });
    const json = (await audit('?action=queue.&limit=500')).events;
    expect(rows.map((r) => r.id)).toEqual(json.map((e) => e.id));
    expect(rows[0]).toMatchObject({ action: json[0].action, actor_email: ADMIN.email, outcome: 'ok' });
    expect(JSON.parse(rows[0].data)).toEqual(json[0].data);

    const reads = (await audit('?action=audit.read&limit=500')).events;
    expect(reads[0]).toMatchObject({ actorId: expect.any(String), outcome: 'ok' });
    expect(reads.some((e) => (e.data.query as { format?: string } | undefined)?.format === 'csv')).toBe(true);
  });

  it('exports every conversation started in a period, whole, as NDJSON for admins, and records the export', async () => {
    const conversationId = await chatWithAna('Exported Customer');
    expect(
      (
        await ack(ana, 'message:send', {
          conversationId,
          clientId: 'x-1',
          body: 'Photos received',
          internal: true,
        })
      ).ok,
    ).toBe(true);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const path = `/admin/export/conversations?from=${from}&to=${to}`;
    expect((await http(node, 'GET', path, { token: supervisor.token })).status).toBe(403);
    expect(
      (
        await http(node, 'GET', path.replace(from, to).replace(/to=.*$/, `to=${from}`), {
          token: org.adminToken,
        })
      ).status,
    ).toBe(400);
    expect(
      (await http(node, 'GET', `/admin/export/conversations?from=${from}`, { token: org.adminToken })).status,
    ).toBe(400);
    expect(
      (
        await http(
          node,
          'GET',
          `/admin/export/conversations?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
          { token: org.adminToken },
        )
      ).status,
    ).toBe(400);

    const response = await fetch(node.url + path, { headers: { authorization: `Bearer ${org.adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="switchboard-conversations-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.ndjson"/,
    );
    const lines = (await response.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const inDatabase = await env.query<{ id: string }>(
      `SELECT id FROM conversation WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id`,
      [from, to],
    );
    expect(lines.map((l) => l.conversation.id)).toEqual(inDatabase.map((r) => r.id));
    const exported = lines.find((l) => l.conversation.id === conversationId);
    expect(exported.contact.id).toEqual(expect.any(String));
    expect(exported.messages.map((m: any) => [m.body, m.internal])).toEqual([['Photos received', true]]);
    expect(exported.events.map((e: any) => e.type)).toEqual(['queued', 'assigned']);

    // Across batches (100 a query), with conversations started at the same instant: each exactly once, in order.
    const [contact] = await env.query<{ id: string }>(
      `SELECT contact_id AS id FROM conversation WHERE id = $1`,
      [conversationId],
    );
    await env.query(
      `INSERT INTO conversation (contact_id, channel, status, queue_id, attributes, enqueued_at, created_at, closed_at)
       SELECT $1, 'web', 'closed', $2, '{}', t, t, t
         FROM (SELECT timestamptz '2026-03-01 10:00:00.123456+00' + (g / 3) * interval '1 millisecond' AS t
                 FROM generate_series(1, 230) g) s`,
      [contact.id, org.queues.claims],
    );
    const old = await fetch(
      `${node.url}/admin/export/conversations?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z`,
      { headers: { authorization: `Bearer ${org.adminToken}` } },
    );
    const oldIds = (await old.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).conversation.id as string);
    const expected = await env.query<{ id: string }>(
      `SELECT id FROM conversation WHERE created_at < '2026-03-02' ORDER BY created_at, id`,
    );
    expect(oldIds).toHaveLength(230);
    expect(oldIds).toEqual(expected.map((r) => r.id));

    const records = (await audit('?action=conversation.export')).events;
    expect(records[1]).toMatchObject({
      actorEmail: ADMIN.email,
      outcome: 'ok',
      data: { query: { from, to } },
    });
  });

  it('keeps records unchangeable; only the retention run deletes, and only what is older than its days', async () => {
    await expect(env.query(`UPDATE audit_event SET action = 'nothing'`)).rejects.toThrow(/cannot be changed/);
    await expect(env.query(`DELETE FROM audit_event`)).rejects.toThrow(/cannot be changed/);
    await expect(env.query(`TRUNCATE audit_event`)).rejects.toThrow(/cannot be changed/);
    await env.query(
      `INSERT INTO audit_event (at, action, outcome) VALUES (now() - interval '31 days', 'old.thing', 'ok'),
                                                            (now() - interval '29 days', 'recent.thing', 'ok')`,
    );
    const before = await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event`);
    const result = await node.app.get(HousekeepingService).run();
    expect(result.auditRecords).toBe(1);
    const actions = (await env.query<{ action: string }>(`SELECT action FROM audit_event`)).map(
      (r) => r.action,
    );
    expect(actions).not.toContain('old.thing');
    expect(actions).toContain('recent.thing');
    expect(actions).toHaveLength(before[0].n - 1);
  });
});
