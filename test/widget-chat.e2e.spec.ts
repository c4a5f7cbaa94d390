import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ack,
  collect,
  connectAgent,
  connectVisitor,
  http,
  nextEvent,
  SITE_ORIGIN,
  type AgentClient,
  type VisitorClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * One chat told through both ends: read marks both ways, an internal note, a photo, the close, the
 * customer's rating and transcript download, and the rating in the reports.
 */
describe('website chat: read marks, rating, transcript, history', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let storageDir: string;
  let ana: AgentClient;
  let ben: AgentClient;
  let customer: VisitorClient;
  let customerToken: string;
  let conversationId: string;
  let stranger: VisitorClient;
  let strangerToken: string;
  const sockets: { disconnect(): unknown }[] = [];

  const transcript = (id: string, token?: string) =>
    fetch(`${node.url}/widget/conversations/${id}/transcript`, {
      headers: { origin: SITE_ORIGIN, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'sb-files-'));
    env = await TestEnvironment.create({ ...ADMIN_ENV, STORAGE_DIR: storageDir });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 1 });
    ({ socket: ana } = await connectAgent(node, org.agents[0].token));
    ({ socket: ben } = await connectAgent(node, org.agents[1].token));
    sockets.push(ana, ben);
    expect((await ack(ana, 'availability:set', { availability: 'available' })).ok).toBe(true);

    const visitor = await connectVisitor(node, org.siteKey);
    customer = visitor.socket;
    customerToken = visitor.session.token;
    sockets.push(customer);
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const started = await ack(customer, 'conversation:start', {
      prechat: { name: 'Maria Lopez', policyNumber: 'POL-77', claimType: 'Car' },
      message: { clientId: 'c-1', body: 'My car was hit\nat the lights' },
    });
    conversationId = started.data.conversation.id;
    expect(started.data.conversation).toMatchObject({ agentReadSeq: 0, customerReadSeq: 0, rated: false });
    await assigned;

    const other = await connectVisitor(node, org.siteKey);
    stranger = other.socket;
    strangerToken = other.session.token;
    sockets.push(stranger);
    expect(
      (await ack(stranger, 'conversation:start', { prechat: { name: 'Eve', policyNumber: 'POL-77' } })).ok,
    ).toBe(true);
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await env.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('tells the agent when the customer has read, and the customer when the agent has', async () => {
    const atCustomer = nextEvent<any>(customer, 'message', (m) => m.clientId === 'a-1');
    expect(
      (
        await ack(ana, 'message:send', {
          conversationId,
          clientId: 'a-1',
          body: 'Sorry to hear that. Anyone hurt?',
        })
      ).ok,
    ).toBe(true);
    const reply = await atCustomer;

    const customerRead = nextEvent<any>(ana, 'read');
    expect(await ack(customer, 'message:read', { conversationId, seq: reply.seq })).toEqual({
      ok: true,
      data: { seq: reply.seq },
    });
    expect(await customerRead).toEqual({ conversationId, seq: reply.seq, by: 'customer' });

    const agentRead = nextEvent<any>(customer, 'read');
    expect(await ack(ana, 'message:read', { conversationId, seq: 1 })).toEqual({
      ok: true,
      data: { seq: 1 },
    });
    expect(await agentRead).toEqual({ conversationId, seq: 1, by: 'agent' });
  });

  it('never moves a mark back or past the last message, and announces only a move', async () => {
    const seen = collect<any>(ana, 'read');
    expect(await ack(customer, 'message:read', { conversationId, seq: 1 })).toEqual({
      ok: true,
      data: { seq: 2 },
    });
    expect(await ack(customer, 'message:read', { conversationId, seq: 2 })).toEqual({
      ok: true,
      data: { seq: 2 },
    });
    const [{ last_seq: lastSeq }] = await env.query<{ last_seq: number }>(
      `SELECT last_seq FROM conversation WHERE id = $1`,
      [conversationId],
    );
    expect(await ack(customer, 'message:read', { conversationId, seq: 9999 })).toEqual({
      ok: true,
      data: { seq: lastSeq },
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual(lastSeq > 2 ? [{ conversationId, seq: lastSeq, by: 'customer' }] : []);
  });

  it('gives the marks back after a reconnect, to both sides', async () => {
    const again = await connectVisitor(node, org.siteKey, { token: customerToken });
    sockets.push(again.socket);
    expect(again.session.conversations).toEqual([
      expect.objectContaining({ id: conversationId, agentReadSeq: 1, customerReadSeq: 2, rated: false }),
    ]);
    const synced = await ack(ana, 'sync', { conversationId, afterSeq: 0 });
    expect(synced.data.conversation).toMatchObject({ customerReadSeq: 2, agentReadSeq: 1 });
    again.socket.disconnect();
  });

  it('refuses read marks from anyone but the two parties, and bad marks', async () => {
    expect(await ack(stranger, 'message:read', { conversationId, seq: 2 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ack(ben, 'message:read', { conversationId, seq: 2 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    for (const bad of [
      { conversationId, seq: -1 },
      { conversationId, seq: 'two' },
      { seq: 1 },
      { conversationId: 'x', seq: 1 },
      { conversationId, seq: 1.5 },
    ]) {
      expect(await ack(customer, 'message:read', bad)).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
    }
    const [row] = await env.query(
      `SELECT customer_read_seq, agent_read_seq FROM conversation WHERE id = $1`,
      [conversationId],
    );
    expect(row).toEqual({ customer_read_seq: expect.any(Number), agent_read_seq: 1 });
  });

  it('refuses a rating while the conversation is open', async () => {
    expect(await ack(customer, 'conversation:rate', { conversationId, score: 5 })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Only a closed conversation can be rated' },
    });
  });

  it('after the close: one rating from the customer only, a transcript without internal notes, and history', async () => {
    const upload = await fetch(`${node.url}/widget/conversations/${conversationId}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${customerToken}`,
        'content-type': 'image/png',
        'x-file-name': 'dent.png',
        origin: SITE_ORIGIN,
      },
      body: PNG,
    });
    const photo = (await upload.json()).attachment;
    expect(
      (
        await ack(customer, 'message:send', {
          conversationId,
          clientId: 'c-photo',
          body: 'Here',
          attachmentIds: [photo.id],
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await ack(ana, 'message:send', {
          conversationId,
          clientId: 'note',
          body: 'SECRET: customer sounds unsure',
          internal: true,
        })
      ).ok,
    ).toBe(true);
    const closed = nextEvent<any>(customer, 'conversation:closed');
    expect((await ack(ana, 'conversation:close', { conversationId, disposition: 'resolved' })).ok).toBe(true);
    await closed;

    // Rating: bad input first, then the stranger, then once.
    for (const bad of [
      { conversationId, score: 0 },
      { conversationId, score: 6 },
      { conversationId, score: 3.5 },
      { conversationId, score: '5' },
      { conversationId, score: 4, comment: 'x'.repeat(1001) },
      { conversationId, score: 4, stars: 4 },
    ]) {
      expect(await ack(customer, 'conversation:rate', bad)).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
    }
    expect(await ack(stranger, 'conversation:rate', { conversationId, score: 1 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await ack(customer, 'conversation:rate', { conversationId, score: 5, comment: 'Quick and kind' }),
    ).toEqual({ ok: true, data: { conversationId } });
    expect(await ack(customer, 'conversation:rate', { conversationId, score: 1 })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'This conversation has already been rated' },
    });
    const events = await env.query(
      `SELECT type, agent_id, queue_id, data FROM conversation_event WHERE conversation_id = $1 AND type = 'csat'`,
      [conversationId],
    );
    expect(events).toEqual([
      {
        type: 'csat',
        agent_id: org.agents[0].id,
        queue_id: org.queues.claims,
        data: { score: 5, comment: 'Quick and kind' },
      },
    ]);

    // Transcript download.
    const response = await transcript(conversationId, customerToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="transcript-/);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    const text = await response.text();
    expect(text).toMatch(/^Chat transcript — Acme Insurance\n/);
    expect(text).toMatch(
      /\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] Maria Lopez: My car was hit\n {4}at the lights\n/,
    );
    expect(text).toContain('Agent 0: Sorry to hear that. Anyone hurt?');
    expect(text).toContain('(attachment: dent.png, 70 B)');
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('customer sounds unsure');

    // History: the customer's closed conversation, without the note.
    const history = await ack(customer, 'history', {});
    expect(history.ok).toBe(true);
    expect(history.data.nextBefore).toBeNull();
    expect(history.data.conversations.map((c: any) => c.id)).toEqual([conversationId]);
    const bodies = history.data.conversations[0].messages.map((m: any) => m.body);
    expect(bodies).toContain('Here');
    expect(bodies.join(' ')).not.toContain('SECRET');
    expect(
      history.data.conversations[0].messages.find((m: any) => m.body === 'Here').attachments[0].fileName,
    ).toBe('dent.png');

    // No more uploads into a closed conversation.
    const late = await fetch(`${node.url}/widget/conversations/${conversationId}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${customerToken}`,
        'content-type': 'image/png',
        'x-file-name': 'late.png',
      },
      body: PNG,
    });
    expect(late.status).toBe(409);
  });

  it('keeps the transcript from anyone but the customer', async () => {
    expect((await transcript(conversationId, strangerToken)).status).toBe(403);
    expect((await transcript(conversationId)).status).toBe(401);
    expect((await transcript(conversationId, org.agents[0].token)).status).toBe(401);
    expect((await transcript('00000000-0000-4000-8000-000000000000', customerToken)).status).toBe(404);
    expect((await transcript('not-a-uuid', customerToken)).status).toBe(400);
  });

  it('refuses bad history requests', async () => {
    for (const bad of [{ limit: 0 }, { limit: 21 }, { before: 'yesterday' }, { before: 5 }, { page: 2 }]) {
      expect(await ack(customer, 'history', bad)).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
    }
    const older = await ack(customer, 'history', { before: '2000-01-01T00:00:00Z' });
    expect(older).toEqual({ ok: true, data: { conversations: [], nextBefore: null } });
  });

  it('puts the rating in the queue and agent reports: average, median and count', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bucket=day`;
    const queues = await http(node, 'GET', `/reports/queues?${query}`, { token: org.adminToken });
    expect(queues.status).toBe(200);
    const claims = queues.body.rows.filter((r: any) => r.queue.id === org.queues.claims);
    expect(claims.map((r: any) => r.csat)).toContainEqual({ average: 5, median: 5, n: 1 });
    const agents = await http(node, 'GET', `/reports/agents?${query}`, { token: org.adminToken });
    const anaRows = agents.body.rows.filter((r: any) => r.agent.id === org.agents[0].id);
    expect(anaRows.map((r: any) => r.csat)).toContainEqual({ average: 5, median: 5, n: 1 });
    const csv = await fetch(`${node.url}/reports/queues?${query}&format=csv`, {
      headers: { authorization: `Bearer ${org.adminToken}` },
    });
    const [header, ...rows] = (await csv.text()).trim().split('\n');
    expect(header.endsWith('csat_avg,csat_n,csat_median')).toBe(true);
    expect(rows.some((row) => row.endsWith(',5,1,5'))).toBe(true);
  });
});
