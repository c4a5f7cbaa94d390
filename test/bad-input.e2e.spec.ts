import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  ack,
  collect,
  connectAgent,
  connectError,
  connectVisitor,
  http,
  login,
  nextEvent,
  SITE_ORIGIN,
  type AgentClient,
  type VisitorClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const OTHER_ORIGIN = 'https://help.other-brand.example';

interface Counts {
  messages: number;
  conversations: number;
  contacts: number;
  events: number;
}

interface Chat {
  socket: VisitorClient;
  token: string;
  name: string;
  conversationId: string;
}

describe('bad input gets a clear error and changes nothing', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let otherSite: { id: string; publicKey: string };
  let ana: AgentClient; // agent 0: available, every conversation of this file is assigned to her
  let ben: AgentClient; // agent 1: connected but offline, so routing never picks him
  let maria: Chat;
  let john: Chat;
  const sockets: Socket[] = [];
  let customers = 0;

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 20 });
    const site = await http(node, 'POST', '/admin/sites', {
      token: org.adminToken,
      body: { name: 'Other brand', allowedOrigins: [OTHER_ORIGIN], defaultQueueId: org.queues.billing },
    });
    expect(site.status).toBe(201);
    otherSite = site.body;

    ana = (await connectAgent(node, org.agents[0].token)).socket;
    ben = (await connectAgent(node, org.agents[1].token)).socket;
    sockets.push(ana, ben);
    expect((await ack(ana, 'availability:set', { availability: 'available' })).ok).toBe(true);

    maria = await assignedChat('maria-first-message');
    john = await assignedChat('john-secret-claim-details');
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await agentsDisconnected();
    await env.close();
  });

  /**
   * The server handles an agent's disconnect asynchronously (it asks every node over Redis how many
   * sockets the agent still has); closing the app in the middle of that leaves a request hanging.
   */
  async function agentsDisconnected(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const [row] = await env.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM agent_state WHERE connected`,
      );
      if (row.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  async function counts(): Promise<Counts> {
    const [row] = await env.query<Counts & Record<string, number>>(
      `SELECT (SELECT count(*) FROM message)::int AS messages,
              (SELECT count(*) FROM conversation)::int AS conversations,
              (SELECT count(*) FROM contact)::int AS contacts,
              (SELECT count(*) FROM conversation_event)::int AS events`,
    );
    return row;
  }

  async function visitor(token?: string): Promise<{ socket: VisitorClient; session: any }> {
    const v = await connectVisitor(node, org.siteKey, { token });
    sockets.push(v.socket);
    return v;
  }

  /** A new customer whose conversation Ana has been assigned. */
  async function assignedChat(firstMessage = 'hello'): Promise<Chat> {
    const name = `Customer ${++customers}`;
    const { socket, session } = await visitor();
    const assigned = nextEvent<any>(ana, 'conversation:assigned', (a) => a.contact.displayName === name);
    const started = await ack(socket, 'conversation:start', {
      prechat: { name, policyNumber: `POL-${customers}` },
      message: { clientId: 'first', body: firstMessage },
    });
    if (!started.ok) throw new Error(`start failed: ${JSON.stringify(started)}`);
    await assigned;
    return { socket, token: session.token, name, conversationId: started.data.conversation.id };
  }

  /** A socket whose handshake is expected to be refused. */
  function rawSocket(
    namespace: '/visitor' | '/agent',
    auth: Record<string, unknown>,
    origin?: string,
  ): Socket {
    const socket = io(`${node.url}${namespace}`, {
      auth,
      transports: ['websocket'],
      extraHeaders: origin ? { origin } : {},
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  }

  async function refusedHandshake(
    namespace: '/visitor' | '/agent',
    auth: Record<string, unknown>,
    origin?: string,
  ) {
    const error = await connectError(rawSocket(namespace, auth, origin));
    return error.data;
  }

  function visitorToken(
    claims: { sub: string; site: string },
    secret: string,
    options: jwt.SignOptions = {},
  ): string {
    return jwt.sign({ site: claims.site }, secret, {
      subject: claims.sub,
      audience: 'switchboard:visitor',
      issuer: 'switchboard',
      expiresIn: 3600,
      ...options,
    });
  }

  function staffToken(staffId: string, secret: string, options: jwt.SignOptions = {}): string {
    return jwt.sign({ role: 'admin' }, secret, {
      subject: staffId,
      audience: 'switchboard:staff',
      issuer: 'switchboard',
      expiresIn: 3600,
      ...options,
    });
  }

  const badRequest = { ok: false, error: { code: 'bad_request', message: expect.any(String) } };

  describe('visitor handshake', () => {
    it('refuses an Origin that is not on the site allowlist (or none) as forbidden, creating nobody', async () => {
      const before = await counts();
      expect(await refusedHandshake('/visitor', { siteKey: org.siteKey }, 'https://evil.example')).toEqual({
        code: 'forbidden',
        message: 'Origin https://evil.example is not allowed for this site',
      });
      // Another site's origin is not good enough either, even with a valid visitor token of this site.
      expect(
        await refusedHandshake('/visitor', { siteKey: org.siteKey, token: maria.token }, OTHER_ORIGIN),
      ).toMatchObject({
        code: 'forbidden',
      });
      expect(await refusedHandshake('/visitor', { siteKey: org.siteKey })).toEqual({
        code: 'forbidden',
        message: 'Origin (none) is not allowed for this site',
      });
      expect(await counts()).toEqual(before);
    });

    it('refuses an unknown, missing or oversized site key as unauthorized', async () => {
      expect(await refusedHandshake('/visitor', { siteKey: 'site_doesnotexist' }, SITE_ORIGIN)).toEqual({
        code: 'unauthorized',
        message: 'Unknown site key',
      });
      expect(await refusedHandshake('/visitor', {}, SITE_ORIGIN)).toEqual({
        code: 'unauthorized',
        message: 'A site key is required',
      });
      expect(await refusedHandshake('/visitor', { siteKey: 42 }, SITE_ORIGIN)).toMatchObject({
        code: 'unauthorized',
      });
      expect(await refusedHandshake('/visitor', { siteKey: 'k'.repeat(101) }, SITE_ORIGIN)).toMatchObject({
        code: 'unauthorized',
      });
    });

    it("refuses a visitor token issued for another site, and does not hand out that site's conversations", async () => {
      const elsewhere = await connectVisitor(node, otherSite.publicKey, { origin: OTHER_ORIGIN });
      sockets.push(elsewhere.socket);
      expect(
        await refusedHandshake(
          '/visitor',
          { siteKey: org.siteKey, token: elsewhere.session.token },
          SITE_ORIGIN,
        ),
      ).toEqual({
        code: 'unauthorized',
        message: 'The token belongs to another site',
      });
      // And the other way round: Maria's token does not open a session on the other site.
      expect(
        await refusedHandshake(
          '/visitor',
          { siteKey: otherSite.publicKey, token: maria.token },
          OTHER_ORIGIN,
        ),
      ).toMatchObject({
        code: 'unauthorized',
      });
    });

    it('refuses forged, garbage, expired and staff tokens — nobody can resume as Maria', async () => {
      const before = await counts();
      const [, payload] = maria.token.split('.');
      const mariaClaims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
        sub: string;
        site: string;
      };
      const refusals = [
        visitorToken(mariaClaims, 'a-secret-the-attacker-guessed-0123456789'),
        visitorToken(mariaClaims, env.env.JWT_SECRET, { expiresIn: -10 }),
        visitorToken(mariaClaims, env.env.JWT_SECRET, { audience: 'switchboard:staff' }),
        `${maria.token.slice(0, -3)}abc`,
        'not-a-token',
        org.agents[0].token,
        123,
        { sub: mariaClaims.sub },
      ];
      for (const token of refusals) {
        expect(
          await refusedHandshake('/visitor', { siteKey: org.siteKey, token }, SITE_ORIGIN),
        ).toMatchObject({ code: 'unauthorized' });
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('visitor requests', () => {
    const conversationId = () => maria.conversationId;
    const invalidMessages: [string, () => unknown][] = [
      ['an empty object', () => ({})],
      ['no body', () => ({ conversationId: conversationId(), clientId: 'm-1' })],
      ['no clientId', () => ({ conversationId: conversationId(), body: 'hello' })],
      ['no conversationId', () => ({ clientId: 'm-1', body: 'hello' })],
      ['a number as body', () => ({ conversationId: conversationId(), clientId: 'm-1', body: 42 })],
      [
        'an object as body',
        () => ({ conversationId: conversationId(), clientId: 'm-1', body: { text: 'hi' } }),
      ],
      ['an empty body', () => ({ conversationId: conversationId(), clientId: 'm-1', body: '' })],
      [
        'a conversationId that is not a uuid',
        () => ({ conversationId: 'conv-1', clientId: 'm-1', body: 'hello' }),
      ],
      ['a number as conversationId', () => ({ conversationId: 7, clientId: 'm-1', body: 'hello' })],
      ['a number as clientId', () => ({ conversationId: conversationId(), clientId: 7, body: 'hello' })],
      [
        'an unknown field',
        () => ({ conversationId: conversationId(), clientId: 'm-1', body: 'hello', senderKind: 'agent' }),
      ],
      [
        'a staff-only field',
        () => ({ conversationId: conversationId(), clientId: 'm-1', body: 'hello', internal: true }),
      ],
      [
        'a body of 4001 characters',
        () => ({ conversationId: conversationId(), clientId: 'm-1', body: 'x'.repeat(4001) }),
      ],
      [
        'a clientId of 101 characters',
        () => ({ conversationId: conversationId(), clientId: 'c'.repeat(101), body: 'hello' }),
      ],
      ['a string', () => 'hello'],
      ['an array', () => [conversationId(), 'm-1', 'hello']],
      ['null', () => null],
      ['a number', () => 42],
      // PostgreSQL text cannot hold U+0000; it must be refused as input, not fail in the database.
      [
        'a NUL character in the body',
        () => ({ conversationId: conversationId(), clientId: 'm-1', body: 'a\u0000b' }),
      ],
      [
        'a NUL character in the clientId',
        () => ({ conversationId: conversationId(), clientId: 'm\u00001', body: 'hi' }),
      ],
    ];

    it.each(invalidMessages)(
      'message:send with %s is refused as bad_request and stores nothing',
      async (_, payload) => {
        const atAgent = collect<any>(ana, 'message');
        const before = await counts();
        expect(await ack(maria.socket, 'message:send', payload())).toEqual(badRequest);
        expect(await counts()).toEqual(before);
        expect(atAgent).toEqual([]);
      },
    );

    it('accepts a body of exactly 4000 characters and a clientId of exactly 100', async () => {
      const before = await counts();
      const sent = await ack(maria.socket, 'message:send', {
        conversationId: maria.conversationId,
        clientId: 'c'.repeat(100),
        body: 'y'.repeat(4000),
      });
      expect(sent).toEqual({
        ok: true,
        data: { id: expect.any(String), seq: expect.any(Number), createdAt: expect.any(String) },
      });
      expect(await counts()).toEqual({ ...before, messages: before.messages + 1 });
    });

    it.each([
      [
        'sync with a negative afterSeq',
        'sync',
        () => ({ conversationId: maria.conversationId, afterSeq: -1 }),
      ],
      ['sync with a text afterSeq', 'sync', () => ({ conversationId: maria.conversationId, afterSeq: '0' })],
      ['sync with a conversationId that is not a uuid', 'sync', () => ({ conversationId: '1', afterSeq: 0 })],
      ['sync with a string payload', 'sync', () => 'sync-me'],
      [
        'typing with a text isTyping',
        'typing',
        () => ({ conversationId: maria.conversationId, isTyping: 'yes' }),
      ],
      [
        'typing with an unknown field',
        'typing',
        () => ({ conversationId: maria.conversationId, isTyping: true, as: 'agent' }),
      ],
      ['conversation:start with an array', 'conversation:start', () => [{ name: 'x' }]],
      ['conversation:start with a string prechat', 'conversation:start', () => ({ prechat: 'name=Maria' })],
      [
        'conversation:start with an unknown field',
        'conversation:start',
        () => ({ queueId: org.queues.billing }),
      ],
    ])('%s is refused as bad_request', async (_, event, payload) => {
      const before = await counts();
      expect(await ack(maria.socket, event, payload())).toEqual(badRequest);
      expect(await counts()).toEqual(before);
    });

    it('answers a sync past the largest possible seq without an internal error', async () => {
      for (const afterSeq of [2 ** 31, Number.MAX_SAFE_INTEGER]) {
        const result = await ack(maria.socket, 'sync', { conversationId: maria.conversationId, afterSeq });
        // Either refused as invalid, or answered with nothing newer: never "something went wrong".
        expect(result.ok ? { messages: result.data.messages } : result.error.code).toEqual(
          result.ok ? { messages: [] } : 'bad_request',
        );
      }
    });

    it('refuses pre-chat answers with a NUL character as bad_request and opens nothing', async () => {
      const { socket } = await visitor();
      const before = await counts();
      const result = await ack(socket, 'conversation:start', {
        prechat: { name: 'Pat\u0000', policyNumber: 'P-1' },
      });
      expect(result).toEqual(badRequest);
      expect(await counts()).toEqual(before);
    });

    it("refuses a message into another customer's conversation and stores nothing", async () => {
      const atJohn = collect<any>(john.socket, 'message');
      const atAgent = collect<any>(ana, 'message');
      const before = await counts();
      const result = await ack(maria.socket, 'message:send', {
        conversationId: john.conversationId,
        clientId: 'x-1',
        body: 'I am John now',
      });
      expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
      expect(await counts()).toEqual(before);
      // Typing into it reaches nobody either.
      const typing = collect<any>(ana, 'typing');
      expect(
        (await ack(maria.socket, 'typing', { conversationId: john.conversationId, isTyping: true })).ok,
      ).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
      expect([atJohn, atAgent, typing]).toEqual([[], [], []]);
    });

    it("refuses to sync another customer's conversation and leaks none of it", async () => {
      const result = await ack(maria.socket, 'sync', { conversationId: john.conversationId, afterSeq: 0 });
      expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
      expect(JSON.stringify(result)).not.toContain('john-secret-claim-details');
      // The same for a conversation id that does not exist: no hint, nothing returned.
      const missing = await ack(maria.socket, 'sync', { conversationId: randomUUID(), afterSeq: 0 });
      expect(missing.ok).toBe(false);
      expect(missing.data).toBeUndefined();
    });

    it('refuses message:send and sync before the visitor has started a conversation', async () => {
      const { socket } = await visitor();
      const before = await counts();
      expect(
        await ack(socket, 'message:send', {
          conversationId: maria.conversationId,
          clientId: 'n-1',
          body: 'hi',
        }),
      ).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'Start a conversation first' },
      });
      expect(
        (await ack(socket, 'sync', { conversationId: maria.conversationId, afterSeq: 0 })).error.code,
      ).toBe('forbidden');
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['a required field missing', { name: 'Pat' }, 'Policy number is required'],
      ['a required field blank', { name: 'Pat', policyNumber: '' }, 'Policy number is required'],
      [
        'an unknown field',
        { name: 'Pat', policyNumber: 'P-1', vip: 'yes' },
        'vip is not a field of this form',
      ],
      [
        'a select value that is not an option',
        { name: 'Pat', policyNumber: 'P-1', claimType: 'Boat' },
        'Claim type must be one of: Car, Home',
      ],
      [
        'an answer over maxLength',
        { name: 'Pat', policyNumber: 'P'.repeat(21) },
        'Policy number is too long',
      ],
      ['a number as an answer', { name: 'Pat', policyNumber: 12345 }, 'Policy number must be text'],
    ])('conversation:start with %s is refused, saying why, and opens nothing', async (_, prechat, reason) => {
      const { socket } = await visitor();
      const before = await counts();
      expect(
        await ack(socket, 'conversation:start', { prechat, message: { clientId: 's-1', body: 'help' } }),
      ).toEqual({
        ok: false,
        error: { code: 'bad_request', message: reason },
      });
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['a body of 4001 characters', { clientId: 's-1', body: 'x'.repeat(4001) }],
      ['no clientId', { body: 'help' }],
      ['a number as body', { clientId: 's-1', body: 5 }],
      ['an unknown field', { clientId: 's-1', body: 'help', internal: true }],
    ])(
      'conversation:start with a first message with %s is refused and opens no conversation',
      async (_, message) => {
        const { socket } = await visitor();
        const before = await counts();
        const result = await ack(socket, 'conversation:start', {
          prechat: { name: 'Pat', policyNumber: 'P-1' },
          message,
        });
        expect(result).toEqual(badRequest);
        expect(await counts()).toEqual(before);
      },
    );
  });

  describe('socket frame size', () => {
    it('drops a connection that sends a frame above SOCKET_MAX_PAYLOAD_BYTES, storing nothing', async () => {
      expect(node.config.limits.socketPayloadBytes).toBe(64 * 1024);
      const { socket } = await visitor(maria.token);
      const before = await counts();
      const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      let answered = false;
      socket.emit(
        'message:send',
        { conversationId: maria.conversationId, clientId: 'big-1', body: 'x'.repeat(70 * 1024) },
        () => {
          answered = true;
        },
      );
      expect(await gone).toBe('transport close');
      expect(answered).toBe(false);
      expect(await counts()).toEqual(before);
      const [stored] = await env.query(`SELECT count(*)::int AS n FROM message WHERE client_id = 'big-1'`);
      expect(stored.n).toBe(0);
    });

    it('answers a frame just under the limit normally (refused for its body length) and keeps the connection', async () => {
      const { socket } = await visitor(maria.token);
      const before = await counts();
      const result = await ack(socket, 'message:send', {
        conversationId: maria.conversationId,
        clientId: 'big-2',
        body: 'x'.repeat(60 * 1024),
      });
      expect(result).toEqual(badRequest);
      expect(socket.connected).toBe(true);
      expect(await counts()).toEqual(before);
    });
  });

  describe('agent handshake', () => {
    it('refuses a missing, garbage, forged, expired or visitor token as unauthorized', async () => {
      const agentId = org.agents[1].id;
      const refusals: [string, Record<string, unknown>][] = [
        ['no token', {}],
        ['an empty token', { token: '' }],
        ['a number', { token: 42 }],
        ['garbage', { token: 'garbage.garbage.garbage' }],
        [
          'a token signed with another secret',
          { token: staffToken(agentId, 'not-the-server-secret-0123456789abcdef') },
        ],
        ['an expired token', { token: staffToken(agentId, env.env.JWT_SECRET, { expiresIn: -10 }) }],
        [
          'a token with another audience',
          { token: staffToken(agentId, env.env.JWT_SECRET, { audience: 'switchboard:visitor' }) },
        ],
        [
          'an unsigned token',
          {
            token: jwt.sign({ role: 'admin', sub: agentId, aud: 'switchboard:staff' }, '', {
              algorithm: 'none',
            }),
          },
        ],
        ['a token of nobody', { token: staffToken(randomUUID(), env.env.JWT_SECRET) }],
        ['a visitor token', { token: maria.token }],
      ];
      for (const [what, auth] of refusals) {
        const data = await refusedHandshake('/agent', auth);
        expect({ what, code: data?.code }).toEqual({ what, code: 'unauthorized' });
      }
    });

    it('still accepts a correctly signed, unexpired token (the refusals above are not blanket)', async () => {
      const { socket, session } = await connectAgent(node, staffToken(org.agents[1].id, env.env.JWT_SECRET));
      sockets.push(socket);
      expect(session.agent.id).toBe(org.agents[1].id);
    });
  });

  describe('agent requests', () => {
    async function conversationRow(id: string) {
      const [row] = await env.query(
        `SELECT status, agent_id, queue_id, disposition, last_seq FROM conversation WHERE id = $1`,
        [id],
      );
      return row;
    }

    it("refuses Ben writing into Ana's conversation, storing and delivering nothing", async () => {
      const atCustomer = collect<any>(maria.socket, 'message');
      const before = await counts();
      const result = await ack(ben, 'message:send', {
        conversationId: maria.conversationId,
        clientId: 'b-1',
        body: 'Ben here',
      });
      expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
      expect(
        (
          await ack(ben, 'message:send', {
            conversationId: maria.conversationId,
            clientId: 'b-2',
            body: 'note',
            internal: true,
          })
        ).error.code,
      ).toBe('forbidden');
      expect(await counts()).toEqual(before);
      await new Promise((r) => setTimeout(r, 200));
      expect(atCustomer).toEqual([]);
    });

    it("refuses Ben closing, transferring or reading Ana's conversation; it stays hers", async () => {
      const row = await conversationRow(maria.conversationId);
      const closed = collect<any>(maria.socket, 'conversation:closed');
      const before = await counts();
      expect(
        (await ack(ben, 'conversation:close', { conversationId: maria.conversationId, disposition: 'spam' }))
          .error.code,
      ).toBe('forbidden');
      expect(
        (
          await ack(ben, 'conversation:transfer', {
            conversationId: maria.conversationId,
            queueId: org.queues.billing,
          })
        ).error.code,
      ).toBe('forbidden');
      expect(
        (
          await ack(ben, 'conversation:transfer', {
            conversationId: maria.conversationId,
            agentId: org.agents[1].id,
          })
        ).error.code,
      ).toBe('forbidden');
      const read = await ack(ben, 'sync', { conversationId: maria.conversationId, afterSeq: 0 });
      expect(read.error.code).toBe('forbidden');
      expect(JSON.stringify(read)).not.toContain('maria-first-message');
      expect(await conversationRow(maria.conversationId)).toEqual({
        ...row,
        status: 'assigned',
        agent_id: org.agents[0].id,
      });
      expect(await counts()).toEqual(before);
      expect(closed).toEqual([]);
    });

    it.each([
      [
        'both queueId and agentId',
        (id: string) => ({ conversationId: id, queueId: org.queues.billing, agentId: org.agents[1].id }),
      ],
      ['neither queueId nor agentId', (id: string) => ({ conversationId: id })],
      ['a queueId that is not a uuid', (id: string) => ({ conversationId: id, queueId: 'billing' })],
      [
        'a note of 501 characters',
        (id: string) => ({ conversationId: id, queueId: org.queues.billing, note: 'n'.repeat(501) }),
      ],
    ])(
      'refuses a transfer with %s as bad_request and leaves the conversation with Ana',
      async (_, payload) => {
        const chat = await assignedChat();
        const row = await conversationRow(chat.conversationId);
        const before = await counts();
        expect(await ack(ana, 'conversation:transfer', payload(chat.conversationId))).toEqual(badRequest);
        expect(await conversationRow(chat.conversationId)).toEqual(row);
        expect(await counts()).toEqual(before);
      },
    );

    it.each([
      ['no disposition', (id: string) => ({ conversationId: id })],
      ['an empty disposition', (id: string) => ({ conversationId: id, disposition: '' })],
      [
        'a disposition of 81 characters',
        (id: string) => ({ conversationId: id, disposition: 'd'.repeat(81) }),
      ],
      ['a number as disposition', (id: string) => ({ conversationId: id, disposition: 3 })],
      ['an unknown field', (id: string) => ({ conversationId: id, disposition: 'done', silent: true })],
    ])('refuses a close with %s as bad_request; the conversation stays open', async (_, payload) => {
      const chat = await assignedChat();
      const before = await counts();
      expect(await ack(ana, 'conversation:close', payload(chat.conversationId))).toEqual(badRequest);
      expect(await conversationRow(chat.conversationId)).toMatchObject({
        status: 'assigned',
        agent_id: org.agents[0].id,
        disposition: null,
      });
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['a body of 4001 characters', { clientId: 'a-1', body: 'x'.repeat(4001) }],
      ['a text internal flag', { clientId: 'a-1', body: 'note', internal: 'yes' }],
      ['no clientId', { body: 'hello' }],
      ['an unknown field', { clientId: 'a-1', body: 'hello', senderKind: 'system' }],
      ['a NUL character in the body', { clientId: 'a-1', body: 'see\u0000note' }],
    ])('refuses an agent message with %s as bad_request and stores nothing', async (_, fields) => {
      const atCustomer = collect<any>(maria.socket, 'message');
      const before = await counts();
      expect(await ack(ana, 'message:send', { conversationId: maria.conversationId, ...fields })).toEqual(
        badRequest,
      );
      expect(await counts()).toEqual(before);
      expect(atCustomer).toEqual([]);
    });

    it('answers a supervisor closing or transferring a closed conversation with conflict, changing nothing', async () => {
      const created = await http(node, 'POST', '/admin/staff', {
        token: org.adminToken,
        body: {
          email: 'sue@test.example',
          displayName: 'Sue',
          password: 'supervisor-password-1',
          role: 'supervisor',
        },
      });
      expect(created.status).toBe(201);
      const { socket: sue } = await connectAgent(
        node,
        await login(node, 'sue@test.example', 'supervisor-password-1'),
      );
      sockets.push(sue);
      const chat = await assignedChat();
      const conversationId = chat.conversationId;
      expect(await ack(sue, 'conversation:close', { conversationId, disposition: 'spam' })).toEqual({
        ok: true,
        data: { conversationId },
      });
      const row = await conversationRow(conversationId);
      const before = await counts();
      const conflict = { ok: false, error: { code: 'conflict', message: expect.any(String) } };
      expect(await ack(sue, 'conversation:close', { conversationId, disposition: 'again' })).toEqual(
        conflict,
      );
      expect(
        await ack(sue, 'conversation:transfer', { conversationId, queueId: org.queues.billing }),
      ).toEqual(conflict);
      expect(await ack(sue, 'conversation:transfer', { conversationId, agentId: org.agents[0].id })).toEqual(
        conflict,
      );
      expect(await conversationRow(conversationId)).toEqual({
        ...row,
        status: 'closed',
        disposition: 'spam',
      });
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['an unknown value', { availability: 'busy' }],
      ['a different case', { availability: 'AVAILABLE' }],
      ['no value', {}],
      ['a string payload', 'available'],
    ])('refuses availability:set with %s as bad_request; availability is unchanged', async (_, payload) => {
      const [before] = await env.query(
        `SELECT availability, availability_changed_at FROM agent_state WHERE staff_id = $1`,
        [org.agents[0].id],
      );
      const told = collect<any>(ana, 'availability');
      expect(await ack(ana, 'availability:set', payload)).toEqual(badRequest);
      expect(
        await env.query(`SELECT availability, availability_changed_at FROM agent_state WHERE staff_id = $1`, [
          org.agents[0].id,
        ]),
      ).toEqual([before]);
      expect(before.availability).toBe('available');
      expect(told).toEqual([]);
    });
  });
});
