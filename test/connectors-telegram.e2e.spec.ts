import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { telegramConnector } from '../src/channels/connectors/telegram/index.js';
import { ack, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import { ESTIMATE_PDF, PHOTO_PNG, signedFileLink, uploadPhotoAndPdf } from './support/agent-upload.js';
import { FAKE_JPEG } from './support/fake-providers/graph-api.js';
import { PublicAddress } from './support/fake-providers/public-address.js';
import {
  createTelegramAccount,
  FakeTelegramApi,
  telegramUpdate,
  TEST_BOT,
} from './support/fake-providers/telegram.js';
import { until } from './support/fake-providers/webhook-signing.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const BOT_TOKEN = TEST_BOT.botToken;
const SECRET = TEST_BOT.webhookSecret;

const update = telegramUpdate;

const pendingDone = (env: TestEnvironment) =>
  until(
    async () =>
      (await env.query(`SELECT 1 FROM channel_inbound_event WHERE status = 'pending'`)).length === 0,
  );

describe('Telegram Bot API connector end to end', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let telegram: FakeTelegramApi;
  let accountId: string;
  let agent: AgentClient;
  let publicAddress: PublicAddress;
  const storageDir = mkdtempSync(join(tmpdir(), 'sb-tg-'));

  const webhook = (body: string, secret: string | null = SECRET) =>
    http(node, 'POST', `/webhooks/telegram/${accountId}`, {
      body,
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
      },
    });

  /** Sends an update from a new chat and waits for the agent to be assigned its conversation. */
  async function openConversation(chatId: number, text: string): Promise<string> {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === String(chatId)),
    );
    expect((await webhook(update(chatId, { text }))).status).toBe(200);
    return (await assigned).conversation.id;
  }

  beforeAll(async () => {
    telegram = await new FakeTelegramApi(BOT_TOKEN).start();
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
    accountId = await createTelegramAccount(node, org.adminToken, org.queues.claims, telegram);
    agent = (await connectAgent(node, org.agents[0].token)).socket;
    await ack(agent, 'availability:set', { availability: 'available' });
  });

  afterAll(async () => {
    agent?.disconnect();
    await env.close();
    await telegram.stop();
    await publicAddress.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('refuses a missing or wrong secret token with 401 and stores nothing; the bot token is never returned', async () => {
    const body = update(5550001, { text: 'forged' });
    expect((await webhook(body, null)).status).toBe(401);
    expect((await webhook(body, `${SECRET}x`)).status).toBe(401);
    expect((await webhook(body, SECRET.slice(0, -1) + 'X')).status).toBe(401);
    expect(await env.query(`SELECT 1 FROM channel_inbound_event`)).toHaveLength(0);
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'forged'`)).toHaveLength(0);
    const listed = await http(node, 'GET', '/admin/channel-accounts', { token: org.adminToken });
    expect(JSON.stringify(listed.body)).not.toContain(BOT_TOKEN);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
  });

  it('answers 400 to a malformed update and keeps it only as a rejected raw event', async () => {
    const answer = await webhook(JSON.stringify({ message: { text: 'no update id' } }));
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/update_id/);
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'no update id'`)).toHaveLength(0);
  });

  it('routes a chat to an agent and delivers the reply with sendMessage', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '5550002'),
    );
    expect(await webhook(update(5550002, { text: 'A tree fell on my car' }))).toEqual({
      status: 200,
      body: { received: true },
    });
    const assignment = await assigned;
    expect(assignment.conversation).toMatchObject({ channel: 'telegram', queueId: org.queues.claims });
    expect(assignment.contact.displayName).toBe('Aisha Khan');
    expect(assignment.messages.map((m: any) => [m.senderKind, m.body])).toEqual([
      ['customer', 'A tree fell on my car'],
    ]);
    const conversationId = assignment.conversation.id;

    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'tg-1',
      body: 'Is anyone hurt?',
    });
    expect(reply.ok).toBe(true);
    expect(await sent).toEqual({ conversationId, messageId: reply.data.id, status: 'sent', reason: null });
    const request = telegram.calls('sendMessage').at(-1)!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.json).toEqual({ chat_id: '5550002', text: 'Is anyone hurt?' });
    const [row] = await env.query<{ provider_message_id: string }>(
      `SELECT provider_message_id FROM channel_delivery WHERE message_id = $1`,
      [reply.data.id],
    );
    expect(row.provider_message_id).toMatch(/^5550002:\d+$/);

    const next = nextEvent<any>(agent, 'message', (m) => m.body === 'No, everyone is fine');
    await webhook(update(5550002, { text: 'No, everyone is fine' }));
    expect((await next).conversationId).toBe(conversationId);
  });

  it("sends the agent's photo with sendPhoto (the text as caption) and a PDF with sendDocument, by URL", async () => {
    const conversationId = await openConversation(5550012, 'Can you send the estimate?');
    const token = org.agents[0].token;
    const { photo, pdf } = await uploadPhotoAndPdf(node, token, conversationId);
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'tg-files',
      body: 'Photo and estimate',
      attachmentIds: [photo.id, pdf.id],
    });
    expect(reply.ok).toBe(true);
    expect(await sent).toEqual({ conversationId, messageId: reply.data.id, status: 'sent', reason: null });
    const link = (id: string) => signedFileLink(publicAddress.url, id);
    expect(telegram.calls('sendPhoto').at(-1)!.json).toEqual({
      chat_id: '5550012',
      photo: link(photo.id),
      caption: 'Photo and estimate',
    });
    expect(telegram.calls('sendDocument').at(-1)!.json).toEqual({
      chat_id: '5550012',
      document: link(pdf.id),
    });
    expect(telegram.fetchedFiles.slice(-2).map((f) => [f.status, f.body])).toEqual([
      [200, PHOTO_PNG],
      [200, ESTIMATE_PDF],
    ]);
    const rows = await env.query<{ provider_message_id: string }>(
      `SELECT provider_message_id FROM channel_delivery WHERE message_id = $1 ORDER BY part`,
      [reply.data.id],
    );
    expect(rows.map((r) => r.provider_message_id)).toEqual([
      expect.stringMatching(/^5550012:\d+$/),
      expect.stringMatching(/^5550012:\d+$/),
    ]);
  });

  it('stores an update delivered three times once (update_id is the key)', async () => {
    const body = update(5550003, { text: 'Said three times' });
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '5550003'),
    );
    const answers = await Promise.all([webhook(body), webhook(body), webhook(body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await assigned;
    await pendingDone(env);
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'Said three times'`)).toHaveLength(1);
    expect(
      await env.query(`SELECT 1 FROM channel_inbound_event WHERE raw_body = $1`, [Buffer.from(body)]),
    ).toHaveLength(3);
  });

  it('downloads the largest photo size through getFile and shows it to the agent', async () => {
    telegram.files.set('photo-large', { body: FAKE_JPEG, path: 'photos/file_17.jpg' });
    telegram.files.set('photo-small', { body: Buffer.from('thumbnail'), path: 'photos/file_16.jpg' });
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '5550004'),
    );
    const message = nextEvent<any>(agent, 'message', (m) => m.body === 'The dent', 10_000);
    await webhook(
      update(5550004, {
        photo: [
          { file_id: 'photo-small', file_unique_id: 's', file_size: 9, width: 90, height: 60 },
          {
            file_id: 'photo-large',
            file_unique_id: 'l',
            file_size: FAKE_JPEG.length,
            width: 1280,
            height: 853,
          },
        ],
        caption: 'The dent',
      }),
    );
    await assigned;
    const view = await message;
    expect(view.attachments).toEqual([
      expect.objectContaining({ contentType: 'image/jpeg', size: FAKE_JPEG.length }),
    ]);
    const file = await fetch(new URL(view.attachments[0].url, node.url));
    expect(Buffer.from(await file.arrayBuffer())).toEqual(FAKE_JPEG);
    expect(telegram.calls('getFile').map((r) => r.json)).toEqual([{ file_id: 'photo-large' }]);
    expect(telegram.requests.some((r) => r.path === `/file/bot${BOT_TOKEN}/photos/file_17.jpg`)).toBe(true);
  });

  it('waits out a 429 retry_after and a 5xx without sending twice, then reports a blocked bot as failed', async () => {
    const conversationId = await openConversation(5550005, 'Any update?');
    telegram.failNextSends(
      {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 1',
          parameters: { retry_after: 1 },
        },
      },
      { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } },
    );
    const before = telegram.sends().length;
    const started = Date.now();
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent', 10_000);
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'tg-retry',
      body: 'Still looking',
    });
    expect((await sent).messageId).toBe(reply.data.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(telegram.sends().length - before).toBe(3);
    expect(
      telegram
        .sends()
        .slice(before)
        .every((s) => s.json.text === 'Still looking'),
    ).toBe(true);

    telegram.failNextSends({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    const failed = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'failed');
    const doomed = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'tg-doomed',
      body: 'Hello?',
    });
    expect(await failed).toEqual({
      conversationId,
      messageId: doomed.data.id,
      status: 'failed',
      reason: 'Telegram: Forbidden: bot was blocked by the user',
    });
  });

  it('lets an agent start a conversation with a chat id, assigned to that agent', async () => {
    const assigned = nextEvent<any>(agent, 'conversation:assigned', (a) =>
      a.contact.identities.some((i: any) => i.externalId === '5550777'),
    );
    const started = await http(node, 'POST', '/conversations/outbound', {
      token: org.agents[0].token,
      body: { accountId, to: '5550777', body: 'Your claim CLM-77 is approved', clientId: 'tg-out-1' },
    });
    expect(started.status).toBe(201);
    expect((await assigned).conversation).toMatchObject({ agentId: org.agents[0].id, channel: 'telegram' });
    await until(async () => telegram.sends().some((s) => s.json.chat_id === '5550777'));
  });

  it('shows the bot typing with sendChatAction', async () => {
    const account = {
      id: accountId,
      network: 'telegram',
      externalId: '7012345678',
      settings: { apiBaseUrl: telegram.baseUrl },
      secrets: { botToken: BOT_TOKEN, webhookSecret: SECRET },
    };
    await telegramConnector.sendTyping!(account, '5550002', true);
    expect(telegram.calls('sendChatAction').at(-1)!.json).toEqual({ chat_id: '5550002', action: 'typing' });
    await expect(
      telegramConnector.sendTyping!(
        { ...account, secrets: { ...account.secrets, botToken: 'wrong:token' } },
        '1',
        true,
      ),
    ).rejects.toMatchObject({ reason: 'Telegram: Unauthorized', retryable: false });
  });
});
