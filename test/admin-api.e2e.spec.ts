import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import {
  ack,
  ADMIN,
  connectAgent,
  connectError,
  connectVisitor,
  http,
  login,
  PASSWORD,
  type VisitorClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const BILLING_ORIGIN = 'https://billing.acme-insurance.example';
const PUBLIC_ROUTES = ['POST /auth/login', 'GET /health'];

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
interface Route {
  method: Method;
  path: string;
}

describe('admin, auth and transcript API', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let supervisorToken: string;
  let routes: Route[];
  const visitors: VisitorClient[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2 });
    const supervisor = await http(node, 'POST', '/admin/staff', {
      token: org.adminToken,
      body: { email: 'sue@test.example', displayName: 'Sue', password: PASSWORD, role: 'supervisor' },
    });
    expect(supervisor.status).toBe(201);
    supervisorToken = await login(node, 'sue@test.example', PASSWORD);
    const docs = await http(node, 'GET', '/api/docs.json');
    routes = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => ({ method: method as Method, path })),
    );
  });

  afterAll(async () => {
    visitors.splice(0).forEach((v) => v.disconnect());
    await env.close();
  });

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return row.n;
  }

  const routeName = (r: Route) => `${r.method.toUpperCase()} ${r.path}`;

  /** A concrete URL for a documented route, with real ids where the route takes one. */
  function urlFor(route: Route): string {
    const id = route.path.startsWith('/admin/queues')
      ? org.queues.claims
      : route.path.startsWith('/admin/staff')
        ? org.agents[1].id
        : route.path.startsWith('/admin/sites')
          ? org.siteId
          : randomUUID();
    return route.path.replace('{id}', id) + (route.path === '/transcripts/search' ? '?q=claim' : '');
  }

  /** A body that would be accepted, so that a refusal can only come from authentication or role. */
  function validBody(route: Route): unknown {
    if (route.method === 'get' || route.method === 'delete') return undefined;
    const suffix = randomUUID().slice(0, 8);
    if (route.path.startsWith('/admin/queues')) return { name: `Queue ${suffix}` };
    if (route.path === '/admin/staff') {
      return { email: `new-${suffix}@test.example`, displayName: 'New', password: PASSWORD, role: 'admin' };
    }
    if (route.path.startsWith('/admin/staff')) return { role: 'admin' };
    if (route.path.startsWith('/admin/sites')) {
      return {
        name: `Site ${suffix}`,
        allowedOrigins: ['https://evil.example'],
        defaultQueueId: org.queues.claims,
      };
    }
    return undefined;
  }

  async function adminTableCounts() {
    return {
      queues: await count('queue'),
      staff: await count('staff_user'),
      sites: await count('site'),
      admins: await count(`staff_user WHERE role = 'admin'`),
      origins: await count(`site WHERE 'https://evil.example' = ANY(allowed_origins)`),
    };
  }

  describe('health and docs', () => {
    it('GET /health answers 200 with both dependencies up, without a token', async () => {
      expect(await http(node, 'GET', '/health')).toEqual({
        status: 200,
        body: { status: 'ok', database: 'up', redis: 'up' },
      });
    });

    it('serves the OpenAPI document, listing the admin routes', async () => {
      const docs = await http(node, 'GET', '/api/docs.json');
      expect(docs.status).toBe(200);
      expect(docs.body.paths['/admin/queues']).toEqual(
        expect.objectContaining({ get: expect.any(Object), post: expect.any(Object) }),
      );
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining(['/admin/staff', '/admin/sites', '/auth/login', '/transcripts/search']),
      );
    });
  });

  describe('login', () => {
    it('signs in with the right password and returns a token and who it belongs to', async () => {
      const result = await http(node, 'POST', '/auth/login', {
        body: { email: ADMIN.email.toUpperCase(), password: ADMIN.password },
      });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        accessToken: expect.any(String),
        staff: { id: expect.any(String), email: ADMIN.email, displayName: 'Administrator', role: 'admin' },
      });
      expect(JSON.stringify(result.body)).not.toContain('argon2');
    });

    it('refuses a wrong password and an unknown email with the same 401, so accounts cannot be discovered', async () => {
      const wrongPassword = await http(node, 'POST', '/auth/login', {
        body: { email: ADMIN.email, password: 'not-the-password' },
      });
      const unknownEmail = await http(node, 'POST', '/auth/login', {
        body: { email: 'nobody@test.example', password: 'not-the-password' },
      });
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body.message).toBe('Wrong email or password');
      expect(unknownEmail).toEqual(wrongPassword);
      expect(JSON.stringify(wrongPassword.body)).not.toMatch(/accessToken/);
    });

    it.each([
      ['an empty body', {}],
      ['no password', { email: ADMIN.email }],
      ['an email that is not one', { email: 'admin', password: ADMIN.password }],
      ['an empty password', { email: ADMIN.email, password: '' }],
      ['a number as password', { email: ADMIN.email, password: 123456789012 }],
      ['a password of 257 characters', { email: ADMIN.email, password: 'p'.repeat(257) }],
      ['an unknown field', { email: ADMIN.email, password: ADMIN.password, role: 'admin' }],
      ['an array', [ADMIN.email, ADMIN.password]],
      ['malformed JSON', '{"email": '],
    ])('answers 400 to %s, without a token', async (_, body) => {
      const result = await http(node, 'POST', '/auth/login', { body });
      expect(result.status).toBe(400);
      expect(result.body.accessToken).toBeUndefined();
    });
  });

  describe('authentication and roles', () => {
    it('the OpenAPI document lists the routes checked below', () => {
      expect(routes.map(routeName)).toEqual(
        expect.arrayContaining([
          'GET /admin/queues',
          'POST /admin/queues',
          'PATCH /admin/queues/{id}',
          'DELETE /admin/queues/{id}',
          'GET /admin/staff',
          'POST /admin/staff',
          'PATCH /admin/staff/{id}',
          'GET /admin/sites',
          'POST /admin/sites',
          'PATCH /admin/sites/{id}',
          'GET /conversations/{id}/transcript',
          'GET /contacts/{id}/conversations',
          'GET /transcripts/search',
          'GET /auth/me',
        ]),
      );
    });

    it('every route but login and health answers 401 without a token, or with a bad one, and changes nothing', async () => {
      const before = await adminTableCounts();
      const protectedRoutes = routes.filter((r) => !PUBLIC_ROUTES.includes(routeName(r)));
      expect(protectedRoutes.length).toBeGreaterThanOrEqual(14);
      const seen: string[] = [];
      for (const route of protectedRoutes) {
        for (const token of [undefined, 'garbage', org.agents[0].token.slice(0, -4) + 'AAAA']) {
          const result = await http(node, route.method.toUpperCase(), urlFor(route), {
            token,
            body: validBody(route),
          });
          seen.push(`${routeName(route)} ${token ? 'bad token' : 'no token'} → ${result.status}`);
        }
      }
      expect(seen.filter((line) => !line.endsWith('→ 401'))).toEqual([]);
      expect(await adminTableCounts()).toEqual(before);
    });

    it('an agent gets 403 on every admin route, reading or writing, and changes nothing', async () => {
      const before = await adminTableCounts();
      const adminRoutes = routes.filter((r) => r.path.startsWith('/admin/'));
      const seen: Record<string, number> = {};
      for (const route of adminRoutes) {
        const result = await http(node, route.method.toUpperCase(), urlFor(route), {
          token: org.agents[0].token,
          body: validBody(route),
        });
        seen[routeName(route)] = result.status;
      }
      expect(seen).toEqual(Object.fromEntries(adminRoutes.map((r) => [routeName(r), 403])));
      expect(await adminTableCounts()).toEqual(before);
    });

    // Messaging-network accounts are IT's configuration; canned replies are read by all staff through
    // GET /canned-replies; the audit log and exports are for admins. All admin-only here, reading included.
    const adminOnlyReads = [
      '/admin/channel-accounts',
      '/admin/canned-replies',
      '/admin/audit',
      '/admin/export',
    ];

    it('a supervisor may read the admin routes (but the admin-only ones) and gets 403 on every write, and changes nothing', async () => {
      const before = await adminTableCounts();
      const adminRoutes = routes.filter((r) => r.path.startsWith('/admin/'));
      const seen: Record<string, number> = {};
      for (const route of adminRoutes) {
        const result = await http(node, route.method.toUpperCase(), urlFor(route), {
          token: supervisorToken,
          body: validBody(route),
        });
        seen[routeName(route)] = result.status;
      }
      expect(await adminTableCounts()).toEqual(before);
      expect(seen).toEqual(
        Object.fromEntries(
          adminRoutes.map((r) => [
            routeName(r),
            r.method === 'get' && !adminOnlyReads.some((prefix) => r.path.startsWith(prefix)) ? 200 : 403,
          ]),
        ),
      );
    });

    it('lists every staff member, the first admin included, without password hashes', async () => {
      const list = await http(node, 'GET', '/admin/staff', { token: org.adminToken });
      expect({ status: list.status, message: list.body.message }).toEqual({
        status: 200,
        message: undefined,
      });
      expect(list.body.map((s: any) => s.email)).toEqual(
        expect.arrayContaining([
          ADMIN.email,
          'sue@test.example',
          'agent0@test.example',
          'agent1@test.example',
        ]),
      );
      expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash|password_hash/);
      const [admin] = await env.query<{ id: string }>(`SELECT id FROM staff_user WHERE email = $1`, [
        ADMIN.email,
      ]);
      const one = await http(node, 'GET', `/admin/staff/${admin.id}`, { token: org.adminToken });
      expect({ status: one.status, email: one.body.email }).toEqual({ status: 200, email: ADMIN.email });
    });

    it('a disabled account is locked out at once: its token, its login and its console', async () => {
      const created = await http(node, 'POST', '/admin/staff', {
        token: org.adminToken,
        body: { email: 'leaver@test.example', displayName: 'Leaver', password: PASSWORD, role: 'agent' },
      });
      const token = await login(node, 'leaver@test.example', PASSWORD);
      expect((await http(node, 'GET', '/auth/me', { token })).status).toBe(200);
      // A console already connected is closed by the server, not left running on the old account.
      const { socket: open } = await connectAgent(node, token);
      const closed = new Promise<string>((resolve) => open.once('disconnect', (reason) => resolve(reason)));

      const disabled = await http(node, 'PATCH', `/admin/staff/${created.body.id}`, {
        token: org.adminToken,
        body: { active: false },
      });
      expect(disabled.status).toBe(200);
      expect(disabled.body.active).toBe(false);
      expect(await closed).toBe('io server disconnect');
      expect((await http(node, 'GET', '/auth/me', { token })).status).toBe(401);
      expect(
        (
          await http(node, 'POST', '/auth/login', {
            body: { email: 'leaver@test.example', password: PASSWORD },
          })
        ).status,
      ).toBe(401);
      const socket = io(`${node.url}/agent`, {
        auth: { token },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      try {
        expect((await connectError(socket)).data?.code).toBe('unauthorized');
      } finally {
        socket.disconnect();
      }
    });
  });

  describe('role changes', () => {
    it('a demoted supervisor loses the live feed at once and cannot reconnect to it', async () => {
      const created = await http(node, 'POST', '/admin/staff', {
        token: org.adminToken,
        body: {
          email: 'demoted@test.example',
          displayName: 'Demoted',
          password: PASSWORD,
          role: 'supervisor',
        },
      });
      const token = await login(node, 'demoted@test.example', PASSWORD);
      const feed = io(`${node.url}/supervisor`, {
        auth: { token },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      try {
        await new Promise<void>((resolve, reject) => {
          feed.once('connect', () => resolve());
          feed.once('connect_error', reject);
        });
        const closed = new Promise<string>((resolve) => feed.once('disconnect', (reason) => resolve(reason)));
        const demoted = await http(node, 'PATCH', `/admin/staff/${created.body.id}`, {
          token: org.adminToken,
          body: { role: 'agent' },
        });
        expect(demoted.status).toBe(200);
        expect(await closed).toBe('io server disconnect');
      } finally {
        feed.disconnect();
      }
      const again = io(`${node.url}/supervisor`, {
        auth: { token },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      try {
        expect((await connectError(again)).data?.code).toBe('forbidden');
      } finally {
        again.disconnect();
      }
    });
  });

  describe('queues', () => {
    it.each([
      ['an unknown strategy', { name: 'Round robin', strategy: 'random' }],
      ['an unknown field', { name: 'Colourful', color: 'red' }],
      ['no name', { strategy: 'least_busy' }],
      ['an empty name', { name: '' }],
      ['a skill that is not a lower-case word', { name: 'Skilled', requiredSkills: ['Claims Team'] }],
      ['an SLA of 0 seconds', { name: 'Instant', slaTargetSeconds: 0 }],
      ['a text priority', { name: 'Urgent', priority: 'high' }],
    ])('refuses a queue with %s with 400 and creates nothing', async (_, body) => {
      const before = await count('queue');
      const result = await http(node, 'POST', '/admin/queues', { token: org.adminToken, body });
      expect(result.status).toBe(400);
      expect(result.body.message).toEqual(expect.anything());
      expect(await count('queue')).toBe(before);
    });

    it('refuses a second queue with the same name with 409', async () => {
      const result = await http(node, 'POST', '/admin/queues', {
        token: org.adminToken,
        body: { name: 'Claims', strategy: 'least_busy' },
      });
      expect(result.status).toBe(409);
      expect(result.body.message).toBe('A queue named Claims exists');
      expect(await count(`queue WHERE name = 'Claims'`)).toBe(1);
      const [claims] = await env.query(`SELECT strategy FROM queue WHERE name = 'Claims'`);
      expect(claims.strategy).toBe('longest_idle');
    });

    it('answers simultaneous creations of one queue name with one 201 and 409s, never a 500', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          http(node, 'POST', '/admin/queues', { token: org.adminToken, body: { name: 'Complaints' } }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(await count(`queue WHERE name = 'Complaints'`)).toBe(1);
    });
  });

  describe('staff', () => {
    const newAgent = (overrides: Record<string, unknown> = {}) => ({
      email: 'carla@test.example',
      displayName: 'Carla',
      password: PASSWORD,
      role: 'agent',
      ...overrides,
    });

    it('refuses a password shorter than 12 characters with 400 and creates no account', async () => {
      const result = await http(node, 'POST', '/admin/staff', {
        token: org.adminToken,
        body: newAgent({ password: 'eleven-char' }),
      });
      expect(result.status).toBe(400);
      expect(JSON.stringify(result.body.message)).toMatch(/password/);
      expect(await count(`staff_user WHERE email = 'carla@test.example'`)).toBe(0);
    });

    it.each([
      ['an unknown role', { role: 'owner' }],
      ['a skill level of 9', { skills: { claims: 9 } }],
      ['a negative capacity', { capacity: -1 }],
      ['a queue id that is not a uuid', { queueIds: ['claims'] }],
      ['an unknown field', { isSuperuser: true }],
    ])('refuses staff with %s with 400 and creates no account', async (_, overrides) => {
      const result = await http(node, 'POST', '/admin/staff', {
        token: org.adminToken,
        body: newAgent(overrides),
      });
      expect(result.status).toBe(400);
      expect(await count(`staff_user WHERE email = 'carla@test.example'`)).toBe(0);
    });

    it('refuses staff in a queue that does not exist with 404, and creates no account that could sign in', async () => {
      const result = await http(node, 'POST', '/admin/staff', {
        token: org.adminToken,
        body: newAgent({ queueIds: [org.queues.claims, randomUUID()] }),
      });
      expect(result.status).toBe(404);
      expect(await count(`staff_user WHERE email = 'carla@test.example'`)).toBe(0);
      expect(
        (
          await http(node, 'POST', '/auth/login', {
            body: { email: 'carla@test.example', password: PASSWORD },
          })
        ).status,
      ).toBe(401);
    });

    it('refuses a second account for the same email, whatever its case, with 409', async () => {
      const result = await http(node, 'POST', '/admin/staff', {
        token: org.adminToken,
        body: newAgent({ email: 'AGENT0@Test.Example' }),
      });
      expect(result.status).toBe(409);
      expect(await count(`staff_user WHERE email = 'agent0@test.example'`)).toBe(1);
      // and the original keeps its password
      await login(node, 'agent0@test.example', PASSWORD);
    });

    it('answers simultaneous creations of one account with one 201 and 409s, never a 500', async () => {
      const results = await Promise.all(
        Array.from({ length: 3 }, () =>
          http(node, 'POST', '/admin/staff', {
            token: org.adminToken,
            body: newAgent({ email: 'dup@test.example' }),
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(await count(`staff_user WHERE email = 'dup@test.example'`)).toBe(1);
    });
  });

  describe('sites', () => {
    it.each([
      ['a path', 'https://www.acme-insurance.example/chat'],
      ['upper case', 'https://WWW.Acme-Insurance.example'],
      ['no scheme', 'www.acme-insurance.example'],
      ['a wildcard', '*'],
      ['another scheme', 'javascript://acme'],
    ])('refuses an allowed origin with %s with 400 and creates no site', async (_, origin) => {
      const before = await count('site');
      const result = await http(node, 'POST', '/admin/sites', {
        token: org.adminToken,
        body: { name: 'Bad origin', allowedOrigins: [origin], defaultQueueId: org.queues.claims },
      });
      expect(result.status).toBe(400);
      expect(JSON.stringify(result.body.message)).toMatch(/origin/);
      expect(await count('site')).toBe(before);
    });

    it('refuses a site whose default queue does not exist with 404 and creates no site', async () => {
      const before = await count('site');
      const result = await http(node, 'POST', '/admin/sites', {
        token: org.adminToken,
        body: { name: 'Orphan', allowedOrigins: ['https://orphan.example'], defaultQueueId: randomUUID() },
      });
      expect(result.status).toBe(404);
      expect(await count('site')).toBe(before);
    });

    it('refuses a pre-chat form with an unknown field type with 400', async () => {
      const before = await count('site');
      const result = await http(node, 'POST', '/admin/sites', {
        token: org.adminToken,
        body: {
          name: 'Bad form',
          allowedOrigins: ['https://form.example'],
          defaultQueueId: org.queues.claims,
          prechatFields: [{ name: 'ssn', label: 'SSN', type: 'password', required: true }],
        },
      });
      expect(result.status).toBe(400);
      expect(await count('site')).toBe(before);
    });
  });

  describe('transcripts', () => {
    let billingConversation: string;
    let billingContact: string;
    let claimsConversation: string;

    async function startChat(siteKey: string, origin: string | undefined, start: unknown): Promise<string> {
      const { socket } = await connectVisitor(node, siteKey, origin ? { origin } : {});
      visitors.push(socket);
      const started = await ack(socket, 'conversation:start', start);
      if (!started.ok) throw new Error(JSON.stringify(started));
      return started.data.conversation.id;
    }

    beforeAll(async () => {
      const site = await http(node, 'POST', '/admin/sites', {
        token: org.adminToken,
        body: { name: 'Acme billing', allowedOrigins: [BILLING_ORIGIN], defaultQueueId: org.queues.billing },
      });
      expect(site.status).toBe(201);
      billingConversation = await startChat(site.body.publicKey, BILLING_ORIGIN, {
        message: { clientId: 'b-1', body: 'Please refund invoice 4471' },
      });
      claimsConversation = await startChat(org.siteKey, undefined, {
        prechat: { name: 'Walter', policyNumber: 'POL-9' },
        message: { clientId: 'c-1', body: 'My windscreen is cracked' },
      });
      const [row] = await env.query<{ contact_id: string; queue_id: string }>(
        `SELECT contact_id, queue_id FROM conversation WHERE id = $1`,
        [billingConversation],
      );
      expect(row.queue_id).toBe(org.queues.billing);
      billingContact = row.contact_id;
    });

    it('refuses an agent the transcript and history of a customer outside their queues, never served by them', async () => {
      const ben = org.agents[1].token; // Claims only
      const transcript = await http(node, 'GET', `/conversations/${billingConversation}/transcript`, {
        token: ben,
      });
      expect(transcript.status).toBe(403);
      expect(JSON.stringify(transcript.body)).not.toContain('4471');
      const history = await http(node, 'GET', `/contacts/${billingContact}/conversations`, { token: ben });
      expect(history.status).toBe(403);
      expect(JSON.stringify(history.body)).not.toContain('4471');
    });

    it('lets a member of the queue, a supervisor and an admin read it', async () => {
      for (const token of [org.agents[0].token, supervisorToken, org.adminToken]) {
        const transcript = await http(node, 'GET', `/conversations/${billingConversation}/transcript`, {
          token,
        });
        expect(transcript.status).toBe(200);
        expect(transcript.body.messages.map((m: any) => m.body)).toEqual(['Please refund invoice 4471']);
      }
    });

    it('answers 404 for a conversation that does not exist and 400 for an id that is not one', async () => {
      expect(
        (await http(node, 'GET', `/conversations/${randomUUID()}/transcript`, { token: supervisorToken }))
          .status,
      ).toBe(404);
      expect(
        (await http(node, 'GET', `/conversations/not-an-id/transcript`, { token: supervisorToken })).status,
      ).toBe(400);
    });

    it("limits an agent's search to their scope; supervisors search everything", async () => {
      const search = (token: string, q: string) =>
        http(node, 'GET', `/transcripts/search?q=${encodeURIComponent(q)}`, { token });
      const ben = org.agents[1].token;

      const outside = await search(ben, 'refund');
      expect(outside).toEqual({ status: 200, body: [] });
      const inside = await search(ben, 'windscreen');
      expect(inside.status).toBe(200);
      expect(inside.body).toEqual([expect.objectContaining({ conversationId: claimsConversation, seq: 1 })]);
      // One query over both: only the hit in scope comes back.
      const both = await search(ben, 'refund or windscreen');
      expect(both.body.map((h: any) => h.conversationId)).toEqual([claimsConversation]);

      const supervisor = await search(supervisorToken, 'refund');
      expect(supervisor.body).toEqual([expect.objectContaining({ conversationId: billingConversation })]);
      const member = await search(org.agents[0].token, 'refund');
      expect(member.body).toEqual([expect.objectContaining({ conversationId: billingConversation })]);
    });

    it('refuses a search without a query or with an oversized limit', async () => {
      expect((await http(node, 'GET', '/transcripts/search', { token: supervisorToken })).status).toBe(400);
      expect(
        (await http(node, 'GET', '/transcripts/search?q=x&limit=1000', { token: supervisorToken })).status,
      ).toBe(400);
    });
  });
});

describe('login rate limit', () => {
  let env: TestEnvironment;
  let node: TestNode;

  beforeAll(async () => {
    env = await TestEnvironment.create({ ...ADMIN_ENV, RATE_LIMIT_FACTOR: '1' });
    node = await env.startNode();
  });

  afterAll(() => env.close());

  it('allows 10 attempts a minute for one account, then answers 429 even to the right password', async () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const result = await http(node, 'POST', '/auth/login', {
        body: { email: ADMIN.email, password: `guess-${attempt}` },
      });
      expect({ attempt, status: result.status }).toEqual({ attempt, status: 401 });
    }
    const eleventh = await http(node, 'POST', '/auth/login', {
      body: { email: ADMIN.email, password: 'guess-11' },
    });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.message).toMatch(/^Too many requests; try again in \d+ s$/);

    const right = await http(node, 'POST', '/auth/login', {
      body: { email: ADMIN.email, password: ADMIN.password },
    });
    expect(right.status).toBe(429);
    expect(right.body.accessToken).toBeUndefined();
    // The same email in another case is the same account, and the same budget.
    expect(
      (
        await http(node, 'POST', '/auth/login', {
          body: { email: ADMIN.email.toUpperCase(), password: ADMIN.password },
        })
      ).status,
    ).toBe(429);
  });

  it('does not lock out other accounts', async () => {
    const other = await http(node, 'POST', '/auth/login', {
      body: { email: 'someone-else@test.example', password: 'whatever-123' },
    });
    expect(other.status).toBe(401);
  });
});
