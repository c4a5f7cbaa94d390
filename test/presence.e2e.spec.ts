import {
  ack,
  connectAgent,
  connectVisitor,
  nextEvent,
  type AgentClient,
  type VisitorClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A node that dies takes its agents' sockets with it, and nobody runs their disconnect handling: the
 * database still says they are connected. The sweep must notice and treat them as disconnected, or
 * routing would keep their conversations (and hand them new ones) for good.
 */
describe('agents whose node died', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let present: AgentClient;
  let customer: VisitorClient;

  beforeAll(async () => {
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      ROUTING_SWEEP_SECONDS: '1',
      AGENT_GRACE_SECONDS: '1',
    });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 2 });
  });

  afterAll(async () => {
    present?.disconnect();
    customer?.disconnect();
    await env.close();
  });

  it('are released by the sweep: their conversations go back to the queue and to an agent who is there', async () => {
    const [vanished, there] = org.agents;
    present = (await connectAgent(node, there.token)).socket;
    await ack(present, 'availability:set', { availability: 'available' });
    customer = (await connectVisitor(node, org.siteKey)).socket;
    const first = nextEvent<any>(present, 'conversation:assigned');
    const started = await ack(customer, 'conversation:start', {
      prechat: { name: 'Maria Lopez', policyNumber: 'POL-77' },
    });
    expect(started.ok).toBe(true);
    const conversationId = (await first).conversation.id as string;

    // What a node that died leaves behind: its agent held as connected and available, with a conversation.
    await env.query(
      `UPDATE agent_state SET connected = true, availability = 'available' WHERE staff_id = $1`,
      [vanished.id],
    );
    await env.query(`UPDATE conversation SET agent_id = $2 WHERE id = $1`, [conversationId, vanished.id]);

    const again = await nextEvent<any>(
      present,
      'conversation:assigned',
      (a) => a.conversation.id === conversationId,
      10_000,
    );
    expect(again.conversation.agentId).toBe(there.id);
    const [state] = await env.query<{ connected: boolean; availability: string }>(
      `SELECT connected, availability FROM agent_state WHERE staff_id = $1`,
      [vanished.id],
    );
    expect(state).toEqual({ connected: false, availability: 'offline' });
    const events = await env.query<{ type: string; agent_id: string; reason: string | null }>(
      `SELECT type, agent_id, data->>'reason' AS reason FROM conversation_event
        WHERE conversation_id = $1 AND type IN ('requeued', 'assigned') ORDER BY id`,
      [conversationId],
    );
    expect(events).toEqual([
      { type: 'assigned', agent_id: there.id, reason: null },
      { type: 'requeued', agent_id: vanished.id, reason: 'agent-disconnected' },
      { type: 'assigned', agent_id: there.id, reason: null },
    ]);
  });

  it('leaves an agent whose console is open alone', async () => {
    const [, there] = org.agents;
    await sleep(2500); // two sweeps
    const [state] = await env.query<{ connected: boolean; availability: string }>(
      `SELECT connected, availability FROM agent_state WHERE staff_id = $1`,
      [there.id],
    );
    expect(state).toEqual({ connected: true, availability: 'available' });
  });
});

/**
 * A node shut down on purpose (a deploy) closes its sockets before its database: agents there are
 * handled as any dropped connection, at once — not only when another node's sweep notices.
 */
describe('agents on a node that shuts down', () => {
  let env: TestEnvironment;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  beforeAll(async () => {
    // The sweep would also release them, later: kept out of the way so this shows the shutdown's own work.
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      ROUTING_SWEEP_SECONDS: '3600',
      AGENT_GRACE_SECONDS: '1',
    });
    await env.startNode();
    await env.startNode();
    org = await createOrganisation(env.nodes[0], { agentCount: 2, capacity: 2 });
  });

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await env.close();
  });

  it('are disconnected before the node stops, and their conversations go to an agent on another node', async () => {
    const [staying, leaving] = env.nodes;
    const [onStaying, onLeaving] = org.agents;
    const leaver = (await connectAgent(leaving, onLeaving.token)).socket;
    sockets.push(leaver);
    await ack(leaver, 'availability:set', { availability: 'available' });
    const visitor = (await connectVisitor(staying, org.siteKey)).socket;
    sockets.push(visitor);
    const taken = nextEvent<any>(leaver, 'conversation:assigned');
    expect(
      (await ack(visitor, 'conversation:start', { prechat: { name: 'Ana Ruiz', policyNumber: 'POL-9' } })).ok,
    ).toBe(true);
    const conversationId = (await taken).conversation.id as string;

    const stayer = (await connectAgent(staying, onStaying.token)).socket;
    sockets.push(stayer);
    await ack(stayer, 'availability:set', { availability: 'available' });
    const handedOver = nextEvent<any>(
      stayer,
      'conversation:assigned',
      (a) => a.conversation.id === conversationId,
      10_000,
    );

    env.nodes.splice(env.nodes.indexOf(leaving), 1);
    await leaving.app.close();
    // The leaving agent's console would reconnect to another node; here it stays away.
    leaver.disconnect();
    const [state] = await env.query<{ connected: boolean }>(
      `SELECT connected FROM agent_state WHERE staff_id = $1`,
      [onLeaving.id],
    );
    expect(state.connected).toBe(false);
    expect((await handedOver).conversation.agentId).toBe(onStaying.id);
  });
});
