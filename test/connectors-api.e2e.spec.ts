import { randomBytes } from 'node:crypto';
import { ack, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import {
  ESTIMATE_PDF,
  PHOTO_PNG,
  signedFileLink,
  tempStorageDir,
  uploadAsAgent,
  uploadPhotoAndPdf,
} from './support/agent-upload.js';
import { FakeApiPartner } from './support/fake-providers/api-channel.js';
import { PublicAddress } from './support/fake-providers/public-address.js';
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
  let publicAddress: PublicAddress;
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
    publicAddress = await new PublicAddress().start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      DELIVERY_BACKOFF_MS: '100',
      PUBLIC_URL: publicAddress.url,
      STORAGE_DIR: tempStorageDir(),
    });
    node = await env.startNode();
    publicAddress.target = node.url;
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
    await publicAddress.stop();
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

  it("sends an agent's files as one message each, the text with the first, which the partner downloads", async () => {
    const assigned = assignedTo('cust-files');
    await webhook({ type: 'message', id: 'f-1', from: { id: 'cust-files' }, text: 'Where is my estimate?' });
    const conversationId = (await assigned).conversation.id;
    const token = org.agents[0].token;
    const { photo, pdf } = await uploadPhotoAndPdf(node, token, conversationId, {
      photo: 'Front bumper.png',
    });
    const before = partner.sends().length;

    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'api-files',
      body: 'The photo and your estimate',
      attachmentIds: [photo.id, pdf.id],
    });
    expect(reply.ok).toBe(true);
    expect(await sent).toEqual({ conversationId, messageId: reply.data.id, status: 'sent', reason: null });

    const signedLink = (id: string) => signedFileLink(publicAddress.url, id);
    const sends = partner.sends().slice(before);
    expect(sends.map((r) => r.json)).toEqual([
      {
        type: 'message',
        id: reply.data.id,
        to: 'cust-files',
        text: 'The photo and your estimate',
        attachments: [
          {
            url: signedLink(photo.id),
            contentType: 'image/png',
            fileName: 'Front bumper.png',
            size: PHOTO_PNG.length,
          },
        ],
      },
      {
        type: 'message',
        id: `${reply.data.id}:1`,
        to: 'cust-files',
        text: '',
        attachments: [
          {
            url: signedLink(pdf.id),
            contentType: 'application/pdf',
            fileName: 'estimate.pdf',
            size: ESTIMATE_PDF.length,
          },
        ],
      },
    ]);
    expect(sends.map((r) => r.headers['idempotency-key'])).toEqual([reply.data.id, `${reply.data.id}:1`]);
    // Links sent to networks live MESSAGING_FILE_URL_TTL_HOURS (default a week), not the console's minutes.
    const expires = Number(new URL(sends[0].json.attachments[0].url).searchParams.get('expires'));
    expect(expires).toBeGreaterThan(Date.now() / 1000 + 167 * 3600);
    expect(partner.fetchedFiles.slice(-2).map((f) => [f.status, f.contentType, f.body])).toEqual([
      [200, 'image/png', PHOTO_PNG],
      [200, 'application/pdf', ESTIMATE_PDF],
    ]);

    // Each file is its own provider message: its own id and its own status; the agent sees the message
    // read once both are.
    const parts = await env.query<{ part: number; provider_message_id: string }>(
      `SELECT part, provider_message_id FROM channel_delivery WHERE message_id = $1 ORDER BY part`,
      [reply.data.id],
    );
    expect(parts.map((p) => p.part)).toEqual([0, 1]);
    expect(new Set(parts.map((p) => p.provider_message_id)).size).toBe(2);
    const updates: any[] = [];
    agent.on('message:delivery', (d: any) => d.messageId === reply.data.id && updates.push(d));
    await webhook({ type: 'status', messageId: parts[0].provider_message_id, status: 'read' });
    const read = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'read');
    await webhook({ type: 'status', messageId: parts[1].provider_message_id, status: 'read' });
    await read;
    expect(updates.map((u) => u.status)).toEqual(['sent', 'read']);
  });

  it('retries a file the partner could not take without sending the parts before it again', async () => {
    const assigned = assignedTo('cust-retry');
    await webhook({ type: 'message', id: 'fr-1', from: { id: 'cust-retry' }, text: 'Both files please' });
    const conversationId = (await assigned).conversation.id;
    const token = org.agents[0].token;
    const files = [
      await uploadAsAgent(node, token, conversationId, {
        body: PHOTO_PNG,
        contentType: 'image/png',
        name: 'a.png',
      }),
      await uploadAsAgent(node, token, conversationId, {
        body: ESTIMATE_PDF,
        contentType: 'application/pdf',
        name: 'b.pdf',
      }),
    ];
    const before = partner.sends().length;
    partner.failNextSends(
      { status: 200, body: { id: 'partner-first' } },
      { status: 503, body: { error: 'busy' } },
    );
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent', 8000);
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'api-retry',
      body: '',
      attachmentIds: files.map((f) => f.id),
    });
    await sent;
    expect(
      partner
        .sends()
        .slice(before)
        .map((r) => r.json.id),
    ).toEqual([reply.data.id, `${reply.data.id}:1`, `${reply.data.id}:1`]);
    expect(
      await env.query(
        `SELECT part, attempts, provider_message_id FROM channel_delivery WHERE message_id = $1 ORDER BY part`,
        [reply.data.id],
      ),
    ).toEqual([
      { part: 0, attempts: 1, provider_message_id: 'partner-first' },
      { part: 1, attempts: 2, provider_message_id: expect.stringMatching(/^partner-/) },
    ]);
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

