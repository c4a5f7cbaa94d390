import { randomBytes } from 'node:crypto';
import type { Assignment, DeliveryUpdate } from '../src/realtime/contracts/agent.events.js';
import type { Ack, MessageAck, MessageView } from '../src/realtime/contracts/common.js';
import { ack, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
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
const LIMIT_HOURS = '0.0005';
const LIMIT_MS = 1800; // IM_INACTIVITY_CLOSE_HOURS=0.0005
const NOTICE = 'This conversation was closed after 0.0005 hours without a message from the customer.';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the fake Bot API recorded of one `sendMessage` call. */
const sendOf = (json: unknown) => json as { chat_id: string; text: string };
const textsTo = (telegram: FakeTelegramApi, chatId: string) =>
  telegram
    .sends()
    .map((s) => sendOf(s.json))
    .filter((s) => s.chat_id === chatId)
    .map((s) => s.text);

const update = (chatId: number, text: string, id?: number) => telegramUpdate(chatId, { text }, id);

describe('closing messaging-network conversations after customer inactivity', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let telegram: FakeTelegramApi;
  let accountId: string;
  let agent: AgentClient;

  const webhook = async (chatId: number, text: string) => {
    const answer = await http(node, 'POST', `/webhooks/telegram/${accountId}`, {
      body: update(chatId, text),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });
    expect(answer.status).toBe(200);
  };

  const isChat = (chatId: number) => (a: Assignment) =>
    a.contact.identities.some((i) => i.externalId === String(chatId));

  /** A customer writes from a new chat; resolves once the agent has the conversation. */
  async function openConversation(chatId: number, text = 'Hello'): Promise<string> {
    const assigned = nextEvent<Assignment>(agent, 'conversation:assigned', isChat(chatId));
    await webhook(chatId, text);
    return (await assigned).conversation.id;
  }

  async function conversation(id: string) {
    const [row] = await env.query<{
      status: string;
      disposition: string | null;
      agent_id: string | null;
      assigned_at: Date | null;
      closed_at: Date | null;
    }>(`SELECT status, disposition, agent_id, assigned_at, closed_at FROM conversation WHERE id = $1`, [id]);
    return row;
  }

  const transcript = (id: string) =>
    env.query<{ sender_kind: string; body: string; created_at: Date }>(
      `SELECT sender_kind, body, created_at FROM message WHERE conversation_id = $1 ORDER BY seq`,
      [id],
    );

  const closedEvent = (id: string) =>
    nextEvent<{ conversationId: string }>(agent, 'conversation:closed', (e) => e.conversationId === id, 8000);

  beforeAll(async () => {
    telegram = await new FakeTelegramApi(BOT_TOKEN).start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      IM_INACTIVITY_CLOSE_HOURS: LIMIT_HOURS,
      // Website chats keep their own (long) limit: only the messaging one acts here.
      INACTIVITY_CLOSE_MINUTES: '30',
    });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 1, capacity: 10 });
    accountId = await createTelegramAccount(node, org.adminToken, org.queues.claims, telegram);
    agent = (await connectAgent(node, org.agents[0].token)).socket;
    await ack(agent, 'availability:set', { availability: 'available' });
  });

  afterAll(async () => {
    agent?.disconnect();
    await sleep(300);
    await env.close();
    await telegram.stop();
  });

  it('closes a quiet conversation as inactive, with a notice for staff that is not sent to the network', async () => {
    const conversationId = await openConversation(6660001, 'My windscreen cracked');
    const atAgent: string[] = [];
    agent.on('message', (m: MessageView) => {
      if (m.conversationId === conversationId) atAgent.push(`${m.senderKind}: ${m.body}`);
    });
    agent.on('conversation:closed', (e) => {
      if (e.conversationId === conversationId) atAgent.push('closed');
    });
    const closed = closedEvent(conversationId);

    // The agent's own messages do not keep the conversation open: only the customer's count.
    await sleep(LIMIT_MS * 0.5);
    const delivered = nextEvent<DeliveryUpdate>(agent, 'message:delivery', (d) => d.status === 'sent');
    const reply = (await ack(agent, 'message:send', {
      conversationId,
      clientId: 'im-1',
      body: 'Which car is it?',
    })) as Ack<MessageAck>;
    if (!reply.ok) throw new Error(reply.error.message);
    await delivered;
    await closed;

    expect(atAgent).toEqual(['agent: Which car is it?', `system: ${NOTICE}`, 'closed']);
    const row = await conversation(conversationId);
    expect(row).toMatchObject({ status: 'closed', disposition: 'inactive', agent_id: null });
    const messages = await transcript(conversationId);
    expect(messages.map((m) => [m.sender_kind, m.body])).toEqual([
      ['customer', 'My windscreen cracked'],
      ['agent', 'Which car is it?'],
      ['system', NOTICE],
    ]);
    const agentWroteAt = messages[1].created_at.getTime();
    expect(row.closed_at!.getTime() - agentWroteAt).toBeLessThan(LIMIT_MS);
    expect(row.closed_at!.getTime() - messages[0].created_at.getTime()).toBeGreaterThanOrEqual(LIMIT_MS);

    // Only the agent's reply went to Telegram; the notice stays in the transcript.
    const deliveries = await env.query(`SELECT message_id FROM channel_delivery WHERE conversation_id = $1`, [
      conversationId,
    ]);
    expect(deliveries).toEqual([{ message_id: reply.data.id }]);
    expect(textsTo(telegram, '6660001')).toEqual(['Which car is it?']);
    const events = await env.query<{ type: string }>(
      `SELECT type FROM conversation_event WHERE conversation_id = $1 ORDER BY id`,
      [conversationId],
    );
    expect(events.map((e) => e.type)).toEqual(['queued', 'assigned', 'closed']);

    // The customer writing again afterwards starts a new conversation.
    const again = await openConversation(6660001, 'Are you still there?');
    expect(again).not.toBe(conversationId);
    expect((await transcript(again)).map((m) => m.body)).toEqual(['Are you still there?']);
    expect((await conversation(conversationId)).status).toBe('closed');
  });

  it('counts from the customer’s last message', async () => {
    const conversationId = await openConversation(6660002);
    const closed = closedEvent(conversationId);
    await sleep(LIMIT_MS * 0.6);
    const next = nextEvent<MessageView>(agent, 'message', (m) => m.body === 'Still here');
    await webhook(6660002, 'Still here');
    await next;
    await closed;

    const row = await conversation(conversationId);
    expect(row.disposition).toBe('inactive');
    const messages = await transcript(conversationId);
    expect(messages.map((m) => m.body)).toEqual(['Hello', 'Still here', NOTICE]);
    // Past the first deadline (the assignment plus the limit), the limit after the last message.
    expect(row.closed_at!.getTime()).toBeGreaterThanOrEqual(messages[1].created_at.getTime() + LIMIT_MS);
    expect(row.closed_at!.getTime()).toBeGreaterThan(row.assigned_at!.getTime() + LIMIT_MS);
  });

  it('does not close a conversation waiting in the queue; the clock starts when an agent joins', async () => {
    await ack(agent, 'availability:set', { availability: 'away' });
    await webhook(6660003, 'Is anyone there?');
    const [waiting] = await until(async () => {
      const rows = await env.query<{ id: string }>(
        `SELECT c.id FROM conversation c JOIN channel_conversation cc ON cc.conversation_id = c.id
          WHERE cc.customer_external_id = '6660003'`,
      );
      return rows.length > 0 && rows;
    });
    await sleep(LIMIT_MS * 1.8);
    expect(await conversation(waiting.id)).toMatchObject({ status: 'queued', closed_at: null });

    const assigned = nextEvent<Assignment>(agent, 'conversation:assigned', isChat(6660003));
    await ack(agent, 'availability:set', { availability: 'available' });
    await assigned;
    const closed = closedEvent(waiting.id);
    expect((await conversation(waiting.id)).status).toBe('assigned');
    await closed;
    const row = await conversation(waiting.id);
    expect(row.disposition).toBe('inactive');
    expect(row.closed_at!.getTime()).toBeGreaterThanOrEqual(row.assigned_at!.getTime() + LIMIT_MS);
  });

  it('closes an agent-started conversation the customer never answers', async () => {
    const assigned = nextEvent<Assignment>(agent, 'conversation:assigned', isChat(6660004));
    const started = await http(node, 'POST', '/conversations/outbound', {
      token: org.agents[0].token,
      body: { accountId, to: '6660004', body: 'Your claim CLM-88 needs a photo', clientId: 'im-out-1' },
    });
    expect(started.status).toBe(201);
    const { conversationId } = started.body as { conversationId: string };
    await assigned;
    await closedEvent(conversationId);

    const row = await conversation(conversationId);
    expect(row.disposition).toBe('inactive');
    expect(row.closed_at!.getTime()).toBeGreaterThanOrEqual(row.assigned_at!.getTime() + LIMIT_MS);
    expect((await transcript(conversationId)).map((m) => [m.sender_kind, m.body])).toEqual([
      ['agent', 'Your claim CLM-88 needs a photo'],
      ['system', NOTICE],
    ]);
    await until(async () => textsTo(telegram, '6660004').length > 0);
    expect(textsTo(telegram, '6660004')).toEqual(['Your claim CLM-88 needs a photo']);
  });
});
