import {
  ack,
  connectAgent,
  connectVisitor,
  http,
  nextEvent,
  type AgentClient,
  type VisitorClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

/** The HTTP pieces of the agent console: canned replies, attribute corrections, transfer targets, access. */
describe('console API', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let ana: AgentClient;
  let customer: VisitorClient;
  let conversationId: string;

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2 });
    ({ socket: ana } = await connectAgent(node, org.agents[0].token));
    expect((await ack(ana, 'availability:set', { availability: 'available' })).ok).toBe(true);
    ({ socket: customer } = await connectVisitor(node, org.siteKey));
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const started = await ack(customer, 'conversation:start', {
      prechat: { name: 'Maria Lopez', policyNumber: 'POL-77', claimType: 'Car' },
      message: { clientId: 'c-1', body: 'My car was hit' },
    });
    conversationId = started.data.conversation.id;
    await assigned;
  });

  afterAll(async () => {
    ana.disconnect();
    customer.disconnect();
    await env.close();
  });

  describe('canned replies', () => {
    it('lets an admin create, change and delete them, and agents search them by shortcut', async () => {
      const admin = { token: org.adminToken };
      const greeting = await http(node, 'POST', '/admin/canned-replies', {
        ...admin,
        body: { shortcut: 'greeting', title: 'Hello', body: 'Hello, how can I help you with your claim?' },
      });
      expect(greeting.status).toBe(201);
      expect(
        (
          await http(node, 'POST', '/admin/canned-replies', {
            ...admin,
            body: { shortcut: 'gr', title: 'Hi', body: 'Hi!' },
          })
        ).status,
      ).toBe(201);
      const docs = await http(node, 'POST', '/admin/canned-replies', {
        ...admin,
        body: { shortcut: 'docs', title: 'Documents', body: 'Please send photos of the damage.' },
      });

      const agent = { token: org.agents[1].token };
      const found = await http(node, 'GET', '/canned-replies?q=gr', agent);
      expect(found.status).toBe(200);
      expect(found.body.map((r: any) => r.shortcut)).toEqual(['gr', 'greeting']);
      expect(
        (await http(node, 'GET', '/canned-replies?q=photos', agent)).body.map((r: any) => r.shortcut),
      ).toEqual(['docs']);
      expect((await http(node, 'GET', '/canned-replies', agent)).body).toHaveLength(3);

      const changed = await http(node, 'PATCH', `/admin/canned-replies/${docs.body.id}`, {
        ...admin,
        body: { body: 'Send the police report.' },
      });
      expect(changed).toMatchObject({
        status: 200,
        body: { shortcut: 'docs', body: 'Send the police report.' },
      });
      expect((await http(node, 'DELETE', `/admin/canned-replies/${greeting.body.id}`, admin)).status).toBe(
        204,
      );
      expect(
        (await http(node, 'GET', '/admin/canned-replies', admin)).body.map((r: any) => r.shortcut),
      ).toEqual(['docs', 'gr']);
      expect((await http(node, 'DELETE', `/admin/canned-replies/${greeting.body.id}`, admin)).status).toBe(
        404,
      );
    });

    it('refuses bad input, duplicates, and anyone but an admin for changes', async () => {
      const admin = { token: org.adminToken };
      expect(
        (
          await http(node, 'POST', '/admin/canned-replies', {
            ...admin,
            body: { shortcut: 'Two Words', title: 'x', body: 'x' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await http(node, 'POST', '/admin/canned-replies', {
            ...admin,
            body: { shortcut: 'ok', title: '', body: 'x' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await http(node, 'POST', '/admin/canned-replies', {
            ...admin,
            body: { shortcut: 'ok', title: 'x', body: 'x', extra: 1 },
          })
        ).status,
      ).toBe(400);
      await http(node, 'POST', '/admin/canned-replies', {
        ...admin,
        body: { shortcut: 'dup', title: 'x', body: 'x' },
      });
      expect(
        (
          await http(node, 'POST', '/admin/canned-replies', {
            ...admin,
            body: { shortcut: 'dup', title: 'y', body: 'y' },
          })
        ).status,
      ).toBe(409);

      const agent = { token: org.agents[0].token };
      expect(
        (
          await http(node, 'POST', '/admin/canned-replies', {
            ...agent,
            body: { shortcut: 'mine', title: 'x', body: 'x' },
          })
        ).status,
      ).toBe(403);
      expect((await http(node, 'GET', '/admin/canned-replies', agent)).status).toBe(403);
      expect((await http(node, 'GET', '/canned-replies?q=x')).status).toBe(401);
      const list = await http(node, 'GET', '/admin/canned-replies', admin);
      expect(list.body.map((r: any) => r.shortcut)).not.toContain('mine');
    });
  });

  describe('conversation attributes', () => {
    it('lets the assigned agent correct them, records who changed what, and tells nobody else', async () => {
      const edited = await http(node, 'PATCH', `/conversations/${conversationId}/attributes`, {
        token: org.agents[0].token,
        body: { attributes: { policyNumber: 'POL-78', claimType: '', incidentDate: '2026-11-20' } },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.attributes).toEqual({
        name: 'Maria Lopez',
        policyNumber: 'POL-78',
        incidentDate: '2026-11-20',
      });
      const events = await env.query<{ actor_id: string; data: any }>(
        `SELECT actor_id, data FROM conversation_event WHERE conversation_id = $1 AND type = 'attributes-updated'`,
        [conversationId],
      );
      expect(events).toEqual([
        {
          actor_id: org.agents[0].id,
          data: {
            changes: {
              policyNumber: { from: 'POL-77', to: 'POL-78' },
              claimType: { from: 'Car', to: null },
              incidentDate: { from: null, to: '2026-11-20' },
            },
          },
        },
      ]);
    });

    it('refuses another agent, bad names and values, and changes nothing', async () => {
      const path = `/conversations/${conversationId}/attributes`;
      expect(
        (
          await http(node, 'PATCH', path, {
            token: org.agents[1].token,
            body: { attributes: { name: 'Eve' } },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await http(node, 'PATCH', path, {
            token: org.agents[0].token,
            body: { attributes: { 'bad name': 'x' } },
          })
        ).status,
      ).toBe(400);
      expect(
        (await http(node, 'PATCH', path, { token: org.agents[0].token, body: { attributes: { name: 5 } } }))
          .status,
      ).toBe(400);
      expect(
        (await http(node, 'PATCH', path, { token: org.agents[0].token, body: { attributes: 'x' } })).status,
      ).toBe(400);
      expect((await http(node, 'PATCH', path, { body: { attributes: { name: 'x' } } })).status).toBe(401);
      const [row] = await env.query<{ attributes: any }>(
        `SELECT attributes FROM conversation WHERE id = $1`,
        [conversationId],
      );
      expect(row.attributes.name).toBe('Maria Lopez');
    });

    it('lets a supervisor correct any conversation', async () => {
      const edited = await http(node, 'PATCH', `/conversations/${conversationId}/attributes`, {
        token: org.adminToken,
        body: { attributes: { name: 'Maria López' } },
      });
      expect(edited).toMatchObject({ status: 200, body: { attributes: { name: 'Maria López' } } });
    });
  });

  describe('transfer targets and access', () => {
    it('lists queues and agents with their availability for any agent', async () => {
      const targets = await http(node, 'GET', '/workspace/transfer-targets', { token: org.agents[1].token });
      expect(targets.status).toBe(200);
      expect(targets.body.queues.map((q: any) => q.name).sort()).toEqual(['Billing', 'Claims']);
      expect(targets.body.agents).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: org.agents[0].id,
            displayName: 'Agent 0',
            availability: 'available',
          }),
          expect.objectContaining({ id: org.agents[1].id, availability: 'offline' }),
        ]),
      );
      expect(targets.body.agents.every((a: any) => !('email' in a) && !('passwordHash' in a))).toBe(true);
      expect((await http(node, 'GET', '/workspace/transfer-targets')).status).toBe(401);
    });

    it('refuses an agent the transcript of a conversation outside their queues', async () => {
      // A second customer's conversation goes to Billing, where only the first agent works.
      const { socket: other } = await connectVisitor(node, org.siteKey);
      const assigned = nextEvent<any>(ana, 'conversation:assigned');
      const started = await ack(other, 'conversation:start', {
        prechat: { name: 'Eve', policyNumber: 'POL-9' },
      });
      const id = started.data.conversation.id;
      await assigned;
      const removed = nextEvent<any>(ana, 'conversation:removed');
      expect(
        (await ack(ana, 'conversation:transfer', { conversationId: id, queueId: org.queues.billing })).ok,
      ).toBe(true);
      await removed;
      expect(
        (await http(node, 'GET', `/conversations/${id}/transcript`, { token: org.agents[1].token })).status,
      ).toBe(403);
      expect(
        (await http(node, 'GET', `/conversations/${id}/transcript`, { token: org.agents[0].token })).status,
      ).toBe(200);
      expect(
        (await http(node, 'GET', `/conversations/${id}/transcript`, { token: org.adminToken })).status,
      ).toBe(200);
      other.disconnect();
    });
  });
  describe('activity chart data', () => {
    it('gives supervisors today by 15 minutes with the answered wait, and refuses agents and bad periods', async () => {
      const today = await http(node, 'GET', '/supervision/activity', { token: org.adminToken });
      expect(today.status).toBe(200);
      expect(today.body.buckets).toHaveLength(96);
      const total = (key: string) => today.body.buckets.reduce((n: number, b: any) => n + b[key], 0);
      // Two customers started chats in this file (the second may still be waiting in Billing).
      expect(total('arrived')).toBeGreaterThanOrEqual(2);
      expect(total('answered')).toBeGreaterThanOrEqual(1);
      expect(today.body.waits.reduce((n: number, w: any) => n + w.count, 0)).toBe(total('answered'));
      const from = new Date(Date.now() + 3_600_000).toISOString();
      const empty = await http(
        node,
        'GET',
        `/supervision/activity?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 7_200_000).toISOString())}`,
        { token: org.adminToken },
      );
      expect(empty.body.buckets.every((b: any) => b.arrived === 0)).toBe(true);
      expect((await http(node, 'GET', '/supervision/activity', { token: org.agents[0].token })).status).toBe(
        403,
      );
      const open = await http(node, 'GET', '/supervision/conversations', { token: org.adminToken });
      expect(open.status).toBe(200);
      expect(open.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: conversationId,
            status: 'assigned',
            agentId: org.agents[0].id,
            agentName: 'Agent 0',
            contactName: 'Maria Lopez',
          }),
        ]),
      );
      expect(
        (await http(node, 'GET', '/supervision/conversations', { token: org.agents[0].token })).status,
      ).toBe(403);
      expect(
        (await http(node, 'GET', '/supervision/activity?from=yesterday', { token: org.adminToken })).status,
      ).toBe(400);
      expect(
        (
          await http(node, 'GET', '/supervision/activity?from=2026-11-01T00:00:00Z&to=2026-11-05T00:00:00Z', {
            token: org.adminToken,
          })
        ).status,
      ).toBe(400);
    });
  });
});
