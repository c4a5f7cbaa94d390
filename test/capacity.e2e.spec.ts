import {
  ack,
  collect,
  connectAgent,
  connectVisitor,
  http,
  nextEvent,
  nextEventAmong,
  type AgentClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('capacity per channel kind, wrap-up, and offers of agents who leave', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  beforeEach(async () => {
    env = await TestEnvironment.create({ ...ADMIN_ENV });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 1 });
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await sleep(1200);
    await env.close();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    http(node, method, path, { token: org.adminToken, body });

  async function available(i: number): Promise<AgentClient> {
    const { socket } = await connectAgent(node, org.agents[i].token);
    sockets.push(socket);
    await ack(socket, 'availability:set', { availability: 'available' });
    return socket;
  }

  async function startChat(name = 'Kai'): Promise<string> {
    const { socket } = await connectVisitor(node, org.siteKey);
    sockets.push(socket);
    const started = await ack(socket, 'conversation:start', { prechat: { name, policyNumber: 'P-7' } });
    expect(started.ok).toBe(true);
    return started.data.conversation.id as string;
  }

  /**
   * A conversation from a messaging app, as a connector stores it (contact, waiting conversation, `queued`
   * event); the periodic sweep then routes it like any other.
   */
  async function imConversation(channel: 'whatsapp' | 'telegram' | 'sms'): Promise<string> {
    const [row] = await env.query<{ id: string }>(
      `WITH k AS (INSERT INTO contact (display_name) VALUES ('IM customer') RETURNING id),
            c AS (INSERT INTO conversation (contact_id, channel, status, queue_id, enqueued_at)
                  SELECT id, $1, 'queued', $2, clock_timestamp() FROM k RETURNING id, queue_id)
       INSERT INTO conversation_event (conversation_id, type, queue_id) SELECT id, 'queued', queue_id FROM c
       RETURNING conversation_id AS id`,
      [channel, org.queues.claims],
    );
    return row.id;
  }

  const held = async (agentId: string) =>
    (
      await env.query<{ channel: string; n: number }>(
        `SELECT channel, count(*)::int AS n FROM conversation WHERE agent_id = $1 AND status = 'assigned' GROUP BY channel ORDER BY channel`,
        [agentId],
      )
    ).reduce<Record<string, number>>((all, r) => ({ ...all, [r.channel]: r.n }), {});

  it('holds live chats and messaging conversations up to separate limits', async () => {
    const agentId = org.agents[0].id;
    const set = await admin('PATCH', `/admin/staff/${agentId}`, { channelCapacity: { web: 1, im: 2 } });
    expect(set.status).toBe(200);
    // Limits per kind alone: the overall cap becomes their sum, so it does not cut them.
    expect(set.body).toMatchObject({ channelCapacity: { web: 1, im: 2 }, capacity: 3 });
    const agent = await available(0);
    const assigned = collect<any>(agent, 'conversation:assigned');

    const chat1 = await startChat('One');
    const chat2 = await startChat('Two');
    const wa = await imConversation('whatsapp');
    const tg = await imConversation('telegram');
    const sms = await imConversation('sms');
    await sleep(3500); // a sweep or two
    expect(await held(agentId)).toEqual({ telegram: 1, web: 1, whatsapp: 1 });
    expect(assigned.map((a) => a.conversation.id).sort()).toEqual([chat1, wa, tg].sort());
    const waiting = await env.query<{ id: string }>(
      `SELECT id FROM conversation WHERE status = 'queued' ORDER BY enqueued_at`,
    );
    expect(waiting.map((w) => w.id)).toEqual([chat2, sms]);

    // Closing the WhatsApp conversation frees a messaging slot only: the SMS goes next, the chat still waits.
    const next = nextEvent<any>(agent, 'conversation:assigned');
    expect((await ack(agent, 'conversation:close', { conversationId: wa, disposition: 'resolved' })).ok).toBe(
      true,
    );
    expect((await next).conversation.id).toBe(sms);
    expect((await env.query<any>(`SELECT status FROM conversation WHERE id = $1`, [chat2]))[0].status).toBe(
      'queued',
    );

    // An agent without a web limit takes no live chats when the other kind is limited.
    await admin('PATCH', `/admin/staff/${agentId}`, { channelCapacity: { im: 4 }, capacity: 4 });
    expect((await admin('GET', `/admin/staff/${agentId}`)).body).toMatchObject({
      channelCapacity: { im: 4 },
      capacity: 4,
    });
  });

  it('refuses malformed limits and changes nothing', async () => {
    const path = `/admin/staff/${org.agents[0].id}`;
    for (const channelCapacity of [{ fax: 2 }, { web: -1 }, { web: 1.5 }, { im: 51 }, 'lots', [3]]) {
      expect((await admin('PATCH', path, { channelCapacity })).status).toBe(400);
    }
    expect((await admin('PATCH', path, { capacity: null, displayName: 'Renamed' })).status).toBe(400);
    expect((await admin('PATCH', `/admin/queues/${org.queues.claims}`, { wrapUpSeconds: -5 })).status).toBe(
      400,
    );
    expect((await admin('GET', path)).body).toMatchObject({
      channelCapacity: null,
      capacity: 1,
      displayName: 'Agent 0',
    });
  });

  it("keeps the slot through the queue's wrap-up after a close, then pulls the next conversation", async () => {
    expect(
      (await admin('PATCH', `/admin/queues/${org.queues.claims}`, { wrapUpSeconds: 2 })).body,
    ).toMatchObject({ wrapUpSeconds: 2 });
    const agent = await available(0);
    const first = nextEvent<any>(agent, 'conversation:assigned');
    const a = await startChat('A');
    expect((await first).conversation.id).toBe(a);
    const b = await startChat('B');
    await sleep(300);

    const next = nextEvent<any>(agent, 'conversation:assigned', () => true, 6000);
    const closedAt = Date.now();
    await ack(agent, 'conversation:close', { conversationId: a, disposition: 'resolved' });
    expect((await next).conversation.id).toBe(b);
    const waited = Date.now() - closedAt;
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(4500);
  });

  it('a freed slot always pulls the highest-priority waiting conversation, then the oldest', async () => {
    const agent = await available(0);
    const first = nextEvent<any>(agent, 'conversation:assigned');
    const busy = await startChat('Busy');
    await first;
    const oldest = await startChat('Oldest');
    const middle = await startChat('Middle');
    const vip = await startChat('Vip');
    // A VIP customer: their conversation's own priority is raised (as a pre-chat rule or supervisor would).
    await env.query(`UPDATE conversation SET priority = 5 WHERE id = $1`, [vip]);

    const served: string[] = [];
    let current = busy;
    for (let i = 0; i < 3; i++) {
      const next = nextEvent<any>(agent, 'conversation:assigned');
      await ack(agent, 'conversation:close', { conversationId: current, disposition: 'resolved' });
      current = (await next).conversation.id;
      served.push(current);
    }
    expect(served).toEqual([vip, oldest, middle]);
  });

  it('withdraws an open offer when the agent goes away, and offers it to the next agent at once', async () => {
    await admin('PATCH', `/admin/queues/${org.queues.claims}`, { offerTimeoutSeconds: 30 });
    const agents = [await available(0), await available(1)];
    const offered = nextEventAmong<any>(agents, 'offer');
    const conversationId = await startChat();
    const { index } = await offered;
    const other = 1 - index;

    // A console that reconnects gets its open offers in the session.
    agents[index].disconnect();
    const back = await connectAgent(node, org.agents[index].token);
    sockets.push(back.socket);
    expect(back.session.offers.map((o: any) => o.conversation.id)).toEqual([conversationId]);

    const withdrawn = nextEvent<any>(back.socket, 'offer:withdrawn');
    const reoffered = nextEvent<any>(agents[other], 'offer', () => true, 3000);
    const awayAt = Date.now();
    await ack(back.socket, 'availability:set', { availability: 'away' });
    expect(await withdrawn).toEqual({ conversationId, reason: 'agent-away' });
    expect((await reoffered).conversation.id).toBe(conversationId);
    expect(Date.now() - awayAt).toBeLessThan(3000);

    const history = await env.query<{ type: string; agent_id: string }>(
      `SELECT type, agent_id FROM conversation_event WHERE conversation_id = $1 ORDER BY id`,
      [conversationId],
    );
    expect(history.map((e) => [e.type, e.agent_id])).toEqual([
      ['queued', null],
      ['offered', org.agents[index].id],
      ['offer-withdrawn', org.agents[index].id],
      ['offered', org.agents[other].id],
    ]);
    // Not a missed offer: the agent's run of missed offers is untouched.
    const [state] = await env.query<{ missed_offers: number }>(
      `SELECT missed_offers FROM agent_state WHERE staff_id = $1`,
      [org.agents[index].id],
    );
    expect(state.missed_offers).toBe(0);
  });

  it('withdraws the offers of an agent whose console stays away past the grace, and passes them on', async () => {
    await admin('PATCH', `/admin/queues/${org.queues.claims}`, { offerTimeoutSeconds: 30 });
    const agents = [await available(0), await available(1)];
    const offered = nextEventAmong<any>(agents, 'offer');
    const conversationId = await startChat();
    const { index } = await offered;
    const reoffered = nextEvent<any>(agents[1 - index], 'offer', () => true, 5000);
    const goneAt = Date.now();
    agents[index].disconnect(); // AGENT_GRACE_SECONDS is 1 in tests
    expect((await reoffered).conversation.id).toBe(conversationId);
    expect(Date.now() - goneAt).toBeLessThan(5000);
    const [withdrawn] = await env.query<{ data: any }>(
      `SELECT data FROM conversation_event WHERE conversation_id = $1 AND type = 'offer-withdrawn'`,
      [conversationId],
    );
    expect(withdrawn.data).toEqual({ reason: 'agent-offline' });
  });

  it("pushes a long line's places coalesced per queue, each customer ending on their true place", async () => {
    const { socket: first } = await connectVisitor(node, org.siteKey);
    sockets.push(first);
    await ack(first, 'conversation:start', { prechat: { name: 'First', policyNumber: 'P-1' } });
    const pushesToFirst = collect<any>(first, 'queue:position');

    const burst = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const { socket } = await connectVisitor(node, org.siteKey);
        sockets.push(socket);
        const positions = collect<any>(socket, 'queue:position');
        const started = await ack(socket, 'conversation:start', {
          prechat: { name: `C${i}`, policyNumber: 'P-2' },
        });
        return { socket, positions, conversationId: started.data.conversation.id as string };
      }),
    );
    await sleep(1500);
    // 30 arrivals, each followed by a routing pass: far fewer pushes than passes reach the first customer.
    expect(pushesToFirst.length).toBeGreaterThan(0);
    expect(pushesToFirst.length).toBeLessThan(12);
    expect(pushesToFirst.every((p) => p.position === 1)).toBe(true);
    for (const { socket, positions, conversationId } of burst) {
      const now = await ack(socket, 'sync', { conversationId, afterSeq: 0 });
      expect(positions.at(-1)?.position).toBe(now.data.conversation.queuePosition);
    }
  });
});
