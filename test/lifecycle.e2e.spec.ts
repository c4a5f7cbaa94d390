import { randomUUID } from 'node:crypto';
import {
  ack,
  collect,
  connectAgent,
  connectVisitor,
  http,
  nextEvent,
  type AgentClient,
  type VisitorClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, createSupervisor, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const prechat = { name: 'Maria Lopez', policyNumber: 'POL-123' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `probe` returns something truthy, or fails after `ms`. */
async function eventually<T>(probe: () => Promise<T | null | undefined | false>, ms = 6000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(100);
  }
}

interface Harness {
  env: TestEnvironment;
  nodes: TestNode[];
  org: Organisation;
  sockets: { disconnect(): unknown }[];
}

async function harness(envVars: Record<string, string>, nodeCount = 1): Promise<Harness> {
  const env = await TestEnvironment.create({ ...ADMIN_ENV, ...envVars });
  const nodes: TestNode[] = [];
  for (let i = 0; i < nodeCount; i++) nodes.push(await env.startNode());
  const org = await createOrganisation(nodes[0], { agentCount: 2, capacity: 1 });
  return { env, nodes, org, sockets: [] };
}

/** Between tests: every socket closed, every conversation closed and every agent offline, so none leaks into the next. */
async function reset(h: Harness): Promise<void> {
  h.sockets.splice(0).forEach((s) => s.disconnect());
  await sleep(150);
  await h.env.query(
    `UPDATE conversation SET status = 'closed', agent_id = NULL, disposition = 'test-reset', closed_at = now() WHERE status <> 'closed'`,
  );
  await h.env.query(`UPDATE agent_state SET availability = 'offline'`);
}

async function conversation(h: Harness, id: string) {
  const [row] = await h.env.query(
    `SELECT status, disposition, agent_id, queue_id FROM conversation WHERE id = $1`,
    [id],
  );
  return row;
}

async function events(h: Harness, id: string) {
  return h.env.query<{
    type: string;
    data: any;
    actor_id: string | null;
    agent_id: string | null;
    queue_id: string | null;
  }>(
    `SELECT type, data, actor_id, agent_id, queue_id FROM conversation_event WHERE conversation_id = $1 ORDER BY id`,
    [id],
  );
}

function clients(h: Harness) {
  return {
    async agent(
      i: number,
      availability: 'available' | 'away' = 'available',
      node = h.nodes[0],
    ): Promise<AgentClient> {
      const { socket } = await connectAgent(node, h.org.agents[i].token);
      h.sockets.push(socket);
      expect((await ack(socket, 'availability:set', { availability })).ok).toBe(true);
      return socket;
    },
    async visitor(token?: string, node = h.nodes[0]): Promise<{ socket: VisitorClient; session: any }> {
      const v = await connectVisitor(node, h.org.siteKey, { token });
      h.sockets.push(v.socket);
      return v;
    },
    async start(socket: VisitorClient, body = 'Hello'): Promise<string> {
      const started = await ack(socket, 'conversation:start', {
        prechat,
        message: { clientId: randomUUID(), body },
      });
      expect(started.ok).toBe(true);
      return started.data.conversation.id as string;
    },
  };
}

describe('a customer who leaves, and supervisor actions', () => {
  let h: Harness;
  let c: ReturnType<typeof clients>;
  let supervisor: { id: string; token: string };

  beforeAll(async () => {
    // Inactivity off here: these tests hold conversations longer than a short inactivity limit.
    h = await harness(
      { ABANDON_GRACE_SECONDS: '1', SHORT_ABANDON_SECONDS: '1', INACTIVITY_CLOSE_MINUTES: '0' },
      2,
    );
    c = clients(h);
    supervisor = await createSupervisor(h.nodes[0], h.org);
  });

  afterEach(() => reset(h));
  afterAll(async () => {
    await sleep(300);
    await h.env.close();
  });

  describe('conversation:leave', () => {
    it('abandons a waiting conversation: recorded, closed, and never assigned', async () => {
      const { socket: customer } = await c.visitor();
      const conversationId = await c.start(customer);
      const closed = nextEvent<any>(customer, 'conversation:closed');

      expect(await ack(customer, 'conversation:leave', { conversationId })).toEqual({
        ok: true,
        data: { conversationId },
      });
      expect(await closed).toEqual({ conversationId });
      expect(await conversation(h, conversationId)).toMatchObject({
        status: 'closed',
        disposition: 'abandoned',
        agent_id: null,
      });
      const history = await events(h, conversationId);
      expect(history.map((e) => e.type)).toEqual(['queued', 'abandoned', 'closed']);
      expect(history[1]).toMatchObject({
        queue_id: h.org.queues.claims,
        data: { short: true, reason: 'left' },
      });
      expect(history[1].data.waitedSeconds).toEqual(expect.any(Number));

      // An agent who becomes available now does not get it.
      const ana = await c.agent(0, 'away');
      const assigned = collect<any>(ana, 'conversation:assigned');
      await ack(ana, 'availability:set', { availability: 'available' });
      await sleep(1500);
      expect(assigned.filter((a) => a.conversation.id === conversationId)).toEqual([]);
      // The customer can no longer write into it.
      const refused = await ack(customer, 'message:send', {
        conversationId,
        clientId: 'late',
        body: 'hello?',
      });
      expect(refused.error.code).toBe('conflict');
    });

    it('flags an abandonment after a wait of at least SHORT_ABANDON_SECONDS as not short', async () => {
      const { socket: customer } = await c.visitor();
      const conversationId = await c.start(customer);
      await sleep(1200);
      await ack(customer, 'conversation:leave', { conversationId });
      const [abandoned] = (await events(h, conversationId)).filter((e) => e.type === 'abandoned');
      expect(abandoned.data).toMatchObject({ short: false, reason: 'left' });
      expect(abandoned.data.waitedSeconds).toBeGreaterThanOrEqual(1.2);
    });

    it('moves the customers behind it up the queue', async () => {
      const first = await c.visitor();
      const firstId = await c.start(first.socket);
      const second = await c.visitor();
      const secondId = await c.start(second.socket);
      expect(
        (await ack(second.socket, 'sync', { conversationId: secondId, afterSeq: 0 })).data.conversation
          .queuePosition,
      ).toBe(2);

      // Promptly: not only at the next periodic sweep.
      const moved = nextEvent<any>(second.socket, 'queue:position', (p) => p.position === 1, 1500);
      await ack(first.socket, 'conversation:leave', { conversationId: firstId });
      expect(await moved).toMatchObject({ conversationId: secondId, position: 1 });
    });

    it('closes a conversation with an agent as customer-left, tells the agent and frees the slot', async () => {
      const ana = await c.agent(0); // capacity 1; Ben stays offline
      const a = await c.visitor();
      const firstAssigned = nextEvent<any>(ana, 'conversation:assigned');
      const firstId = await c.start(a.socket);
      expect((await firstAssigned).conversation.id).toBe(firstId);

      const b = await c.visitor();
      const secondId = await c.start(b.socket);
      expect((await conversation(h, secondId)).status).toBe('queued');

      const toldAgent = nextEvent<any>(ana, 'conversation:closed');
      const secondAssigned = nextEvent<any>(ana, 'conversation:assigned');
      expect((await ack(a.socket, 'conversation:leave', { conversationId: firstId })).ok).toBe(true);
      expect(await toldAgent).toEqual({ conversationId: firstId });
      expect((await secondAssigned).conversation.id).toBe(secondId);

      expect(await conversation(h, firstId)).toMatchObject({
        status: 'closed',
        disposition: 'customer-left',
        agent_id: null,
      });
      const history = await events(h, firstId);
      expect(history.map((e) => e.type)).toEqual(['queued', 'assigned', 'closed']);
      expect(history[2]).toMatchObject({
        agent_id: h.org.agents[0].id,
        actor_id: null,
        data: { disposition: 'customer-left' },
      });
    });

    it("refuses someone else's conversation, unknown ids and bad payloads, and succeeds again on a closed one", async () => {
      const owner = await c.visitor();
      const conversationId = await c.start(owner.socket);
      const other = await c.visitor();
      await c.start(other.socket);

      expect((await ack(other.socket, 'conversation:leave', { conversationId })).error.code).toBe(
        'forbidden',
      );
      expect(
        (await ack(other.socket, 'conversation:leave', { conversationId: randomUUID() })).error.code,
      ).toBe('not_found');
      expect((await ack(other.socket, 'conversation:leave', { conversationId: 'nope' })).error.code).toBe(
        'bad_request',
      );
      expect((await ack(other.socket, 'conversation:leave', { conversationId, extra: 1 })).error.code).toBe(
        'bad_request',
      );
      expect((await conversation(h, conversationId)).status).toBe('queued');

      await ack(owner.socket, 'conversation:leave', { conversationId });
      expect(await ack(owner.socket, 'conversation:leave', { conversationId })).toEqual({
        ok: true,
        data: { conversationId },
      });
      expect((await events(h, conversationId)).map((e) => e.type)).toEqual(['queued', 'abandoned', 'closed']);
    });
  });

  describe('a waiting customer who disconnects', () => {
    it('is abandoned after ABANDON_GRACE_SECONDS when no socket comes back, with the wait measured to the disconnect', async () => {
      const { socket: customer } = await c.visitor();
      const conversationId = await c.start(customer);
      const behind = await c.visitor();
      const behindId = await c.start(behind.socket);
      const moved = nextEvent<any>(behind.socket, 'queue:position', (p) => p.position === 1, 8000);
      customer.disconnect();

      await sleep(500);
      expect((await conversation(h, conversationId)).status).toBe('queued'); // still within the grace
      const row = await eventually(async () => {
        const r = await conversation(h, conversationId);
        return r.status === 'closed' && r;
      });
      expect(row).toMatchObject({ disposition: 'abandoned' });
      const [abandoned] = (await events(h, conversationId)).filter((e) => e.type === 'abandoned');
      // Left within a second of starting: short, although the grace made the conversation last longer.
      expect(abandoned.data).toMatchObject({ short: true, reason: 'disconnected' });
      expect(abandoned.data.waitedSeconds).toBeLessThan(1);
      expect(await moved).toMatchObject({ conversationId: behindId, position: 1 });
    });

    it('keeps its place when the customer is back within the grace, even on another node', async () => {
      const first = await c.visitor(undefined, h.nodes[0]);
      const conversationId = await c.start(first.socket);
      first.socket.disconnect();
      await sleep(200);
      const again = await c.visitor(first.session.token, h.nodes[1]);
      expect(again.session.conversations).toEqual([
        expect.objectContaining({ id: conversationId, status: 'queued' }),
      ]);

      await sleep(2000); // twice the grace
      expect((await conversation(h, conversationId)).status).toBe('queued');
      expect((await events(h, conversationId)).map((e) => e.type)).toEqual(['queued']);
    });

    it('keeps it while another tab of the same customer stays connected', async () => {
      const tab1 = await c.visitor();
      const conversationId = await c.start(tab1.socket);
      await c.visitor(tab1.session.token, h.nodes[1]);
      tab1.socket.disconnect();

      await sleep(2000);
      expect((await conversation(h, conversationId)).status).toBe('queued');
    });

    it('counts a tab opened before the chat started, and abandons once every tab is gone', async () => {
      const tab1 = await c.visitor();
      const tab2 = await c.visitor(tab1.session.token, h.nodes[1]);
      const conversationId = await c.start(tab2.socket); // tab1 joins it through the visitor's room
      tab2.socket.disconnect();
      await sleep(1800);
      expect((await conversation(h, conversationId)).status).toBe('queued');

      tab1.socket.disconnect();
      const row = await eventually(async () => {
        const r = await conversation(h, conversationId);
        return r.status === 'closed' && r;
      });
      expect(row.disposition).toBe('abandoned');
      const [abandoned] = (await events(h, conversationId)).filter((e) => e.type === 'abandoned');
      expect(abandoned.data).toMatchObject({ short: false, reason: 'disconnected' });
    });

    it('leaves a conversation with an agent open (inactivity, not abandonment, covers it)', async () => {
      const ana = await c.agent(0);
      const { socket: customer } = await c.visitor();
      const assigned = nextEvent<any>(ana, 'conversation:assigned');
      const conversationId = await c.start(customer);
      await assigned;
      customer.disconnect();

      await sleep(2000);
      expect(await conversation(h, conversationId)).toMatchObject({
        status: 'assigned',
        agent_id: h.org.agents[0].id,
      });
    });
  });

  describe('supervisor actions over HTTP', () => {
    const post = (path: string, token: string, body: unknown) =>
      http(h.nodes[0], 'POST', path, { token, body });

    it('reassigns to an agent and to a queue, closes, and records the supervisor as actor', async () => {
      const ana = await c.agent(0);
      const ben = await c.agent(1, 'away');
      const { socket: customer } = await c.visitor();
      const toAna = nextEvent<any>(ana, 'conversation:assigned');
      const conversationId = await c.start(customer);
      await toAna;
      await ack(ben, 'availability:set', { availability: 'available' });

      // to Ben
      const toBen = nextEvent<any>(ben, 'conversation:assigned');
      const removed = nextEvent<any>(ana, 'conversation:removed');
      const toAgent = await post(`/supervision/conversations/${conversationId}/reassign`, supervisor.token, {
        agentId: h.org.agents[1].id,
        note: 'VIP',
      });
      expect(toAgent.status).toBe(200);
      expect(toAgent.body).toMatchObject({
        id: conversationId,
        status: 'assigned',
        agentId: h.org.agents[1].id,
      });
      expect((await toBen).conversation.id).toBe(conversationId);
      expect(await removed).toEqual({ conversationId, reason: 'transferred' });

      // back to a queue: Billing, where Ana (a member, free again) gets it
      const backToAna = nextEvent<any>(ana, 'conversation:assigned');
      const toQueue = await post(`/supervision/conversations/${conversationId}/reassign`, supervisor.token, {
        queueId: h.org.queues.billing,
      });
      expect(toQueue.status).toBe(200);
      expect(toQueue.body).toMatchObject({ id: conversationId, queueId: h.org.queues.billing });
      expect((await backToAna).conversation).toMatchObject({
        id: conversationId,
        queueId: h.org.queues.billing,
      });

      // close
      const customerTold = nextEvent<any>(customer, 'conversation:closed');
      const agentTold = nextEvent<any>(ana, 'conversation:closed');
      const closed = await post(`/supervision/conversations/${conversationId}/close`, supervisor.token, {
        disposition: 'escalated',
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({
        id: conversationId,
        status: 'closed',
        disposition: 'escalated',
        agentId: null,
      });
      await Promise.all([customerTold, agentTold]);

      const history = await events(h, conversationId);
      expect(history.map((e) => [e.type, e.actor_id])).toEqual([
        ['queued', null],
        ['assigned', null],
        ['transferred', supervisor.id],
        ['transferred', supervisor.id],
        ['assigned', null],
        ['closed', supervisor.id],
      ]);
      expect(history[2].data).toMatchObject({ fromAgentId: h.org.agents[0].id, note: 'VIP' });
      expect(history[3].data).toMatchObject({ fromQueueId: h.org.queues.claims });

      // closing again is a conflict
      const again = await post(`/supervision/conversations/${conversationId}/close`, supervisor.token, {
        disposition: 'x',
      });
      expect(again.status).toBe(409);
    });

    it("forces an agent's availability, tells the agent, and records who forced it", async () => {
      const ana = await c.agent(0);
      const told = nextEvent<any>(ana, 'availability');
      const forced = await post(`/supervision/agents/${h.org.agents[0].id}/state`, h.org.adminToken, {
        availability: 'away',
      });
      expect(forced.status).toBe(200);
      expect(forced.body).toEqual({ staffId: h.org.agents[0].id, availability: 'away' });
      expect(await told).toEqual({ availability: 'away' });
      const [state] = await h.env.query(`SELECT availability FROM agent_state WHERE staff_id = $1`, [
        h.org.agents[0].id,
      ]);
      expect(state.availability).toBe('away');

      // Forced back to available, Ana gets the waiting conversation.
      const { socket: customer } = await c.visitor();
      const conversationId = await c.start(customer);
      const assigned = nextEvent<any>(ana, 'conversation:assigned');
      await post(`/supervision/agents/${h.org.agents[0].id}/state`, supervisor.token, {
        availability: 'available',
      });
      expect((await assigned).conversation.id).toBe(conversationId);

      const audit = await h.env.query(
        `SELECT availability, actor_id FROM agent_state_event WHERE staff_id = $1 ORDER BY id`,
        [h.org.agents[0].id],
      );
      const [admin] = await h.env.query(`SELECT id FROM staff_user WHERE role = 'admin'`);
      expect(audit).toEqual([
        { availability: 'away', actor_id: admin.id },
        { availability: 'available', actor_id: supervisor.id },
      ]);
    });

    it('refuses agents (403), unknown ids (404) and bad bodies (400), and changes nothing', async () => {
      const ana = await c.agent(0);
      const { socket: customer } = await c.visitor();
      const assigned = nextEvent<any>(ana, 'conversation:assigned');
      const conversationId = await c.start(customer);
      await assigned;
      const agentToken = h.org.agents[0].token;
      const conv = `/supervision/conversations/${conversationId}`;
      const ana_ = `/supervision/agents/${h.org.agents[0].id}/state`;
      const auditRows = async () => (await h.env.query(`SELECT id FROM agent_state_event`)).length;
      const auditBefore = await auditRows();

      const cases: [string, string, unknown, number][] = [
        // agents may not, not even on their own conversation or themselves
        [`${conv}/reassign`, agentToken, { queueId: h.org.queues.billing }, 403],
        [`${conv}/close`, agentToken, { disposition: 'done' }, 403],
        [ana_, agentToken, { availability: 'away' }, 403],
        // unknown ids
        [
          `/supervision/conversations/${randomUUID()}/reassign`,
          supervisor.token,
          { queueId: h.org.queues.billing },
          404,
        ],
        [`/supervision/conversations/${randomUUID()}/close`, supervisor.token, { disposition: 'done' }, 404],
        [`${conv}/reassign`, supervisor.token, { agentId: randomUUID() }, 404],
        [`${conv}/reassign`, supervisor.token, { queueId: randomUUID() }, 404],
        [`/supervision/agents/${randomUUID()}/state`, supervisor.token, { availability: 'away' }, 404],
        // bad bodies and ids
        [`${conv}/reassign`, supervisor.token, {}, 400],
        [
          `${conv}/reassign`,
          supervisor.token,
          { agentId: h.org.agents[1].id, queueId: h.org.queues.billing },
          400,
        ],
        [`${conv}/reassign`, supervisor.token, { queueId: 'billing' }, 400],
        [`${conv}/close`, supervisor.token, {}, 400],
        [`${conv}/close`, supervisor.token, { disposition: 'x'.repeat(81) }, 400],
        [`${conv}/close`, supervisor.token, { disposition: 'done', extra: true }, 400],
        [ana_, supervisor.token, { availability: 'busy' }, 400],
        [`/supervision/conversations/not-a-uuid/close`, supervisor.token, { disposition: 'done' }, 400],
      ];
      for (const [path, token, body, status] of cases) {
        const result = await post(path, token, body);
        expect({ path, body, status: result.status }).toEqual({ path, body, status });
      }
      expect((await post(`${conv}/close`, '', { disposition: 'done' })).status).toBe(401);

      expect(await conversation(h, conversationId)).toMatchObject({
        status: 'assigned',
        agent_id: h.org.agents[0].id,
        queue_id: h.org.queues.claims,
      });
      expect((await events(h, conversationId)).map((e) => e.type)).toEqual(['queued', 'assigned']);
      const [state] = await h.env.query(`SELECT availability FROM agent_state WHERE staff_id = $1`, [
        h.org.agents[0].id,
      ]);
      expect(state.availability).toBe('available');
      expect(await auditRows()).toBe(auditBefore);
    });
  });
});

describe('closing a chat after customer inactivity', () => {
  const LIMIT_MS = 1800; // INACTIVITY_CLOSE_MINUTES=0.03
  let h: Harness;
  let c: ReturnType<typeof clients>;

  beforeAll(async () => {
    h = await harness({ INACTIVITY_CLOSE_MINUTES: '0.03' });
    c = clients(h);
  });

  afterEach(() => reset(h));
  afterAll(async () => {
    await sleep(300);
    await h.env.close();
  });

  async function assignedConversation() {
    const ana = await c.agent(0);
    const { socket: customer } = await c.visitor();
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const conversationId = await c.start(customer);
    await assigned;
    return { ana, customer, conversationId };
  }

  it('closes as inactive with a notice both sides receive before conversation:closed', async () => {
    const { ana, customer, conversationId } = await assignedConversation();
    const atCustomer: string[] = [];
    const atAgent: string[] = [];
    customer.on('message', (m: any) => atCustomer.push(`${m.senderKind}: ${m.body}`));
    customer.on('conversation:closed', () => atCustomer.push('closed'));
    ana.on('message', (m: any) => atAgent.push(`${m.senderKind}: ${m.body}`));
    ana.on('conversation:closed', () => atAgent.push('closed'));
    const freed = nextEvent<any>(ana, 'conversation:closed', () => true, 8000);
    await nextEvent(customer, 'conversation:closed', () => true, 8000);
    await freed;

    const notice = 'system: This chat was closed after 0.03 minutes without activity.';
    expect(atCustomer).toEqual([notice, 'closed']);
    expect(atAgent).toEqual([notice, 'closed']);
    expect(await conversation(h, conversationId)).toMatchObject({
      status: 'closed',
      disposition: 'inactive',
      agent_id: null,
    });
    expect((await events(h, conversationId)).map((e) => e.type)).toEqual(['queued', 'assigned', 'closed']);
    const messages = await h.env.query(
      `SELECT sender_kind, body FROM message WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    expect(messages).toEqual([
      { sender_kind: 'customer', body: 'Hello' },
      { sender_kind: 'system', body: 'This chat was closed after 0.03 minutes without activity.' },
    ]);
  });

  it('is postponed by each customer message', async () => {
    const { customer, conversationId } = await assignedConversation();
    await sleep(LIMIT_MS * 0.6);
    await ack(customer, 'message:send', { conversationId, clientId: randomUUID(), body: 'still here' });
    const lastMessageAt = Date.now();
    const closed = nextEvent(customer, 'conversation:closed', () => true, 8000);

    await sleep(LIMIT_MS * 0.7); // past the first deadline, before the new one
    expect((await conversation(h, conversationId)).status).toBe('assigned');
    await closed;
    expect(Date.now() - lastMessageAt).toBeGreaterThanOrEqual(LIMIT_MS - 100);
    expect((await conversation(h, conversationId)).disposition).toBe('inactive');
  });

  it('does not close a customer who is waiting in the queue', async () => {
    const { socket: customer } = await c.visitor(); // nobody is available
    const conversationId = await c.start(customer);
    await sleep(LIMIT_MS * 1.8);
    expect((await conversation(h, conversationId)).status).toBe('queued');

    // The clock starts when an agent joins, not when the customer last wrote.
    const ana = await c.agent(0, 'away');
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    await ack(ana, 'availability:set', { availability: 'available' });
    await assigned;
    await sleep(LIMIT_MS * 0.5);
    expect((await conversation(h, conversationId)).status).toBe('assigned');
    await nextEvent(customer, 'conversation:closed', () => true, 8000);
  });
});
