import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type {
  ConversationChange,
  SupervisorClientEvents,
  SupervisorServerEvents,
} from '../src/realtime/contracts/supervisor.events.js';
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
import { RealtimeHub } from '../src/realtime/realtime.hub.js';
import { ADMIN_ENV, createOrganisation, createSupervisor, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

type SupervisorClient = Socket<SupervisorServerEvents, SupervisorClientEvents>;
type Changed = { conversationId: string; change: ConversationChange };

/**
 * A supervisor's drill-in: `conversation:watch` on the `/supervisor` socket pushes every change of one
 * conversation, made on any node, to the sockets watching it and to no other.
 */
describe('supervisor watching a conversation', () => {
  let env: TestEnvironment;
  let nodeA: TestNode;
  let nodeB: TestNode;
  let org: Organisation;
  let supervisorToken: string;
  let ana: AgentClient;
  let ben: AgentClient;
  const sockets: { disconnect(): unknown }[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    nodeA = await env.startNode();
    nodeB = await env.startNode();
    org = await createOrganisation(nodeA, { agentCount: 2, capacity: 6 });
    supervisorToken = (await createSupervisor(nodeA, org)).token;
    ({ socket: ana } = await connectAgent(nodeA, org.agents[0].token));
    ({ socket: ben } = await connectAgent(nodeB, org.agents[1].token));
    sockets.push(ana, ben);
    expect((await ack(ana, 'availability:set', { availability: 'available' })).ok).toBe(true);
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await new Promise((r) => setTimeout(r, 300));
    await env.close();
  });

  async function connectSupervisor(node: TestNode, token = supervisorToken): Promise<SupervisorClient> {
    const socket: SupervisorClient = io(`${node.url}/supervisor`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    await nextEvent(socket, 'snapshot');
    return socket;
  }

  /** A customer on node A whose chat Ana (the only available agent) has taken. */
  async function assignedChat(
    name: string,
  ): Promise<{ customer: VisitorClient; token: string; conversationId: string }> {
    const { socket: customer, session } = await connectVisitor(nodeA, org.siteKey);
    sockets.push(customer);
    const assigned = nextEvent<any>(
      ana,
      'conversation:assigned',
      (a) => a.conversation.attributes.name === name,
    );
    const started = await ack(customer, 'conversation:start', { prechat: { name, policyNumber: 'P-7' } });
    expect(started.ok).toBe(true);
    await assigned;
    return { customer, token: session.token, conversationId: started.data.conversation.id };
  }

  const hubOf = (node: TestNode) => node.app.get(RealtimeHub);

  /** Until a node has heard from every other one what they watch, it treats everything as watched. */
  async function learned(node: TestNode): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (hubOf(node).isWatched(randomUUID())) {
      if (Date.now() > deadline) throw new Error('the node never learned what the others watch');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const changeOf = (socket: SupervisorClient, conversationId: string, change: ConversationChange) =>
    nextEvent<Changed>(
      socket,
      'conversation:changed',
      (c) => c.conversationId === conversationId && c.change === change,
    );

  it('pushes every kind of change, made on either node, to the watching socket and to no other', async () => {
    await Promise.all([learned(nodeA), learned(nodeB)]);
    const { customer, conversationId } = await assignedChat('Watched Customer');
    const { conversationId: elsewhere } = await assignedChat('Unwatched Customer');
    // Nobody watches yet: a change costs no publish.
    expect(hubOf(nodeA).isWatched(conversationId)).toBe(false);
    const watcher = await connectSupervisor(nodeB);
    const bystander = await connectSupervisor(nodeB);
    expect(await ack(watcher, 'conversation:watch', { conversationId })).toEqual({
      ok: true,
      data: { conversationId },
    });
    // Node A, where the customer and Ana are, hears of the watch made on node B.
    const deadline = Date.now() + 2_000;
    while (!hubOf(nodeA).isWatched(conversationId) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(hubOf(nodeA).isWatched(conversationId)).toBe(true);
    expect(hubOf(nodeA).isWatched(elsewhere)).toBe(false);
    const seen = collect<Changed>(watcher, 'conversation:changed');
    const bystanderSaw = collect<Changed>(bystander, 'conversation:changed');

    // The customer writes on node A; the watcher is on node B.
    let next = changeOf(watcher, conversationId, 'message');
    expect(
      (await ack(customer, 'message:send', { conversationId, clientId: 'c-1', body: 'Water everywhere' })).ok,
    ).toBe(true);
    await next;

    // An internal note is part of the drill-in (the customer never sees it).
    next = changeOf(watcher, conversationId, 'message');
    expect(
      (
        await ack(ana, 'message:send', {
          conversationId,
          clientId: 'n-1',
          body: 'Check the policy',
          internal: true,
        })
      ).ok,
    ).toBe(true);
    await next;

    next = changeOf(watcher, conversationId, 'attributes');
    const edited = await http(nodeA, 'PATCH', `/conversations/${conversationId}/attributes`, {
      token: org.agents[0].token,
      body: { attributes: { claimType: 'Home' } },
    });
    expect(edited.status).toBe(200);
    await next;

    // The supervisor hands it to Ben (node B): Ana loses it, Ben gets it.
    expect((await ack(ben, 'availability:set', { availability: 'available' })).ok).toBe(true);
    const unassigned = changeOf(watcher, conversationId, 'unassigned');
    const assigned = changeOf(watcher, conversationId, 'assigned');
    const reassigned = await http(nodeA, 'POST', `/supervision/conversations/${conversationId}/reassign`, {
      token: supervisorToken,
      body: { agentId: org.agents[1].id },
    });
    expect(reassigned.status).toBe(200);
    await Promise.all([unassigned, assigned]);

    // Ben sends it back to the queue; nobody else is free in Claims but Ana, who takes it again.
    expect((await ack(ben, 'availability:set', { availability: 'away' })).ok).toBe(true);
    const transferred = changeOf(watcher, conversationId, 'transferred');
    const backToAna = changeOf(watcher, conversationId, 'assigned');
    expect((await ack(ben, 'conversation:transfer', { conversationId, queueId: org.queues.claims })).ok).toBe(
      true,
    );
    await Promise.all([transferred, backToAna]);

    next = changeOf(watcher, conversationId, 'closed');
    expect((await ack(ana, 'conversation:close', { conversationId, disposition: 'resolved' })).ok).toBe(true);
    await next;

    // Meanwhile the other conversation changed too: nothing of it reached the watcher.
    expect(
      (await ack(ana, 'message:send', { conversationId: elsewhere, clientId: 'e-1', body: 'Hello' })).ok,
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((c) => c.conversationId !== conversationId)).toEqual([]);
    expect(bystanderSaw).toEqual([]);
    expect(seen.map((c) => c.change)).toEqual(
      expect.arrayContaining(['message', 'attributes', 'unassigned', 'assigned', 'transferred', 'closed']),
    );
  });

  it('stops after unwatch, and a reconnected socket watches nothing until it asks again', async () => {
    const { customer, conversationId } = await assignedChat('Short Watch');
    const watcher = await connectSupervisor(nodeA);
    expect((await ack(watcher, 'conversation:watch', { conversationId })).ok).toBe(true);
    const first = changeOf(watcher, conversationId, 'message');
    expect((await ack(customer, 'message:send', { conversationId, clientId: 's-1', body: 'One' })).ok).toBe(
      true,
    );
    await first;

    expect(await ack(watcher, 'conversation:unwatch', { conversationId })).toEqual({
      ok: true,
      data: { conversationId },
    });
    const after = collect<Changed>(watcher, 'conversation:changed');
    expect((await ack(customer, 'message:send', { conversationId, clientId: 's-2', body: 'Two' })).ok).toBe(
      true,
    );

    // A new socket of the same supervisor: rooms are per socket.
    const again = await connectSupervisor(nodeA);
    const quiet = collect<Changed>(again, 'conversation:changed');
    expect((await ack(customer, 'message:send', { conversationId, clientId: 's-3', body: 'Three' })).ok).toBe(
      true,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(after).toEqual([]);
    expect(quiet).toEqual([]);
    expect((await ack(again, 'conversation:watch', { conversationId })).ok).toBe(true);
    const fourth = changeOf(again, conversationId, 'message');
    expect((await ack(customer, 'message:send', { conversationId, clientId: 's-4', body: 'Four' })).ok).toBe(
      true,
    );
    await fourth;
  });

  it('lets a node that starts later learn what the others watch, and push to their watchers', async () => {
    const { token, conversationId } = await assignedChat('Late Node');
    const watcher = await connectSupervisor(nodeB);
    expect((await ack(watcher, 'conversation:watch', { conversationId })).ok).toBe(true);
    const nodeC = await env.startNode();
    await learned(nodeC);
    expect(hubOf(nodeC).isWatched(conversationId)).toBe(true);
    // A second socket of the customer, on the new node, writes: the watcher on node B is told.
    const { socket: onC } = await connectVisitor(nodeC, org.siteKey, { token });
    sockets.push(onC);
    const next = changeOf(watcher, conversationId, 'message');
    expect(
      (await ack(onC, 'message:send', { conversationId, clientId: 'l-1', body: 'From the new node' })).ok,
    ).toBe(true);
    await next;
  });

  it('refuses a malformed or unknown conversation id with an error ack, and watches nothing', async () => {
    const watcher = await connectSupervisor(nodeB);
    const malformed = await ack(watcher, 'conversation:watch', { conversationId: 'not-an-id' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await ack(watcher, 'conversation:watch', {})).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await ack(watcher, 'conversation:watch', 'x')).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const unknown = await ack(watcher, 'conversation:watch', { conversationId: randomUUID() });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('admits admins, and keeps agents out of the supervisor socket', async () => {
    const { conversationId } = await assignedChat('Admin Watch');
    const admin = await connectSupervisor(nodeA, org.adminToken);
    expect((await ack(admin, 'conversation:watch', { conversationId })).ok).toBe(true);
    const agentSocket: SupervisorClient = io(`${nodeA.url}/supervisor`, {
      auth: { token: org.agents[0].token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(agentSocket);
    const refused = await new Promise<Error & { data?: { code: string } }>((resolve) =>
      agentSocket.once('connect_error', resolve),
    );
    expect(refused.data?.code).toBe('forbidden');
  });
});
