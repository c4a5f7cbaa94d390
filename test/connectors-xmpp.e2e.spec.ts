// XMPP end to end against a real Prosody server (Debian package `prosody`), started by test/support/prosody.ts.
import { xml } from '@xmpp/client';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ConnectionSupervisor } from '../src/channels/connections/connection-supervisor.service.js';
import { xmppConnected } from '../src/channels/connectors/xmpp/index.js';
import { PHOTO_PNG, tempStorageDir, uploadAsAgent } from './support/agent-upload.js';
import { ack, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import { FakeHttpUpload } from './support/fake-providers/http-upload.js';
import { PublicAddress } from './support/fake-providers/public-address.js';
import { until } from './support/fake-providers/webhook-signing.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { ProsodyServer, XmppCustomer } from './support/prosody.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_CHAT_STATES = 'http://jabber.org/protocol/chatstates';
const NS_OOB = 'jabber:x:oob';
const BOT_PASSWORD = `bot-${randomBytes(8).toString('hex')}`;

const chat = (to: string, id: string, body: string) =>
  xml('message', { to, type: 'chat', id }, xml('body', {}, body), xml('request', { xmlns: NS_RECEIPTS }));
const chatState = (to: string, state: string) =>
  xml('message', { to, type: 'chat' }, xml(state, { xmlns: NS_CHAT_STATES }));

describe('XMPP connector end to end (Prosody)', () => {
  let prosody: ProsodyServer;
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let agent: AgentClient;
  let accountId: string;
  let bot: string;
  let maria: XmppCustomer;
  let mariaJid: string;
  let conversationId: string;
  let publicAddress: PublicAddress;
  let uploads: FakeHttpUpload;

  const assignedTo = (jid: string) =>
    nextEvent<any>(
      agent,
      'conversation:assigned',
      (a) => a.contact.identities.some((i: any) => i.externalId === jid),
      10_000,
    );

  beforeAll(async () => {
    prosody = await ProsodyServer.start();
    bot = prosody.register('claims-bot', BOT_PASSWORD);
    mariaJid = prosody.register('maria', 'maria-password');
    prosody.register('tom', 'tom-password');
    prosody.register('carol', 'carol-password');
    publicAddress = await new PublicAddress().start();
    uploads = await new FakeHttpUpload().start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      CHANNEL_CONNECTION_CHECK_MS: '300',
      DELIVERY_BACKOFF_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '20',
      PUBLIC_URL: publicAddress.url,
      STORAGE_DIR: tempStorageDir(),
    });
    node = await env.startNode();
    publicAddress.target = node.url;
    org = await createOrganisation(node, { agentCount: 1, capacity: 10 });
    agent = (await connectAgent(node, org.agents[0].token)).socket;
    await ack(agent, 'availability:set', { availability: 'available' });
    const created = await http(node, 'POST', '/admin/channel-accounts', {
      token: org.adminToken,
      body: {
        network: 'xmpp',
        name: 'Claims on Jabber',
        externalId: bot,
        defaultQueueId: org.queues.claims,
        // The customers' upload host runs on this machine: allowed for this account only.
        settings: {
          service: prosody.service,
          trustedCertificate: prosody.certificate,
          mediaFromPrivateHosts: 'allow',
        },
        secrets: { password: BOT_PASSWORD },
      },
    });
    expect(created.status).toBe(201);
    accountId = created.body.id;
    // Started by the node's connection check, without a restart.
    await until(async () => xmppConnected(accountId), 10_000);
    maria = await XmppCustomer.connect(prosody, 'maria', 'maria-password');
  }, 60_000);

  afterAll(async () => {
    agent?.disconnect();
    await maria?.close();
    await env?.close();
    await prosody?.stop();
    await publicAddress?.stop();
    await uploads?.stop();
  });

  it('routes a customer JID to an agent and confirms receipt of the message to the customer', async () => {
    const assigned = assignedTo(mariaJid);
    await maria.send(chat(bot, 'm-1', 'Hi, a branch went through my conservatory roof'));
    const assignment = await assigned;
    expect(assignment.conversation).toMatchObject({ channel: 'xmpp', queueId: org.queues.claims });
    expect(assignment.messages.map((m: any) => [m.senderKind, m.body])).toEqual([
      ['customer', 'Hi, a branch went through my conservatory roof'],
    ]);
    conversationId = assignment.conversation.id;
    const receipt = await maria.next((s) => s.getChild('received', NS_RECEIPTS)?.attrs.id === 'm-1');
    expect(receipt.attrs.from?.split('/')[0]).toBe(bot);
  });

  it('delivers the agent reply to the customer with a receipt request, and shows their receipt and read marker', async () => {
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent', 10_000);
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'x-1',
      body: 'Is anyone hurt? Please send photos.',
    });
    expect(reply.ok).toBe(true);
    await sent;
    const stanza = await maria.next((s) => s.getChildText('body') === 'Is anyone hurt? Please send photos.');
    expect(stanza.attrs).toMatchObject({ type: 'chat', id: `sb-${reply.data.id}` });
    expect(stanza.getChild('request', NS_RECEIPTS)).toBeDefined();

    const delivered = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'delivered', 10_000);
    await maria.send(
      xml('message', { to: stanza.attrs.from }, xml('received', { xmlns: NS_RECEIPTS, id: stanza.attrs.id })),
    );
    expect(await delivered).toEqual({
      conversationId,
      messageId: reply.data.id,
      status: 'delivered',
      reason: null,
    });

    const read = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'read', 10_000);
    await maria.send(
      xml(
        'message',
        { to: stanza.attrs.from, type: 'chat' },
        xml('displayed', { xmlns: 'urn:xmpp:chat-markers:0', id: stanza.attrs.id }),
      ),
    );
    expect(await read).toEqual({ conversationId, messageId: reply.data.id, status: 'read', reason: null });
  });

  it('shows the customer typing to the agent and the bot typing to the customer (XEP-0085)', async () => {
    const typing = nextEvent<any>(
      agent,
      'typing',
      (t) => t.conversationId === conversationId && t.isTyping,
      10_000,
    );
    await maria.send(chatState(bot, 'composing'));
    expect(await typing).toEqual({ conversationId, senderKind: 'customer', isTyping: true });
    const stopped = nextEvent<any>(
      agent,
      'typing',
      (t) => t.conversationId === conversationId && !t.isTyping,
      10_000,
    );
    await maria.send(chatState(bot, 'paused'));
    await stopped;

    // The agent types in the console: the customer's client shows it.
    const before = maria.received.length;
    expect(await ack(agent, 'typing', { conversationId, isTyping: true })).toEqual({ ok: true, data: null });
    await maria.next(
      (s) => maria.received.indexOf(s) >= before && Boolean(s.getChild('composing', NS_CHAT_STATES)),
    );
    expect(await ack(agent, 'typing', { conversationId, isTyping: false })).toEqual({ ok: true, data: null });
    await maria.next(
      (s) => maria.received.indexOf(s) >= before && Boolean(s.getChild('paused', NS_CHAT_STATES)),
    );
  });

  it('takes a file the customer sends as OOB data as an attachment the agent can open, not as a link', async () => {
    const url = uploads.put('Front bumper.png', PHOTO_PNG, 'image/png');
    const arrived = nextEvent<any>(agent, 'message', (m) => m.attachments?.length > 0, 10_000);
    await maria.send(
      xml(
        'message',
        { to: bot, type: 'chat', id: 'm-file' },
        xml('body', {}, url),
        xml('x', { xmlns: NS_OOB }, xml('url', {}, url)),
        xml('request', { xmlns: NS_RECEIPTS }),
      ),
    );
    const message = await arrived;
    expect(message).toMatchObject({ conversationId, senderKind: 'customer', body: '' });
    expect(message.attachments).toEqual([
      expect.objectContaining({
        fileName: 'Front bumper.png',
        contentType: 'image/png',
        size: PHOTO_PNG.length,
      }),
    ]);
    const opened = await fetch(new URL(message.attachments[0].url, node.url));
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer())).toEqual(PHOTO_PNG);
    expect(await env.query(`SELECT 1 FROM message WHERE body = $1`, [url])).toHaveLength(0);
    await maria.next((s) => s.getChild('received', NS_RECEIPTS)?.attrs.id === 'm-file');
  });

  it("sends the agent's file to the customer's client as OOB data, after the text", async () => {
    const photo = await uploadAsAgent(node, org.agents[0].token, conversationId, {
      body: PHOTO_PNG,
      contentType: 'image/png',
      name: 'Repair quote.png',
    });
    const sent = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'sent', 10_000);
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'x-file',
      body: 'Here is the quote',
      attachmentIds: [photo.id],
    });
    expect(reply.ok).toBe(true);
    await sent;
    const text = await maria.next((s) => s.attrs.id === `sb-${reply.data.id}`);
    expect(text.getChildText('body')).toBe('Here is the quote');
    expect(text.getChild('x', NS_OOB)).toBeUndefined();
    const file = await maria.next((s) => s.attrs.id === `sb-${reply.data.id}:1`);
    const url = file.getChild('x', NS_OOB)?.getChildText('url');
    expect(url).toMatch(
      new RegExp(`^${publicAddress.url}/files/${photo.id}\\?expires=\\d+&signature=[0-9a-f]{64}$`),
    );
    expect(file.getChildText('body')).toBe(url);
    expect(file.getChild('request', NS_RECEIPTS)).toBeDefined();
    // The customer opens it whenever they read it: the link lives MESSAGING_FILE_URL_TTL_HOURS (a week).
    expect(Number(new URL(url!).searchParams.get('expires'))).toBeGreaterThan(Date.now() / 1000 + 167 * 3600);
    const opened = await fetch(url!);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer())).toEqual(PHOTO_PNG);

    // The receipt for the file is about the file's stanza; the message is delivered once both are.
    const delivered = nextEvent<any>(agent, 'message:delivery', (d) => d.status === 'delivered', 10_000);
    for (const stanza of [text, file])
      await maria.send(
        xml(
          'message',
          { to: stanza.attrs.from },
          xml('received', { xmlns: NS_RECEIPTS, id: stanza.attrs.id }),
        ),
      );
    expect(await delivered).toEqual({
      conversationId,
      messageId: reply.data.id,
      status: 'delivered',
      reason: null,
    });
  });

  it('stores a stanza delivered three times once (stanza id is the key)', async () => {
    const next = nextEvent<any>(agent, 'message', (m) => m.body === 'Only once please', 10_000);
    for (let i = 0; i < 3; i++) await maria.send(chat(bot, 'm-dup', 'Only once please'));
    await next;
    await until(
      async () =>
        (
          await env.query(
            `SELECT 1 FROM channel_inbound_event WHERE position(convert_to('m-dup', 'UTF8') in raw_body) > 0 AND status = 'processed'`,
          )
        ).length === 3,
    );
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'Only once please'`)).toHaveLength(1);
    expect(
      await env.query(
        `SELECT 1 FROM channel_inbound_message WHERE account_id = $1 AND provider_message_id = $2`,
        [accountId, `${mariaJid}/m-dup`],
      ),
    ).toHaveLength(1);
  });

  it('takes no webhook posts in the name of an XMPP account', async () => {
    const forged = await http(node, 'POST', `/webhooks/xmpp/${accountId}`, {
      body: `<message from="${mariaJid}" type="chat" id="forged"><body>forged</body></message>`,
      headers: { 'content-type': 'application/xml' },
    });
    expect(forged.status).toBe(401);
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'forged'`)).toHaveLength(0);
  });

  it('lets an agent start a conversation with a JID, assigned to that agent', async () => {
    const carol = await XmppCustomer.connect(prosody, 'carol', 'carol-password');
    try {
      const carolJid = `carol@${prosody.domain}`;
      const assigned = assignedTo(carolJid);
      const started = await http(node, 'POST', '/conversations/outbound', {
        token: org.agents[0].token,
        body: { accountId, to: carolJid, body: 'Your claim CLM-4242 is settled', clientId: 'x-out' },
      });
      expect(started.status).toBe(201);
      expect((await assigned).conversation).toMatchObject({ agentId: org.agents[0].id, channel: 'xmpp' });
      await carol.next((s) => s.getChildText('body') === 'Your claim CLM-4242 is settled');
    } finally {
      await carol.close();
    }
  });

  it('reconnects after the server restarts, and messages flow both ways again', async () => {
    await maria.close();
    await prosody.restart();
    await until(async () => xmppConnected(accountId), 20_000);
    maria = await XmppCustomer.connect(prosody, 'maria', 'maria-password');
    const next = nextEvent<any>(agent, 'message', (m) => m.body === 'Are you still there?', 10_000);
    await maria.send(chat(bot, 'm-after', 'Are you still there?'));
    expect((await next).conversationId).toBe(conversationId);
    const reply = await ack(agent, 'message:send', {
      conversationId,
      clientId: 'x-after',
      body: 'Yes, still here',
    });
    expect(reply.ok).toBe(true);
    await maria.next((s) => s.getChildText('body') === 'Yes, still here', 15_000);
  }, 60_000);

  it('closes the connection when the account is disabled and opens it again when enabled', async () => {
    const disabled = await http(node, 'PATCH', `/admin/channel-accounts/${accountId}`, {
      token: org.adminToken,
      body: { enabled: false },
    });
    expect(disabled.status).toBe(200);
    await until(async () => !xmppConnected(accountId), 10_000);
    const enabled = await http(node, 'PATCH', `/admin/channel-accounts/${accountId}`, {
      token: org.adminToken,
      body: { enabled: true },
    });
    expect(enabled.status).toBe(200);
    await until(async () => xmppConnected(accountId), 10_000);
  }, 30_000);

  it("holds the connection on one node only, relays the other node's sends to it, and fails over", async () => {
    const second = await env.startNode();
    const first = node.app.get(ConnectionSupervisor);
    const other = second.app.get(ConnectionSupervisor);
    // A few checks of both nodes: the first keeps its hold, the second does not open a second connection.
    await new Promise((r) => setTimeout(r, 1000));
    expect(first.holding()).toEqual([accountId]);
    expect(other.holding()).toEqual([]);

    const account = { id: accountId, network: 'xmpp', externalId: bot, settings: {}, secrets: {} };
    const relayed = await other.send(
      account,
      mariaJid,
      { type: 'text', text: 'Sent from the second node' },
      'relay-1',
    );
    expect(relayed).toEqual({ providerMessageId: 'sb-relay-1' });
    await maria.next((s) => s.getChildText('body') === 'Sent from the second node');

    // The first node goes away: its hold is released and the second node connects.
    env.nodes.splice(env.nodes.indexOf(node), 1);
    await node.app.close();
    await until(async () => other.holding().includes(accountId) && xmppConnected(accountId), 10_000);
    agent.disconnect();
    agent = (await connectAgent(second, org.agents[0].token)).socket;
    await ack(agent, 'availability:set', { availability: 'available' });
    await maria.send(chat(bot, 'm-failover', 'After the failover'));
    await until(
      async () => (await env.query(`SELECT 1 FROM message WHERE body = 'After the failover'`)).length === 1,
      10_000,
    );
  }, 40_000);

  it('stops its connection when another node took the hold, and takes it back once the hold is free', async () => {
    const holder = env.nodes[0].app.get(ConnectionSupervisor);
    expect(holder.holding()).toEqual([accountId]);
    const key = `${env.env.QUEUE_PREFIX}:channel-connection:${accountId}`;
    const redis = new Redis(env.env.REDIS_URL);
    try {
      // As if this node had stalled past its hold and another node had taken over.
      await redis.set(key, 'another-node', 'PX', 5000);
      await until(async () => holder.holding().length === 0 && !xmppConnected(accountId), 5000);
      await redis.del(key);
      await until(async () => holder.holding().includes(accountId) && xmppConnected(accountId), 10_000);
    } finally {
      redis.disconnect();
    }
  }, 30_000);
});
