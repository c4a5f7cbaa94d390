import {
  ack,
  connectAgent,
  connectVisitor,
  http,
  nextEvent,
  type AgentClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, createSupervisor, type Organisation } from './support/organisation.js';
import type { AgentReportRow, QueueReportRow } from '../src/reports/domain/report-rows.js';
import type { Report } from '../src/reports/reports.service.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

/**
 * A scripted day in the Claims queue, played through the real sockets and then moved by SQL to
 * 10 June 2026 (UTC) at exact times, so every figure below is worked out by hand from this timeline:
 *
 * | chat | queued   | assigned         | first reply      | then                                   | closed          |
 * |------|----------|------------------|------------------|----------------------------------------|-----------------|
 * | C1   | 09:00:00 | 09:00:30 Ana     | 09:01:10 (a note at 09:00:50 first) |                         | 09:10:30 Ana    |
 * | C2   | 09:20:00 | 09:22:00 Ben     | 09:23:00 Ben     | 09:30 Ben → Ana (agent transfer)       | 10:02:00 Ana    |
 * | C3   | 10:15:00 | 10:15:45 Ana     | 10:16:05 Ana     | 10:20 → Billing, 10:21 Ana again there | 10:31:00 Ana, in Billing |
 * | C4   | 23:30:00 | 23:31:00 Ben     | 23:31:20 Ben     |                                        | 23:40:00 Ben    |
 * | C5   | 11:00:00 | —                | —                | abandoned 11:05                        | —               |
 *
 * Ben also declined an offer of C2 at 09:21. Claims' SLA target is 60 s.
 */
const DAY = '2026-06-10';
const at = (time: string) => `${DAY}T${time}Z`;

