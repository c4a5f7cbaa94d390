import type { Page } from 'playwright-core';
import { startDemoSite, type DemoSite } from '../src/demo/demo-site.js';
import { collectPageErrors, launchBrowser, type TestBrowser } from './support/browser.js';
import { ack, connectAgent, http, nextEvent, type AgentClient } from './support/clients.js';
import { ADMIN_ENV, createOrganisation } from './support/organisation.js';
import { TestEnvironment } from './support/test-app.js';

/**
 * The widget when the server's rate limits for anonymous traffic are reached: with RATE_LIMIT_FACTOR
 * 0.05 a customer may send 3 messages a minute, and the fourth is answered `rate_limited`.
 */
describe('website chat widget under rate limits', () => {
  let env: TestEnvironment;
  let browser: TestBrowser;
  let site: DemoSite;
  let agent: AgentClient;

  beforeAll(async () => {
    env = await TestEnvironment.create({ ...ADMIN_ENV, RATE_LIMIT_FACTOR: '0.05' });
    const node = await env.startNode();
    const org = await createOrganisation(node, { agentCount: 1 });
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
        prechatFields: [{ name: 'name', label: 'Name', type: 'text', required: true }],
      },
    });
    expect(patched.status).toBe(200);
    ({ socket: agent } = await connectAgent(node, org.agents[0].token));
    expect((await ack(agent, 'availability:set', { availability: 'available' })).ok).toBe(true);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    agent?.disconnect();
    await site?.close();
    await env?.close();
  });

  async function send(page: Page, body: string): Promise<void> {
    await page.locator('#sb-composer').fill(body);
    await page.locator('#sb-composer').press('Enter');
  }

  it('says how long to wait when messages come too fast, and keeps the message for when it is allowed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    const errors = collectPageErrors(page);
    await page.goto(site.url);
    await page.locator('switchboard-chat .launcher').click();
    await page.locator('#sb-prechat-name').fill('Rita Rapid');
    const assigned = nextEvent<any>(agent, 'conversation:assigned', () => true, 10_000);
    await page.getByRole('button', { name: 'Start chat' }).click();
    await assigned;
    for (let i = 1; i <= 3; i++) {
      const received = nextEvent<any>(agent, 'message', (m) => m.body === `Message ${i}`);
      await send(page, `Message ${i}`);
      await received;
    }
    await send(page, 'Message 4');
    const banner = page.getByRole('alert').filter({ hasText: 'You are sending too quickly. Please wait' });
    await banner.waitFor();
    const seconds = Number(/wait (\d+) seconds/.exec((await banner.textContent()) ?? '')?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    // The message is kept, not lost: it waits in the outbox for the budget to come back.
    await page.locator('switchboard-chat .msg[data-pending=true]', { hasText: 'Message 4' }).waitFor();
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
