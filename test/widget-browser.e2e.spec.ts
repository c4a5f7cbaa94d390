import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { startDemoSite, type DemoSite } from '../src/demo/demo-site.js';
import { identitySignature } from '../src/sites/domain/identity.js';
import { WEB_ROOT } from '../src/web/web-apps.js';
import { collectPageErrors, launchBrowser, type TestBrowser } from './support/browser.js';
import { ack, collect, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const CLAIMS_FORM = [
  { name: 'name', label: 'Your name', type: 'text', required: true, maxLength: 80 },
  { name: 'email', label: 'Email', type: 'email', required: true },
  { name: 'policyNumber', label: 'Policy number', type: 'text', required: true, maxLength: 20 },
  {
    name: 'claimType',
    label: 'Claim type',
    type: 'select',
    required: true,
    options: ['Car', 'Home', 'Travel', 'Health'],
  },
  { name: 'incidentDate', label: 'Date of the incident', type: 'date', required: false },
];

/** With WIDGET_SCREENSHOTS=<dir> (e.g. docs/img), the main states are saved there as PNG files. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.WIDGET_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, `widget-${name}.png`) });
}

/** Page noise that is not a fault of the page: requests refused on purpose, sockets cut by going offline. */
const NETWORK_NOISE = /Failed to load resource|WebSocket connection to|net::ERR_INTERNET_DISCONNECTED/;

/**
 * The website chat widget in headless Chromium, on an insurer's page served from another origin than the
 * API under the page's own strict CSP, with the agent played by a socket.io client.
 */
describe('website chat widget in a browser', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let browser: TestBrowser;
  let site: DemoSite;
  let closedSite: DemoSite;
  let agent: AgentClient;
  let identitySecret: string;
  let storageDir: string;
  const contexts: BrowserContext[] = [];
  const pageErrors = new Map<Page, string[]>();

  const widget = (page: Page) => page.locator('switchboard-chat');
  const launcher = (page: Page) => page.locator('switchboard-chat .launcher');
  const panel = (page: Page) => page.locator('switchboard-chat .panel');
  const bubbles = (page: Page, text: string) => page.locator('switchboard-chat .bubble', { hasText: text });

  async function openPage(
    options: Parameters<TestBrowser['newContext']>[0] = {},
    url = site.url,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ acceptDownloads: true, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    pageErrors.set(page, collectPageErrors(page));
    await page.goto(url);
    await launcher(page).waitFor({ state: 'visible', timeout: 15_000 });
    return { context, page };
  }

  async function fillClaimForm(
    page: Page,
    values: { name: string; email: string; policy: string; type: string },
  ): Promise<void> {
    await page.locator('#sb-prechat-name').fill(values.name);
    await page.locator('#sb-prechat-email').fill(values.email);
    await page.locator('#sb-prechat-policyNumber').fill(values.policy);
    await page.locator('#sb-prechat-claimType').selectOption(values.type);
  }

  /** A customer on the page with a chat the agent has taken; returns the conversation id. */
  async function startChat(page: Page, name: string): Promise<string> {
    await launcher(page).click();
    await fillClaimForm(page, { name, email: 'maria@example.com', policy: 'POL-1', type: 'Car' });
    const start = page.getByRole('button', { name: 'Start chat', disabled: false });
    // The wait below measures routing, not how long the page took to connect (it reconnects after `identify`).
    await start.waitFor({ timeout: 15_000 });
    const assigned = nextEvent<any>(
      agent,
      'conversation:assigned',
      (a) => a.conversation.attributes.name === name,
      15_000,
    );
    await start.click();
    const assignment = await assigned.catch(async (error: Error) => {
      throw new Error(`${error.message}; ${JSON.stringify(await routingState(page, name))}`);
    });
    await page.getByText(`Agent 0 joined the chat.`).waitFor();
    return assignment.conversation.id as string;
  }

  /** What the widget shows and the database holds when a chat was not assigned: for the failure message. */
  async function routingState(page: Page, name: string) {
    return {
      shown: await page
        .locator('switchboard-chat [role=alert], switchboard-chat .notice, switchboard-chat .banner')
        .allTextContents()
        .catch((e: Error) => e.message),
      conversations: await env.query(
        `SELECT status, queue_id, agent_id, offline_reason FROM conversation WHERE attributes->>'name' = $1`,
        [name],
      ),
      agents: await env.query(`SELECT staff_id, availability, connected FROM agent_state`),
      open: await env.query(
        `SELECT agent_id, channel, count(*)::int AS n FROM conversation WHERE status <> 'closed' GROUP BY 1, 2`,
      ),
    };
  }

  async function closeFromAgent(conversationId: string): Promise<void> {
    expect((await ack(agent, 'conversation:close', { conversationId, disposition: 'resolved' })).ok).toBe(
      true,
    );
  }

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'sb-widget-files-'));
    env = await TestEnvironment.create({ ...ADMIN_ENV, STORAGE_DIR: storageDir });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 1, capacity: 5 });
    site = await startDemoSite({
      apiOrigin: node.url,
      port: 0,
      host: '127.0.0.1',
      siteKey: org.siteKey,
      publicHost: '127.0.0.1',
    });
    const patched = await http(node, 'PATCH', `/admin/sites/${org.siteId}`, {
      token: org.adminToken,
      body: {
        allowedOrigins: [new URL(site.url).origin],
        prechatFields: CLAIMS_FORM,
        appearance: { primaryColor: '#ffd166', title: 'Acme claims', position: 'right' },
        greeting: { en: 'Hello! Tell us what happened.', es: '¡Hola! Cuéntenos qué ha pasado.' },
      },
    });
    expect(patched.status).toBe(200);
    identitySecret = (
      await http(node, 'POST', `/admin/sites/${org.siteId}/identity-secret`, { token: org.adminToken })
    ).body.identitySecret;

    // A second site whose queue has nobody to serve it: the widget offers the message form.
    const night = await http(node, 'POST', '/admin/queues', {
      token: org.adminToken,
      body: { name: 'Night', strategy: 'longest_idle', offlineWhenNoAgents: true },
    });
    expect(night.status).toBe(201);
    const second = await http(node, 'POST', '/admin/sites', {
      token: org.adminToken,
      body: {
        name: 'Acme after hours',
        allowedOrigins: ['http://127.0.0.1:1'],
        defaultQueueId: night.body.id,
      },
    });
    expect(second.status).toBe(201);
    closedSite = await startDemoSite({
      apiOrigin: node.url,
      port: 0,
      host: '127.0.0.1',
      siteKey: second.body.publicKey,
      publicHost: '127.0.0.1',
    });
    expect(
      (
        await http(node, 'PATCH', `/admin/sites/${second.body.id}`, {
          token: org.adminToken,
          body: { allowedOrigins: [new URL(closedSite.url).origin] },
        })
      ).status,
    ).toBe(200);

    ({ socket: agent } = await connectAgent(node, org.agents[0].token));
    expect((await ack(agent, 'availability:set', { availability: 'available' })).ok).toBe(true);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    await browser?.close();
    agent?.disconnect();
    await site?.close();
    await closedSite?.close();
    await env?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  afterEach(() => {
    for (const [page, errors] of pageErrors)
      expect({ page: page.url(), errors: errors.filter((e) => !NETWORK_NOISE.test(e)) }).toEqual({
        page: page.url(),
        errors: [],
      });
    pageErrors.clear();
  });

  it('keeps the gzipped bundle, socket client included, within 40 KB and reports its size', () => {
    const code = readFileSync(join(WEB_ROOT, 'chat', 'widget.js'));
    const report = JSON.parse(readFileSync(join(WEB_ROOT, 'chat', 'size.json'), 'utf8'));
    const gzipBytes = gzipSync(code, { level: 9 }).length;
    expect(report.gzipBytes).toBe(gzipBytes);
    expect(gzipBytes).toBeLessThanOrEqual(40 * 1024);
  });

  it('serves the demo page under a strict CSP of its own, loading the widget from the API origin', async () => {
    const response = await fetch(site.url);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src ${node.url}`);
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain(`<script async src="${node.url}/widget.js" data-site="${org.siteKey}"></script>`);
    expect(html).toContain('Acme Insurance — report a claim');
  });

  it('renders from one script tag in a shadow root that a hostile host stylesheet cannot break', async () => {
    const { page } = await openPage();
    expect(await widget(page).evaluate((el) => el.shadowRoot !== null)).toBe(true);
    // The host page's own rules, as aggressive as a careless theme can be (a constructed sheet: the CSP allows it).
    await page.evaluate(() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(`
        body * { display: none !important; visibility: hidden !important; opacity: 0 !important; position: static !important;
                 font-size: 3px !important; color: red !important; width: 5px !important; height: 5px !important; }
        button, div, p, form, input, textarea { display: none !important; background: lime !important; }
        .launcher, .panel, .bubble { display: none !important; }
        switchboard-chat { transform: scale(0.1) !important; }`);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    });
    await expect(launcher(page).isVisible()).resolves.toBe(true);
    const look = await launcher(page).evaluate((el) => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        fontSize: style.fontSize,
        right: window.innerWidth - box.right,
        bottom: window.innerHeight - box.bottom,
        height: box.height,
      };
    });
    expect(look).toMatchObject({ fontSize: '15px' });
    expect(look.right).toBeGreaterThanOrEqual(10);
    expect(look.right).toBeLessThanOrEqual(30);
    expect(look.height).toBeGreaterThan(30);
    await launcher(page).click();
    await expect(panel(page).isVisible()).resolves.toBe(true);
    await expect(page.locator('switchboard-chat #sb-prechat-name').isVisible()).resolves.toBe(true);
    // The site's colour is light: the text on it turns dark to keep a 4.5:1 contrast.
    const header = await page
      .locator('switchboard-chat .header')
      .evaluate((el) => getComputedStyle(el).color);
    expect(header).toBe('rgb(17, 17, 17)');
  });

  it('lets the host page open and close it, pre-fill the form and listen to its events', async () => {
    const { page } = await openPage();
    await page.evaluate(() => {
      const api = (window as any).Switchboard;
      (window as any).seen = [];
      for (const event of ['open', 'close']) api.on(event, () => (window as any).seen.push(event));
      api.setAttributes({ name: 'Ada Host', policyNumber: 'POL-5' });
      api.open();
    });
    await panel(page).waitFor();
    await page.waitForFunction(
      () =>
        document
          .querySelector('switchboard-chat')
          ?.shadowRoot?.querySelector<HTMLInputElement>('#sb-prechat-name')?.value === 'Ada Host',
    );
    expect(await page.locator('#sb-prechat-policyNumber').inputValue()).toBe('POL-5');
    await page.evaluate(() => (window as any).Switchboard.close());
    await panel(page).waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => (window as any).seen)).toEqual(['open', 'close']);
  });

  it('validates the pre-chat form in the browser, then shows the server refusing an answer', async () => {
    const { page } = await openPage();
    await launcher(page).click();
    await page.getByRole('button', { name: 'Start chat' }).click();
    await expect(page.getByText('Please fill in Your name.').isVisible()).resolves.toBe(true);
    await expect(page.getByText('Please choose Claim type.').isVisible()).resolves.toBe(true);
    // Focus goes to the first field in error.
    expect(await widget(page).evaluate((el) => el.shadowRoot?.activeElement?.id)).toBe('sb-prechat-name');
    await fillClaimForm(page, { name: 'Maria', email: 'not-an-email', policy: 'POL-9', type: 'Travel' });
    await page.getByRole('button', { name: 'Start chat' }).click();
    await expect(page.getByText('Email must be an email address.').isVisible()).resolves.toBe(true);
    await screenshot(page, 'prechat');
    expect(await page.locator('#sb-prechat-email').getAttribute('aria-invalid')).toBe('true');
    expect(await widget(page).evaluate((el) => el.shadowRoot?.activeElement?.id)).toBe('sb-prechat-email');

    // The site drops "Travel" while the form is open: the browser cannot know, the server refuses it.
    const fields = CLAIMS_FORM.map((f) =>
      f.name === 'claimType' ? { ...f, options: ['Car', 'Home', 'Health'] } : f,
    );
    await http(node, 'PATCH', `/admin/sites/${org.siteId}`, {
      token: org.adminToken,
      body: { prechatFields: fields },
    });
    // A connection opened after the change works with the new form.
    await page.context().setOffline(true);
    await page.getByText('You are offline.', { exact: false }).waitFor();
    await page.context().setOffline(false);
    await page.getByText('You are offline.', { exact: false }).waitFor({ state: 'detached' });
    await page.locator('#sb-prechat-email').fill('maria@example.com');
    await page.getByRole('button', { name: 'Start chat' }).click();
    await page.getByRole('alert').filter({ hasText: 'Claim type must be one of' }).waitFor();
    await http(node, 'PATCH', `/admin/sites/${org.siteId}`, {
      token: org.adminToken,
      body: { prechatFields: CLAIMS_FORM },
    });
    const started = await env.query(
      `SELECT count(*)::int AS n FROM conversation WHERE attributes->>'policyNumber' = 'POL-9'`,
    );
    expect(started[0].n).toBe(0);
  });

  describe('a chat with an agent', () => {
    let context: BrowserContext;
    let page: Page;
    let conversationId: string;
    const count = async (body: string) =>
      (
        await env.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM message WHERE conversation_id = $1 AND body = $2`,
          [conversationId, body],
        )
      )[0].n;

    it('shows the queue position while waiting, then the agent joining', async () => {
      ({ context, page } = await openPage());
      // From the next load on, the test can hide the tab (headless Chromium never does by itself).
      await context.addInitScript(() => {
        const hidden = () => (window as unknown as { tabHidden?: boolean }).tabHidden === true;
        Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: hidden });
        Object.defineProperty(Document.prototype, 'visibilityState', {
          configurable: true,
          get: () => (hidden() ? 'hidden' : 'visible'),
        });
      });
      expect((await ack(agent, 'availability:set', { availability: 'away' })).ok).toBe(true);
      await launcher(page).click();
      await fillClaimForm(page, {
        name: 'Maria Lopez',
        email: 'maria@example.com',
        policy: 'POL-42',
        type: 'Car',
      });
      await page.getByRole('button', { name: 'Start chat' }).click();
      await page.getByText('You are number 1 in the queue.').waitFor();
      const assigned = nextEvent<any>(
        agent,
        'conversation:assigned',
        (a) => a.conversation.attributes.policyNumber === 'POL-42',
        10_000,
      );
      expect((await ack(agent, 'availability:set', { availability: 'available' })).ok).toBe(true);
      conversationId = (await assigned).conversation.id;
      await page.getByText('Agent 0 joined the chat.').waitFor();
      await page.locator('switchboard-chat .header .agent', { hasText: 'Agent 0' }).waitFor();
      await page.locator('switchboard-chat [data-testid=queue-status]').waitFor({ state: 'detached' });
    });

    it('carries typing both ways, delivery and read marks, and announces answers in the live region', async () => {
      const typing = nextEvent<any>(
        agent,
        'typing',
        (t) => t.conversationId === conversationId && t.isTyping,
      );
      await page.locator('#sb-composer').pressSequentially('My car', { delay: 20 });
      await typing;
      const received = nextEvent<any>(
        agent,
        'message',
        (m) => m.conversationId === conversationId && m.body === 'My car was hit at the lights',
      );
      await page.locator('#sb-composer').pressSequentially(' was hit at the lights');
      await page.locator('#sb-composer').press('Enter');
      const message = await received;
      const mine = page.locator('switchboard-chat .msg.customer', {
        hasText: 'My car was hit at the lights',
      });
      await mine.locator('[data-testid=receipt]', { hasText: 'Delivered' }).waitFor();
      // A locale-aware time next to it.
      expect(await mine.locator('time').getAttribute('datetime')).toBe(message.createdAt);
      expect((await ack(agent, 'message:read', { conversationId, seq: message.seq })).ok).toBe(true);
      await mine.locator('[data-testid=receipt]', { hasText: 'Read' }).waitFor();

      expect((await ack(agent, 'typing', { conversationId, isTyping: true })).ok).toBe(true);
      await page.getByText('Agent 0 is typing…').waitFor();
      const readByCustomer = nextEvent<any>(
        agent,
        'read',
        (r) => r.conversationId === conversationId && r.by === 'customer',
      );
      expect(
        (
          await ack(agent, 'message:send', {
            conversationId,
            clientId: 'a-1',
            body: 'Sorry to hear that. Is anyone hurt?',
          })
        ).ok,
      ).toBe(true);
      await bubbles(page, 'Is anyone hurt?').waitFor();
      await page.getByText('Agent 0 is typing…').waitFor({ state: 'detached' });
      await readByCustomer;
      await page
        .locator('switchboard-chat [aria-live=polite]', {
          hasText: 'New message from Agent 0: Sorry to hear that. Is anyone hurt?',
        })
        .waitFor();
    });

    it('shows HTML in a message as inert text', async () => {
      const payload = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b><script>alert(1)</script>';
      let dialogs = 0;
      page.on('dialog', (d) => {
        dialogs += 1;
        void d.dismiss();
      });
      expect(
        (await ack(agent, 'message:send', { conversationId, clientId: 'a-xss', body: payload })).ok,
      ).toBe(true);
      const bubble = bubbles(page, '<b>bold</b>');
      await bubble.waitFor();
      expect(await bubble.evaluate((el) => el.querySelectorAll('b, img, script').length)).toBe(0);
      expect(await bubble.textContent()).toContain(payload);
      expect(await page.title()).not.toBe('pwned');
      expect(dialogs).toBe(0);
    });

    it('uploads a photo with a preview; the agent can open it, a stranger cannot', async () => {
      // The browser refuses a type the site does not take before uploading anything.
      await page
        .locator('switchboard-chat input[type=file]')
        .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      await page.getByText('notes.txt: only images (JPEG, PNG, WebP, GIF) and PDFs can be sent.').waitFor();

      await page
        .locator('switchboard-chat input[type=file]')
        .setInputFiles({ name: 'damage.png', mimeType: 'image/png', buffer: PNG });
      const preview = page.locator('switchboard-chat .upload img');
      await preview.waitFor();
      expect(await preview.getAttribute('src')).toMatch(/^blob:/);
      await page
        .locator('switchboard-chat .upload [role=status]', { hasText: 'damage.png is ready to send' })
        .waitFor({ state: 'attached' });
      const received = nextEvent<any>(
        agent,
        'message',
        (m) => m.conversationId === conversationId && m.attachments.length === 1,
      );
      await page.locator('#sb-composer').fill('Photo of the bumper');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const message = await received;
      expect(message.attachments[0]).toMatchObject({
        fileName: 'damage.png',
        contentType: 'image/png',
        size: PNG.length,
      });

      const url = new URL(message.attachments[0].url, node.url);
      const opened = await fetch(url);
      expect(opened.status).toBe(200);
      expect(Buffer.from(await opened.arrayBuffer())).toEqual(PNG);
      const unsigned = new URL(url);
      unsigned.search = '';
      expect((await fetch(unsigned)).status).toBe(403);
      const forged = new URL(url);
      forged.searchParams.set('signature', 'f'.repeat(64));
      expect((await fetch(forged)).status).toBe(403);

      // Shown inline in the conversation, loaded cross-origin under the page's CSP.
      const inline = page.locator('switchboard-chat .msg.customer .bubble img[alt="damage.png"]');
      await inline.waitFor();
      await page.waitForFunction(
        () => {
          const img = document
            .querySelector('switchboard-chat')
            ?.shadowRoot?.querySelector<HTMLImageElement>('.bubble img[alt="damage.png"]');
          return img?.complete && img.naturalWidth > 0;
        },
        undefined,
        { timeout: 8_000 },
      );
      await preview.waitFor({ state: 'detached' });
      await screenshot(page, 'chat');
    });

    it('shows the progress of a slow upload, and a file removed before sending is not sent', async () => {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 256 * 1024,
      });
      const large = Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]);
      await page
        .locator('switchboard-chat input[type=file]')
        .setInputFiles({ name: 'large.png', mimeType: 'image/png', buffer: large });
      const progress = page.locator('switchboard-chat .upload progress');
      await page.waitForFunction(() => {
        const bar = document
          .querySelector('switchboard-chat')
          ?.shadowRoot?.querySelector<HTMLProgressElement>('.upload progress');
        return bar !== null && bar !== undefined && bar.value > 0 && bar.value < 100;
      });
      expect(await progress.getAttribute('aria-label')).toMatch(/^Uploading large\.png: \d+%$/);
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await page
        .locator('switchboard-chat .upload [role=status]', { hasText: 'large.png is ready to send' })
        .waitFor({ state: 'attached', timeout: 15_000 });
      await page.getByRole('button', { name: 'Remove large.png' }).click();
      await page.locator('switchboard-chat .upload').waitFor({ state: 'detached' });
      const received = nextEvent<any>(
        agent,
        'message',
        (m) => m.conversationId === conversationId && m.body === 'No file with this one',
      );
      await page.locator('#sb-composer').fill('No file with this one');
      await page.locator('#sb-composer').press('Enter');
      expect((await received).attachments).toEqual([]);
      await cdp.detach();
    });

    it('comes back after a reload with the whole conversation and nothing twice', async () => {
      await page.reload();
      await launcher(page).click();
      await bubbles(page, 'Is anyone hurt?').waitFor();
      expect(await bubbles(page, 'My car was hit at the lights').count()).toBe(1);
      expect(await bubbles(page, 'Photo of the bumper').count()).toBe(1);
      await page.locator('switchboard-chat .header .agent', { hasText: 'Agent 0' }).waitFor();
    });

    it('keeps a new tab on the same conversation', async () => {
      const second = await context.newPage();
      second.setDefaultTimeout(8_000);
      pageErrors.set(second, collectPageErrors(second));
      await second.goto(site.url);
      await launcher(second).click();
      await bubbles(second, 'Is anyone hurt?').waitFor();
      await second.locator('#sb-composer').fill('Nobody is hurt');
      await second.locator('#sb-composer').press('Enter');
      await bubbles(page, 'Nobody is hurt').waitFor();
      expect(await count('Nobody is hurt')).toBe(1);
      await second.close();
    });

    it('queues what is typed offline, sends it once when back, and fetches what was missed', async () => {
      await context.setOffline(true);
      await page.getByText('You are offline. Messages will be sent when the connection is back.').waitFor();
      expect(
        (
          await ack(agent, 'message:send', {
            conversationId,
            clientId: 'a-missed',
            body: 'Can you send the other driver details?',
          })
        ).ok,
      ).toBe(true);
      await page.locator('#sb-composer').fill('Typed while offline');
      await page.locator('#sb-composer').press('Enter');
      const pending = page.locator('switchboard-chat .msg[data-pending=true]', {
        hasText: 'Typed while offline',
      });
      await pending.getByText('Waiting for connection').waitFor();
      // Kept in the page's storage, so closing the tab before the connection returns does not lose it.
      expect(await page.evaluate(() => Object.keys(localStorage).some((k) => k.endsWith(':outbox')))).toBe(
        true,
      );

      const delivered = nextEvent<any>(agent, 'message', (m) => m.body === 'Typed while offline', 15_000);
      await context.setOffline(false);
      await delivered;
      await bubbles(page, 'Can you send the other driver details?').waitFor({ timeout: 15_000 });
      await pending.waitFor({ state: 'detached' });
      await page.waitForTimeout(500);
      expect(await bubbles(page, 'Typed while offline').count()).toBe(1);
      expect(await count('Typed while offline')).toBe(1);
      expect(await page.evaluate(() => Object.keys(localStorage).some((k) => k.endsWith(':outbox')))).toBe(
        false,
      );
    });

    it('flashes the tab title for an answer while the tab is hidden, and marks it read only when seen', async () => {
      const setHidden = (hidden: boolean) =>
        page.evaluate((h) => {
          (window as unknown as { tabHidden?: boolean }).tabHidden = h;
          document.dispatchEvent(new Event('visibilitychange'));
        }, hidden);
      const title = await page.title();
      await setHidden(true);
      const reads = collect<any>(agent, 'read');
      const sent = await ack(agent, 'message:send', { conversationId, clientId: 'a-hidden', body: 'Are you still there?' });
      await page.waitForFunction(() => document.title === '(1) New message');
      await bubbles(page, 'Are you still there?').waitFor();
      await page.waitForTimeout(300);
      expect(reads.filter((r) => r.seq >= sent.data.seq)).toEqual([]);
      const read = nextEvent<any>(agent, 'read', (r) => r.conversationId === conversationId && r.seq >= sent.data.seq);
      await setHidden(false);
      await read;
      await page.waitForFunction((t) => document.title === t, title);
    });

    it('shows the end of the chat, takes a rating and downloads the transcript', async () => {
      await closeFromAgent(conversationId);
      await page.locator('switchboard-chat [data-testid=ended]').waitFor();
      await page.getByRole('radio', { name: '4 out of 5' }).check();
      await page.getByLabel('Comment (optional)').fill('Quick and kind');
      await screenshot(page, 'ended');
      await page.getByRole('button', { name: 'Send rating' }).click();
      await page.getByText('Thank you for your feedback!').waitFor();
      const csat = await env.query<{ data: any }>(
        `SELECT data FROM conversation_event WHERE conversation_id = $1 AND type = 'csat'`,
        [conversationId],
      );
      expect(csat).toHaveLength(1);
      expect(csat[0].data).toMatchObject({ score: 4, comment: 'Quick and kind' });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download transcript' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`transcript-${conversationId}.txt`);
      const text = readFileSync(await download.path(), 'utf8');
      expect(text).toContain('My car was hit at the lights');
      expect(text).toContain('Is anyone hurt?');
      expect(text).toContain('damage.png');

      await page.getByRole('button', { name: 'Start a new chat' }).click();
      await page.locator('#sb-prechat-name').waitFor();
    });
  });

  it('offers the message form when nobody can answer, and keeps the message for staff', async () => {
    const { page } = await openPage({}, closedSite.url);
    await launcher(page).click();
    await page.getByText('No one is available to chat right now').waitFor();
    await screenshot(page, 'offline');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Please fill in Name.').waitFor();
    await page.locator('#sb-offline-name').fill('Luis Garcia');
    await page.locator('#sb-offline-email').fill('luis@example.com');
    await page.locator('#sb-offline-message').fill('My basement flooded last night, please call me.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Thank you, we have your message and will reply as soon as we can.').waitFor();
    await bubbles(page, 'My basement flooded last night').waitFor();
    // Kept for later: no queue position to wait for.
    expect(await page.locator('switchboard-chat [data-testid=queue-status]').count()).toBe(0);
    const kept = await env.query<{ status: string; name: string }>(
      `SELECT c.status, c.attributes->>'name' AS name FROM conversation c JOIN message m ON m.conversation_id = c.id WHERE m.body = $1`,
      ['My basement flooded last night, please call me.'],
    );
    expect(kept).toEqual([{ status: 'queued', name: 'Luis Garcia' }]);
  });

  it('shows a signed-in customer their past chats on another device, and nobody else', async () => {
    const userId = 'customer-4711';
    const identity = { userId, signature: identitySignature(identitySecret, userId), name: 'Maria Lopez' };
    const first = await openPage();
    await first.page.evaluate((id) => (window as any).Switchboard.identify(id), identity);
    const conversationId = await startChat(first.page, 'Maria Signed-In');
    await first.page.locator('#sb-composer').fill('Question about policy POL-4711');
    const received = nextEvent<any>(agent, 'message', (m) => m.body === 'Question about policy POL-4711');
    await first.page.locator('#sb-composer').press('Enter');
    await received;
    await closeFromAgent(conversationId);
    await first.page.locator('switchboard-chat [data-testid=ended]').waitFor();

    // Another browser: the host page queues the call before the script has loaded.
    const second = await browser.newContext();
    contexts.push(second);
    await second.addInitScript((id) => {
      (window as any).Switchboard = [['identify', id]];
    }, identity);
    const page = await second.newPage();
    page.setDefaultTimeout(8_000);
    pageErrors.set(page, collectPageErrors(page));
    await page.goto(site.url);
    await launcher(page).click();
    const history = page.locator('switchboard-chat [data-testid=history]');
    await history.locator('summary').click();
    await history.getByText('Question about policy POL-4711').waitFor();

    // A forged signature: refused, the widget goes on as an anonymous visitor with no history.
    const third = await browser.newContext();
    contexts.push(third);
    await third.addInitScript(
      (id) => {
        (window as any).widgetErrors = [];
        (window as any).Switchboard = [
          ['identify', id],
          ['on', 'error', (e: unknown) => (window as any).widgetErrors.push(e)],
        ];
      },
      { ...identity, signature: identitySignature('not-the-secret', userId) },
    );
    const stranger = await third.newPage();
    stranger.setDefaultTimeout(8_000);
    pageErrors.set(stranger, collectPageErrors(stranger));
    await stranger.goto(site.url);
    await launcher(stranger).click();
    await stranger.locator('#sb-prechat-name').waitFor();
    await stranger.waitForFunction(() => (window as any).widgetErrors.length > 0);
    expect(await stranger.evaluate(() => (window as any).widgetErrors[0].code)).toBe('unauthorized');
    await stranger.getByRole('button', { name: 'Start chat' }).isEnabled();
    expect(await stranger.locator('switchboard-chat [data-testid=history]').count()).toBe(0);
    expect(await stranger.getByText('POL-4711').count()).toBe(0);
  });

  it('works with the keyboard alone: focus moves in, stays in, and returns to the launcher', async () => {
    const { page } = await openPage();
    const active = () =>
      widget(page).evaluate((el) => {
        const a = el.shadowRoot?.activeElement;
        return a ? a.id || a.className : null;
      });
    await launcher(page).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('switchboard-chat')?.shadowRoot?.activeElement?.id === 'sb-prechat-name',
    );
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Tab');
    expect(await active()).toBe('sb-prechat-email');
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('POL-77');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Home');
    // Round the panel and back: focus never leaves the widget.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SWITCHBOARD-CHAT');
    }
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden' });
    expect(await active()).toBe('launcher');
    await page.keyboard.press('Enter');
    await page.locator('#sb-prechat-claimType').focus();
    expect(await page.locator('#sb-prechat-claimType').inputValue()).toBe('Home');
    const assigned = nextEvent<any>(
      agent,
      'conversation:assigned',
      (a) => a.conversation.attributes.name === 'Kim Keys',
      10_000,
    );
    await page.locator('switchboard-chat button[type=submit]').focus();
    await page.keyboard.press('Enter');
    const { conversation } = await assigned;
    await page.getByText('Agent 0 joined the chat.').waitFor();
    expect(await active()).toBe('sb-composer');
    const received = nextEvent<any>(agent, 'message', (m) => m.body === 'Sent with Enter');
    await page.keyboard.type('Sent with Enter');
    await page.keyboard.press('Enter');
    await received;
    await closeFromAgent(conversation.id);
  });

  it('speaks Spanish to a Spanish browser', async () => {
    const { page } = await openPage({ locale: 'es-ES' });
    expect(await launcher(page).textContent()).toContain('Chatee con nosotros');
    await launcher(page).click();
    await page.getByText('¡Hola! Cuéntenos qué ha pasado.').waitFor();
    await page.getByRole('button', { name: 'Empezar el chat' }).click();
    await page.getByText('Rellene Your name.').waitFor();
    expect(await page.getByRole('button', { name: 'Cerrar el chat' }).count()).toBe(1);
  });

  it('fills a phone screen with the open panel', async () => {
    const { page } = await openPage({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    const button = await launcher(page).boundingBox();
    expect(button!.x + button!.width).toBeLessThanOrEqual(360);
    expect(button!.y + button!.height).toBeLessThanOrEqual(640);
    await launcher(page).click();
    expect(await panel(page).boundingBox()).toEqual({ x: 0, y: 0, width: 360, height: 640 });
    await screenshot(page, 'phone');
    await expect(page.locator('#sb-prechat-name').isVisible()).resolves.toBe(true);
  });
});
