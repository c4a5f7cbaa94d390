import { connectVisitor, http, login, PASSWORD, SITE_ORIGIN } from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';
import { ack } from './support/clients.js';
import { DemoSeedService } from '../src/demo/demo-seed.service.js';

describe('widget configuration and site settings', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;

  beforeAll(async () => {
    env = await TestEnvironment.create({ ...ADMIN_ENV, UPLOAD_MAX_BYTES: '5000000' });
    node = await env.startNode();
    org = await createOrganisation(node);
  });

  afterAll(() => env.close());

  const config = (siteKey: string, origin?: string) =>
    fetch(`${node.url}/widget/config/${siteKey}`, { headers: origin ? { origin } : {} });

  it('serves the public configuration with defaults, and CORS for an allowed origin', async () => {
    const response = await config(org.siteKey, SITE_ORIGIN);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    expect(response.headers.get('vary')).toMatch(/Origin/);
    expect(await response.json()).toEqual({
      siteKey: org.siteKey,
      name: 'Acme Insurance',
      locale: null,
      appearance: {
        primaryColor: expect.stringMatching(/^#[0-9a-f]{6}$/),
        title: 'Acme Insurance',
        position: 'right',
      },
      greeting: {},
      prechatFields: [
        { name: 'name', label: 'Name', type: 'text', required: true },
        { name: 'policyNumber', label: 'Policy number', type: 'text', required: true, maxLength: 20 },
        { name: 'claimType', label: 'Claim type', type: 'select', required: false, options: ['Car', 'Home'] },
      ],
      uploads: {
        maxBytes: 5000000,
        contentTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf'],
      },
      identityRequired: false,
    });
  });

  it('answers a request without Origin (a server) but without CORS headers', async () => {
    const response = await config(org.siteKey);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses another origin with 403 and no CORS headers, and an unknown key with 404', async () => {
    const other = await config(org.siteKey, 'https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await config('site_doesnotexist', SITE_ORIGIN)).status).toBe(404);
    expect((await config('x'.repeat(300), SITE_ORIGIN)).status).toBe(404);
  });

  it('shows what an admin sets: appearance, greetings, locale', async () => {
    const patch = await http(node, 'PATCH', `/admin/sites/${org.siteId}`, {
      token: org.adminToken,
      body: {
        locale: 'es',
        appearance: {
          primaryColor: '#aa3300',
          title: 'Siniestros',
          position: 'left',
          launcherLabel: 'Chatear',
        },
        greeting: { en: 'Hello!', es: '¡Hola!' },
      },
    });
    expect(patch.status).toBe(200);
    const body = await (await config(org.siteKey, SITE_ORIGIN)).json();
    expect(body).toMatchObject({
      locale: 'es',
      appearance: {
        primaryColor: '#aa3300',
        title: 'Siniestros',
        position: 'left',
        launcherLabel: 'Chatear',
      },
      greeting: { en: 'Hello!', es: '¡Hola!' },
    });
  });

  it.each([
    ['a colour that is not #rrggbb', { appearance: { primaryColor: 'red' } }],
    ['a position other than left or right', { appearance: { position: 'top' } }],
    ['an unknown appearance field', { appearance: { fontFamily: 'Comic Sans' } }],
    ['an unsupported locale', { locale: 'fr' }],
    ['a greeting of 501 characters', { greeting: { en: 'x'.repeat(501) } }],
    ['a greeting in another language', { greeting: { de: 'Hallo' } }],
    ['an appearance that is not an object', { appearance: 'blue' }],
  ])('refuses %s with 400 and changes nothing', async (_, body) => {
    const before = await env.query(`SELECT locale, appearance, greeting FROM site WHERE id = $1`, [
      org.siteId,
    ]);
    const result = await http(node, 'PATCH', `/admin/sites/${org.siteId}`, { token: org.adminToken, body });
    expect(result.status).toBe(400);
    expect(
      await env.query(`SELECT locale, appearance, greeting FROM site WHERE id = $1`, [org.siteId]),
    ).toEqual(before);
  });

  it('returns the identity secret only on creation and rotation, stores it sealed, and only admins rotate', async () => {
    const created = await http(node, 'POST', '/admin/sites', {
      token: org.adminToken,
      body: {
        name: 'Second brand',
        allowedOrigins: ['https://second.example'],
        defaultQueueId: org.queues.claims,
      },
    });
    expect(created.status).toBe(201);
    const secret = created.body.identitySecret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);

    const one = await http(node, 'GET', `/admin/sites/${created.body.id}`, { token: org.adminToken });
    const list = await http(node, 'GET', '/admin/sites', { token: org.adminToken });
    for (const text of [JSON.stringify(one.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/identitySecret/);
    }
    const [stored] = await env.query<{ identity_secret: string }>(
      `SELECT identity_secret FROM site WHERE id = $1`,
      [created.body.id],
    );
    expect(stored.identity_secret).toMatch(/^v1:/);
    expect(stored.identity_secret).not.toContain(secret);

    const supervisor = await http(node, 'POST', '/admin/staff', {
      token: org.adminToken,
      body: { email: 'sue@test.example', displayName: 'Sue', password: PASSWORD, role: 'supervisor' },
    });
    expect(supervisor.status).toBe(201);
    const supervisorToken = await login(node, 'sue@test.example', PASSWORD);
    for (const token of [org.agents[0].token, supervisorToken]) {
      expect(
        (await http(node, 'POST', `/admin/sites/${created.body.id}/identity-secret`, { token })).status,
      ).toBe(403);
    }
    expect((await http(node, 'POST', `/admin/sites/${created.body.id}/identity-secret`)).status).toBe(401);
    const rotated = await http(node, 'POST', `/admin/sites/${created.body.id}/identity-secret`, {
      token: org.adminToken,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ identitySecret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(rotated.body.identitySecret).not.toBe(secret);
  });

  it('answers the upload preflight for the conversation\u2019s own site origins only', async () => {
    const { socket } = await connectVisitor(node, org.siteKey);
    try {
      const started = await ack(socket, 'conversation:start', {
        prechat: { name: 'Pre', policyNumber: 'P-1' },
      });
      const path = `/widget/conversations/${started.data.conversation.id}/attachments`;
      const allowed = await fetch(node.url + path, {
        method: 'OPTIONS',
        headers: {
          origin: SITE_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-file-name',
        },
      });
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/X-File-Name/i);
      const refused = await fetch(node.url + path, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example' },
      });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      socket.disconnect();
    }
  });

  it('gives the demo site the claims form, its look and greetings in English and Spanish', async () => {
    const info = await node.app.get(DemoSeedService).seed();
    expect(info.created).toBe(true);
    const body = await (await config('demo-insurer')).json();
    expect(body.prechatFields.map((f: { name: string }) => f.name)).toEqual([
      'name',
      'email',
      'policyNumber',
      'claimType',
      'incidentDate',
    ]);
    expect(body.prechatFields[3]).toMatchObject({
      type: 'select',
      options: ['Car', 'Home', 'Travel', 'Health'],
    });
    expect(body.prechatFields[4]).toMatchObject({ type: 'date', required: false });
    expect(body.appearance).toEqual({
      primaryColor: '#0b5394',
      title: 'Acme Mutual claims',
      position: 'right',
      launcherLabel: 'Report a claim',
    });
    expect(body.greeting).toEqual({
      en: expect.stringMatching(/^Hello/),
      es: expect.stringMatching(/^¡Hola/),
    });
  });
});
