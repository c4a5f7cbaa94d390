import { randomBytes } from 'node:crypto';
import { ack, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import {
  ESTIMATE_PDF,
  PHOTO_PNG,
  signedFileLink,
  tempStorageDir,
  uploadPhotoAndPdf,
} from './support/agent-upload.js';
import { FakeGraphApi } from './support/fake-providers/graph-api.js';
import { PublicAddress } from './support/fake-providers/public-address.js';
import { metaSignature, until } from './support/fake-providers/webhook-signing.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const APP_SECRET = 'messenger-app-secret';
const PAGE_TOKEN = 'EAAG-page-token';
const PAGE_ID = '1067280970047460';

function messaging(items: unknown[]): string {
  return JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging: items }] });
}

const from = (psid: string) => ({ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now() });

describe('Messenger connector end to end', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let graph: FakeGraphApi;
  let publicAddress: PublicAddress;
  let accountId: string;
  let agent: AgentClient;

  const webhook = (body: string, signature = metaSignature(body, APP_SECRET)) =>
    http(node, 'POST', `/webhooks/messenger/${accountId}`, {
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    });

  beforeAll(async () => {
    graph = await new FakeGraphApi(PAGE_TOKEN).start();
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
    org = await createOrganisation(node, { agentCount: 1, capacity: 5 });
    const created = await http(node, 'POST', '/admin/channel-accounts', {
      token: org.adminToken,
      body: {
        network: 'messenger',
        name: 'Acme page',
        externalId: PAGE_ID,
        defaultQueueId: org.queues.billing,
        settings: { apiBaseUrl: graph.baseUrl },
        secrets: { appSecret: APP_SECRET, pageAccessToken: PAGE_TOKEN, verifyToken: 'page-verify' },
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
    await graph.stop();
    await publicAddress.stop();
  });

  it('refuses an account with a missing required secret, naming it', async () => {
    const refused = await http(node, 'POST', '/admin/channel-accounts', {
      token: org.adminToken,
      body: {
        network: 'messenger',
        name: 'x',
        externalId: '999',
        defaultQueueId: org.queues.billing,
        secrets: { appSecret: 'a' },
      },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('secrets.pageAccessToken is required');
  });

  it('refuses a forged signature and stores nothing', async () => {
    const body = messaging([{ ...from('6954000000000001'), message: { mid: 'm_forged', text: 'forged' } }]);
    expect((await webhook(body, metaSignature(body, 'wrong'))).status).toBe(401);
    expect(await env.query(`SELECT 1 FROM channel_inbound_event`)).toHaveLength(0);
  });

  it('answers a malformed but correctly signed payload with 400 and creates no conversation', async () => {
    const body = messaging([{ ...from('6954000000000009'), message: { text: 'no mid' } }]);
    const answer = await webhook(body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('mid must be a non-empty string');
    expect(await env.query(`SELECT 1 FROM conversation`)).toHaveLength(0);
  });

  it('routes a message, replies through the Send API, and follows delivery and read watermarks', async () => {
    const psid = '6954123457912345';
    const assigned = nextEvent<any>(agent, 'conversation:assigned');
    expect(
      (
        await webhook(
          messaging([{ ...from(psid), message: { mid: 'm_1', text: 'Can I add my son to the policy?' } }]),
        )
      ).status,
    ).toBe(200);
    const assignment = await assigned;
    expect(assignment.conversation).toMatchObject({ channel: 'messenger', queueId: org.queues.billing });
    const conversationId = assignment.conversation.id;

    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'm-r1',
      body: 'Yes, from the age of 17.',
    });
    expect(reply.ok).toBe(true);
    await sent;
    const request = graph.sends().at(-1)!;
    expect(request.path).toBe('/v23.0/me/messages');
    expect(request.json).toEqual({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'Yes, from the age of 17.' },
    });

    const delivered = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'delivered');
    await webhook(messaging([{ ...from(psid), delivery: { watermark: Date.now() + 1000 } }]));
    expect(await delivered).toMatchObject({ messageId: reply.data.id, status: 'delivered' });
    const read = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'read');
    await webhook(messaging([{ ...from(psid), read: { watermark: Date.now() + 1000 } }]));
    expect(await read).toMatchObject({ messageId: reply.data.id, status: 'read' });

    // The agent's typing reaches Messenger as a sender action.
    await ack(agent, 'typing', { conversationId, isTyping: true });
    await until(async () => graph.requests.some((r) => r.json?.sender_action === 'typing_on'));
    expect(graph.requests.find((r) => r.json?.sender_action === 'typing_on')!.json).toEqual({
      recipient: { id: psid },
      sender_action: 'typing_on',
    });

    // Text and an image in one message: two transcript entries, stored once even when redelivered.
    const body = messaging([
      {
        ...from(psid),
        message: {
          mid: 'm_2',
          text: 'Here is his licence',
          attachments: [{ type: 'location', payload: { coordinates: { lat: 40.4168, long: -3.7038 } } }],
        },
      },
    ]);
    await webhook(body);
    await webhook(body);
    await until(
      async () =>
        (await env.query(`SELECT 1 FROM channel_inbound_event WHERE status = 'pending'`)).length === 0,
    );
    const stored = await env.query<{ body: string }>(
      `SELECT body FROM message WHERE conversation_id = $1 AND sender_kind = 'customer' ORDER BY seq`,
      [conversationId],
    );
    expect(stored.map((m) => m.body)).toEqual([
      'Can I add my son to the policy?',
      'Here is his licence',
      expect.stringMatching(/^Location: 40.4168, -3.7038 https:\/\/www.openstreetmap.org/),
    ]);
  });

  it("sends the agent's text first, then each file as an attachment Messenger downloads", async () => {
    const psid = '6954000000000003';
    const assigned = nextEvent<any>(agent, 'conversation:assigned');
    await webhook(messaging([{ ...from(psid), message: { mid: 'm_f1', text: 'Did the estimate come?' } }]));
    const conversationId = (await assigned).conversation.id;
    const token = org.agents[0].token;
    const { photo, pdf } = await uploadPhotoAndPdf(node, token, conversationId);
    const before = graph.sends().length;
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'm-files',
      body: 'Here it is',
      attachmentIds: [photo.id, pdf.id],
    });
    expect(reply.ok).toBe(true);
    await sent;
    const link = (id: string) => signedFileLink(publicAddress.url, id);
    const base = { recipient: { id: psid }, messaging_type: 'RESPONSE' };
    expect(
      graph
        .sends()
        .slice(before)
        .map((r) => r.json),
    ).toEqual([
      { ...base, message: { text: 'Here it is' } },
      {
        ...base,
        message: { attachment: { type: 'image', payload: { url: link(photo.id), is_reusable: false } } },
      },
      {
        ...base,
        message: { attachment: { type: 'file', payload: { url: link(pdf.id), is_reusable: false } } },
      },
    ]);
    expect(graph.fetchedFiles.slice(-2).map((f) => [f.status, f.contentType, f.body])).toEqual([
      [200, 'image/png', PHOTO_PNG],
      [200, 'application/pdf', ESTIMATE_PDF],
    ]);
    expect(
      await env.query(`SELECT part, status FROM channel_delivery WHERE message_id = $1 ORDER BY part`, [
        reply.data.id,
      ]),
    ).toEqual([
      { part: 0, status: 'sent' },
      { part: 1, status: 'sent' },
      { part: 2, status: 'sent' },
    ]);
  });

  it('refuses a free-form reply once the 24-hour window has closed', async () => {
    const psid = '6954000000000002';
    const assigned = nextEvent<any>(agent, 'conversation:assigned');
    await webhook(messaging([{ ...from(psid), message: { mid: 'm_old', text: 'Hello?' } }]));
    const conversationId = (await assigned).conversation.id;
    await env.query(
      `UPDATE channel_inbound_message SET sent_at = now() - interval '2 days' WHERE sender_external_id = $1`,
      [psid],
    );
    const refused = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'm-late',
      body: 'Sorry for the wait',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('wait for the customer to write again') },
    });
  });
});
