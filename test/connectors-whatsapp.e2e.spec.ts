import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ack, collect, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import {
  ESTIMATE_PDF,
  PHOTO_PNG,
  signedFileLink,
  uploadAsAgent,
  uploadPhotoAndPdf,
} from './support/agent-upload.js';
import { FAKE_JPEG, FakeGraphApi } from './support/fake-providers/graph-api.js';
import { PublicAddress } from './support/fake-providers/public-address.js';
import { metaSignature, until } from './support/fake-providers/webhook-signing.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const APP_SECRET = 'wa-app-secret-0123456789';
const ACCESS_TOKEN = 'EAAG-wa-access-token';
const PHONE_NUMBER_ID = '106540352242922';

let seq = 0;
const wamid = () => `wamid.TEST${Date.now()}${++seq}`;

/** A WhatsApp Cloud API `messages` webhook, as Meta sends it. */
function inbound(from: string, message: Record<string, unknown>, name = 'Sheena Nelson'): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [{ from, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
            },
          },
        ],
      },
    ],
  });
}

function statusWebhook(id: string, status: string, errors?: unknown[]): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              statuses: [
                {
                  id,
                  status,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: '1',
                  ...(errors ? { errors } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

const sign = (body: string, secret = APP_SECRET) => metaSignature(body, secret);

describe('WhatsApp Cloud API connector end to end', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let graph: FakeGraphApi;
  let accountId: string;
  let agent: AgentClient;
  let publicAddress: PublicAddress;
  const storageDir = mkdtempSync(join(tmpdir(), 'sb-wa-'));

  const webhook = (body: string, signature = sign(body)) =>
    http(node, 'POST', `/webhooks/whatsapp/${accountId}`, {
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    });

  beforeAll(async () => {
    graph = await new FakeGraphApi(ACCESS_TOKEN).start();
    publicAddress = await new PublicAddress().start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      DELIVERY_BACKOFF_MS: '100',
      DELIVERY_MAX_ATTEMPTS: '3',
      STORAGE_DIR: storageDir,
      UPLOAD_MAX_BYTES: '1024',
      PUBLIC_URL: publicAddress.url,
    });
    node = await env.startNode();
    publicAddress.target = node.url;
    org = await createOrganisation(node, { agentCount: 1, capacity: 10 });
    const created = await http(node, 'POST', '/admin/channel-accounts', {
      token: org.adminToken,
      body: {
        network: 'whatsapp',
        name: 'Claims WhatsApp',
        externalId: PHONE_NUMBER_ID,
        defaultQueueId: org.queues.claims,
        settings: {
          apiBaseUrl: graph.baseUrl,
          windowTemplateName: 'claim_follow_up',
          windowTemplateLanguage: 'en_GB',
        },
        secrets: { appSecret: APP_SECRET, accessToken: ACCESS_TOKEN, verifyToken: 'verify-me-please' },
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
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('keeps secrets out of the admin API and encrypted in the database', async () => {
    const listed = await http(node, 'GET', '/admin/channel-accounts', { token: org.adminToken });
    const text = JSON.stringify(listed.body);
    expect(listed.body[0]).toMatchObject({
      network: 'whatsapp',
      secretsSet: ['accessToken', 'appSecret', 'verifyToken'],
    });
    expect(text).not.toContain(APP_SECRET);
    expect(text).not.toContain(ACCESS_TOKEN);
    const [row] = await env.query<{ secrets_ciphertext: string }>(
      `SELECT secrets_ciphertext FROM channel_account WHERE id = $1`,
      [accountId],
    );
    expect(row.secrets_ciphertext).not.toContain(APP_SECRET);
    const asAgent = await http(node, 'GET', '/admin/channel-accounts', { token: org.agents[0].token });
    expect(asAgent.status).toBe(403);
  });

  it('answers the verification handshake only with the verify token', async () => {
    const ok = await http(
      node,
      'GET',
      `/webhooks/whatsapp/${accountId}?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=1158201444`,
    );
    expect(ok).toEqual({ status: 200, body: 1158201444 });
    const bad = await http(
      node,
      'GET',
      `/webhooks/whatsapp/${accountId}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`,
    );
    expect(bad.status).toBe(401);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const body = inbound('447700900001', { id: wamid(), type: 'text', text: { body: 'forged' } });
    expect((await webhook(body, sign(body, 'not-the-secret'))).status).toBe(401);
    expect((await webhook(body, 'sha256=')).status).toBe(401);
    const [{ n }] = await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM channel_inbound_event`);
    expect(n).toBe(0);
    const [{ m }] = await env.query<{ m: number }>(
      `SELECT count(*)::int AS m FROM message WHERE body = 'forged'`,
    );
    expect(m).toBe(0);
  });

  it('routes an inbound message to an agent, delivers the reply to WhatsApp and shows its statuses', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900002'),
    );
    const body = inbound('447700900002', {
      id: wamid(),
      type: 'text',
      text: { body: 'My windscreen cracked' },
    });
    expect(await webhook(body)).toEqual({ status: 200, body: { received: true } });
    const assignment = await assigned;
    expect(assignment.conversation).toMatchObject({
      channel: 'whatsapp',
      status: 'assigned',
      queueId: org.queues.claims,
    });
    expect(assignment.contact).toMatchObject({ displayName: 'Sheena Nelson', phone: '+447700900002' });
    expect(assignment.messages.map((m: any) => [m.senderKind, m.body])).toEqual([
      ['customer', 'My windscreen cracked'],
    ]);
    const conversationId = assignment.conversation.id;

    const sentState = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'wa-r1',
      body: 'Sorry to hear that. Are you safe?',
    });
    expect(reply.ok).toBe(true);
    const sent = await sentState;
    expect(sent).toEqual({ conversationId, messageId: reply.data.id, status: 'sent', reason: null });
    const request = graph.sends().at(-1)!;
    expect(request.path).toBe(`/v23.0/${PHONE_NUMBER_ID}/messages`);
    expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(request.json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447700900002',
      type: 'text',
      text: { body: 'Sorry to hear that. Are you safe?', preview_url: false },
    });

    const [{ provider_message_id: providerId }] = await env.query<{ provider_message_id: string }>(
      `SELECT provider_message_id FROM channel_delivery WHERE message_id = $1`,
      [reply.data.id],
    );
    const read = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'read');
    expect((await webhook(statusWebhook(providerId, 'read'))).status).toBe(200);
    expect(await read).toEqual({ conversationId, messageId: reply.data.id, status: 'read', reason: null });
    // A late "delivered" does not move the message back.
    expect((await webhook(statusWebhook(providerId, 'delivered'))).status).toBe(200);
    await until(
      async () =>
        (await env.query(`SELECT 1 FROM channel_inbound_event WHERE status = 'pending'`)).length === 0,
    );
    const [state] = await env.query<{ status: string }>(
      `SELECT status FROM channel_delivery WHERE message_id = $1`,
      [reply.data.id],
    );
    expect(state.status).toBe('read');

    // The customer writes again: same conversation.
    const next = nextEvent<any>(agent, 'message', (m) => m.body === 'Yes, I am fine');
    await webhook(inbound('447700900002', { id: wamid(), type: 'text', text: { body: 'Yes, I am fine' } }));
    expect((await next).conversationId).toBe(conversationId);
  });

  it("sends the agent's photo with the text as its caption and a PDF as a document, fetched by WhatsApp", async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900012'),
    );
    await webhook(inbound('447700900012', { id: wamid(), type: 'text', text: { body: 'Any news?' } }));
    const conversationId = (await assigned).conversation.id;
    const token = org.agents[0].token;
    const { photo, pdf } = await uploadPhotoAndPdf(node, token, conversationId, {
      pdf: 'Repair estimate.pdf',
    });
    const before = graph.sends().length;
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'wa-files',
      body: 'Your repair estimate',
      attachmentIds: [photo.id, pdf.id],
    });
    expect(reply.ok).toBe(true);
    await sent;
    const link = (id: string) => signedFileLink(publicAddress.url, id);
    const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '447700900012' };
    expect(
      graph
        .sends()
        .slice(before)
        .map((r) => r.json),
    ).toEqual([
      { ...base, type: 'image', image: { link: link(photo.id), caption: 'Your repair estimate' } },
      { ...base, type: 'document', document: { link: link(pdf.id), filename: 'Repair estimate.pdf' } },
    ]);
    expect(graph.fetchedFiles.slice(-2).map((f) => [f.status, f.body])).toEqual([
      [200, PHOTO_PNG],
      [200, ESTIMATE_PDF],
    ]);

    // A status for one file is about that file's provider message.
    const parts = await env.query<{ provider_message_id: string }>(
      `SELECT provider_message_id FROM channel_delivery WHERE message_id = $1 ORDER BY part`,
      [reply.data.id],
    );
    expect(parts).toHaveLength(2);
    const failed = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'failed');
    await webhook(
      statusWebhook(parts[1].provider_message_id, 'failed', [
        { code: 131053, title: 'Media upload error', message: 'Media upload error' },
      ]),
    );
    expect(await failed).toEqual({
      conversationId,
      messageId: reply.data.id,
      status: 'failed',
      reason: 'Media upload error',
    });
  });

  it('fails a file type WhatsApp does not take at once, naming it, without calling WhatsApp', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900013'),
    );
    await webhook(inbound('447700900013', { id: wamid(), type: 'text', text: { body: 'Send it please' } }));
    const conversationId = (await assigned).conversation.id;
    const gif = await uploadAsAgent(node, org.agents[0].token, conversationId, {
      body: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
      contentType: 'image/gif',
      name: 'wave.gif',
    });
    const before = graph.sends().length;
    const failed = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'failed');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'wa-gif',
      body: '',
      attachmentIds: [gif.id],
    });
    expect(reply.ok).toBe(true);
    expect(await failed).toEqual({
      conversationId,
      messageId: reply.data.id,
      status: 'failed',
      reason:
        'WhatsApp does not take image/gif files ("wave.gif"); it takes image/jpeg, image/png, application/pdf',
    });
    expect(graph.sends()).toHaveLength(before);
  });

  it('stores a message delivered three times once', async () => {
    const id = wamid();
    const body = inbound('447700900003', { id, type: 'text', text: { body: 'Duplicate me' } });
    const arrived = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900003'),
    );
    const answers = await Promise.all([webhook(body), webhook(body), webhook(body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await arrived;
    await until(
      async () =>
        (await env.query(`SELECT 1 FROM channel_inbound_event WHERE status = 'pending'`)).length === 0,
    );
    const rows = await env.query(`SELECT id FROM message WHERE body = 'Duplicate me'`);
    expect(rows).toHaveLength(1);
    expect(
      await env.query(`SELECT 1 FROM channel_inbound_event WHERE account_id = $1 AND raw_body = $2`, [
        accountId,
        Buffer.from(body),
      ]),
    ).toHaveLength(3);
  });

  it('retries after 429 with Retry-After and a 5xx without sending twice, then fails clearly on a permanent error', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900004'),
    );
    await webhook(inbound('447700900004', { id: wamid(), type: 'text', text: { body: 'Any news?' } }));
    const conversationId = (await assigned).conversation.id;

    graph.failNextSends(
      {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429 } },
      },
      { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2 } } },
    );
    const before = graph.sends().length;
    const started = Date.now();
    const sentState = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent', 10_000);
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'wa-retry',
      body: 'Still checking',
    });
    expect(reply.ok).toBe(true);
    expect((await sentState).messageId).toBe(reply.data.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(graph.sends().length - before).toBe(3);
    const [row] = await env.query<{ attempts: number; provider_message_id: string }>(
      `SELECT attempts, provider_message_id FROM channel_delivery WHERE message_id = $1`,
      [reply.data.id],
    );
    expect(row.attempts).toBe(3);

    // The same delivery job again (a crashed worker's retry) finds the provider id and sends nothing.
    await env.query(`SELECT 1`);
    const again = graph.sends().length;
    const { DeliveryQueues } = await import('../src/channels/delivery/delivery-queues.service.js');
    await node.app.get(DeliveryQueues).enqueue(accountId, reply.data.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(graph.sends().length).toBe(again);

    graph.failNextSends({
      status: 400,
      body: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026 } },
    });
    const failed = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'failed');
    const doomed = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'wa-doomed',
      body: 'This one fails',
    });
    expect(await failed).toEqual({
      conversationId,
      messageId: doomed.data.id,
      status: 'failed',
      reason: '(#131026) Message undeliverable (code 131026)',
    });
  });

  it('refuses free-form replies outside the 24-hour window and sends the template instead', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900005'),
    );
    await webhook(inbound('447700900005', { id: wamid(), type: 'text', text: { body: 'Hello' } }));
    const conversationId = (await assigned).conversation.id;
    await env.query(
      `UPDATE channel_inbound_message SET sent_at = now() - interval '25 hours' WHERE sender_external_id = '447700900005'`,
    );

    const refused = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'wa-late',
      body: 'Too late?',
    });
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('conflict');
    expect(refused.error.message).toMatch(/24-hour whatsapp messaging window is closed at .*template/);
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'Too late?'`)).toHaveLength(0);

    const before = graph.sends().length;
    const template = await http(node, 'POST', `/conversations/${conversationId}/channel-template`, {
      token: org.agents[0].token,
      body: { clientId: 'wa-tpl', parameters: ['CLM-1001'] },
    });
    expect(template.status).toBe(201);
    await until(async () => graph.sends().length > before);
    expect(graph.sends().at(-1)!.json).toMatchObject({
      to: '447700900005',
      type: 'template',
      template: {
        name: 'claim_follow_up',
        language: { code: 'en_GB' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'CLM-1001' }] }],
      },
    });
  });

  it('downloads an image into storage and shows it to the agent as an attachment', async () => {
    graph.media.set('1003383421387256', { body: FAKE_JPEG, mimeType: 'image/jpeg' });
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900006'),
    );
    const message = nextEvent<any>(agent, 'message', (m) => m.body === 'The damage', 10_000);
    await webhook(
      inbound('447700900006', {
        id: wamid(),
        type: 'image',
        image: { id: '1003383421387256', mime_type: 'image/jpeg', caption: 'The damage' },
      }),
    );
    await assigned;
    const view = await message;
    expect(view.attachments).toEqual([
      expect.objectContaining({ contentType: 'image/jpeg', size: FAKE_JPEG.length }),
    ]);
    const file = await fetch(new URL(view.attachments[0].url, node.url));
    expect(Buffer.from(await file.arrayBuffer())).toEqual(FAKE_JPEG);
  });

  it('posts a message saying so, without retrying, when a file is over the upload limit', async () => {
    graph.media.set('2003383421387256', { body: Buffer.alloc(2048, 1), mimeType: 'video/mp4' });
    const seen = collect<any>(agent, 'message');
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900008'),
    );
    await webhook(
      inbound('447700900008', {
        id: wamid(),
        type: 'video',
        video: { id: '2003383421387256', mime_type: 'video/mp4', caption: 'dashcam' },
      }),
    );
    const assignment = await assigned;
    // The message may be stored before or after the assignment is pushed.
    const view = await until(async () =>
      [...assignment.messages, ...seen].find((m: any) => m.conversationId === assignment.conversation.id),
    );
    expect(view.body).toBe(
      '[The customer sent a file that could not be downloaded: the file is 2048 bytes, over the 1024-byte limit]\ndashcam',
    );
    expect(view.attachments).toEqual([]);
    expect(graph.requests.filter((r) => r.path.endsWith('/2003383421387256'))).toHaveLength(1);
    expect(graph.requests.filter((r) => r.path.startsWith('/download/2003383421387256'))).toHaveLength(0);
  });

  it('starts an agent-initiated conversation with a template, assigned to that agent', async () => {
    const closed = await http(node, 'POST', '/conversations/outbound', {
      token: org.agents[0].token,
      body: { accountId, to: '447700900777', body: 'Hello there', clientId: 'out-0' },
    });
    expect(closed.status).toBe(409);
    expect(closed.body.message).toMatch(/messaging window/);

    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900777'),
    );
    const started = await http(node, 'POST', '/conversations/outbound', {
      token: org.agents[0].token,
      body: { accountId, to: '447700900777', template: true, parameters: ['CLM-2002'], clientId: 'out-1' },
    });
    expect(started.status).toBe(201);
    const assignment = await assigned;
    expect(assignment.conversation).toMatchObject({
      id: started.body.conversationId,
      agentId: org.agents[0].id,
      channel: 'whatsapp',
    });
    await until(async () => graph.sends().some((s) => s.json?.to === '447700900777'));
    expect(graph.sends().find((s) => s.json?.to === '447700900777')!.json.type).toBe('template');
  });
});
