import {
  ack,
  collect,
  connectAgent,
  connectVisitor,
  http,
  nextEvent,
  type AgentClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

describe('offer mode', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    // Let work the test set off (offer timeouts, the agents' 1 s disconnect grace) finish before the nodes close.
    await new Promise((r) => setTimeout(r, 1200));
    await env.close();
  });

  async function setUp(
    queue: { offerTimeoutSeconds: number; missedOffersBeforeAway?: number },
    capacity = 3,
  ) {
    env = await TestEnvironment.create({ ...ADMIN_ENV, ROUTING_SWEEP_SECONDS: '600' });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity });
    const changed = await http(node, 'PATCH', `/admin/queues/${org.queues.claims}`, {
      token: org.adminToken,
      body: queue,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject(queue);
  }

  async function available(i: number, on: TestNode = node): Promise<AgentClient> {
    const { socket } = await connectAgent(on, org.agents[i].token);
    sockets.push(socket);
    await ack(socket, 'availability:set', { availability: 'available' });
    return socket;
  }

  async function startChat(on: TestNode = node) {
    const { socket } = await connectVisitor(on, org.siteKey);
    sockets.push(socket);
    const started = await ack(socket, 'conversation:start', {
      prechat: { name: 'Kai', policyNumber: 'P-7' },
    });
    expect(started.ok).toBe(true);
    return { customer: socket, conversationId: started.data.conversation.id as string };
  }

  /** Which of the agents gets the next offer (for `conversationId`, when given). */
  function nextOffer(
    agents: AgentClient[],
    conversationId?: string,
    ms = 5000,
  ): Promise<{ index: number; offer: any }> {
    return Promise.race(
      agents.map((a, index) =>
        nextEvent<any>(a, 'offer', (o) => !conversationId || o.conversation.id === conversationId, ms).then(
          (offer) => ({ index, offer }),
        ),
      ),
    );
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const events = (conversationId: string) =>
    env.query<{ type: string; agent_id: string | null }>(
      `SELECT type, agent_id FROM conversation_event WHERE conversation_id = $1 ORDER BY id`,
      [conversationId],
    );

  it('offers the conversation to one agent; an accept assigns it and tells the customer', async () => {
    await setUp({ offerTimeoutSeconds: 30 });
    const agents = [await available(0), await available(1)];
    const offered = nextOffer(agents);
    const { customer, conversationId } = await startChat();
    const { index, offer } = await offered;
    expect(offer.conversation.id).toBe(conversationId);
    expect(offer.contact).toBeDefined();
    expect(new Date(offer.expiresAt).getTime()).toBeGreaterThan(Date.now() + 20_000);
    const [row] = await env.query(`SELECT status FROM conversation WHERE id = $1`, [conversationId]);
    expect(row.status).toBe('queued');

    // The other agent cannot take someone else's offer.
    const stranger = await ack(agents[1 - index], 'offer:accept', { conversationId });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const assigned = nextEvent<any>(agents[index], 'conversation:assigned');
    const joined = nextEvent<any>(customer, 'agent:joined');
    expect(await ack(agents[index], 'offer:accept', { conversationId })).toEqual({
      ok: true,
      data: { conversationId },
    });
    expect((await assigned).conversation.id).toBe(conversationId);
    expect((await joined).agent.id).toBe(org.agents[index].id);
    expect((await events(conversationId)).map((e) => e.type)).toEqual(['queued', 'offered', 'assigned']);
    // A second accept changes nothing.
    expect(await ack(agents[index], 'offer:accept', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('a decline passes the offer to the next agent, and never back to the decliner', async () => {
    await setUp({ offerTimeoutSeconds: 30 });
    const agents = [await available(0), await available(1)];
    const first = nextOffer(agents);
    const { conversationId } = await startChat();
    const { index: decliner } = await first;
    const other = 1 - decliner;
    const second = nextEvent<any>(agents[other], 'offer');
    const offersToDecliner = collect<any>(agents[decliner], 'offer');
    expect(await ack(agents[decliner], 'offer:decline', { conversationId })).toEqual({
      ok: true,
      data: { conversationId },
    });
    expect((await second).conversation.id).toBe(conversationId);
    expect(await ack(agents[other], 'offer:decline', { conversationId })).toMatchObject({ ok: true });
    // Everybody passed: it waits in the queue rather than ringing the decliner again.
    await sleep(1500);
    expect(offersToDecliner).toEqual([]);
    const [row] = await env.query(`SELECT status FROM conversation WHERE id = $1`, [conversationId]);
    expect(row.status).toBe('queued');
    expect(
      (await events(conversationId)).filter((e) => e.type === 'offer-declined').map((e) => e.agent_id),
    ).toEqual([org.agents[decliner].id, org.agents[other].id]);
  });

  it('an unanswered offer expires and goes to the next agent; a late accept is refused', async () => {
    await setUp({ offerTimeoutSeconds: 1, missedOffersBeforeAway: 0 });
    const agents = [await available(0), await available(1)];
    const first = nextOffer(agents);
    const { customer, conversationId } = await startChat();
    const { index: late } = await first;
    const expired = nextEvent<any>(agents[late], 'offer:expired', () => true, 4000);
    const second = nextEvent<any>(agents[1 - late], 'offer', () => true, 4000);
    expect((await expired).conversationId).toBe(conversationId);
    expect((await second).conversation.id).toBe(conversationId);

    expect(await ack(agents[late], 'offer:accept', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const joined = nextEvent<any>(customer, 'agent:joined');
    expect(await ack(agents[1 - late], 'offer:accept', { conversationId })).toMatchObject({ ok: true });
    expect((await joined).agent.id).toBe(org.agents[1 - late].id);
    const history = await events(conversationId);
    expect(history.map((e) => e.type)).toEqual(['queued', 'offered', 'offer-timeout', 'offered', 'assigned']);
    expect(history.filter((e) => e.type === 'assigned').map((e) => e.agent_id)).toEqual([
      org.agents[1 - late].id,
    ]);
  });

  it('sets an agent away after the configured number of missed offers in a row', async () => {
    await setUp({ offerTimeoutSeconds: 1, missedOffersBeforeAway: 2 });
    const agent = await available(0);
    const expired = collect<any>(agent, 'offer:expired');
    const away = nextEvent<any>(agent, 'availability', (a) => a.availability === 'away', 8000);
    await startChat();
    // Missed once, then offered again after the pause, missed again: away.
    expect(await away).toEqual({ availability: 'away' });
    expect(expired).toHaveLength(2);
    const [state] = await env.query(
      `SELECT availability, missed_offers FROM agent_state WHERE staff_id = $1`,
      [org.agents[0].id],
    );
    expect(state).toEqual({ availability: 'away', missed_offers: 0 });
  });

  it('an open offer holds a slot: an agent with one slot left gets no second offer', async () => {
    await setUp({ offerTimeoutSeconds: 30 }, 2);
    const agent = await available(0);
    const firstOffer = nextEvent<any>(agent, 'offer');
    const { conversationId: c1 } = await startChat();
    expect((await firstOffer).conversation.id).toBe(c1);
    expect(await ack(agent, 'offer:accept', { conversationId: c1 })).toMatchObject({ ok: true });

    const secondOffer = nextEvent<any>(agent, 'offer');
    const { conversationId: c2 } = await startChat();
    expect((await secondOffer).conversation.id).toBe(c2);
    const offers = collect<any>(agent, 'offer');
    const { conversationId: c3 } = await startChat();
    await sleep(1000);
    expect(offers).toEqual([]);

    // Declining the open offer frees the slot: the third conversation, not yet offered to them, comes.
    const thirdOffer = nextEvent<any>(agent, 'offer');
    expect(await ack(agent, 'offer:decline', { conversationId: c2 })).toMatchObject({ ok: true });
    expect((await thirdOffer).conversation.id).toBe(c3);
  });

  it('two nodes: the same offer accepted from both at once is assigned once', async () => {
    await setUp({ offerTimeoutSeconds: 30 });
    const nodeB = await env.startNode();
    const onA = await available(0);
    const { socket: onB } = await connectAgent(nodeB, org.agents[0].token);
    sockets.push(onB);
    const offeredA = nextEvent<any>(onA, 'offer');
    const offeredB = nextEvent<any>(onB, 'offer');
    const { conversationId } = await startChat(nodeB);
    await Promise.all([offeredA, offeredB]);
    const answers = await Promise.all([
      ack(onA, 'offer:accept', { conversationId }),
      ack(onB, 'offer:accept', { conversationId }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.find((a) => !a.ok)).toMatchObject({ error: { code: 'conflict' } });
    expect((await events(conversationId)).filter((e) => e.type === 'assigned')).toHaveLength(1);
  });

  it('two nodes: many conversations offered and accepted at once, none twice, nobody over capacity', async () => {
    await setUp({ offerTimeoutSeconds: 30 }, 2);
    const nodeB = await env.startNode();
    const agents = [await available(0, node), await available(1, nodeB)];
    const assignedTo = new Map<string, number>();
    agents.forEach((socket) => {
      socket.on(
        'offer',
        (offer: any) => void ack(socket, 'offer:accept', { conversationId: offer.conversation.id }),
      );
      socket.on('conversation:assigned', (a: any) => {
        assignedTo.set(a.conversation.id, (assignedTo.get(a.conversation.id) ?? 0) + 1);
      });
    });
    const CONVERSATIONS = 8;
    await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => startChat(i % 2 ? nodeB : node)));
    // Two agents with two slots each: four conversations are theirs, the rest wait.
    const deadline = Date.now() + 10_000;
    while (assignedTo.size < 4 && Date.now() < deadline) await sleep(50);
    await sleep(500);
    expect(assignedTo.size).toBe(4);
    expect([...assignedTo.values()].every((n) => n === 1)).toBe(true);
    const load = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM conversation WHERE status = 'assigned' GROUP BY agent_id`,
    );
    expect(load.map((r) => r.n)).toEqual([2, 2]);
    const [{ open }] = await env.query<{ open: number }>(
      `SELECT count(*)::int AS open FROM conversation_offer`,
    );
    expect(open).toBe(0);
  }, 30_000);
});
