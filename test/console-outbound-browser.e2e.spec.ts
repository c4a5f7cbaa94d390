import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { http } from './support/clients.js';
import { collectPageErrors, launchBrowser, type TestBrowser } from './support/browser.js';
import { FakeApiPartner } from './support/fake-providers/api-channel.js';
import { until } from './support/fake-providers/webhook-signing.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

jest.setTimeout(60_000);

const SECRET = 'partner-shared-secret';

/**
 * An agent starts a conversation with a customer's handle from the console: the accounts they may
 * write from (GET /workspace/channel-accounts), the "New conversation" form in headless Chromium, and
 * the first message reaching a partner app behind the generic API channel.
 */
describe('starting a conversation from the agent console', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let partner: FakeApiPartner;
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let accountId: string;

  /** Where the partner was asked to deliver each message. */
  const recipients = () => partner.sends().map((s) => (s.json as { to?: string } | null)?.to);

  const createAccount = async (body: Record<string, unknown>) => {
    const created = await http<{ id: string }>(node, 'POST', '/admin/channel-accounts', {
      token: org.adminToken,
      body: {
        network: 'api',
        defaultQueueId: org.queues.claims,
        settings: { outboundUrl: partner.outboundUrl },
        secrets: { signingSecret: SECRET },
        ...body,
      },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };

  beforeAll(async () => {
    partner = await new FakeApiPartner(SECRET).start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      DELIVERY_BACKOFF_MS: '100',
    });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 1, capacity: 1 });
    accountId = await createAccount({ name: 'Broker app', externalId: 'broker-app' });
    await createAccount({ name: 'Retired app', externalId: 'retired-app', enabled: false });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await env?.close();
    await partner?.stop();
  });

  it('lists the enabled accounts to staff with a handle hint, and none of their settings or secrets', async () => {
    const expected = [
      {
        id: accountId,
        network: 'api',
        name: 'Broker app',
        handleHint: "The customer's id in the partner app",
      },
    ];
    const asAgent = await http(node, 'GET', '/workspace/channel-accounts', { token: org.agents[0].token });
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).toEqual(expected);
    const raw = JSON.stringify(asAgent.body);
    for (const leak of [SECRET, 'signingSecret', partner.outboundUrl, 'broker-app', 'settings', 'secrets'])
      expect(raw).not.toContain(leak);

    const asAdmin = await http(node, 'GET', '/workspace/channel-accounts', { token: org.adminToken });
    expect(asAdmin.body).toEqual(expected);
    expect((await http(node, 'GET', '/workspace/channel-accounts')).status).toBe(401);
    expect((await http(node, 'GET', '/workspace/channel-accounts', { token: 'not-a-token' })).status).toBe(
      401,
    );
    // The full account list stays admin-only.
    expect((await http(node, 'GET', '/admin/channel-accounts', { token: org.agents[0].token })).status).toBe(
      403,
    );
  });

  it('starts a conversation by keyboard: the partner gets the message and the conversation opens as mine', async () => {
    await page.goto(`${node.url}/console/`);
    await page.fill('input[name=email]', org.agents[0].email);
    await page.fill('input[name=password]', 'agent-password-123');
    await page.click('button[type=submit]');
    await page.waitForSelector('select[name=availability]');

    await page.focus('button.new-conversation');
    await page.keyboard.press('Enter');
    const form = page.locator('form[aria-label="New conversation"]');
    await form.waitFor();
    // The account list gets the focus, with the only enabled account chosen.
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'accountId');
    expect(await form.locator('select[name=accountId] option').allTextContents()).toEqual([
      'Broker app (api)',
    ]);
    expect(await form.locator('#new-conversation-hint').textContent()).toBe(
      "The customer's id in the partner app",
    );

    await page.keyboard.press('Tab');
    await page.keyboard.type('cust-out-1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Hello, your claim CLM-77 is approved');
    await page.keyboard.press('Enter');

    await page.waitForSelector('.conversations .item:has(.chan-api)');
    await page.waitForSelector('.messages .msg.agent:has-text("your claim CLM-77 is approved")');
    expect(await form.count()).toBe(0);
    await until(async () => recipients().includes('cust-out-1'));
    const sent = partner.sends()[recipients().indexOf('cust-out-1')];
    expect(sent.json).toMatchObject({
      type: 'message',
      to: 'cust-out-1',
      text: 'Hello, your claim CLM-77 is approved',
    });

    const [conversation] = await env.query<{ id: string; agent_id: string; status: string }>(
      `SELECT id, agent_id, status FROM conversation`,
    );
    expect(conversation).toMatchObject({ agent_id: org.agents[0].id, status: 'assigned' });
    expect(new URL(page.url()).pathname).toBe(`/console/conversations/${conversation.id}`);
    expect(errors).toEqual([]);
  });

  it("shows the server's refusal (at capacity), sends nothing, and Esc closes the form", async () => {
    await page.click('button.new-conversation');
    await page.fill('input[name=to]', 'cust-out-2');
    await page.fill('textarea[name=body]', 'A second customer');
    await page.click('form[aria-label="New conversation"] button[type=submit]');
    await page.waitForSelector(
      'form[aria-label="New conversation"] [role=alert]:has-text("You are at capacity")',
    );
    expect(await page.inputValue('input[name=to]')).toBe('cust-out-2');
    expect(await env.query(`SELECT id FROM conversation`)).toHaveLength(1);
    expect(recipients()).not.toContain('cust-out-2');

    await page.focus('input[name=to]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('form[aria-label="New conversation"]', { state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.classList.contains('new-conversation'));
  });
});
