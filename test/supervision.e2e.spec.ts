import { io, type Socket } from 'socket.io-client';
import type {
  AgentMetrics,
  QueueMetrics,
  QueueTotals,
  SupervisorServerEvents,
  SupervisorSnapshot,
} from '../src/realtime/contracts/supervisor.events.js';
import {
  ack,
  collect,
  connectAgent,
  connectError,
  connectVisitor,
  http,
  nextEvent,
  type AgentClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, createSupervisor, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

type SupervisorClient = Socket<SupervisorServerEvents, Record<string, never>>;

const WINDOW = "interval '30 minutes'";
const tenth = (n: number) => Math.round(n * 10) / 10;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('live queue metrics for supervisors', () => {
  let env: TestEnvironment;
  let nodeA: TestNode;
  let nodeB: TestNode;
  let org: Organisation;
  let supervisorToken: string;
  let ana: AgentClient; // agent 0: Claims and Billing, capacity 1
  let ben: AgentClient; // agent 1: Claims, capacity 1
  let onA: SupervisorClient;
  const sockets: { disconnect(): unknown }[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    nodeA = await env.startNode();
    nodeB = await env.startNode();
    org = await createOrganisation(nodeA, { agentCount: 2, capacity: 1 });
    supervisorToken = (await createSupervisor(nodeA, org)).token;
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    // Let the nodes finish handling the agents' disconnects before their Redis connections close.
    await new Promise((r) => setTimeout(r, 500));
    await env.close();
  });

  function openSupervisor(node: TestNode, token?: string): SupervisorClient {
    const socket: SupervisorClient = io(`${node.url}/supervisor`, {
      auth: token ? { token } : {},
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  }

  async function connectSupervisor(
    node: TestNode,
  ): Promise<{ socket: SupervisorClient; snapshot: SupervisorSnapshot }> {
    const socket = openSupervisor(node, supervisorToken);
    return { socket, snapshot: await nextEvent<SupervisorSnapshot>(socket, 'snapshot') };
  }

  async function startChat(node: TestNode, name: string): Promise<string> {
    const { socket } = await connectVisitor(node, org.siteKey);
    sockets.push(socket);
    const started = (await ack(socket, 'conversation:start', { prechat: { name, policyNumber: 'P-1' } })) as {
      ok: boolean;
      data: { conversation: { id: string } };
    };
    expect(started.ok).toBe(true);
    return started.data.conversation.id;
  }

  const claims = (s: SupervisorSnapshot) =>
    s.queues.find((q) => q.queueId === org.queues.claims) as QueueMetrics;
  const agentIn = (s: SupervisorSnapshot, id: string) => s.agents.find((a) => a.id === id) as AgentMetrics;
  const nextMetrics = (socket: SupervisorClient, match: (s: SupervisorSnapshot) => boolean, ms = 1500) =>
    nextEvent<SupervisorSnapshot>(socket, 'metrics', match, ms);

  /**
   * The numbers as docs/protocol.md defines them, read straight from the tables with SQL of its own
   * (not the server's queries), and combined here.
   */
  async function groundTruth(): Promise<Omit<SupervisorSnapshot, 'at'>> {
    const queues = await env.query<{ id: string; name: string; sla: number }>(
      `SELECT id, name, sla_target_seconds AS sla FROM queue ORDER BY name, id`,
    );
    const open = await env.query<{ queue_id: string; status: string; enqueued_at: Date }>(
      `SELECT queue_id, status, enqueued_at FROM conversation WHERE status <> 'closed'`,
    );
    const answered = await env.query<{ queue_id: string; wait: number; sla: number }>(
      `SELECT * FROM (
         SELECT DISTINCT ON (a.conversation_id) a.queue_id, a.created_at,
                extract(epoch FROM a.created_at - q.created_at)::float8 AS wait, qq.sla_target_seconds AS sla
           FROM conversation_event a
           JOIN conversation_event q ON q.conversation_id = a.conversation_id AND q.type = 'queued'
           JOIN queue qq ON qq.id = a.queue_id
          WHERE a.type = 'assigned'
          ORDER BY a.conversation_id, a.id) first
        WHERE created_at >= now() - ${WINDOW}`,
    );
    const handled = await env.query<{ queue_id: string; handle: number }>(
      `SELECT c.queue_id, extract(epoch FROM c.closed_at - min(e.created_at))::float8 AS handle
         FROM conversation c JOIN conversation_event e ON e.conversation_id = c.id AND e.type = 'assigned'
        WHERE c.status = 'closed' AND c.closed_at >= now() - ${WINDOW}
        GROUP BY c.id`,
    );
    const events = await env.query<{ queue_id: string; type: string }>(
      `SELECT queue_id, type FROM conversation_event
        WHERE type IN ('abandoned', 'offer-declined', 'offer-timeout') AND created_at >= now() - ${WINDOW}`,
    );
    const people = await env.query<{
      id: string;
      display_name: string;
      availability: AgentMetrics['availability'];
      connected: boolean;
      capacity: number;
      active: number;
      queue_ids: string[];
      availability_changed_at: Date;
      missed_offers: number;
    }>(
      `SELECT s.id, s.display_name, a.availability, a.connected, a.capacity, a.availability_changed_at, a.missed_offers,
              (SELECT count(*)::int FROM conversation c WHERE c.agent_id = s.id AND c.status = 'assigned') AS active,
              ARRAY(SELECT queue_id::text FROM queue_member m WHERE m.staff_id = s.id ORDER BY queue_id::text) AS queue_ids
         FROM staff_user s JOIN agent_state a ON a.staff_id = s.id
        WHERE s.active AND EXISTS (SELECT 1 FROM queue_member m WHERE m.staff_id = s.id)
        ORDER BY s.display_name, s.id`,
    );
    const stateOf = (p: (typeof people)[number]) =>
      !p.connected || p.availability === 'offline'
        ? 'offline'
        : p.availability === 'away'
          ? 'away'
          : p.active >= p.capacity
            ? 'busy'
            : 'available';
    const states = (members: typeof people) => ({
      available: members.filter((p) => stateOf(p) === 'available').length,
      busy: members.filter((p) => stateOf(p) === 'busy').length,
      away: members.filter((p) => stateOf(p) === 'away').length,
      offline: members.filter((p) => stateOf(p) === 'offline').length,
    });
    const totals = (inScope: (queueId: string) => boolean, members: typeof people): QueueTotals => {
      const waiting = open.filter((c) => inScope(c.queue_id) && c.status === 'queued');
      const samples = answered.filter((a) => inScope(a.queue_id));
      const closed = handled.filter((h) => inScope(h.queue_id));
      const within = samples.filter((a) => a.wait <= a.sla).length;
      const count = (type: string) => events.filter((e) => inScope(e.queue_id) && e.type === type).length;
      const abandoned = count('abandoned');
      const since = waiting.length ? Math.min(...waiting.map((c) => c.enqueued_at.getTime())) : null;
      return {
        waiting: waiting.length,
        assigned: open.filter((c) => inScope(c.queue_id) && c.status === 'assigned').length,
        longestWaitingSince: since === null ? null : new Date(since).toISOString(),
        answered: samples.length,
        averageWaitSeconds: samples.length ? tenth(sum(samples.map((a) => a.wait)) / samples.length) : null,
        answeredWithinSla: within,
        slaPercent: samples.length ? tenth((100 * within) / samples.length) : null,
        abandoned,
        abandonedPercent:
          abandoned + samples.length ? tenth((100 * abandoned) / (abandoned + samples.length)) : null,
        offersDeclined: count('offer-declined'),
        offersTimedOut: count('offer-timeout'),
        escalated: count('escalated'),
        keptOffline: count('offline'),
        handled: closed.length,
        averageHandleSeconds: closed.length ? tenth(sum(closed.map((h) => h.handle)) / closed.length) : null,
        agents: states(members),
      };
    };
    return {
      windowSeconds: 1800,
      overall: totals(() => true, people),
      queues: queues.map((q) => ({
        queueId: q.id,
        name: q.name,
        slaTargetSeconds: q.sla,
        ...totals(
          (id) => id === q.id,
          people.filter((p) => p.queue_ids.includes(q.id)),
        ),
      })),
      agents: people.map((p) => ({
        id: p.id,
        displayName: p.display_name,
        availability: p.availability,
        connected: p.connected,
        activeConversations: p.active,
        capacity: p.capacity,
        queueIds: p.queue_ids,
        availabilityChangedAt: p.availability_changed_at.toISOString(),
        missedOffers: p.missed_offers,
      })),
    };
  }

  const withoutAt = ({ at: _at, ...rest }: SupervisorSnapshot) => rest;

  it('refuses agents and anonymous sockets at the handshake, and on the HTTP mirror', async () => {
    const agentRefused = await connectError(openSupervisor(nodeA, org.agents[0].token));
    expect(agentRefused.data).toEqual({
      code: 'forbidden',
      message: 'This needs one of the roles: supervisor, admin',
    });
    const anonymous = await connectError(openSupervisor(nodeA));
    expect(anonymous.data).toEqual({ code: 'unauthorized', message: 'A valid token is required' });

    expect((await http(nodeA, 'GET', '/supervision/queues', { token: org.agents[0].token })).status).toBe(
      403,
    );
    expect((await http(nodeA, 'GET', '/supervision/queues')).status).toBe(401);
    expect((await http(nodeA, 'GET', '/supervision/queues', { token: org.adminToken })).status).toBe(200);
  });

  it('sends a snapshot on connect whose numbers are what the database says', async () => {
    const testStarted = Date.now();
    ana = (await connectAgent(nodeA, org.agents[0].token)).socket;
    sockets.push(ana);
    await ack(ana, 'availability:set', { availability: 'available' });

    // One conversation answered and closed, which waited 90 s for an agent (over the 60 s target)…
    const firstAssigned = nextEvent<unknown>(ana, 'conversation:assigned');
    const first = await startChat(nodeA, 'First');
    await firstAssigned;
    await ack(ana, 'conversation:close', { conversationId: first, disposition: 'resolved' });
    await env.query(
      `UPDATE conversation_event SET created_at = created_at - interval '90 seconds' WHERE conversation_id = $1 AND type = 'queued'`,
      [first],
    );
    // …one answered at once and still open (Ana is now at capacity)…
    const secondAssigned = nextEvent<unknown>(ana, 'conversation:assigned');
    const second = await startChat(nodeA, 'Second');
    await secondAssigned;
    // …and one waiting, while Ben is connected but away.
    ben = (await connectAgent(nodeA, org.agents[1].token)).socket;
    sockets.push(ben);
    await ack(ben, 'availability:set', { availability: 'away' });
    const third = await startChat(nodeA, 'Third');
    // Events nothing writes yet, counted once they exist; one of them outside the 30-minute window.
    await env.query(
      `INSERT INTO conversation_event (conversation_id, type, queue_id, created_at) VALUES
         ($1, 'abandoned', $2, now()), ($1, 'offer-declined', $2, now()), ($3, 'offer-timeout', $2, now()),
         ($1, 'abandoned', $2, now() - interval '40 minutes')`,
      [first, org.queues.claims, second],
    );
    // Ben let two offers in a row time out (the count offer-mode routing keeps on his state row).
    await env.query(`UPDATE agent_state SET missed_offers = 2 WHERE staff_id = $1`, [org.agents[1].id]);
    await new Promise((r) => setTimeout(r, 300)); // let the routing pass over the third conversation finish

    const { socket, snapshot } = await connectSupervisor(nodeA);
    onA = socket;
    expect(withoutAt(snapshot)).toEqual(await groundTruth());
    expect(Date.now() - Date.parse(snapshot.at)).toBeLessThan(5000);

    // The same numbers, spelled out, so that a shared misunderstanding cannot pass both sides.
    const [{ enqueued_at: thirdSince }] = await env.query<{ enqueued_at: Date }>(
      `SELECT enqueued_at FROM conversation WHERE id = $1`,
      [third],
    );
    expect(claims(snapshot)).toMatchObject({
      name: 'Claims',
      waiting: 1,
      assigned: 1,
      longestWaitingSince: thirdSince.toISOString(),
      answered: 2,
      answeredWithinSla: 1,
      slaPercent: 50,
      abandoned: 1,
      abandonedPercent: 33.3,
      offersDeclined: 1,
      offersTimedOut: 1,
      handled: 1,
      agents: { available: 0, busy: 1, away: 1, offline: 0 },
    });
    expect(claims(snapshot).averageWaitSeconds).toBeGreaterThanOrEqual(45);
    expect(snapshot.queues.find((q) => q.name === 'Billing')).toMatchObject({
      waiting: 0,
      answered: 0,
      slaPercent: null,
      averageWaitSeconds: null,
      averageHandleSeconds: null,
      agents: { available: 0, busy: 1, away: 0, offline: 0 },
    });
    expect(
      snapshot.agents.map((a) => [
        a.displayName,
        a.availability,
        a.connected,
        a.activeConversations,
        a.capacity,
        a.missedOffers,
      ]),
    ).toEqual([
      ['Agent 0', 'available', true, 1, 1, 0],
      ['Agent 1', 'away', true, 0, 1, 2],
    ]);
    // Both changed availability during this test: the time of that change, not of their first sign-in.
    for (const a of snapshot.agents) {
      expect(Date.parse(a.availabilityChangedAt)).toBeGreaterThanOrEqual(testStarted - 1000);
      expect(Date.parse(a.availabilityChangedAt)).toBeLessThanOrEqual(Date.parse(snapshot.at));
    }

    const mirror = await http<SupervisorSnapshot>(nodeA, 'GET', '/supervision/queues', {
      token: supervisorToken,
    });
    expect(mirror.status).toBe(200);
    expect(withoutAt(mirror.body)).toEqual(withoutAt(snapshot));
  });

  it('pushes metrics within about a second when a chat starts and when an agent changes availability', async () => {
    let started = Date.now();
    const waitingMore = nextMetrics(onA, (s) => claims(s).waiting === 2);
    await startChat(nodeA, 'Fourth');
    const afterStart = await waitingMore;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(withoutAt(afterStart)).toEqual(await groundTruth());

    // Ben becomes available: routing hands him the longest waiting conversation at once.
    started = Date.now();
    const benTakesOne = nextMetrics(onA, (s) => claims(s).waiting === 1 && claims(s).assigned === 2);
    await ack(ben, 'availability:set', { availability: 'available' });
    const afterBen = await benTakesOne;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(agentIn(afterBen, org.agents[1].id)).toMatchObject({
      availability: 'available',
      activeConversations: 1,
    });
    expect(claims(afterBen).agents).toEqual({ available: 0, busy: 2, away: 0, offline: 0 });
    expect(claims(afterBen).answered).toBe(3);

    // An availability change alone, with nothing routed.
    const anaChangedBefore = Date.parse(agentIn(afterBen, org.agents[0].id).availabilityChangedAt);
    started = Date.now();
    const anaAway = nextMetrics(onA, (s) => agentIn(s, org.agents[0].id).availability === 'away');
    await ack(ana, 'availability:set', { availability: 'away' });
    const afterAna = await anaAway;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(Date.parse(agentIn(afterAna, org.agents[0].id).availabilityChangedAt)).toBeGreaterThan(
      anaChangedBefore,
    );
    expect(claims(afterAna).agents).toEqual({ available: 0, busy: 1, away: 1, offline: 0 });
    expect(withoutAt(afterAna)).toEqual(await groundTruth());
  });

  it('shows a change made through node A to a supervisor connected to node B, once', async () => {
    const { socket: onB, snapshot } = await connectSupervisor(nodeB);
    expect(withoutAt(snapshot)).toEqual(await groundTruth());
    const pushesOnB = collect<SupervisorSnapshot>(onB, 'metrics');
    const pushesOnA = collect<SupervisorSnapshot>(onA, 'metrics');

    const started = Date.now();
    const seenOnB = nextMetrics(onB, (s) => claims(s).waiting === 2);
    await startChat(nodeA, 'Fifth');
    const pushed = await seenOnB;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(withoutAt(pushed)).toEqual(await groundTruth());

    // Each supervisor is told once, by its own node (not again through the other node).
    await new Promise((r) => setTimeout(r, 1500));
    expect(pushesOnB).toHaveLength(1);
    expect(pushesOnA).toHaveLength(1);
    expect(withoutAt(pushesOnA[0])).toEqual(withoutAt(pushed));
  });

  it('pushes nothing while nothing changes, though conversations keep waiting', async () => {
    const { socket: onB } = await connectSupervisor(nodeB);
    const quietA = collect<SupervisorSnapshot>(onA, 'metrics');
    const quietB = collect<SupervisorSnapshot>(onB, 'metrics');
    await new Promise((r) => setTimeout(r, 2500));
    expect(quietA).toEqual([]);
    expect(quietB).toEqual([]);
  });

  it('coalesces a burst of changes into about one push per second', async () => {
    const pushes = collect<SupervisorSnapshot>(onA, 'metrics');
    const before = claims(
      (await http<SupervisorSnapshot>(nodeA, 'GET', '/supervision/queues', { token: supervisorToken })).body,
    ).waiting;
    const times: number[] = [];
    onA.on('metrics', () => times.push(Date.now()));
    for (let i = 0; i < 6; i++) {
      await startChat(i % 2 ? nodeB : nodeA, `Burst ${i}`);
      await new Promise((r) => setTimeout(r, 150));
    }
    await nextMetrics(onA, (s) => claims(s).waiting === before + 6, 2500).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1200));
    expect(claims(pushes[pushes.length - 1]).waiting).toBe(before + 6);
    // Six changes over about a second: two or three pushes, never two within much less than a second.
    expect(pushes.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThan(700);
  });
});
