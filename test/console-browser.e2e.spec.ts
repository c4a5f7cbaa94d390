import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import {
  ack,
  connectAgent,
  connectVisitor,
  http,
  nextEvent,
  SITE_ORIGIN,
  type VisitorClient,
} from './support/clients.js';
import { collectPageErrors, launchBrowser, type TestBrowser } from './support/browser.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

jest.setTimeout(60_000);

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Resolves once `read()` gives `expected` (compared as JSON), or fails with the last value after `ms`. */
async function eventually<T>(read: () => Promise<T> | T, expected: T, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  let last: T = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  expect(last).toEqual(expected);
}

/** Resolves once the list from `read()` contains `item`. */
async function eventuallyContains<T>(read: () => T[], item: T, ms = 10_000): Promise<void> {
  await eventually(() => read().includes(item), true, ms);
}

/** With SCREENSHOTS=1 the journey saves docs/img/console.png (see docs/console.md). */
const SCREENSHOTS = process.env.SCREENSHOTS === '1';

/**
 * The agent console in headless Chromium against a real server: a customer (socket.io client) chats
 * with an agent who works in the browser, from sign-in to close, history, transfer, a dropped
 * connection, a refused deep link and a phone-sized screen.
 */
describe('agent console in the browser', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const sockets: { disconnect(): unknown }[] = [];
  /** The page's websockets go through here, so a test can cut them and hold reconnections back. */
  const links: WebSocketRoute[] = [];
  let cut = false;

  let customer: VisitorClient;
  let customerToken: string;
  let storageDir: string;

  const signIn = async (target: Page, email: string, password: string) => {
    await target.goto(`${node.url}/console/`);
    await target.fill('input[name=email]', email);
    await target.fill('input[name=password]', password);
    await target.click('button[type=submit]');
    await target.waitForSelector('select[name=availability]');
  };

  const startChat = async (socket: VisitorClient, body: string, prechat?: Record<string, string>) => {
    const started = await ack(socket, 'conversation:start', {
      ...(prechat ? { prechat } : {}),
      message: { clientId: `c-${Date.now()}`, body },
    });
    if (!started.ok) throw new Error(JSON.stringify(started.error));
    return started.data.conversation.id as string;
  };

  beforeAll(async () => {
    // A dropped console must not outlast the grace period while the test holds its reconnection back.
    storageDir = mkdtempSync(join(tmpdir(), 'sb-console-files-'));
    env = await TestEnvironment.create({ ...ADMIN_ENV, AGENT_GRACE_SECONDS: '60', STORAGE_DIR: storageDir });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 3 });
    await http(node, 'POST', '/admin/canned-replies', {
      token: org.adminToken,
      body: { shortcut: 'docs', title: 'Documents', body: 'Please send us photos of the damage.' },
    });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    errors = collectPageErrors(page);
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (cut) return ws.close();
      ws.connectToServer();
      links.push(ws);
    });
    ({
      socket: customer,
      session: { token: customerToken },
    } = await connectVisitor(node, org.siteKey));
    sockets.push(customer);
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await browser?.close();
    await env.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('signs in, goes available as routing sees it, and is told of a new chat', async () => {
    await signIn(page, org.agents[0].email, 'agent-password-123');
    await page.selectOption('select[name=availability]', 'available');
    await eventually(
      async () =>
        (await env.query(`SELECT availability FROM agent_state WHERE staff_id = $1`, [org.agents[0].id]))[0]
          ?.availability,
      'available',
    );

    await startChat(customer, 'My car was hit at the lights', {
      name: 'Maria Lopez',
      policyNumber: 'POL-77',
      claimType: 'Car',
    });
    await page.waitForSelector('.conversations .item:has-text("Maria Lopez")');
    await eventually(() => page.title(), '(1) Switchboard console');
    expect(await page.textContent('.conversations .unread')).toBe('1');
  });

  it('replies with Enter, writes a note the customer never sees, and uses a canned reply', async () => {
    await page.click('.conversations .item:has-text("Maria Lopez")');
    await page.waitForSelector('.messages .msg.customer:has-text("My car was hit")');
    await eventually(() => page.title(), 'Switchboard console');

    const seen: any[] = [];
    customer.on('message', (m) => seen.push(m));
    await page.fill('textarea[name=reply]', 'Sorry to hear that. Is anyone hurt?');
    await page.press('textarea[name=reply]', 'Enter');
    await page.waitForSelector('.messages .msg.agent:has-text("Is anyone hurt?")');
    await eventuallyContains(() => seen.map((m) => m.body), 'Sorry to hear that. Is anyone hurt?');
    expect(await page.inputValue('textarea[name=reply]')).toBe('');

    await page.check('input[name=internal]');
    await page.fill('textarea[name=reply]', 'Policy looks valid');
    await page.press('textarea[name=reply]', 'Enter');
    await page.waitForSelector('.messages .msg.internal:has-text("Policy looks valid")');
    await page.uncheck('input[name=internal]');

    await page.fill('textarea[name=reply]', '/do');
    await page.waitForSelector('.canned li:has-text("/docs")');
    await page.press('textarea[name=reply]', 'Enter');
    expect(await page.inputValue('textarea[name=reply]')).toBe('Please send us photos of the damage.');
    await page.press('textarea[name=reply]', 'Enter');
    await eventuallyContains(() => seen.map((m) => m.body), 'Please send us photos of the damage.');
    expect(seen.map((m) => m.body)).not.toContain('Policy looks valid');

    // The customer's typing and read mark reach the console.
    const typed = await ack(customer, 'typing', { conversationId: seen[0].conversationId, isTyping: true });
    expect(typed).toEqual({ ok: true, data: null });
    await page.waitForSelector('.typing:has-text("Customer is typing")');
    expect(
      (await ack(customer, 'message:read', { conversationId: seen[0].conversationId, seq: seen.at(-1).seq }))
        .ok,
    ).toBe(true);
    await page.waitForSelector('.msg.agent:has-text("photos of the damage") .delivery:has-text("read")');
  });

  it('sends a photo and shows the customer\u2019s photos inline', async () => {
    const atCustomer = nextEvent<any>(customer, 'message', (m) => m.attachments?.length > 0);
    await page.setInputFiles('input[name=files]', {
      name: 'claim-form.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await page.fill('textarea[name=reply]', 'Here is the claim form');
    await page.press('textarea[name=reply]', 'Enter');
    const sent = await atCustomer;
    expect(sent.body).toBe('Here is the claim form');
    expect(sent.attachments).toEqual([
      expect.objectContaining({ fileName: 'claim-form.png', contentType: 'image/png' }),
    ]);

    const conversationId = sent.conversationId as string;
    const upload = await fetch(`${node.url}/widget/conversations/${conversationId}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${customerToken}`,
        'content-type': 'image/png',
        'x-file-name': 'bumper.png',
        origin: SITE_ORIGIN,
      },
      body: PNG,
    });
    expect(upload.status).toBe(201);
    const { attachment } = (await upload.json()) as { attachment: { id: string } };
    expect(
      (
        await ack(customer, 'message:send', {
          conversationId,
          clientId: 'photo-1',
          body: '',
          attachmentIds: [attachment.id],
        })
      ).ok,
    ).toBe(true);
    await page.waitForSelector('.msg.customer img[alt="bumper.png"]');
    await eventually(
      () =>
        page.evaluate(
          () => document.querySelector<HTMLImageElement>('img[alt="bumper.png"]')?.naturalWidth ?? 0,
        ),
      1,
    );
  });

  it('corrects a detail in the customer panel, recorded on the server', async () => {
    await page.fill('input[name=attr-policyNumber]', 'POL-78');
    await page.click('button:has-text("Save details")');
    await page.waitForSelector('.attributes [role=status]:has-text("Saved")');
    // Reading the conversation on screen cleared its unread count, and saving kept it cleared.
    expect(await page.isVisible('.conversations .unread')).toBe(false);
    const [row] = await env.query<{ attributes: Record<string, string> }>(
      `SELECT attributes FROM conversation WHERE status = 'assigned' AND agent_id = $1`,
      [org.agents[0].id],
    );
    expect(row.attributes.policyNumber).toBe('POL-78');
  });

  it('closes with a disposition, then sees the earlier chat in the history of the next one', async () => {
    await page.click('.conv-head button:has-text("Close")');
    await page.selectOption('select[name=disposition]', 'Resolved');
    await page.click('button:has-text("Close conversation")');
    await page.waitForSelector('.conversations .item', { state: 'detached' });
    const [closed] = await env.query(
      `SELECT status, disposition FROM conversation WHERE attributes->>'name' = 'Maria Lopez'`,
    );
    expect(closed).toEqual({ status: 'closed', disposition: 'Resolved' });

    // The same customer comes back with a new question.
    customer.disconnect();
    ({ socket: customer } = await connectVisitor(node, org.siteKey, { token: customerToken }));
    sockets.push(customer);
    await startChat(customer, 'Any news on my claim?', { name: 'Maria Lopez', policyNumber: 'POL-78' });
    await page.click('.conversations .item:has-text("Maria Lopez")');
    await page.waitForSelector('.history li button');
    await page.click('.history li button');
    await page.waitForSelector('.past-messages li:has-text("My car was hit at the lights")');
    await page.waitForSelector('.past-messages li.internal:has-text("Policy looks valid")');
    await page.waitForSelector('.past-messages img[alt="bumper.png"]');
    if (SCREENSHOTS) {
      mkdirSync('docs/img', { recursive: true });
      await page.screenshot({ path: 'docs/img/console.png' });
    }
  });

  it('transfers to another agent with a note', async () => {
    const { socket: ben } = await connectAgent(node, org.agents[1].token);
    sockets.push(ben);
    expect((await ack(ben, 'availability:set', { availability: 'available' })).ok).toBe(true);
    const assigned = nextEvent<any>(ben, 'conversation:assigned');
    await page.click('.conv-head button:has-text("Transfer")');
    await page.selectOption('select[name=target]', `agent:${org.agents[1].id}`);
    await page.fill('input[name=note]', 'Asks about claim POL-78');
    await page.click('form[aria-label=Transfer] button[type=submit]');
    const assignment = await assigned;
    expect(assignment.messages.map((m: any) => m.body)).toContain('Any news on my claim?');
    await page.waitForSelector('.conversations .item', { state: 'detached' });
    expect((await ack(ben, 'availability:set', { availability: 'offline' })).ok).toBe(true);
    ben.disconnect();
  });

  it('resynchronises after a dropped connection without a reload', async () => {
    const { socket: other } = await connectVisitor(node, org.siteKey);
    sockets.push(other);
    const first = await startChat(other, 'Hello, billing question', { name: 'Olga', policyNumber: 'POL-1' });
    const { socket: third } = await connectVisitor(node, org.siteKey);
    sockets.push(third);
    const second = await startChat(third, 'One more thing', { name: 'Piotr', policyNumber: 'POL-2' });
    await page.waitForSelector('.conversations .item:has-text("Olga")');
    await page.waitForSelector('.conversations .item:has-text("Piotr")');
    await page.click('.conversations .item:has-text("Olga")');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    cut = true;
    for (const link of links.splice(0)) await link.close();
    await page.waitForSelector('.connection:has-text("reconnecting")');
    // While the console is cut off: the customer writes, and a supervisor closes the other conversation.
    expect(
      (
        await ack(other, 'message:send', {
          conversationId: first,
          clientId: 'o-2',
          body: 'Are you still there?',
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await http(node, 'POST', `/supervision/conversations/${second}/close`, {
          token: org.adminToken,
          body: { disposition: 'Duplicate' },
        })
      ).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.isVisible('.msg:has-text("Are you still there?")')).toBe(false);

    cut = false;
    await page.waitForSelector('.msg.customer:has-text("Are you still there?")', { timeout: 30_000 });
    await page.waitForSelector('.conversations .item:has-text("Piotr")', { state: 'detached' });
    expect(await page.isVisible('.connection:has-text("reconnecting")')).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    // Reconnection backs off (up to 5 s between attempts): give a busy machine room.
  }, 60_000);

  it('refuses a conversation outside the agent\u2019s queues, even by its address', async () => {
    // Olga's conversation goes to Billing, where only the first agent works.
    const olga = (
      await env.query(`SELECT id FROM conversation WHERE status = 'assigned' AND agent_id = $1`, [
        org.agents[0].id,
      ])
    )[0].id as string;
    await page.click('.conv-head button:has-text("Transfer")');
    await page.selectOption('select[name=target]', `queue:${org.queues.billing}`);
    await page.click('form[aria-label=Transfer] button[type=submit]');
    await eventually(
      async () => (await env.query(`SELECT queue_id FROM conversation WHERE id = $1`, [olga]))[0].queue_id,
      org.queues.billing,
    );

    const benContext = await browser.newContext();
    benContext.setDefaultTimeout(10_000);
    const benPage = await benContext.newPage();
    await signIn(benPage, org.agents[1].email, 'agent-password-123');
    await benPage.goto(`${node.url}/console/conversations/${olga}`);
    await benPage.waitForSelector('.refused:has-text("You cannot open this conversation")');
    expect(await benPage.textContent('.refused')).toContain('outside your queues');
    expect(await benPage.isVisible('.msg:has-text("billing question")')).toBe(false);
    await benContext.close();
  });

  it('finds a past transcript by a word and opens it read-only', async () => {
    await page.fill('input[name=search]', 'lights');
    await page.press('input[name=search]', 'Enter');
    await page.click('.hits button:has-text("lights")');
    await page.waitForSelector(
      'section[aria-label=Transcript] .msg:has-text("My car was hit at the lights")',
    );
    expect(await page.isVisible('textarea[name=reply]')).toBe(false);
    await page.click('.conversations .item:has-text("Olga")');
  });

  it('offers a chat with a countdown, and takes the accepted one', async () => {
    const patched = await http(node, 'PATCH', `/admin/queues/${org.queues.claims}`, {
      token: org.adminToken,
      body: { offerTimeoutSeconds: 30 },
    });
    expect(patched.status).toBe(200);
    const { socket: caller } = await connectVisitor(node, org.siteKey);
    sockets.push(caller);
    await startChat(caller, 'Is my policy active?', { name: 'Rui', policyNumber: 'POL-3' });
    await page.waitForSelector('.offer:has-text("Rui")');
    const countdown = Number((await page.textContent('.offer .countdown'))?.replace(/\D/g, ''));
    expect(countdown).toBeGreaterThan(20);
    expect(countdown).toBeLessThanOrEqual(30);
    await eventually(() => page.title(), '(1) Switchboard console');
    await page.click('.offer button:has-text("Accept")');
    await page.waitForSelector('.conv-head h2:has-text("Rui")');
    await page.waitForSelector('.msg.customer:has-text("Is my policy active?")');
    expect(await page.isVisible('.offer')).toBe(false);

    const { socket: second } = await connectVisitor(node, org.siteKey);
    sockets.push(second);
    const declined = await startChat(second, 'Quick question', { name: 'Sven', policyNumber: 'POL-4' });
    await page.click('.offer:has-text("Sven") button:has-text("Decline")');
    await page.waitForSelector('.offer', { state: 'detached' });
    const events = await env.query(
      `SELECT type FROM conversation_event WHERE conversation_id = $1 ORDER BY id`,
      [declined],
    );
    expect(events.map((e) => e.type)).toContain('offer-declined');
  });

  it('lists conversations of a manual-pick queue and takes one', async () => {
    const patched = await http(node, 'PATCH', `/admin/queues/${org.queues.claims}`, {
      token: org.adminToken,
      body: { strategy: 'manual', offerTimeoutSeconds: null },
    });
    expect(patched.status).toBe(200);
    const { socket: caller } = await connectVisitor(node, org.siteKey);
    sockets.push(caller);
    const id = await startChat(caller, 'Waiting for someone', { name: 'Tess', policyNumber: 'POL-5' });
    await page.waitForSelector('.waiting li:has-text("Tess")');
    await page.click('.waiting li:has-text("Tess") button:has-text("Take")');
    await page.waitForSelector('.conversations .item:has-text("Tess")');
    await page.waitForSelector('.waiting li:has-text("Tess")', { state: 'detached' });
    const [row] = await env.query(`SELECT agent_id FROM conversation WHERE id = $1`, [id]);
    expect(row.agent_id).toBe(org.agents[0].id);
  });

  it('works on a phone-sized screen', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    phone.setDefaultTimeout(10_000);
    const phonePage = await phone.newPage();
    await signIn(phonePage, org.agents[0].email, 'agent-password-123');
    expect(await phonePage.isVisible('.tabs')).toBe(true);
    expect(await phonePage.isVisible('.panel')).toBe(false);
    await phonePage.click('.conversations .item:has-text("Olga")');
    await phonePage.waitForSelector('.messages .msg:has-text("billing question")');
    expect(await phonePage.isVisible('.sidebar')).toBe(false);
    const width = await phonePage.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await phonePage.fill('textarea[name=reply]', 'Answering from my phone');
    await phonePage.press('textarea[name=reply]', 'Enter');
    await phonePage.waitForSelector('.msg.agent:has-text("Answering from my phone")');
    await phonePage.click('.tabs button:has-text("Customer")');
    expect(await phonePage.isVisible('.panel')).toBe(true);
    await phone.close();
    expect(errors).toEqual([]);
  });
});
