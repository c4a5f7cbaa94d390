import { ack, connectAgent, connectVisitor, http, nextEvent, nextEventAmong, type AgentClient } from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const prechat = { name: 'Lena', policyNumber: 'P-1' };

describe('queue strategies', () => {
  let env: TestEnvironment;
  let node: TestNode;
  const sockets: { disconnect(): unknown }[] = [];

  // Each test sets up its own organisation, so each gets its own database.
  beforeEach(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    node = await env.startNode();
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await env.close();
  });

  async function agents(org: Organisation): Promise<AgentClient[]> {
    const connected = [];
    for (const agent of org.agents) {
      const { socket } = await connectAgent(node, agent.token);
      sockets.push(socket);
      await ack(socket, 'availability:set', { availability: 'available' });
      connected.push(socket);
    }
    return connected;
  }

  async function startChat(org: Organisation) {
    const { socket } = await connectVisitor(node, org.siteKey);
    sockets.push(socket);
    const started = await ack(socket, 'conversation:start', { prechat });
    expect(started.ok).toBe(true);
    return started.data.conversation.id as string;
  }

  it('round robin hands conversations to the queue members in turn', async () => {
    const org = await createOrganisation(node, { agentCount: 3, capacity: 10, strategy: 'round_robin' });
    const members = await agents(org);
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const assigned = nextEventAmong(members, 'conversation:assigned');
      await startChat(org);
      order.push(org.agents[(await assigned).index].id);
    }
    const byId = [...org.agents.map((a) => a.id)].sort();
    const first = byId.indexOf(order[0]);
    const expected = Array.from({ length: 6 }, (_, i) => byId[(first + i) % 3]);
    expect(order).toEqual(expected);
  });

  it('manual pick: waiting chats are listed to the members, one agent takes it, it disappears for the others', async () => {
    const org = await createOrganisation(node, { agentCount: 2, capacity: 2, strategy: 'manual' });
    const [ana, ben] = await agents(org);
    const anaSees = nextEvent<any>(ana, 'queue:waiting', (e) => e.waiting.length === 1);
    const benSees = nextEvent<any>(ben, 'queue:waiting', (e) => e.waiting.length === 1);
    const conversationId = await startChat(org);
    expect((await anaSees).waiting[0]).toMatchObject({ id: conversationId, contactName: 'Lena', queueId: org.queues.claims });
    await benSees;

    // nobody is assigned automatically
    await new Promise((r) => setTimeout(r, 500));
    const [row] = await env.query(`SELECT status FROM conversation WHERE id = $1`, [conversationId]);
    expect(row.status).toBe('queued');

    const listed = await ack(ana, 'queue:list', {});
    expect(listed.data.waiting.map((w: any) => w.id)).toEqual([conversationId]);

    const benEmpties = nextEvent<any>(ben, 'queue:waiting', (e) => e.waiting.length === 0);
    const winnerAssigned = nextEventAmong<any>([ana, ben], 'conversation:assigned');
    const [a, b] = await Promise.all([
      ack(ana, 'conversation:pick', { conversationId }),
      ack(ben, 'conversation:pick', { conversationId }),
    ]);
    const winners = [a, b].filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect([a, b].find((r) => !r.ok).error.code).toBe('conflict');
    await benEmpties;
    const events = await env.query<{ type: string; agent_id: string }>(
      `SELECT type, agent_id FROM conversation_event WHERE conversation_id = $1 AND type = 'assigned'`,
      [conversationId],
    );
    expect(events).toHaveLength(1);
    const winner = await winnerAssigned;
    expect(winner.index).toBe(a.ok ? 0 : 1);
    expect(winner.data.conversation.id).toBe(conversationId);
  });

  it('refuses a pick from an agent outside the queue, and unknown strategies', async () => {
    const org = await createOrganisation(node, { agentCount: 1, capacity: 2, strategy: 'manual' });
    const [ana] = await agents(org);
    const conversationId = await startChat(org);
    // an agent who is not a member of the queue
    const outsider = await http(node, 'POST', '/admin/staff', {
      token: org.adminToken,
      body: { email: `outsider-${Date.now()}@test.example`, displayName: 'Out', password: 'agent-password-123', role: 'agent' },
    });
    const login = await http(node, 'POST', '/auth/login', { body: { email: outsider.body.email, password: 'agent-password-123' } });
    const { socket } = await connectAgent(node, login.body.accessToken);
    sockets.push(socket);
    await ack(socket, 'availability:set', { availability: 'available' });
    expect((await ack(socket, 'conversation:pick', { conversationId })).error.code).toBe('forbidden');
    expect((await ack(ana, 'conversation:pick', { conversationId })).ok).toBe(true);

    const bad = await http(node, 'PATCH', `/admin/queues/${org.queues.claims}`, { token: org.adminToken, body: { strategy: 'random' } });
    expect(bad.status).toBe(400);
  });
});
