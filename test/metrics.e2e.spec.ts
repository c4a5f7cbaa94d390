import { ack, connectAgent, connectVisitor, http, nextEvent } from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const METRICS_TOKEN = 'metrics-scrape-token-for-tests';

type Labels = Record<string, string>;

/** The value of one sample in the Prometheus text format, matched by name and exact label set. */
function sample(text: string, name: string, labels: Labels = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Labels = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      found[key] = value;
    }
    const same =
      Object.keys(found).length === Object.keys(labels).length &&
      Object.entries(labels).every(([k, v]) => found[k] === v);
    if (same) return Number(match[3]);
  }
  return undefined;
}

async function scrape(node: TestNode): Promise<string> {
  const result = await http<string>(node, 'GET', '/metrics', { token: METRICS_TOKEN });
  expect(result.status).toBe(200);
  return result.body;
}

describe('GET /metrics', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  const sockets: { disconnect(): unknown }[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create({ ...ADMIN_ENV, METRICS_TOKEN });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 1, capacity: 1 });
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await env.close();
  });

  it('is off (404) unless METRICS_TOKEN is set', async () => {
    const plain = await TestEnvironment.create();
    try {
      const plainNode = await plain.startNode();
      expect((await http(plainNode, 'GET', '/metrics')).status).toBe(404);
      expect((await http(plainNode, 'GET', '/metrics', { token: METRICS_TOKEN })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('needs the metrics token: not none, not a wrong one, not a staff sign-in', async () => {
    expect((await http(node, 'GET', '/metrics')).status).toBe(401);
    expect((await http(node, 'GET', '/metrics', { token: `${METRICS_TOKEN.slice(0, -1)}X` })).status).toBe(
      401,
    );
    expect((await http(node, 'GET', '/metrics', { token: org.adminToken })).status).toBe(401);
    const basic = await http(node, 'GET', '/metrics', {
      headers: { authorization: `Basic ${METRICS_TOKEN}` },
    });
    expect(basic).toMatchObject({ status: 401, body: { statusCode: 401 } });

    const response = await fetch(`${node.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('# TYPE switchboard_process_cpu_user_seconds_total counter');
    expect(sample(text, 'switchboard_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('reports a routed conversation, its messages, open sockets and who is still waiting', async () => {
    const { socket: agent } = await connectAgent(node, org.agents[0].token); // capacity 1
    sockets.push(agent);
    await ack(agent, 'availability:set', { availability: 'available' });
    const first = await connectVisitor(node, org.siteKey);
    const second = await connectVisitor(node, org.siteKey);
    sockets.push(first.socket, second.socket);
    const prechat = { name: 'Maria Lopez', policyNumber: 'POL-123' };

    const assigned = nextEvent(agent, 'conversation:assigned');
    const started = await ack(first.socket, 'conversation:start', {
      prechat,
      message: { clientId: 'c-1', body: 'My car was hit' },
    });
    const conversationId = started.data.conversation.id;
    await assigned;
    const retry = await ack(first.socket, 'message:send', {
      conversationId,
      clientId: 'c-1',
      body: 'My car was hit',
    });
    expect(retry.data.seq).toBe(1); // an idempotent retry, stored once
    const reply = nextEvent(first.socket, 'message');
    await ack(agent, 'message:send', { conversationId, clientId: 'a-1', body: 'I can help with that' });
    await reply;

    // The agent is at capacity: the second customer waits.
    const waiting = await ack(second.socket, 'conversation:start', {
      prechat: { ...prechat, name: 'Second' },
    });
    expect(waiting.data.conversation.status).toBe('queued');

    const text = await scrape(node);
    expect(sample(text, 'switchboard_assignments_total', { queue: 'Claims' })).toBe(1);
    expect(sample(text, 'switchboard_assignments_total', { queue: 'Billing' })).toBe(0);
    expect(sample(text, 'switchboard_routing_latency_seconds_count', { queue: 'Claims' })).toBe(1);
    const latency = sample(text, 'switchboard_routing_latency_seconds_sum', { queue: 'Claims' }) ?? NaN;
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(10);
    expect(sample(text, 'switchboard_routing_latency_seconds_bucket', { queue: 'Claims', le: '600' })).toBe(
      1,
    );
    expect(sample(text, 'switchboard_routing_latency_seconds_bucket', { queue: 'Claims', le: '+Inf' })).toBe(
      1,
    );

    expect(sample(text, 'switchboard_messages_total', { sender: 'customer' })).toBe(1);
    expect(sample(text, 'switchboard_messages_total', { sender: 'agent' })).toBe(1);
    expect(sample(text, 'switchboard_messages_total', { sender: 'system' })).toBe(0);

    expect(sample(text, 'switchboard_socket_connections', { namespace: '/visitor' })).toBe(2);
    expect(sample(text, 'switchboard_socket_connections', { namespace: '/agent' })).toBe(1);

    expect(sample(text, 'switchboard_queue_waiting', { queue: 'Claims' })).toBe(1);
    expect(sample(text, 'switchboard_queue_waiting', { queue: 'Billing' })).toBe(0);
    const longest = sample(text, 'switchboard_queue_longest_wait_seconds', { queue: 'Claims' }) ?? NaN;
    expect(longest).toBeGreaterThan(0);
    expect(longest).toBeLessThan(60);
    expect(sample(text, 'switchboard_queue_longest_wait_seconds', { queue: 'Billing' })).toBe(0);

    for (const state of ['waiting', 'active', 'delayed']) {
      expect(sample(text, 'switchboard_job_queue_jobs', { queue: 'routing', state })).toBeGreaterThanOrEqual(
        0,
      );
    }
    expect(sample(text, 'switchboard_job_queue_jobs', { queue: 'routing', state: 'failed' })).toBe(0);

    // Gauges are read at scrape time: a customer leaving shows on the next scrape.
    second.socket.disconnect();
    let visitors: number | undefined;
    for (let attempt = 0; attempt < 40 && visitors !== 1; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      visitors = sample(await scrape(node), 'switchboard_socket_connections', { namespace: '/visitor' });
    }
    expect(visitors).toBe(1);
  });
});