describe('files to a messaging network without PUBLIC_URL', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let partner: FakeApiPartner;

  beforeAll(async () => {
    partner = await new FakeApiPartner(SECRET).start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      STORAGE_DIR: tempStorageDir(),
    });
    node = await env.startNode();
  });

  afterAll(async () => {
    await env?.close();
    await partner?.stop();
  });

  it('sends the text, and fails the file at once with the reason shown to the agent', async () => {
    const org = await createOrganisation(node, { agentCount: 1, capacity: 5 });
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
    const agent = (await connectAgent(node, org.agents[0].token)).socket;
    try {
      await ack(agent, 'availability:set', { availability: 'available' });
      const assigned = nextEvent<any>(agent, 'conversation:assigned');
      const body = JSON.stringify({
        type: 'message',
        id: 'n-1',
        from: { id: 'cust-n' },
        text: 'Photo please',
      });
      await http(node, 'POST', `/webhooks/api/${created.body.id}`, {
        body,
        headers: apiHeaders(body, SECRET),
      });
      const conversationId = (await assigned).conversation.id;
      const photo = await uploadAsAgent(node, org.agents[0].token, conversationId, {
        body: PHOTO_PNG,
        contentType: 'image/png',
        name: 'Front bumper.png',
      });
      const failed = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'failed');
      const reply = await ack(agent, 'message:send', {
        conversationId,
        clientId: 'n-photo',
        body: 'Here it is',
        attachmentIds: [photo.id],
      });
      expect(reply.ok).toBe(true);
      expect(await failed).toEqual({
        conversationId,
        messageId: reply.data.id,
        status: 'failed',
        reason: 'set PUBLIC_URL so api can fetch the file ("Front bumper.png" was not sent)',
      });
      await until(async () => partner.sends().length === 1);
      expect(partner.sends()[0].json).toEqual({
        type: 'message',
        id: reply.data.id,
        to: 'cust-n',
        text: 'Here it is',
      });
      expect(
        await env.query(
          `SELECT part, status, attempts FROM channel_delivery WHERE message_id = $1 ORDER BY part`,
          [reply.data.id],
        ),
      ).toEqual([
        { part: 0, status: 'sent', attempts: 1 },
        { part: 1, status: 'failed', attempts: 1 },
      ]);
    } finally {
      agent.disconnect();
    }
  });
});
