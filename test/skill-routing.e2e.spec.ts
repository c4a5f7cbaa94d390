import { ack, connectAgent, connectVisitor, http, nextEvent, nextEventAmong, type AgentClient } from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

describe('skills with levels, relaxation and pre-chat rules', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  beforeEach(async () => {
    // A long sweep interval: only the scheduled re-route may assign after the relaxation.
    env = await TestEnvironment.create({ ...ADMIN_ENV, ROUTING_SWEEP_SECONDS: '600' });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 3 });
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await env.close();
  });

  const patch = (path: string, body: unknown) => http(node, 'PATCH', path, { token: org.adminToken, body });

  async function available(i: number): Promise<AgentClient> {
    const { socket } = await connectAgent(node, org.agents[i].token);
    sockets.push(socket);
    await ack(socket, 'availability:set', { availability: 'available' });
    return socket;
  }

  async function startChat(claimType: string): Promise<string> {
    const { socket } = await connectVisitor(node, org.siteKey);
    sockets.push(socket);
    const started = await ack(socket, 'conversation:start', { prechat: { name: 'Kai', policyNumber: 'P-7', claimType } });
    expect(started.ok).toBe(true);
    return started.data.conversation.id as string;
  }

  it('waits for an agent at the preferred level, then relaxes on schedule', async () => {
    // Agents hold claims at level 3; the queue prefers level 5, and relaxes to any level after 2 s.
    const changed = await patch(`/admin/queues/${org.queues.claims}`, {
      skillLevels: { claims: 5 },
      relaxation: [{ afterSeconds: 2, mode: 'any-level' }],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ skillLevels: { claims: 5 }, relaxation: [{ afterSeconds: 2, mode: 'any-level' }] });
    const agent = await available(0);
    const startedAt = Date.now();
    const assigned = nextEvent<any>(agent, 'conversation:assigned', () => true, 8000);
    const conversationId = await startChat('Car');
    expect((await assigned).conversation.id).toBe(conversationId);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1900);
  });

  it('routes by a pre-chat answer to the agent with the matching skill', async () => {
    await patch(`/admin/queues/${org.queues.claims}`, {
      answerRules: [{ attribute: 'claimType', equals: 'Home', require: { skill: 'home', minLevel: 2 } }],
    });
    // Only agent 1 knows home claims.
    const skilled = await http(node, 'PATCH', `/admin/staff/${org.agents[1].id}`, {
      token: org.adminToken,
      body: { skills: { claims: 3, home: 2 } },
    });
    expect(skilled.status).toBe(200);
    const [a0, a1] = [await available(0), await available(1)];
    const toA1 = nextEvent<any>(a1, 'conversation:assigned');
    const home = await startChat('Home');
    expect((await toA1).conversation.id).toBe(home);
    const toA0 = nextEvent<any>(a0, 'conversation:assigned');
    const car = await startChat('Car');
    expect((await toA0).conversation.id).toBe(car);
  });

  it('sends a returning customer to their last agent within the sticky window', async () => {
    await patch(`/admin/queues/${org.queues.claims}`, { stickyWindowSeconds: 3600 });
    const agents = [await available(0), await available(1)];
    const { socket: first, session } = await connectVisitor(node, org.siteKey);
    sockets.push(first);
    const firstAssigned = nextEventAmong(agents, 'conversation:assigned').then((e) => e.index);
    const started = await ack(first, 'conversation:start', { prechat: { name: 'Kai', policyNumber: 'P-7' } });
    const served = await firstAssigned;
    await ack(agents[served], 'conversation:close', { conversationId: started.data.conversation.id, disposition: 'done' });

    // Longest idle alone would now pick the other agent; sticky routing picks the same one again.
    const { socket: again } = await connectVisitor(node, org.siteKey, { token: session.token });
    sockets.push(again);
    const secondAssigned = nextEventAmong(agents, 'conversation:assigned').then((e) => e.index);
    await ack(again, 'conversation:start', { prechat: { name: 'Kai', policyNumber: 'P-7' } });
    expect(await secondAssigned).toBe(served);

    // A different customer gets the longest-idle agent as usual.
    const third = nextEventAmong(agents, 'conversation:assigned').then((e) => e.index);
    await startChat('Car');
    expect(await third).toBe(1 - served);
  });

  it('refuses malformed routing rules and changes nothing', async () => {
    for (const body of [
      { skillLevels: { claims: 9 } },
      { relaxation: [{ afterSeconds: -1, mode: 'any-level' }] },
      { relaxation: [{ afterSeconds: 5, mode: 'anyone' }] },
      { answerRules: [{ attribute: 'claimType', equals: 'Home', require: { skill: 'Home!', minLevel: 2 } }] },
      { priorityAging: { everySeconds: 0, bumpBy: 1, maxBump: 3 } },
      { stickyWindowSeconds: -5 },
    ]) {
      expect((await patch(`/admin/queues/${org.queues.claims}`, body)).status).toBe(400);
    }
    const [row] = await env.query(
      `SELECT skill_levels, relaxation, answer_rules, priority_aging FROM queue WHERE id = $1`,
      [org.queues.claims],
    );
    expect(row).toEqual({ skill_levels: {}, relaxation: [], answer_rules: [], priority_aging: null });
  });
});