describe('reports over a period', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let supervisorToken: string;
  let ana: AgentClient; // agent 0: Claims and Billing
  let ben: AgentClient; // agent 1: Claims
  const anaId = () => org.agents[0].id;
  const benId = () => org.agents[1].id;
  const sockets: { disconnect(): unknown }[] = [];
  const chats: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5', string> = { c1: '', c2: '', c3: '', c4: '', c5: '' };

  async function available(socket: AgentClient, availability: 'available' | 'away') {
    expect(await ack(socket, 'availability:set', { availability })).toEqual({
      ok: true,
      data: { availability },
    });
  }

  async function startChat(name: string, agent: AgentClient | null): Promise<string> {
    const { socket } = await connectVisitor(node, org.siteKey);
    sockets.push(socket);
    const assigned = agent ? nextEvent<any>(agent, 'conversation:assigned') : null;
    const started = await ack(socket, 'conversation:start', {
      prechat: { name, policyNumber: 'POL-1' },
      message: { clientId: 'first', body: `Hello, this is ${name}` },
    });
    expect(started.ok).toBe(true);
    const id = started.data.conversation.id as string;
    if (assigned) expect((await assigned).conversation.id).toBe(id);
    return id;
  }

  async function say(agent: AgentClient, conversationId: string, clientId: string, internal = false) {
    const sent = await ack(agent, 'message:send', {
      conversationId,
      clientId,
      body: `reply ${clientId}`,
      internal,
    });
    expect(sent.ok).toBe(true);
  }

  async function close(agent: AgentClient, conversationId: string) {
    expect((await ack(agent, 'conversation:close', { conversationId, disposition: 'resolved' })).ok).toBe(
      true,
    );
  }

  /** Checks the history is the one scripted, then puts each event and message at its time of the day. */
  async function backdate(
    conversationId: string,
    events: [type: string, time: string][],
    messages: [sender: 'customer' | 'agent' | 'note', time: string][],
  ) {
    const stored = await env.query<{ id: string; type: string }>(
      `SELECT id, type FROM conversation_event WHERE conversation_id = $1 ORDER BY id`,
      [conversationId],
    );
    expect(stored.map((e) => e.type)).toEqual(events.map(([type]) => type));
    for (const [i, e] of stored.entries()) {
      await env.query(`UPDATE conversation_event SET created_at = $2 WHERE id = $1`, [
        e.id,
        at(events[i][1]),
      ]);
    }
    const written = await env.query<{ seq: number; sender_kind: string; internal: boolean }>(
      `SELECT seq, sender_kind, internal FROM message WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    expect(written.map((m) => (m.internal ? 'note' : m.sender_kind))).toEqual(
      messages.map(([sender]) => sender),
    );
    for (const [i, m] of written.entries()) {
      await env.query(`UPDATE message SET created_at = $3 WHERE conversation_id = $1 AND seq = $2`, [
        conversationId,
        m.seq,
        at(messages[i][1]),
      ]);
    }
  }

  /** Events of types Switchboard may not write yet (or not in this scenario), as they would be recorded. */
  async function recordEvent(conversationId: string, type: string, time: string, agentId: string | null) {
    await env.query(
      `INSERT INTO conversation_event (conversation_id, type, queue_id, agent_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [conversationId, type, org.queues.claims, agentId, at(time)],
    );
  }

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 3 });
    supervisorToken = (await createSupervisor(node, org)).token;

    ana = (await connectAgent(node, org.agents[0].token)).socket;
    ben = (await connectAgent(node, org.agents[1].token)).socket;
    sockets.push(ana, ben);

    // C1: Ana alone answers, writes a note, replies, closes.
    await available(ana, 'available');
    await available(ben, 'away');
    chats.c1 = await startChat('One', ana);
    await say(ana, chats.c1, 'c1-note', true);
    await say(ana, chats.c1, 'c1-reply');
    await close(ana, chats.c1);

    // C2: Ben answers and replies, then hands it to Ana, who replies and closes.
    await available(ana, 'away');
    await available(ben, 'available');
    chats.c2 = await startChat('Two', ben);
    await say(ben, chats.c2, 'c2-reply');
    await available(ana, 'available');
    const toAna = nextEvent<any>(ana, 'conversation:assigned', (a) => a.conversation.id === chats.c2);
    expect((await ack(ben, 'conversation:transfer', { conversationId: chats.c2, agentId: anaId() })).ok).toBe(
      true,
    );
    await toAna;
    await say(ana, chats.c2, 'c2-later');
    await close(ana, chats.c2);

    // C3: Ana answers and replies, sends it to Billing, where routing gives it back to her.
    await available(ben, 'away');
    chats.c3 = await startChat('Three', ana);
    await say(ana, chats.c3, 'c3-reply');
    const inBilling = nextEvent<any>(ana, 'conversation:assigned', (a) => a.conversation.id === chats.c3);
    expect(
      (await ack(ana, 'conversation:transfer', { conversationId: chats.c3, queueId: org.queues.billing })).ok,
    ).toBe(true);
    expect((await inBilling).conversation.queueId).toBe(org.queues.billing);
    await close(ana, chats.c3);

    // C4: Ben, late in the evening.
    await available(ana, 'away');
    await available(ben, 'available');
    chats.c4 = await startChat('Four', ben);
    await say(ben, chats.c4, 'c4-reply');
    await close(ben, chats.c4);

    // C5: nobody available; the customer waits and gives up.
    await available(ben, 'away');
    chats.c5 = await startChat('Five', null);

    await backdate(
      chats.c1,
      [
        ['queued', '09:00:00'],
        ['assigned', '09:00:30'],
        ['closed', '09:10:30'],
      ],
      [
        ['customer', '09:00:00'],
        ['note', '09:00:50'],
        ['agent', '09:01:10'],
      ],
    );
    await backdate(
      chats.c2,
      [
        ['queued', '09:20:00'],
        ['assigned', '09:22:00'],
        ['transferred', '09:30:00'],
        ['closed', '10:02:00'],
      ],
      [
        ['customer', '09:20:00'],
        ['agent', '09:23:00'],
        ['agent', '09:31:00'],
      ],
    );
    await backdate(
      chats.c3,
      [
        ['queued', '10:15:00'],
        ['assigned', '10:15:45'],
        ['transferred', '10:20:00'],
        ['assigned', '10:21:00'],
        ['closed', '10:31:00'],
      ],
      [
        ['customer', '10:15:00'],
        ['agent', '10:16:05'],
      ],
    );
    await backdate(
      chats.c4,
      [
        ['queued', '23:30:00'],
        ['assigned', '23:31:00'],
        ['closed', '23:40:00'],
      ],
      [
        ['customer', '23:30:00'],
        ['agent', '23:31:20'],
      ],
    );
    await backdate(chats.c5, [['queued', '11:00:00']], [['customer', '11:00:00']]);
    await recordEvent(chats.c5, 'abandoned', '11:05:00', null);
    await recordEvent(chats.c2, 'offer-declined', '09:21:00', benId());
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await new Promise((r) => setTimeout(r, 300));
    await env.close();
  });

  const get = (path: string, token = supervisorToken) => http<any>(node, 'GET', path, { token });
  const queueReport = (params: Record<string, string>) =>
    http<Report<QueueReportRow>>(node, 'GET', `/reports/queues?${query(params)}`, { token: supervisorToken });
  const agentReport = (params: Record<string, string>) =>
    http<Report<AgentReportRow>>(node, 'GET', `/reports/agents?${query(params)}`, { token: supervisorToken });
  const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const wholeDay = { from: at('00:00:00'), to: `2026-06-11T00:00:00Z` };

  const none = { averageSeconds: null, medianSeconds: null, n: 0 };
  const one = (seconds: number) => ({ averageSeconds: seconds, medianSeconds: seconds, n: 1 });
  const noCsat = { average: null, median: null, n: 0 };
  const claims = () => ({ id: org.queues.claims, name: 'Claims' });
  const billing = () => ({ id: org.queues.billing, name: 'Billing' });
  const quietQueueRow = {
    volume: 0,
    answered: 0,
    sla: { targetSeconds: 60, answeredWithinTarget: 0, rate: null, n: 0 },
    wait: none,
    firstResponse: none,
    handle: none,
    abandoned: 0,
    abandonmentRate: null,
    transfers: 0,
    csat: noCsat,
  };

  it('reports the day per queue, in UTC by default', async () => {
    const report = await queueReport(wholeDay);
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      from: '2026-06-10T00:00:00.000Z',
      to: '2026-06-11T00:00:00.000Z',
      bucket: 'day',
      timeZone: 'UTC',
      rows: [
        {
          ...quietQueueRow,
          bucketStart: '2026-06-10T00:00:00.000Z',
          bucketLocal: '2026-06-10T00:00:00',
          queue: billing(),
          // C3 was closed in Billing: 10:31:00 − 10:15:45. It was queued and answered in Claims.
          handle: one(915),
        },
        {
          bucketStart: '2026-06-10T00:00:00.000Z',
          bucketLocal: '2026-06-10T00:00:00',
          queue: claims(),
          volume: 5,
          answered: 4,
          // waits 30, 120, 45 and 60 s: three within the 60 s target (60 itself counts)
          sla: { targetSeconds: 60, answeredWithinTarget: 3, rate: 0.75, n: 4 },
          wait: { averageSeconds: 63.8, medianSeconds: 52.5, n: 4 },
          // first replies 70, 180, 65 and 80 s after queueing; C1's internal note does not count
          firstResponse: { averageSeconds: 98.8, medianSeconds: 75, n: 4 },
          // C1 600, C2 2400 (from Ben's assignment, though Ana closed it), C4 540
          handle: { averageSeconds: 1180, medianSeconds: 600, n: 3 },
          abandoned: 1,
          abandonmentRate: 0.2,
          // Ben → Ana, and C3 out of Claims into Billing
          transfers: 2,
          csat: noCsat,
        },
      ],
    });
  });

  it('reports the day per agent, with transfers counted for whoever let the conversation go', async () => {
    const report = await agentReport(wholeDay);
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual([
      {
        bucketStart: '2026-06-10T00:00:00.000Z',
        bucketLocal: '2026-06-10T00:00:00',
        agent: { id: anaId(), displayName: 'Agent 0' },
        // C1, C2 (transferred to her) and C3 (assigned twice, counted once)
        handled: 3,
        handle: { averageSeconds: 1305, medianSeconds: 915, n: 3 },
        // C1 and C3, which she answered first
        firstResponse: { averageSeconds: 67.5, medianSeconds: 67.5, n: 2 },
        // C3 to Billing; receiving C2 from Ben is not a transfer out
        transfersOut: 1,
        offersDeclined: 0,
        offersTimedOut: 0,
        csat: noCsat,
      },
      {
        bucketStart: '2026-06-10T00:00:00.000Z',
        bucketLocal: '2026-06-10T00:00:00',
        agent: { id: benId(), displayName: 'Agent 1' },
        handled: 2,
        handle: one(540),
        firstResponse: { averageSeconds: 130, medianSeconds: 130, n: 2 },
        transfersOut: 1,
        offersDeclined: 1,
        offersTimedOut: 0,
        csat: noCsat,
      },
    ]);
  });

  it('splits the day into hours, leaving out hours with nothing to report', async () => {
    const queues = await queueReport({ ...wholeDay, bucket: 'hour' });
    expect(queues.status).toBe(200);
    expect(queues.body.bucket).toBe('hour');
    const hour = (h: string) => ({ bucketStart: at(`${h}:00:00.000`), bucketLocal: `${DAY}T${h}:00:00` });
    expect(queues.body.rows).toEqual([
      {
        ...hour('09'),
        queue: claims(),
        volume: 2,
        answered: 2,
        sla: { targetSeconds: 60, answeredWithinTarget: 1, rate: 0.5, n: 2 },
        wait: { averageSeconds: 75, medianSeconds: 75, n: 2 },
        firstResponse: { averageSeconds: 125, medianSeconds: 125, n: 2 },
        handle: one(600),
        abandoned: 0,
        abandonmentRate: 0,
        transfers: 1,
        csat: noCsat,
      },
      { ...quietQueueRow, ...hour('10'), queue: billing(), handle: one(915) },
      {
        ...hour('10'),
        queue: claims(),
        volume: 1,
        answered: 1,
        sla: { targetSeconds: 60, answeredWithinTarget: 1, rate: 1, n: 1 },
        wait: one(45),
        firstResponse: one(65),
        handle: one(2400),
        abandoned: 0,
        abandonmentRate: 0,
        transfers: 1,
        csat: noCsat,
      },
      { ...quietQueueRow, ...hour('11'), queue: claims(), volume: 1, abandoned: 1, abandonmentRate: 1 },
      {
        ...hour('23'),
        queue: claims(),
        volume: 1,
        answered: 1,
        sla: { targetSeconds: 60, answeredWithinTarget: 1, rate: 1, n: 1 },
        wait: one(60),
        firstResponse: one(80),
        handle: one(540),
        abandoned: 0,
        abandonmentRate: 0,
        transfers: 0,
        csat: noCsat,
      },
    ]);

    const agents = await agentReport({ ...wholeDay, bucket: 'hour' });
    const agent = (id: string, displayName: string) => ({ agent: { id, displayName } });
    const quiet = {
      handled: 0,
      handle: none,
      firstResponse: none,
      transfersOut: 0,
      offersDeclined: 0,
      offersTimedOut: 0,
      csat: noCsat,
    };
    expect(agents.body.rows).toEqual([
      {
        ...quiet,
        ...hour('09'),
        ...agent(anaId(), 'Agent 0'),
        handled: 2,
        handle: one(600),
        firstResponse: one(70),
      },
      {
        ...quiet,
        ...hour('09'),
        ...agent(benId(), 'Agent 1'),
        handled: 1,
        firstResponse: one(180),
        transfersOut: 1,
        offersDeclined: 1,
      },
      {
        ...quiet,
        ...hour('10'),
        ...agent(anaId(), 'Agent 0'),
        handled: 1,
        handle: { averageSeconds: 1657.5, medianSeconds: 1657.5, n: 2 },
        firstResponse: one(65),
        transfersOut: 1,
      },
      {
        ...quiet,
        ...hour('23'),
        ...agent(benId(), 'Agent 1'),
        handled: 1,
        handle: one(540),
        firstResponse: one(80),
      },
    ]);
  });

  it('counts from `from` up to, not including, `to`', async () => {
    // C1 closed at 09:10:30 and C3 was queued at 10:15:00 exactly: both outside.
    const report = await queueReport({ from: at('09:15:00'), to: at('10:15:00'), bucket: 'hour' });
    expect(report.body.rows).toEqual([
      {
        ...quietQueueRow,
        bucketStart: at('09:00:00.000'),
        bucketLocal: `${DAY}T09:00:00`,
        queue: claims(),
        volume: 1,
        answered: 1,
        sla: { targetSeconds: 60, answeredWithinTarget: 0, rate: 0, n: 1 },
        wait: one(120),
        firstResponse: one(180),
        abandonmentRate: 0,
        transfers: 1,
      },
      {
        ...quietQueueRow,
        bucketStart: at('10:00:00.000'),
        bucketLocal: `${DAY}T10:00:00`,
        queue: claims(),
        handle: one(2400),
      },
    ]);
  });

  it("buckets by the report's time zone: in Berlin the 23:30 UTC chat belongs to the next day", async () => {
    const report = await queueReport({
      from: '2026-06-10T00:00:00+02:00',
      to: '2026-06-12T00:00:00+02:00',
      timeZone: 'Europe/Berlin',
    });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      from: '2026-06-09T22:00:00.000Z',
      to: '2026-06-11T22:00:00.000Z',
      timeZone: 'Europe/Berlin',
    });
    // The same request typed into a URL by hand, with "+" unescaped.
    const typed = await get(
      '/reports/queues?from=2026-06-10T00:00:00+02:00&to=2026-06-12T00:00:00+02:00&timeZone=Europe/Berlin',
    );
    expect(typed.body).toEqual(report.body);
    const tenth = { bucketStart: '2026-06-09T22:00:00.000Z', bucketLocal: '2026-06-10T00:00:00' };
    const eleventh = { bucketStart: '2026-06-10T22:00:00.000Z', bucketLocal: '2026-06-11T00:00:00' };
    expect(report.body.rows).toEqual([
      { ...quietQueueRow, ...tenth, queue: billing(), handle: one(915) },
      {
        ...tenth,
        queue: claims(),
        volume: 4,
        answered: 3,
        sla: { targetSeconds: 60, answeredWithinTarget: 2, rate: 0.667, n: 3 },
        wait: { averageSeconds: 65, medianSeconds: 45, n: 3 },
        firstResponse: { averageSeconds: 105, medianSeconds: 70, n: 3 },
        handle: { averageSeconds: 1500, medianSeconds: 1500, n: 2 },
        abandoned: 1,
        abandonmentRate: 0.25,
        transfers: 2,
        csat: noCsat,
      },
      {
        ...eleventh,
        queue: claims(),
        volume: 1,
        answered: 1,
        sla: { targetSeconds: 60, answeredWithinTarget: 1, rate: 1, n: 1 },
        wait: one(60),
        firstResponse: one(80),
        handle: one(540),
        abandoned: 0,
        abandonmentRate: 0,
        transfers: 0,
        csat: noCsat,
      },
    ]);
  });

  it('narrows to one queue or one agent', async () => {
    const billingOnly = await queueReport({ ...wholeDay, queueId: org.queues.billing });
    expect(billingOnly.body.rows.map((r) => [r.queue.name, r.handle.n])).toEqual([['Billing', 1]]);

    const benOnly = await agentReport({ ...wholeDay, agentId: benId() });
    expect(benOnly.body.rows.map((r) => [r.agent.id, r.handled])).toEqual([[benId(), 2]]);

    // Ana's work in Billing: C3's second assignment and its close there; its answer and transfer were in Claims.
    const anaInBilling = await agentReport({ ...wholeDay, queueId: org.queues.billing });
    expect(anaInBilling.body.rows).toEqual([
      {
        bucketStart: '2026-06-10T00:00:00.000Z',
        bucketLocal: '2026-06-10T00:00:00',
        agent: { id: anaId(), displayName: 'Agent 0' },
        handled: 1,
        handle: one(915),
        firstResponse: none,
        transfersOut: 0,
        offersDeclined: 0,
        offersTimedOut: 0,
        csat: noCsat,
      },
    ]);
  });

  it('returns CSV with a header row for format=csv or Accept: text/csv', async () => {
    const byFormat = await fetch(`${node.url}/reports/queues?${query({ ...wholeDay, format: 'csv' })}`, {
      headers: { authorization: `Bearer ${supervisorToken}` },
    });
    expect(byFormat.status).toBe(200);
    expect(byFormat.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(byFormat.headers.get('content-disposition')).toBe(
      'attachment; filename="switchboard-queues-day-20260610T000000Z-20260611T000000Z.csv"',
    );
    const lines = (await byFormat.text()).trimEnd().split('\n');
    expect(lines).toEqual([
      'bucket_start,bucket_local,queue_id,queue_name,volume,answered,sla_target_seconds,answered_within_sla,' +
        'sla_rate,sla_n,wait_avg_seconds,wait_median_seconds,wait_n,first_response_avg_seconds,' +
        'first_response_median_seconds,first_response_n,handle_avg_seconds,handle_median_seconds,handle_n,' +
        'abandoned,abandonment_rate,transfers,csat_avg,csat_n,csat_median',
      `2026-06-10T00:00:00.000Z,2026-06-10T00:00:00,${org.queues.billing},Billing,0,0,60,0,,0,,,0,,,0,915,915,1,0,,0,,0,`,
      `2026-06-10T00:00:00.000Z,2026-06-10T00:00:00,${org.queues.claims},Claims,5,4,60,3,0.75,4,63.8,52.5,4,98.8,75,4,1180,600,3,1,0.2,2,,0,`,
    ]);

    const byAccept = await fetch(`${node.url}/reports/agents?${query({ ...wholeDay, bucket: 'hour' })}`, {
      headers: { authorization: `Bearer ${supervisorToken}`, accept: 'text/csv' },
    });
    expect(byAccept.headers.get('content-disposition')).toBe(
      'attachment; filename="switchboard-agents-hour-20260610T000000Z-20260611T000000Z.csv"',
    );
    const agentLines = (await byAccept.text()).trimEnd().split('\n');
    expect(agentLines[0]).toBe(
      'bucket_start,bucket_local,agent_id,agent_name,handled,handle_avg_seconds,handle_median_seconds,handle_n,' +
        'first_response_avg_seconds,first_response_median_seconds,first_response_n,transfers_out,offers_declined,' +
        'offers_timed_out,csat_avg,csat_n,csat_median',
    );
    expect(agentLines).toHaveLength(1 + 4);
  });

  it('refuses bad periods, buckets and zones with 400 and says why', async () => {
    const problems = async (params: Record<string, string>, path = '/reports/queues') => {
      const result = await get(`${path}?${query(params)}`);
      expect(result.status).toBe(400);
      return result.body.message as string[];
    };
    expect(await problems({ to: wholeDay.to })).toContain('from must be a string');
    expect(await problems({ from: wholeDay.to, to: wholeDay.from })).toEqual(['to must be later than from']);
    expect(await problems({ from: wholeDay.from, to: wholeDay.from })).toEqual([
      'to must be later than from',
    ]);
    expect(
      await problems({ from: '2025-06-09T00:00:00Z', to: '2026-06-11T00:00:00Z' }, '/reports/agents'),
    ).toEqual(['the period must not be longer than 366 days']);
    expect(await problems({ ...wholeDay, from: '2026-06-10' })).toEqual([
      'from must be an ISO-8601 date and time with an offset, e.g. 2026-11-26T00:00:00Z',
    ]);
    for (const timeZone of ['Mars/Olympus_Mons', '+02:00', 'UTC+2']) {
      expect(await problems({ ...wholeDay, timeZone })).toEqual([
        'timeZone must be an IANA time zone name, e.g. Europe/Berlin',
      ]);
    }
    expect(await problems({ ...wholeDay, bucket: 'week' })).toEqual([
      'bucket must be one of the following values: hour, day',
    ]);
    expect(await problems({ ...wholeDay, format: 'xlsx' })).toHaveLength(1);
    expect(await problems({ ...wholeDay, queueId: 'claims' })).toEqual(['queueId must be a UUID']);
    expect(await problems({ ...wholeDay, agentId: anaId() })).toEqual(['property agentId should not exist']);
  });

  it('is for supervisors and admins only', async () => {
    for (const path of ['/reports/queues', '/reports/agents']) {
      expect((await get(`${path}?${query(wholeDay)}`, org.adminToken)).status).toBe(200);
      const asAgent = await get(`${path}?${query(wholeDay)}`, org.agents[0].token);
      expect(asAgent.status).toBe(403);
      expect(asAgent.body.message).toBe('This needs one of the roles: supervisor, admin');
      expect((await http(node, 'GET', `${path}?${query(wholeDay)}`)).status).toBe(401);
    }
  });
});
