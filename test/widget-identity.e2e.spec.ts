import { createHmac } from 'node:crypto';
import { io } from 'socket.io-client';
import {
  ack,
  connectAgent,
  connectError,
  connectVisitor,
  http,
  nextEvent,
  SITE_ORIGIN,
  type AgentClient,
  type VisitorClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const sign = (secret: string, userId: string) => createHmac('sha256', secret).update(userId).digest('hex');

describe('signed-in customers across devices, and nothing shared without a signature', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let secret: string;
  let ana: AgentClient;
  const sockets: { disconnect(): unknown }[] = [];

  function visitorSocket(auth: Record<string, unknown>): VisitorClient {
    const socket: VisitorClient = io(`${node.url}/visitor`, {
      auth: { siteKey: org.siteKey, ...auth },
      transports: ['websocket'],
      extraHeaders: { origin: SITE_ORIGIN },
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  }

  async function device(identity: Record<string, unknown>): Promise<{ socket: VisitorClient; session: any }> {
    const socket = visitorSocket({ identity });
    return { socket, session: await nextEvent<any>(socket, 'session') };
  }

  async function refusal(auth: Record<string, unknown>) {
    return (await connectError(visitorSocket(auth))).data;
  }

  const maria = () => ({
    userId: 'customer-1001',
    signature: sign(secret, 'customer-1001'),
    name: 'Maria Lopez',
    email: 'maria@example.com',
  });
  const prechat = { name: 'Maria Lopez', policyNumber: 'POL-1001', claimType: 'Car' };
  let conversationId: string;

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 1, capacity: 5 });
    const rotated = await http(node, 'POST', `/admin/sites/${org.siteId}/identity-secret`, {
      token: org.adminToken,
    });
    secret = rotated.body.identitySecret;
    ({ socket: ana } = await connectAgent(node, org.agents[0].token));
    sockets.push(ana);
    expect((await ack(ana, 'availability:set', { availability: 'available' })).ok).toBe(true);
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await env.close();
  });

  it('on a second device, a signed-in customer finds their open conversation and can carry on', async () => {
    const phone = await device(maria());
    expect(phone.session.conversations).toEqual([]);
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const started = await ack(phone.socket, 'conversation:start', {
      prechat,
      message: { clientId: 'p-1', body: 'Started on my phone' },
    });
    conversationId = started.data.conversation.id;
    const assignment = await assigned;
    expect(assignment.contact).toMatchObject({ displayName: 'Maria Lopez', email: 'maria@example.com' });

    const laptop = await device(maria());
    expect(laptop.session.conversations).toEqual([
      expect.objectContaining({ id: conversationId, status: 'assigned' }),
    ]);
    expect(laptop.session.visitorId).toBe(phone.session.visitorId);
    const synced = await ack(laptop.socket, 'sync', { conversationId, afterSeq: 0 });
    expect(synced.data.messages.map((m: any) => m.body)).toEqual(['Started on my phone']);

    // Both devices hear the agent; the laptop can write into the same conversation.
    const onPhone = nextEvent<any>(phone.socket, 'message', (m) => m.clientId === 'a-1');
    const onLaptop = nextEvent<any>(laptop.socket, 'message', (m) => m.clientId === 'a-1');
    expect(
      (await ack(ana, 'message:send', { conversationId, clientId: 'a-1', body: 'Hello Maria' })).ok,
    ).toBe(true);
    await Promise.all([onPhone, onLaptop]);
    const sent = await ack(laptop.socket, 'message:send', {
      conversationId,
      clientId: 'l-1',
      body: 'Now on my laptop',
    });
    expect(sent.ok).toBe(true);
  });

  it('on a third device, after the chat ended, `history` returns the past conversation with its messages', async () => {
    const closed = nextEvent<any>(ana, 'conversation:closed');
    expect((await ack(ana, 'conversation:close', { conversationId, disposition: 'resolved' })).ok).toBe(true);
    await closed;
    const tablet = await device(maria());
    expect(tablet.session.conversations).toEqual([]);
    const history = await ack(tablet.socket, 'history', { limit: 5 });
    expect(history.ok).toBe(true);
    expect(history.data.conversations).toEqual([
      expect.objectContaining({ id: conversationId, status: 'closed', closedAt: expect.any(String) }),
    ]);
    expect(history.data.conversations[0].messages.map((m: any) => m.body)).toEqual([
      'Started on my phone',
      'Hello Maria',
      'Now on my laptop',
    ]);
  });

  it('pages through history with nextBefore', async () => {
    // Two more closed conversations for Maria.
    for (const n of [2, 3]) {
      const d = await device(maria());
      const assigned = nextEvent<any>(ana, 'conversation:assigned');
      const started = await ack(d.socket, 'conversation:start', {
        prechat,
        message: { clientId: `c${n}`, body: `chat ${n}` },
      });
      await assigned;
      expect(
        (
          await ack(ana, 'conversation:close', {
            conversationId: started.data.conversation.id,
            disposition: 'resolved',
          })
        ).ok,
      ).toBe(true);
      d.socket.disconnect();
    }
    const d = await device(maria());
    const first = await ack(d.socket, 'history', { limit: 2 });
    expect(first.data.conversations.map((c: any) => c.messages[0].body)).toEqual(['chat 3', 'chat 2']);
    expect(first.data.nextBefore).toEqual(expect.any(String));
    const second = await ack(d.socket, 'history', { limit: 2, before: first.data.nextBefore });
    expect(second.data.conversations.map((c: any) => c.id)).toEqual([conversationId]);
    expect(second.data.nextBefore).toBeNull();
  });

  it.each([
    ['a forged signature', () => ({ ...maria(), signature: 'ab'.repeat(32) })],
    ['the signature of another user', () => ({ ...maria(), signature: sign(secret, 'customer-2002') })],
    [
      'a signature made with another secret',
      () => ({ ...maria(), signature: sign('not-the-secret', 'customer-1001') }),
    ],
    ['no signature', () => ({ userId: 'customer-1001' })],
    [
      'a user id of 201 characters',
      () => ({ userId: 'u'.repeat(201), signature: sign(secret, 'u'.repeat(201)) }),
    ],
    ['a number as user id', () => ({ userId: 1001, signature: sign(secret, '1001') })],
  ])('refuses %s with unauthorized, and reveals nothing', async (_, identity) => {
    const before = await env.query(`SELECT count(*)::int AS n FROM contact`);
    const error = await refusal({ identity: identity() });
    expect(error).toEqual({ code: 'unauthorized', message: expect.stringMatching(/identity/) });
    expect(await env.query(`SELECT count(*)::int AS n FROM contact`)).toEqual(before);
  });

  it('refuses a signature under a secret that has been rotated away', async () => {
    const old = maria();
    const rotated = await http(node, 'POST', `/admin/sites/${org.siteId}/identity-secret`, {
      token: org.adminToken,
    });
    expect(await refusal({ identity: old })).toMatchObject({ code: 'unauthorized' });
    secret = rotated.body.identitySecret;
    const ok = await device(maria());
    expect(ok.session.visitorId).toMatch(/customer-1001$/);
  });

  it('an anonymous visitor who types the same email and policy number gets none of it', async () => {
    const impostor = await connectVisitor(node, org.siteKey);
    sockets.push(impostor.socket);
    expect(impostor.session.conversations).toEqual([]);
    const started = await ack(impostor.socket, 'conversation:start', {
      prechat: { ...prechat, name: 'Maria Lopez' },
      message: { clientId: 'i-1', body: 'Show me my claims' },
    });
    expect(started.ok).toBe(true);
    expect(started.data.conversation.id).not.toBe(conversationId);

    // Nothing of Maria's: not in history, not readable, not writable, another contact.
    expect(await ack(impostor.socket, 'history', {})).toEqual({
      ok: true,
      data: { conversations: [], nextBefore: null },
    });
    expect(await ack(impostor.socket, 'sync', { conversationId, afterSeq: 0 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await ack(impostor.socket, 'message:send', { conversationId, clientId: 'i-2', body: 'hi' }),
    ).toMatchObject({ ok: false });
    const transcript = await fetch(`${node.url}/widget/conversations/${conversationId}/transcript`, {
      headers: { authorization: `Bearer ${impostor.session.token}` },
    });
    expect(transcript.status).toBe(403);
    const contacts = await env.query<{ contact_id: string }>(
      `SELECT DISTINCT contact_id FROM conversation WHERE id IN ($1, $2)`,
      [conversationId, started.data.conversation.id],
    );
    expect(contacts).toHaveLength(2);

    // A reconnect with the impostor's token, even with a pre-chat email equal to Maria's, shows only its own chat.
    const again = await connectVisitor(node, org.siteKey, { token: impostor.session.token });
    sockets.push(again.socket);
    expect(again.session.conversations.map((c: any) => c.id)).toEqual([started.data.conversation.id]);
  });

  it('two anonymous visitors with the same email never see each other\u2019s conversations', async () => {
    const first = await connectVisitor(node, org.siteKey);
    const second = await connectVisitor(node, org.siteKey);
    sockets.push(first.socket, second.socket);
    const same = { name: 'Jo', policyNumber: 'POL-9', claimType: 'Home' };
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const a = await ack(first.socket, 'conversation:start', { prechat: same });
    expect((await assigned).conversation.id).toBe(a.data.conversation.id);
    const b = await ack(second.socket, 'conversation:start', { prechat: same });
    expect(a.data.conversation.id).not.toBe(b.data.conversation.id);
    expect(
      (
        await ack(ana, 'conversation:close', {
          conversationId: a.data.conversation.id,
          disposition: 'resolved',
        })
      ).ok,
    ).toBe(true);
    expect(await ack(second.socket, 'history', {})).toEqual({
      ok: true,
      data: { conversations: [], nextBefore: null },
    });
    const own = await ack(first.socket, 'history', {});
    expect(own.data.conversations.map((c: any) => c.id)).toEqual([a.data.conversation.id]);
  });
});
