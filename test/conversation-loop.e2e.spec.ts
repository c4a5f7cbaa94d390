import { ack, collect, connectAgent, connectVisitor, http, nextEvent, type AgentClient, type VisitorClient } from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

describe('a website conversation from start to close', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 1 });
  });

  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));
  afterAll(() => env.close());

  async function agent(i: number, available = true): Promise<AgentClient> {
    const { socket } = await connectAgent(node, org.agents[i].token);
    sockets.push(socket);
    if (available) expect(await ack(socket, 'availability:set', { availability: 'available' })).toEqual({ ok: true, data: { availability: 'available' } });
    return socket;
  }

  async function visitor(token?: string): Promise<{ socket: VisitorClient; session: any }> {
    const v = await connectVisitor(node, org.siteKey, { token });
    sockets.push(v.socket);
    return v;
  }

  const prechat = { name: 'Maria Lopez', policyNumber: 'POL-123', claimType: 'Car' };

  it('queues, assigns, exchanges messages both ways, keeps history, and closes', async () => {
    const ana = await agent(0);
    const { socket: customer, session } = await visitor();
    expect(session.token).toEqual(expect.any(String));

    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const joined = nextEvent<any>(customer, 'agent:joined');
    const started = await ack(customer, 'conversation:start', { prechat, message: { clientId: 'c-1', body: 'My car was hit' } });
    expect(started.ok).toBe(true);
    const conversationId = started.data.conversation.id;
    expect(started.data.message).toMatchObject({ seq: 1 });

    const assignment = await assigned;
    expect(assignment.conversation).toMatchObject({ id: conversationId, status: 'assigned', agentId: org.agents[0].id });
    expect(assignment.conversation.attributes).toEqual(prechat);
    expect(assignment.contact.displayName).toBe('Maria Lopez');
    expect(assignment.messages.map((m: any) => m.body)).toEqual(['My car was hit']);
    expect((await joined).agent).toEqual({ id: org.agents[0].id, displayName: 'Agent 0' });

    // customer → agent
    const atAgent = nextEvent<any>(ana, 'message', (m) => m.seq === 2);
    const sent = await ack(customer, 'message:send', { conversationId, clientId: 'c-2', body: 'Photos follow' });
    expect(sent).toEqual({ ok: true, data: { id: expect.any(String), seq: 2, createdAt: expect.any(String) } });
    expect(await atAgent).toMatchObject({ id: sent.data.id, senderKind: 'customer', body: 'Photos follow' });

    // a retry with the same client id returns the same ack and stores nothing
    expect(await ack(customer, 'message:send', { conversationId, clientId: 'c-2', body: 'Photos follow' })).toEqual(sent);

    // agent → customer, and an internal note the customer never sees
    const customerMessages = collect<any>(customer, 'message');
    const replyArrives = nextEvent(customer, 'message', (m: any) => m.seq === 3);
    const reply = await ack(ana, 'message:send', { conversationId, clientId: 'a-1', body: 'I can help with that' });
    expect(reply.data.seq).toBe(3);
    const note = await ack(ana, 'message:send', { conversationId, clientId: 'a-2', body: 'check policy', internal: true });
    expect(note.data.seq).toBe(4);
    await replyArrives;

    // typing both ways
    const agentSeesTyping = nextEvent<any>(ana, 'typing');
    await ack(customer, 'typing', { conversationId, isTyping: true });
    expect(await agentSeesTyping).toEqual({ conversationId, senderKind: 'customer', isTyping: true });
    const customerSeesTyping = nextEvent<any>(customer, 'typing');
    await ack(ana, 'typing', { conversationId, isTyping: true });
    expect(await customerSeesTyping).toEqual({ conversationId, senderKind: 'agent', isTyping: true });
    // The acknowledgement is optional for typing: sent without one, it still goes through.
    const agentSeesStop = nextEvent<any>(ana, 'typing', (t: any) => t.isTyping === false);
    customer.emit('typing', { conversationId, isTyping: false });
    expect(await agentSeesStop).toEqual({ conversationId, senderKind: 'customer', isTyping: false });

    const closed = nextEvent(customer, 'conversation:closed');
    expect(await ack(ana, 'conversation:close', { conversationId, disposition: 'claim-opened' })).toEqual({ ok: true, data: { conversationId } });
    await closed;
    expect(customerMessages.map((m) => m.body)).toEqual(['I can help with that']);

    const rows = await env.query<{ seq: number; internal: boolean }>(
      `SELECT seq, internal FROM message WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    const [conv] = await env.query(`SELECT status, disposition, agent_id FROM conversation WHERE id = $1`, [conversationId]);
    expect(conv).toEqual({ status: 'closed', disposition: 'claim-opened', agent_id: null });
    const events = await env.query<{ type: string }>(`SELECT type FROM conversation_event WHERE conversation_id = $1 ORDER BY id`, [conversationId]);
    expect(events.map((e) => e.type)).toEqual(['queued', 'assigned', 'closed']);

    // Staff read the whole transcript, with internal notes; and the customer's history.
    const transcript = await http(node, 'GET', `/conversations/${conversationId}/transcript`, { token: org.agents[0].token });
    expect(transcript.status).toBe(200);
    expect(transcript.body.messages.map((m: any) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(transcript.body.events.map((e: any) => e.type)).toEqual(['queued', 'assigned', 'closed']);
    const history = await http(node, 'GET', `/contacts/${assignment.contact.id}/conversations`, { token: org.adminToken });
    expect(history.body).toMatchObject({ total: 1, page: 1, conversations: [{ id: conversationId }] });
    expect(history.body.conversations[0].messages).toHaveLength(4);

    const search = await http(node, 'GET', `/transcripts/search?q=${encodeURIComponent('photos')}`, { token: org.adminToken });
    expect(search.status).toBe(200);
    expect(search.body).toEqual([expect.objectContaining({ conversationId, seq: 2 })]);
  });

  it('a reconnecting customer resumes with their token and receives everything after the last seq seen', async () => {
    const ana = await agent(0);
    const first = await visitor();
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const started = await ack(first.socket, 'conversation:start', { prechat });
    const conversationId = started.data.conversation.id;
    await assigned;
    await ack(first.socket, 'message:send', { conversationId, clientId: 'r-1', body: 'hello' });
    first.socket.disconnect();

    await ack(ana, 'message:send', { conversationId, clientId: 'a-1', body: 'missed one' });
    await ack(ana, 'message:send', { conversationId, clientId: 'a-2', body: 'missed two' });

    const again = await visitor(first.session.token);
    expect(again.session.visitorId).toBe(first.session.visitorId);
    expect(again.session.conversations).toEqual([
      expect.objectContaining({ id: conversationId, status: 'assigned', lastSeq: 3, agent: { id: org.agents[0].id, displayName: 'Agent 0' } }),
    ]);
    const sync = await ack(again.socket, 'sync', { conversationId, afterSeq: 1 });
    expect(sync.data.messages.map((m: any) => m.body)).toEqual(['missed one', 'missed two']);
    // and the resumed socket receives live messages again
    const live = nextEvent<any>(again.socket, 'message');
    await ack(ana, 'message:send', { conversationId, clientId: 'a-3', body: 'welcome back' });
    expect((await live).body).toBe('welcome back');
    // starting again resumes the open conversation instead of opening a second one
    const restart = await ack(again.socket, 'conversation:start', { prechat });
    expect(restart.data.conversation.id).toBe(conversationId);
    await ack(ana, 'conversation:close', { conversationId, disposition: 'done' });
  });

  it('waits in line when agents are full, with its position, and is assigned when capacity frees', async () => {
    const ana = await agent(0); // capacity 1; agent 1 stays offline
    const a = await visitor();
    const firstAssigned = nextEvent<any>(ana, 'conversation:assigned');
    const first = await ack(a.socket, 'conversation:start', { prechat });
    await firstAssigned;

    const b = await visitor();
    const position = nextEvent<any>(b.socket, 'queue:position');
    const second = await ack(b.socket, 'conversation:start', { prechat: { ...prechat, name: 'Second' } });
    expect(second.data.conversation).toMatchObject({ status: 'queued', queuePosition: 1, agent: null });
    // The estimate follows the queue's service over the last 30 minutes (one agent able to serve now).
    const [served] = await env.query<{ n: number; agents: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT agent_id)::int AS agents FROM conversation_event
        WHERE queue_id = $1 AND type = 'assigned' AND created_at > now() - interval '30 minutes'`,
      [org.queues.claims],
    );
    expect(await position).toEqual({
      conversationId: second.data.conversation.id,
      position: 1,
      estimatedWaitSeconds: Math.ceil((30 * 60 * served.agents) / served.n),
    });

    const secondAssigned = nextEvent<any>(ana, 'conversation:assigned');
    await ack(ana, 'conversation:close', { conversationId: first.data.conversation.id, disposition: 'resolved' });
    expect((await secondAssigned).conversation.id).toBe(second.data.conversation.id);
    await ack(ana, 'conversation:close', { conversationId: second.data.conversation.id, disposition: 'resolved' });
  });

  it('transfers to another agent and to another queue', async () => {
    const ana = await agent(0);
    const ben = await agent(1);
    await ack(ben, 'availability:set', { availability: 'away' });
    const v = await visitor();
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const started = await ack(v.socket, 'conversation:start', { prechat });
    const conversationId = started.data.conversation.id;
    await assigned;

    // Ben is away: the transfer is refused and nothing changes
    const refused = await ack(ana, 'conversation:transfer', { conversationId, agentId: org.agents[1].id });
    expect(refused).toEqual({ ok: false, error: { code: 'conflict', message: 'That agent is not available' } });

    await ack(ben, 'availability:set', { availability: 'available' });
    const toBen = nextEvent<any>(ben, 'conversation:assigned');
    const removed = nextEvent<any>(ana, 'conversation:removed');
    expect((await ack(ana, 'conversation:transfer', { conversationId, agentId: org.agents[1].id, note: 'billing question' })).ok).toBe(true);
    expect((await toBen).conversation).toMatchObject({ id: conversationId, agentId: org.agents[1].id });
    expect(await removed).toEqual({ conversationId, reason: 'transferred' });

    // Ana can no longer write into it
    const denied = await ack(ana, 'message:send', { conversationId, clientId: 'x', body: 'still here?' });
    expect(denied.error.code).toBe('forbidden');

    // Ben sends it to Billing, where Ana (a Billing member) picks it up
    const toAna = nextEvent<any>(ana, 'conversation:assigned');
    expect((await ack(ben, 'conversation:transfer', { conversationId, queueId: org.queues.billing })).ok).toBe(true);
    expect((await toAna).conversation).toMatchObject({ id: conversationId, queueId: org.queues.billing });
    const events = await env.query<{ type: string }>(`SELECT type FROM conversation_event WHERE conversation_id = $1 ORDER BY id`, [conversationId]);
    expect(events.map((e) => e.type)).toEqual(['queued', 'assigned', 'transferred', 'transferred', 'assigned']);
    await ack(ana, 'conversation:close', { conversationId, disposition: 'done' });
  });

  it("returns a disconnected agent's conversations to the front of the queue after the grace period", async () => {
    const ana = await agent(0);
    const v = await visitor();
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    const started = await ack(v.socket, 'conversation:start', { prechat });
    const conversationId = started.data.conversation.id;
    await assigned;

    const left = nextEvent(v.socket, 'agent:left', () => true, 8000);
    ana.disconnect();
    await left;
    const [state] = await env.query(`SELECT availability FROM agent_state WHERE staff_id = $1`, [org.agents[0].id]);
    expect(state.availability).toBe('offline');

    const ben = await agent(1);
    const session = await nextEvent<any>(ben, 'conversation:assigned');
    expect(session.conversation.id).toBe(conversationId);
    const events = await env.query<{ type: string }>(`SELECT type FROM conversation_event WHERE conversation_id = $1 ORDER BY id`, [conversationId]);
    expect(events.map((e) => e.type)).toEqual(['queued', 'assigned', 'requeued', 'assigned']);
    await ack(ben, 'conversation:close', { conversationId, disposition: 'done' });
  });

  it('an agent who reconnects within the grace period keeps their conversations', async () => {
    const first = await agent(0);
    const v = await visitor();
    const assigned = nextEvent<any>(first, 'conversation:assigned');
    const started = await ack(v.socket, 'conversation:start', { prechat });
    await assigned;
    first.disconnect();
    const { socket, session } = await connectAgent(node, org.agents[0].token);
    sockets.push(socket);
    expect(session.assignments.map((a: any) => a.conversation.id)).toEqual([started.data.conversation.id]);
    await new Promise((r) => setTimeout(r, 1500));
    const [conv] = await env.query(`SELECT status, agent_id FROM conversation WHERE id = $1`, [started.data.conversation.id]);
    expect(conv).toEqual({ status: 'assigned', agent_id: org.agents[0].id });
    await ack(socket, 'conversation:close', { conversationId: started.data.conversation.id, disposition: 'done' });
  });
});
