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
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/** The next whole UTC minute at least `lead` ms away: opening hours are set to the minute. */
function nextMinuteAfter(lead: number): Date {
  const at = new Date(Date.now() + lead);
  at.setUTCSeconds(0, 0);
  return new Date(at.getTime() + 60_000);
}

describe('business hours and offline mode', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  beforeEach(async () => {
    env = await TestEnvironment.create({ ...ADMIN_ENV, ABANDON_GRACE_SECONDS: '1' });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 3 });
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await sleep(300);
    await env.close();
  });

  const patchClaims = (body: unknown) =>
    http(node, 'PATCH', `/admin/queues/${org.queues.claims}`, { token: org.adminToken, body });

  async function available(i: number): Promise<AgentClient> {
    const { socket } = await connectAgent(node, org.agents[i].token);
    sockets.push(socket);
    await ack(socket, 'availability:set', { availability: 'available' });
    return socket;
  }

  async function visitor(): Promise<VisitorClient> {
    const { socket } = await connectVisitor(node, org.siteKey);
    sockets.push(socket);
    return socket;
  }

  const row = async (conversationId: string) =>
    (await env.query<any>(`SELECT * FROM conversation WHERE id = $1`, [conversationId]))[0];
  const eventTypes = async (conversationId: string) =>
    (
      await env.query<{ type: string }>(
        `SELECT type FROM conversation_event WHERE conversation_id = $1 ORDER BY id`,
        [conversationId],
      )
    ).map((e) => e.type);

  it('outside hours: told when it opens, messages kept, nothing routed until the opening, then routed', async () => {
    // Closed now, open from the next whole minute (at least 8 s away) until midnight UTC.
    const opensAt = nextMinuteAfter(8000);
    if (hhmm(opensAt) === '00:00') return; // the test cannot set "today from 24:00"; a minute later it can
    const today = WEEKDAYS[new Date().getUTCDay()];
    const changed = await patchClaims({
      businessHours: {
        timeZone: 'UTC',
        weekly: { [today]: [{ open: hhmm(opensAt), close: '24:00' }] },
        holidays: [],
      },
    });
    expect(changed.status).toBe(200);
    const agent = await available(0);
    const assigned = collect<any>(agent, 'conversation:assigned');

    // Before starting, the widget learns the queue is closed and when it opens.
    const customer = await visitor();
    expect(await ack(customer, 'queue:status', {})).toEqual({
      ok: true,
      data: { open: false, reason: 'closed', nextOpeningAt: opensAt.toISOString() },
    });

    // A chat started anyway is kept, and the customer is told when the queue opens.
    const told = nextEvent<any>(customer, 'queue:offline');
    const started = await ack(customer, 'conversation:start', {
      prechat: { name: 'Kai', policyNumber: 'P-7' },
      message: { clientId: 'c1', body: 'My windscreen cracked' },
    });
    expect(started.ok).toBe(true);
    const chatId = started.data.conversation.id as string;
    const notice = await told;
    expect(notice).toMatchObject({
      conversationId: chatId,
      reason: 'closed',
      nextOpeningAt: opensAt.toISOString(),
    });
    expect(notice.message).toContain(`${hhmm(opensAt)} UTC`);

    // Another visitor leaves a message from the offline form, without a live chat.
    const writer = await visitor();
    const left = await ack(writer, 'offline:message', {
      name: 'Noa Writer',
      email: 'noa@example.com',
      message: 'Please call me back about policy P-9',
      clientId: 'offline-1',
    });
    expect(left.ok).toBe(true);
    const messageId = left.data.conversationId as string;
    // A retried form stores the message once.
    const again = await ack(writer, 'offline:message', {
      name: 'Noa Writer',
      email: 'noa@example.com',
      message: 'Please call me back about policy P-9',
      clientId: 'offline-1',
    });
    expect(again.data).toEqual(left.data);

    // Both customers close the page; after the abandon grace both are kept, and the available agent got nothing.
    customer.disconnect();
    writer.disconnect();
    await sleep(2500);
    expect(Date.now()).toBeLessThan(opensAt.getTime());
    expect(await row(chatId)).toMatchObject({ status: 'queued', offline_reason: 'closed' });
    expect(await row(messageId)).toMatchObject({ status: 'queued', offline_reason: 'offline-message' });
    const contact = (
      await env.query<any>(`SELECT display_name, email FROM contact WHERE id = $1`, [
        (await row(messageId)).contact_id,
      ])
    )[0];
    expect(contact).toEqual({ display_name: 'Noa Writer', email: 'noa@example.com' });
    expect(assigned).toEqual([]);

    // At the opening, the kept conversations are routed (by the job scheduled for it), oldest first.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('not routed at the opening')),
        opensAt.getTime() - Date.now() + 6000,
      );
      const check = () => {
        if (assigned.length >= 2) {
          clearTimeout(timer);
          resolve();
        } else setTimeout(check, 100);
      };
      check();
    });
    expect(Date.now()).toBeGreaterThanOrEqual(opensAt.getTime());
    // Oldest first, in the order the assignments were made (two passes may announce them out of order).
    const assignedInOrder = await env.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM conversation_event WHERE type = 'assigned' ORDER BY id`,
    );
    expect(assignedInOrder.map((e) => e.conversation_id)).toEqual([chatId, messageId]);
    expect(new Set(assigned.map((a) => a.conversation.id))).toEqual(new Set([chatId, messageId]));
    const forMessage = assigned.find((a) => a.conversation.id === messageId);
    expect(forMessage.messages.map((m: any) => m.body)).toContain('Please call me back about policy P-9');
    expect(await eventTypes(chatId)).toEqual(['queued', 'offline', 'assigned']);
    expect(await ack(await visitor(), 'queue:status', {})).toEqual({
      ok: true,
      data: { open: true, reason: null, nextOpeningAt: null },
    });
  }, 90_000);

  it('with nobody to serve (where the queue says so): newcomers and the waiting line are told and kept', async () => {
    expect((await patchClaims({ offlineWhenNoAgents: true })).body).toMatchObject({
      offlineWhenNoAgents: true,
    });
    const first = await visitor();
    expect((await ack(first, 'queue:status', {})).data).toEqual({
      open: false,
      reason: 'no-agents',
      nextOpeningAt: null,
    });

    const told = nextEvent<any>(first, 'queue:offline');
    const started = await ack(first, 'conversation:start', {
      prechat: { name: 'Kai', policyNumber: 'P-7' },
      message: { clientId: 'c1', body: 'Hello?' },
    });
    const firstId = started.data.conversation.id as string;
    expect(await told).toMatchObject({ conversationId: firstId, reason: 'no-agents', nextOpeningAt: null });
    const resumed = await ack(first, 'sync', { conversationId: firstId, afterSeq: 0 });
    expect(resumed.data.conversation.offline).toMatchObject({ reason: 'no-agents' });

    // An agent comes (capacity 1): the kept conversation is theirs; a second customer waits live.
    expect(
      (
        await http(node, 'PATCH', `/admin/staff/${org.agents[1].id}`, {
          token: org.adminToken,
          body: { capacity: 1 },
        })
      ).status,
    ).toBe(200);
    const agent = await available(1);
    await nextEvent<any>(agent, 'conversation:assigned', (a) => a.conversation.id === firstId);
    const second = await visitor();
    const secondStart = await ack(second, 'conversation:start', {
      prechat: { name: 'Ari', policyNumber: 'P-8' },
    });
    const secondId = secondStart.data.conversation.id as string;
    expect((await row(secondId)).offline_at).toBeNull();

    // The agent leaves: within a sweep the waiting customer is told and kept.
    const secondTold = nextEvent<any>(second, 'queue:offline', () => true, 6000);
    await ack(agent, 'availability:set', { availability: 'away' });
    expect(await secondTold).toMatchObject({ conversationId: secondId, reason: 'no-agents' });
    expect(await row(secondId)).toMatchObject({ status: 'queued', offline_reason: 'no-agents' });
  });

  it('a customer who leaves a kept conversation without writing anything is abandoned as usual', async () => {
    await patchClaims({ offlineWhenNoAgents: true });
    const customer = await visitor();
    const told = nextEvent<any>(customer, 'queue:offline');
    const started = await ack(customer, 'conversation:start', {
      prechat: { name: 'Kai', policyNumber: 'P-7' },
    });
    await told;
    customer.disconnect();
    await sleep(2500);
    expect(await row(started.data.conversation.id)).toMatchObject({
      status: 'closed',
      disposition: 'abandoned',
    });
  });

  it('refuses malformed hours and offline messages, and changes nothing', async () => {
    const bad = [
      { timeZone: 'Mars/Olympus', weekly: {}, holidays: [] },
      { timeZone: 'UTC', weekly: { mon: [{ open: '18:00', close: '08:00' }] }, holidays: [] },
      { timeZone: 'UTC', weekly: { mon: [{ open: '8am', close: '18:00' }] }, holidays: [] },
      { timeZone: 'UTC', weekly: { someday: [] }, holidays: [] },
      { timeZone: 'UTC', weekly: {}, holidays: ['2026-02-30'] },
      'always',
    ];
    for (const businessHours of bad) {
      const refused = await patchClaims({ businessHours });
      expect(refused.status).toBe(400);
    }
    expect((await patchClaims({ offlineWhenNoAgents: null })).status).toBe(400);
    const queue = await http(node, 'GET', `/admin/queues/${org.queues.claims}`, { token: org.adminToken });
    expect(queue.body).toMatchObject({ businessHours: null, offlineWhenNoAgents: false });

    const writer = await visitor();
    for (const req of [
      { name: 'Noa', email: 'not-an-email', message: 'hi' },
      { name: 'Noa', email: 'noa@example.com', message: '' },
      { name: '', email: 'noa@example.com', message: 'hi' },
      { name: 'Noa', email: 'noa@example.com', message: 'x'.repeat(4001) },
    ]) {
      expect(await ack(writer, 'offline:message', req)).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
    }
    expect(await env.query(`SELECT id FROM conversation`)).toEqual([]);
  });
});
