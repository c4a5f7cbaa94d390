import { ack, connectAgent, connectVisitor, nextEvent, type AgentClient, type VisitorClient } from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

describe('two nodes sharing PostgreSQL and Redis', () => {
  let env: TestEnvironment;
  let nodeA: TestNode;
  let nodeB: TestNode;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    nodeA = await env.startNode();
    nodeB = await env.startNode();
    org = await createOrganisation(nodeA, { agentCount: 5, capacity: 3 });
  });

  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));
  afterAll(() => env.close());

  async function availableAgent(node: TestNode, i: number): Promise<AgentClient> {
    const { socket } = await connectAgent(node, org.agents[i].token);
    sockets.push(socket);
    await ack(socket, 'availability:set', { availability: 'available' });
    return socket;
  }

  it('carries messages both ways between a customer on one node and an agent on the other', async () => {
    const agent = await availableAgent(nodeB, 0);
    const { socket: customer } = await connectVisitor(nodeA, org.siteKey);
    sockets.push(customer);

    const assigned = nextEvent<any>(agent, 'conversation:assigned');
    const joined = nextEvent<any>(customer, 'agent:joined');
    const started = await ack(customer, 'conversation:start', { prechat: { name: 'Ines', policyNumber: 'P-9' } });
    const conversationId = started.data.conversation.id;
    expect((await assigned).conversation.id).toBe(conversationId);
    await joined;

    const atAgent = nextEvent<any>(agent, 'message');
    await ack(customer, 'message:send', { conversationId, clientId: 'm1', body: 'from node A' });
    expect((await atAgent).body).toBe('from node A');

    const atCustomer = nextEvent<any>(customer, 'message');
    await ack(agent, 'message:send', { conversationId, clientId: 'r1', body: 'from node B' });
    expect((await atCustomer).body).toBe('from node B');

    const typing = nextEvent<any>(customer, 'typing');
    await ack(agent, 'typing', { conversationId, isTyping: true });
    expect(await typing).toMatchObject({ conversationId, isTyping: true });

    // A second tab of the same visitor on the other node joins the same conversation's messages.
    await ack(agent, 'conversation:close', { conversationId, disposition: 'done' });
  });

  it('200 conversations started at once against 5 agents on two nodes: no double assignment, nobody over capacity', async () => {
    const CONVERSATIONS = 200;
    const CAPACITY = 3;
    const agents = await Promise.all(org.agents.map((_, i) => availableAgent(i % 2 === 0 ? nodeA : nodeB, i)));
    const received = new Map<string, string[]>(); // conversation → agents that were told it is theirs
    const closed = new Set<string>();
    agents.forEach((socket, i) => {
      socket.on('conversation:assigned', (assignment: any) => {
        const id: string = assignment.conversation.id;
        received.set(id, [...(received.get(id) ?? []), org.agents[i].id]);
        // Work it briefly, then close it, which frees the slot for the next waiting customer.
        setTimeout(() => {
          void ack(socket, 'message:send', { conversationId: id, clientId: `reply-${id}`, body: 'on it' })
            .then(() => ack(socket, 'conversation:close', { conversationId: id, disposition: 'resolved' }))
            .then((result) => {
              if (result.ok) closed.add(id);
            });
        }, 5);
      });
    });

    const visitors: VisitorClient[] = [];
    for (let i = 0; i < CONVERSATIONS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, CONVERSATIONS - i) }, (_, j) =>
          connectVisitor((i + j) % 2 === 0 ? nodeA : nodeB, org.siteKey),
        ),
      );
      visitors.push(...batch.map((b) => b.socket));
    }
    sockets.push(...visitors);

    let overCapacity = 0;
    const watch = setInterval(() => {
      void env
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM conversation WHERE status = 'assigned' GROUP BY agent_id HAVING count(*) > $1`, [CAPACITY])
        .then((rows) => (overCapacity += rows.length));
    }, 20);

    const starts = await Promise.all(
      visitors.map((v, i) => ack(v, 'conversation:start', { prechat: { name: `Customer ${i}`, policyNumber: `P-${i}` } })),
    );
    expect(starts.every((s) => s.ok)).toBe(true);

    const deadline = Date.now() + 60_000;
    while (closed.size < CONVERSATIONS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    clearInterval(watch);

    expect(closed.size).toBe(CONVERSATIONS);
    expect(overCapacity).toBe(0);
    const doubles = [...received.values()].filter((agentsTold) => agentsTold.length !== 1);
    expect(doubles).toEqual([]);
    const assignedEvents = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM conversation_event WHERE type = 'assigned' GROUP BY conversation_id HAVING count(*) <> 1`,
    );
    expect(assignedEvents).toEqual([]);
    const [{ total }] = await env.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM conversation WHERE status = 'closed' AND disposition = 'resolved'`,
    );
    expect(total).toBe(CONVERSATIONS);
    // every agent took a share
    const perAgent = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM conversation_event WHERE type = 'assigned' GROUP BY agent_id`,
    );
    expect(perAgent).toHaveLength(5);
  }, 90_000);
});
