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
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('service levels: escalation and maximum wait', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  beforeEach(async () => {
    // A long sweep: the SLA timers themselves must act, not the periodic safety net.
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      ROUTING_SWEEP_SECONDS: '600',
      ABANDON_GRACE_SECONDS: '1',
    });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 2 });
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await sleep(300);
    await env.close();
  });

  const patch = (path: string, body: unknown) => http(node, 'PATCH', path, { token: org.adminToken, body });

  async function available(i: number): Promise<AgentClient> {
    const { socket } = await connectAgent(node, org.agents[i].token);
    sockets.push(socket);
    await ack(socket, 'availability:set', { availability: 'available' });
    return socket;
  }

  async function startChat(
    body = 'My car was hit',
  ): Promise<{ customer: VisitorClient; conversationId: string }> {
    const { socket } = await connectVisitor(node, org.siteKey);
    sockets.push(socket);
    const started = await ack(socket, 'conversation:start', {
      prechat: { name: 'Kai', policyNumber: 'P-7' },
      message: { clientId: `first-${Date.now()}`, body },
    });
    expect(started.ok).toBe(true);
    return { customer: socket, conversationId: started.data.conversation.id as string };
  }

  const events = (conversationId: string) =>
    env.query<{ type: string; queue_id: string | null; agent_id: string | null; data: any }>(
      `SELECT type, queue_id, agent_id, data FROM conversation_event WHERE conversation_id = $1 ORDER BY id`,
      [conversationId],
    );
  const row = async (conversationId: string) =>
    (await env.query<any>(`SELECT * FROM conversation WHERE id = $1`, [conversationId]))[0];

  it('overflows a conversation waiting past the threshold to the overflow queue, where an agent takes it', async () => {
    // Agent 0 works Billing only; nobody in Claims is available.
    expect((await patch(`/admin/staff/${org.agents[0].id}`, { queueIds: [org.queues.billing] })).status).toBe(
      200,
    );
    const changed = await patch(`/admin/queues/${org.queues.claims}`, {
      slaTargetSeconds: 1,
      escalateAfterSeconds: 1,
      escalation: { kind: 'overflow', toQueueId: org.queues.billing },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      escalateAfterSeconds: 1,
      escalation: { kind: 'overflow', toQueueId: org.queues.billing },
    });
    const billingAgent = await available(0);

    const assigned = nextEvent<any>(billingAgent, 'conversation:assigned', () => true, 6000);
    const startedAt = Date.now();
    const { conversationId } = await startChat();
    const before = await row(conversationId);
    expect((await assigned).conversation).toMatchObject({ id: conversationId, queueId: org.queues.billing });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);

    const after = await row(conversationId);
    expect(after).toMatchObject({
      queue_id: org.queues.billing,
      status: 'assigned',
      agent_id: org.agents[0].id,
    });
    // The wait did not restart: it counts from the first queue.
    expect(after.enqueued_at).toEqual(before.enqueued_at);
    expect(after.escalated_at).not.toBeNull();

    const history = await events(conversationId);
    expect(history.map((e) => e.type)).toEqual(['queued', 'escalated', 'assigned']);
    expect(history[1]).toMatchObject({
      queue_id: org.queues.claims,
      data: { action: 'overflow', fromQueueId: org.queues.claims, toQueueId: org.queues.billing },
    });
    expect(history[1].data.waitedSeconds).toBeGreaterThanOrEqual(1);
    expect(history[2].queue_id).toBe(org.queues.billing);

    // Supervisors see the escalation in the transcript's events.
    const transcript = await http(node, 'GET', `/conversations/${conversationId}/transcript`, {
      token: org.adminToken,
    });
    expect(transcript.status).toBe(200);
    expect(transcript.body.events.map((e: any) => e.type)).toContain('escalated');
    // …and in the live queue metrics, counted in the queue it was escalated from.
    const metrics = await http(node, 'GET', '/supervision/queues', { token: org.adminToken });
    const byName = (name: string) => metrics.body.queues.find((q: any) => q.name === name);
    expect(byName('Claims')).toMatchObject({ escalated: 1, answered: 0 });
    expect(byName('Billing')).toMatchObject({ escalated: 0, answered: 1 });
  });

  it('raises the priority of a conversation waiting past the threshold, once, ahead of newer ones', async () => {
    await patch(`/admin/queues/${org.queues.claims}`, {
      escalateAfterSeconds: 1,
      escalation: { kind: 'priority-bump', by: 10 },
    });
    const first = await startChat('first');
    await sleep(1800);
    expect(await row(first.conversationId)).toMatchObject({
      priority: 10,
      status: 'queued',
      queue_id: org.queues.claims,
    });
    // A newer customer joins behind; the escalated one stays first and is served first.
    const second = await startChat('second');
    const agent = await available(1);
    await nextEvent<any>(agent, 'conversation:assigned');
    // The agent has room for both: the first assignment made (not the first announced — two routing
    // passes may announce theirs in either order) is the escalated one.
    const [firstAssigned] = await env.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM conversation_event WHERE type = 'assigned' AND conversation_id = ANY($1::uuid[]) ORDER BY id LIMIT 1`,
      [[first.conversationId, second.conversationId]],
    );
    expect(firstAssigned.conversation_id).toBe(first.conversationId);

    await sleep(1500);
    const bumps = (await events(first.conversationId)).filter((e) => e.type === 'escalated');
    expect(bumps).toHaveLength(1);
    expect(bumps[0].data).toMatchObject({ action: 'priority-bump', by: 10 });
    expect((await row(second.conversationId)).priority).toBe(0);
  });

  it('hands over after the maximum wait: the customer is told, may leave, and the conversation is kept', async () => {
    await patch(`/admin/queues/${org.queues.claims}`, { maxWaitSeconds: 2 });
    const { customer, conversationId } = await startChat('Is anybody there?');
    const notices = collect<any>(customer, 'message');
    const offline = await nextEvent<any>(customer, 'queue:offline', () => true, 6000);
    expect(offline).toMatchObject({ conversationId, reason: 'max-wait', nextOpeningAt: null });
    expect(offline.message).toMatch(/leave a message/);
    await sleep(200);
    expect(notices.filter((m) => m.senderKind === 'system').map((m) => m.body)).toEqual([offline.message]);

    // The customer writes a message and closes the page: after the abandon grace it is still kept.
    expect(
      (
        await ack(customer, 'message:send', {
          conversationId,
          clientId: 'left-msg',
          body: 'Call me on 555-0100',
        })
      ).ok,
    ).toBe(true);
    customer.disconnect();
    await sleep(2000);
    expect(await row(conversationId)).toMatchObject({ status: 'queued', offline_reason: 'max-wait' });
    const history = await events(conversationId);
    expect(history.map((e) => e.type)).toEqual(['queued', 'offline']);
    expect(history[1].data).toMatchObject({ reason: 'max-wait' });
    const metrics = await http(node, 'GET', '/supervision/queues', { token: org.adminToken });
    expect(metrics.body.queues.find((q: any) => q.name === 'Claims')).toMatchObject({
      keptOffline: 1,
      waiting: 1,
    });

    // An agent who becomes available gets it, with the message the customer left.
    const agent = await available(0);
    const assigned = await nextEvent<any>(agent, 'conversation:assigned');
    expect(assigned.conversation.id).toBe(conversationId);
    expect(assigned.messages.map((m: any) => m.body)).toEqual(
      expect.arrayContaining(['Is anybody there?', 'Call me on 555-0100', offline.message]),
    );
  });

  it('refuses escalation settings that cannot work, and changes nothing', async () => {
    const claims = `/admin/queues/${org.queues.claims}`;
    const bad = [
      { escalation: { kind: 'priority-bump', by: 5 } }, // no escalateAfterSeconds
      { escalateAfterSeconds: 5, escalation: { kind: 'overflow', toQueueId: org.queues.claims } }, // itself
      {
        escalateAfterSeconds: 5,
        escalation: { kind: 'overflow', toQueueId: '00000000-0000-4000-8000-000000000000' },
      },
      { escalateAfterSeconds: 5, escalation: { kind: 'teleport' } },
      { escalateAfterSeconds: -1 },
      { maxWaitSeconds: 0 },
    ];
    for (const body of bad) expect((await patch(claims, body)).status).toBe(400);
    const queue = await http(node, 'GET', claims, { token: org.adminToken });
    expect(queue.body).toMatchObject({ escalateAfterSeconds: null, escalation: null, maxWaitSeconds: null });

    // A queue others overflow to cannot be deleted from under them.
    await patch(claims, {
      escalateAfterSeconds: 5,
      escalation: { kind: 'overflow', toQueueId: org.queues.billing },
    });
    const billingSite = await http(node, 'DELETE', `/admin/queues/${org.queues.billing}`, {
      token: org.adminToken,
    });
    expect(billingSite.status).toBe(409);
  });
});
