import { randomBytes } from 'node:crypto';
import { ack, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import { FakeApiPartner } from './support/fake-providers/api-channel.js';
import { apiHeaders, until } from './support/fake-providers/webhook-signing.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/config.js';

const SECRET = 'partner-shared-secret';

describe('generic API channel end to end, and contacts across channels', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let partner: FakeApiPartner;
  let accountId: string;
  let agent: AgentClient;

  const webhook = (event: unknown, at = new Date(), secret = SECRET) => {
    const body = JSON.stringify(event);
    return http(node, 'POST', `/webhooks/api/${accountId}`, { body, headers: apiHeaders(body, secret, at) });
  };
  const assignedTo = (externalId: string) =>
    nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === externalId),
    );

  beforeAll(async () => {
    partner = await new FakeApiPartner(SECRET).start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      DELIVERY_BACKOFF_MS: '100',
    });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 1, capacity: 10 });
    const created = await http(node, 'POST', '/admin/channel-accounts', {
      token: org.adminToken,
      body: {
        network: 'api',
        name: 'Broker app',
        externalId: 'broker-app',
        defaultQueueId: org.queues.claims,
        settings: { outboundUrl: partner.outboundUrl },
        secrets: { signingSecret: SECRET },
      },
    });
    expect(created.status).toBe(201);
    accountId = created.body.id;
    agent = (await connectAgent(node, org.agents[0].token)).socket;
    await ack(agent, 'availability:set', { availability: 'available' });
  });

  afterAll(async () => {
    agent?.disconnect();
    await env.close();
    await partner.stop();
  });

  it('refuses a replayed request (older than five minutes) and a wrong secret, storing nothing', async () => {
    const event = { type: 'message', id: 'r-1', from: { id: 'cust-r' }, text: 'replayed' };
    expect((await webhook(event, new Date(Date.now() - 6 * 60_000))).status).toBe(401);
    expect((await webhook(event, new Date(), 'other-secret')).status).toBe(401);
    expect(await env.query(`SELECT 1 FROM channel_inbound_event`)).toHaveLength(0);
  });

  it('routes a message, posts the signed reply to the partner, retries its 429 once, and takes its read status', async () => {
    const assigned = assignedTo('cust-1');
    expect(
      (
        await webhook({
          type: 'message',
          id: 'p-1',
          from: { id: 'cust-1', name: 'Ada' },
          text: 'Hello from the broker app',
        })
      ).status,
    ).toBe(200);
    const conversationId = (await assigned).conversation.id;

    partner.failNextSends({ status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' } });
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent', 8000);
    const reply = await ack(agent, 'message:send', { conversationId, clientId: 'api-r1', body: 'Hello Ada' });
    await sent;
    const sends = partner.sends();
    expect(sends).toHaveLength(2);
    expect(sends[1].json).toEqual({ type: 'message', id: reply.data.id, to: 'cust-1', text: 'Hello Ada' });
    expect(sends[1].headers['idempotency-key']).toBe(reply.data.id);

    const [{ provider_message_id: providerId }] = await env.query<{ provider_message_id: string }>(
      `SELECT provider_message_id FROM channel_delivery WHERE message_id = $1`,
      [reply.data.id],
    );
    const read = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'read');
    await webhook({ type: 'status', messageId: providerId, status: 'read' });
    expect(await read).toEqual({ conversationId, messageId: reply.data.id, status: 'read', reason: null });

    const typing = nextEvent<any>(agent, 'typing');
    await webhook({ type: 'typing', from: { id: 'cust-1' }, active: true });
    expect(await typing).toEqual({ conversationId, senderKind: 'customer', isTyping: true });
  });

  it('links two handles with the same verified phone to one contact, but not an unverified one', async () => {
    const first = assignedTo('cust-phone-a');
    await webhook({
      type: 'message',
      id: 'v-1',
      from: { id: 'cust-phone-a', phone: '+441632960111', phoneVerified: true },
      text: 'first handle',
    });
    const contactA = (await first).contact.id;
    const second = assignedTo('cust-phone-b');
    await webhook({
      type: 'message',
      id: 'v-2',
      from: { id: 'cust-phone-b', phone: '+441632960111', phoneVerified: true },
      text: 'second handle',
    });
    expect((await second).contact.id).toBe(contactA);
    const third = assignedTo('cust-phone-c');
    await webhook({
      type: 'message',
      id: 'v-3',
      from: { id: 'cust-phone-c', phone: '+441632960111' },
      text: 'unverified handle',
    });
    expect((await third).contact.id).not.toBe(contactA);
  });

  it('merges two contacts on staff request: one history with conversations from both', async () => {
    const a = assignedTo('merge-a');
    await webhook({ type: 'message', id: 'mg-1', from: { id: 'merge-a' }, text: 'as handle A' });
    const contactA = (await a).contact.id;
    const b = assignedTo('merge-b');
    await webhook({ type: 'message', id: 'mg-2', from: { id: 'merge-b' }, text: 'as handle B' });
    const contactB = (await b).contact.id;

    const asAgent = await http(node, 'POST', `/contacts/${contactA}/merge`, {
      token: org.agents[0].token,
      body: { sourceContactId: contactB },
    });
    expect(asAgent.status).toBe(403);
    const self = await http(node, 'POST', `/contacts/${contactA}/merge`, {
      token: org.adminToken,
      body: { sourceContactId: contactA },
    });
    expect(self.status).toBe(400);

    const merged = await http(node, 'POST', `/contacts/${contactA}/merge`, {
      token: org.adminToken,
      body: { sourceContactId: contactB },
    });
    expect(merged.status).toBe(201);
    expect(merged.body.identities.map((i: any) => i.externalId).sort()).toEqual(['merge-a', 'merge-b']);
    const history = await http(node, 'GET', `/contacts/${contactA}/conversations`, { token: org.adminToken });
    expect(history.status).toBe(200);
    expect(history.body.conversations).toHaveLength(2);
    expect((await http(node, 'GET', `/contacts/${contactB}`, { token: org.adminToken })).status).toBe(404);

    // The merged handle keeps landing on the surviving contact.
    const next = nextEvent<any>(agent, 'message', (m) => m.body === 'B again');
    await webhook({ type: 'message', id: 'mg-3', from: { id: 'merge-b' }, text: 'B again' });
    await next;
    await until(async () => (await env.query(`SELECT 1 FROM message WHERE body = 'B again'`)).length === 1);
    const [row] = await env.query<{ contact_id: string }>(
      `SELECT c.contact_id FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE m.body = 'B again'`,
    );
    expect(row.contact_id).toBe(contactA);
  });

  it('rotates a secret through PATCH without returning it, and a disabled account takes no webhooks', async () => {
    const event = { type: 'message', id: 'rot-1', from: { id: 'cust-rot' }, text: 'after rotation' };
    const rotated = await http(node, 'PATCH', `/admin/channel-accounts/${accountId}`, {
      token: org.adminToken,
      body: { secrets: { signingSecret: 'rotated-secret' } },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secretsSet).toEqual(['signingSecret']);
    expect(JSON.stringify(rotated.body)).not.toContain('rotated-secret');
    expect((await webhook(event)).status).toBe(401);
    expect((await webhook(event, new Date(), 'rotated-secret')).status).toBe(200);

    const removal = await http(node, 'PATCH', `/admin/channel-accounts/${accountId}`, {
      token: org.adminToken,
      body: { secrets: { signingSecret: '' } },
    });
    expect(removal.status).toBe(400);
    expect(JSON.stringify(removal.body)).toContain('secrets.signingSecret is required');

    const disabled = await http(node, 'PATCH', `/admin/channel-accounts/${accountId}`, {
      token: org.adminToken,
      body: { enabled: false },
    });
    expect(disabled.body.enabled).toBe(false);
    expect((await webhook({ ...event, id: 'rot-2' }, new Date(), 'rotated-secret')).status).toBe(404);
    await http(node, 'PATCH', `/admin/channel-accounts/${accountId}`, {
      token: org.adminToken,
      body: { enabled: true, secrets: { signingSecret: SECRET } },
    });
  });

  it('refuses to start without CHANNEL_SECRET_KEY once accounts have secrets, saying why', async () => {
    const { CHANNEL_SECRET_KEY: _key, ...withoutKey } = env.env;
    const app = await createApp(loadConfig(withoutKey, []));
    try {
      await expect(app.init()).rejects.toThrow(/CHANNEL_SECRET_KEY is not set but 1 channel account/);
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
