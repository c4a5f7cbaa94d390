import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { ack, nextEvent, SITE_ORIGIN, type VisitorClient } from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Budgets at a quarter of the defaults (RATE_LIMIT_FACTOR=0.25) per minute: conversation starts 5 per
 * address and 3 per customer, messages 15 per customer and 60 per address, uploads 5 per customer.
 * Each case uses its own client address (X-Forwarded-For, with TRUST_PROXY).
 */
describe('rate limits on customers: per customer and per address, with a retry delay', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let storageDir: string;
  const sockets: { disconnect(): unknown }[] = [];

  async function visitor(address: string): Promise<{ socket: VisitorClient; token: string }> {
    const socket: VisitorClient = io(`${node.url}/visitor`, {
      auth: { siteKey: org.siteKey },
      transports: ['websocket'],
      extraHeaders: { origin: SITE_ORIGIN, 'x-forwarded-for': address },
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    const session = await nextEvent<any>(socket, 'session');
    return { socket, token: session.token };
  }

  async function chat(address: string) {
    const v = await visitor(address);
    const started = await ack(v.socket, 'conversation:start', { prechat });
    expect(started.ok).toBe(true);
    return { ...v, conversationId: started.data.conversation.id as string };
  }

  const prechat = { name: 'Lim', policyNumber: 'P-1' };
  const limited = {
    ok: false,
    error: {
      code: 'rate_limited',
      message: expect.stringMatching(/^Too many requests; try again in \d+ s$/),
      retryAfterSeconds: expect.any(Number),
    },
  };

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'sb-files-'));
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      RATE_LIMIT_FACTOR: '0.25',
      TRUST_PROXY: '1',
      STORAGE_DIR: storageDir,
    });
    node = await env.startNode();
    org = await createOrganisation(node);
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await env.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('limits conversation starts per customer', async () => {
    const { socket } = await visitor('198.51.100.1');
    // A repeated start returns the open conversation, but each one counts.
    for (let i = 0; i < 3; i++) expect((await ack(socket, 'conversation:start', { prechat })).ok).toBe(true);
    const refused = await ack(socket, 'conversation:start', { prechat });
    expect(refused).toEqual(limited);
    expect(refused.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('limits conversation starts per address, whoever the customers are', async () => {
    for (let i = 0; i < 5; i++) await chat('198.51.100.2');
    const sixth = await visitor('198.51.100.2');
    expect(await ack(sixth.socket, 'conversation:start', { prechat })).toEqual(limited);
    const [{ n }] = await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversation`);
    expect(n).toBe(6);
  });

  it('limits messages per customer, and stores none of the refused ones', async () => {
    const { socket, conversationId } = await chat('198.51.100.3');
    for (let i = 0; i < 15; i++) {
      expect(
        (await ack(socket, 'message:send', { conversationId, clientId: `m${i}`, body: `message ${i}` })).ok,
      ).toBe(true);
    }
    expect(
      await ack(socket, 'message:send', { conversationId, clientId: 'm15', body: 'one too many' }),
    ).toEqual(limited);
    const [{ n }] = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM message WHERE conversation_id = $1`,
      [conversationId],
    );
    expect(n).toBe(15);
  });

  it('limits messages per address across customers', async () => {
    const chats = [];
    for (let i = 0; i < 5; i++) chats.push(await chat('198.51.100.4'));
    for (let i = 0; i < 60; i++) {
      const c = chats[i % 5];
      expect(
        (
          await ack(c.socket, 'message:send', {
            conversationId: c.conversationId,
            clientId: `m${i}`,
            body: 'x',
          })
        ).ok,
      ).toBe(true);
    }
    // Each customer has sent 12 of their 15: the address's budget is what stops the next one.
    expect(
      await ack(chats[0].socket, 'message:send', {
        conversationId: chats[0].conversationId,
        clientId: 'over',
        body: 'x',
      }),
    ).toEqual(limited);
  });

  it('limits uploads per customer with 429 and the delay in the body, keeping nothing', async () => {
    const { token, conversationId } = await chat('198.51.100.5');
    const upload = () =>
      fetch(`${node.url}/widget/conversations/${conversationId}/attachments`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'image/png',
          'x-file-name': 'a.png',
          'x-forwarded-for': '198.51.100.5',
        },
        body: PNG,
      });
    for (let i = 0; i < 5; i++) expect((await upload()).status).toBe(201);
    const refused = await upload();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      message: expect.stringMatching(/^Too many requests/),
      retryAfterSeconds: expect.any(Number),
    });
    const [{ n }] = await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM attachment`);
    expect(n).toBe(5);
  });
});
