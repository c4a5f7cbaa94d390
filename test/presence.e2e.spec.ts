import { ack, connectAgent, connectVisitor, nextEvent, type AgentClient, type VisitorClient } from './support/clients.js';
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
    env = await TestEnvironment.create({ ...ADMIN_ENV, ROUTING_SWEEP_SECONDS: '1', AGENT_GRACE_SECONDS: '1' });
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
    const started = await ack(customer, 'conversation:start', { prechat: { name: 'Maria Lopez', policyNumber: 'POL-77' } });
    expect(started.ok).toBe(true);
    const conversationId = (await first).conversation.id as string;

    // What a node that died leaves behind: its agent held as connected and available, with a conversation.
    await env.query(`UPDATE agent_state SET connected = true, availability = 'available' WHERE staff_id = $1`, [
      vanished.id,
    ]);
    await env.query(`UPDATE conversation SET agent_id = $2 WHERE id = $1`, [conversationId, vanished.id]);

    const again = await nextEvent<any>(present, 'conversation:assigned', (a) => a.conversation.id === conversationId, 10_000);
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
