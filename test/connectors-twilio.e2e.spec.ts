import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ack, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import { ESTIMATE_PDF, PHOTO_PNG, signedFileLink, uploadAsAgent } from './support/agent-upload.js';
import { FAKE_JPEG } from './support/fake-providers/graph-api.js';
import { PublicAddress } from './support/fake-providers/public-address.js';
import { FakeTwilioApi } from './support/fake-providers/twilio.js';
import { until } from './support/fake-providers/webhook-signing.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const SMS_NUMBER = '+447700900100';
const WA_NUMBER = '+447700900200';

const sid = (prefix = 'SM') => `${prefix}${randomBytes(16).toString('hex')}`;

/** An incoming message webhook as Twilio posts it. */
function incoming(from: string, to: string, extra: Record<string, string>): Record<string, string> {
  const messageSid = extra.MessageSid ?? sid();
  return {
    ToCountry: 'GB',
    SmsMessageSid: messageSid,
    NumMedia: '0',
    SmsSid: messageSid,
    SmsStatus: 'received',
    FromCountry: 'GB',
    To: to,
    NumSegments: '1',
    MessageSid: messageSid,
    AccountSid: ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

function statusCallback(
  messageSid: string,
  status: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SmsSid: messageSid,
    SmsStatus: status,
    MessageStatus: status,
    To: '+447700900301',
    MessageSid: messageSid,
    AccountSid: ACCOUNT_SID,
    From: SMS_NUMBER,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

describe('Twilio SMS and WhatsApp connectors end to end', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let twilio: FakeTwilioApi;
  let smsAccount: string;
  let waAccount: string;
  let agent: AgentClient;
  let publicAddress: PublicAddress;
  const storageDir = mkdtempSync(join(tmpdir(), 'sb-twilio-'));

  const smsUrl = () => `${node.url}/webhooks/twilio/${smsAccount}`;
  const waUrl = () => `${node.url}/webhooks/twilio-whatsapp/${waAccount}`;
  const pendingDone = () =>
    until(
      async () =>
        (await env.query(`SELECT 1 FROM channel_inbound_event WHERE status = 'pending'`)).length === 0,
    );

  async function createAccount(network: string, number: string): Promise<string> {
    const created = await http(node, 'POST', '/admin/channel-accounts', {
      token: org.adminToken,
      body: {
        network,
        name: `Claims ${network}`,
        externalId: number,
        defaultQueueId: org.queues.claims,
        settings: { accountSid: ACCOUNT_SID, apiBaseUrl: twilio.baseUrl },
        secrets: { authToken: AUTH_TOKEN },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const settings = {
      accountSid: ACCOUNT_SID,
      apiBaseUrl: twilio.baseUrl,
      webhookUrl: `${node.url}/webhooks/${network}/${id}`,
      ...(network === 'twilio-whatsapp' ? { windowTemplateName: 'HXb5b62575e6e4ff6129ad7c8efe1f983e' } : {}),
    };
    const patched = await http(node, 'PATCH', `/admin/channel-accounts/${id}`, {
      token: org.adminToken,
      body: { settings },
    });
    expect(patched.status).toBe(200);
    return id;
  }

  async function openConversation(from: string, text: string): Promise<string> {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === from),
    );
    expect((await twilio.webhook(smsUrl(), incoming(from, SMS_NUMBER, { Body: text }))).status).toBe(200);
    return (await assigned).conversation.id;
  }

  beforeAll(async () => {
    twilio = await new FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN).start();
    publicAddress = await new PublicAddress().start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      DELIVERY_BACKOFF_MS: '100',
      DELIVERY_MAX_ATTEMPTS: '3',
      STORAGE_DIR: storageDir,
      PUBLIC_URL: publicAddress.url,
    });
    node = await env.startNode();
    publicAddress.target = node.url;
    org = await createOrganisation(node, { agentCount: 1, capacity: 10 });
    smsAccount = await createAccount('twilio', SMS_NUMBER);
    waAccount = await createAccount('twilio-whatsapp', WA_NUMBER);
    agent = (await connectAgent(node, org.agents[0].token)).socket;
    await ack(agent, 'availability:set', { availability: 'available' });
  });

  afterAll(async () => {
    agent?.disconnect();
    await env.close();
    await twilio.stop();
    await publicAddress.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('refuses forged signatures with 401 and stores nothing; the auth token is never returned', async () => {
    const params = incoming('+447700900300', SMS_NUMBER, { Body: 'forged' });
    expect((await twilio.webhook(smsUrl(), params, { authToken: 'not-the-token' })).status).toBe(401);
    expect((await twilio.webhook(smsUrl(), params, { signedUrl: `${smsUrl()}?x=1` })).status).toBe(401);
    const unsigned = await fetch(smsUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(401);
    expect(await env.query(`SELECT 1 FROM channel_inbound_event`)).toHaveLength(0);
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'forged'`)).toHaveLength(0);
    const listed = await http(node, 'GET', '/admin/channel-accounts', { token: org.adminToken });
    expect(JSON.stringify(listed.body)).not.toContain(AUTH_TOKEN);
  });

  it('accepts a webhook signed for the URL without its port, as Twilio may sign it', async () => {
    const withoutPort = smsUrl().replace(/:\d+\//, '/');
    expect(withoutPort).not.toBe(smsUrl());
    const params = incoming('+447700900301', SMS_NUMBER, { Body: 'Signed without the port' });
    expect((await twilio.webhook(smsUrl(), params, { signedUrl: withoutPort })).status).toBe(200);
  });

  it('routes an SMS to an agent, sends the reply through Messages.json and tracks its status callbacks', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '+447700900302'),
    );
    const params = incoming('+447700900302', SMS_NUMBER, { Body: 'My car was stolen last night' });
    expect(await twilio.webhook(smsUrl(), params)).toEqual({
      status: 200,
      body: JSON.stringify({ received: true }),
    });
    const assignment = await assigned;
    expect(assignment.conversation).toMatchObject({ channel: 'sms', queueId: org.queues.claims });
    expect(assignment.messages.map((m: any) => m.body)).toEqual(['My car was stolen last night']);
    const conversationId = assignment.conversation.id;

    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'sms-1',
      body: 'Have you told the police?',
    });
    expect(reply.ok).toBe(true);
    await sent;
    const request = twilio.sends().at(-1)!;
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
    );
    expect(FakeTwilioApi.form(request)).toEqual({
      To: '+447700900302',
      From: SMS_NUMBER,
      Body: 'Have you told the police?',
      StatusCallback: smsUrl(),
    });
    const [{ provider_message_id: messageSid }] = await env.query<{ provider_message_id: string }>(
      `SELECT provider_message_id FROM channel_delivery WHERE message_id = $1`,
      [reply.data.id],
    );
    expect(messageSid).toMatch(/^SM[0-9a-f]{32}$/);

    const delivered = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'delivered');
    expect((await twilio.webhook(smsUrl(), statusCallback(messageSid, 'sent'))).status).toBe(200);
    expect((await twilio.webhook(smsUrl(), statusCallback(messageSid, 'delivered'))).status).toBe(200);
    expect(await delivered).toEqual({
      conversationId,
      messageId: reply.data.id,
      status: 'delivered',
      reason: null,
    });

    const second = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'sms-2',
      body: 'Please call 101',
    });
    const [{ provider_message_id: secondSid }] = await until(async () => {
      const rows = await env.query<{ provider_message_id: string }>(
        `SELECT provider_message_id FROM channel_delivery WHERE message_id = $1 AND provider_message_id IS NOT NULL`,
        [second.data.id],
      );
      return rows.length ? rows : null;
    });
    const failed = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'failed');
    await twilio.webhook(
      smsUrl(),
      statusCallback(secondSid, 'undelivered', {
        ErrorCode: '30003',
        ErrorMessage: 'Unreachable destination handset',
      }),
    );
    expect(await failed).toEqual({
      conversationId,
      messageId: second.data.id,
      status: 'failed',
      reason: 'Twilio undelivered: error 30003: Unreachable destination handset',
    });
  });

  it('stores a message delivered three times once (MessageSid is the key)', async () => {
    const params = incoming('+447700900303', SMS_NUMBER, { Body: 'Three times over' });
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '+447700900303'),
    );
    const answers = await Promise.all([1, 2, 3].map(() => twilio.webhook(smsUrl(), params)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await assigned;
    await pendingDone();
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'Three times over'`)).toHaveLength(1);
    expect(
      await env.query(`SELECT 1 FROM channel_inbound_event WHERE account_id = $1`, [smsAccount]),
    ).not.toHaveLength(0);
  });

  it('downloads MMS media with basic auth, following the redirect Twilio answers with', async () => {
    const messageSid = sid('MM');
    const mediaUrl = twilio.addMedia(messageSid, FAKE_JPEG, 'image/jpeg');
    const message = nextEvent<any>(agent, 'message', (m) => m.body === 'Broken window', 10_000);
    await twilio.webhook(
      smsUrl(),
      incoming('+447700900304', SMS_NUMBER, {
        MessageSid: messageSid,
        Body: 'Broken window',
        NumMedia: '1',
        MediaUrl0: mediaUrl,
        MediaContentType0: 'image/jpeg',
      }),
    );
    const view = await message;
    expect(view.attachments).toEqual([
      expect.objectContaining({ contentType: 'image/jpeg', size: FAKE_JPEG.length }),
    ]);
    const file = await fetch(new URL(view.attachments[0].url, node.url));
    expect(Buffer.from(await file.arrayBuffer())).toEqual(FAKE_JPEG);
    const lookup = twilio.requests.find((r) => mediaUrl.endsWith(r.path));
    expect(lookup!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
    );
    expect(twilio.requests.some((r) => r.path.startsWith('/storage/'))).toBe(true);
  });

  it('retries 429 (with Retry-After) and 5xx without sending twice, and fails for good on an invalid number', async () => {
    const conversationId = await openConversation('+447700900305', 'Is my claim approved?');
    twilio.failNextSends(
      {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { code: 20429, message: 'Too Many Requests', status: 429 },
      },
      { status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } },
    );
    const before = twilio.sends().length;
    const started = Date.now();
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent', 10_000);
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'sms-retry',
      body: 'Not yet',
    });
    expect((await sent).messageId).toBe(reply.data.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(twilio.sends().length - before).toBe(3);

    twilio.failNextSends({
      status: 400,
      body: {
        code: 21211,
        message: "The 'To' number +447700900305 is not a valid phone number.",
        status: 400,
      },
    });
    const failed = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'failed');
    const doomed = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'sms-doomed',
      body: 'Hello?',
    });
    expect(await failed).toEqual({
      conversationId,
      messageId: doomed.data.id,
      status: 'failed',
      reason: "Twilio: The 'To' number +447700900305 is not a valid phone number. (error 21211)",
    });
    expect(twilio.sends().length - before).toBe(4);
  });

  it('carries WhatsApp through Twilio: whatsapp: addresses, the 24-hour session and Content templates', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900401'),
    );
    const params = incoming('whatsapp:+447700900401', `whatsapp:${WA_NUMBER}`, {
      Body: 'Hello from WhatsApp',
      ProfileName: 'Priya Shah',
      WaId: '447700900401',
    });
    expect((await twilio.webhook(waUrl(), params)).status).toBe(200);
    const assignment = await assigned;
    expect(assignment.conversation.channel).toBe('whatsapp');
    expect(assignment.contact).toMatchObject({ displayName: 'Priya Shah', phone: '+447700900401' });
    const conversationId = assignment.conversation.id;

    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    await ack(agent, 'message:send', { conversationId, clientId: 'wa-1', body: 'Hi Priya' });
    await sent;
    expect(FakeTwilioApi.form(twilio.sends().at(-1)!)).toMatchObject({
      To: 'whatsapp:+447700900401',
      From: `whatsapp:${WA_NUMBER}`,
      Body: 'Hi Priya',
      StatusCallback: waUrl(),
    });

    await env.query(
      `UPDATE channel_inbound_message SET sent_at = now() - interval '25 hours' WHERE sender_external_id = '447700900401'`,
    );
    const refused = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'wa-late',
      body: 'Too late',
    });
    expect(refused.ok).toBe(false);
    expect(refused.error.message).toMatch(/24-hour twilio-whatsapp messaging window/);

    const before = twilio.sends().length;
    const template = await http(node, 'POST', `/conversations/${conversationId}/channel-template`, {
      token: org.agents[0].token,
      body: { clientId: 'wa-tpl', parameters: ['CLM-3003', 'Friday'] },
    });
    expect(template.status).toBe(201);
    await until(async () => twilio.sends().length > before);
    expect(FakeTwilioApi.form(twilio.sends().at(-1)!)).toMatchObject({
      To: 'whatsapp:+447700900401',
      ContentSid: 'HXb5b62575e6e4ff6129ad7c8efe1f983e',
      ContentVariables: JSON.stringify({ 1: 'CLM-3003', 2: 'Friday' }),
    });
  });

  it("sends the agent's photo as MMS with the text as Body, and a PDF on WhatsApp, by MediaUrl", async () => {
    const link = (id: string) => signedFileLink(publicAddress.url, id);
    const token = org.agents[0].token;
    const smsConversation = await openConversation('+447700900312', 'Did you get the photos?');
    const photo = await uploadAsAgent(node, token, smsConversation, {
      body: PHOTO_PNG,
      contentType: 'image/png',
      name: 'damage.png',
    });
    const mms = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId: smsConversation,
      clientId: 'mms-1',
      body: 'This one?',
      attachmentIds: [photo.id],
    });
    expect(reply.ok).toBe(true);
    await mms;
    expect(FakeTwilioApi.form(twilio.sends().at(-1)!)).toEqual({
      To: '+447700900312',
      From: SMS_NUMBER,
      StatusCallback: smsUrl(),
      MediaUrl: link(photo.id),
      Body: 'This one?',
    });
    expect(twilio.fetchedFiles.at(-1)).toMatchObject({
      status: 200,
      contentType: 'image/png',
      body: PHOTO_PNG,
    });
    const [row] = await env.query<{ provider_message_id: string }>(
      `SELECT provider_message_id FROM channel_delivery WHERE message_id = $1`,
      [reply.data.id],
    );
    expect(row.provider_message_id).toMatch(/^MM[0-9a-f]{32}$/);

    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '447700900402'),
    );
    await twilio.webhook(
      waUrl(),
      incoming('whatsapp:+447700900402', `whatsapp:${WA_NUMBER}`, {
        Body: 'Estimate?',
        WaId: '447700900402',
      }),
    );
    const waConversation = (await assigned).conversation.id;
    const pdf = await uploadAsAgent(node, token, waConversation, {
      body: ESTIMATE_PDF,
      contentType: 'application/pdf',
      name: 'estimate.pdf',
    });
    const wa = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    await ack(agent, 'message:send', {
      conversationId: waConversation,
      clientId: 'wa-pdf',
      body: '',
      attachmentIds: [pdf.id],
    });
    await wa;
    expect(FakeTwilioApi.form(twilio.sends().at(-1)!)).toEqual({
      To: 'whatsapp:+447700900402',
      From: `whatsapp:${WA_NUMBER}`,
      StatusCallback: waUrl(),
      MediaUrl: link(pdf.id),
    });
    expect(twilio.fetchedFiles.at(-1)).toMatchObject({ status: 200, body: ESTIMATE_PDF });
  });

  it('lets an agent text a phone number first, assigned to that agent', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '+447700900777'),
    );
    const started = await http(node, 'POST', '/conversations/outbound', {
      token: org.agents[0].token,
      body: {
        accountId: smsAccount,
        to: '+447700900777',
        body: 'Your assessor visits tomorrow',
        clientId: 'sms-out',
      },
    });
    expect(started.status).toBe(201);
    expect((await assigned).conversation).toMatchObject({ agentId: org.agents[0].id, channel: 'sms' });
    await until(async () => twilio.sends().some((s) => FakeTwilioApi.form(s).To === '+447700900777'));
  });
});
