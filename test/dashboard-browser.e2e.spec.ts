import { jest } from '@jest/globals';
import { mkdirSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { ack, connectAgent, connectVisitor, http, nextEvent, type AgentClient } from './support/clients.js';
import { collectPageErrors, launchBrowser, type TestBrowser } from './support/browser.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

jest.setTimeout(60_000);

/** With SCREENSHOTS=1 the journey saves docs/img/dashboard.png (see docs/console.md). */
const SCREENSHOTS = process.env.SCREENSHOTS === '1';

/**
 * The supervisor dashboard in headless Chromium: numbers pushed as chats arrive and are answered, a
 * drill-in with reassign and close, reports, and the admin pages (admins only, refused on the server).
 */
describe('supervisor dashboard in the browser', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let ana: AgentClient;
  let conversationId: string;
  const sockets: { disconnect(): unknown }[] = [];

  const figure = (queue: string, name: string) =>
    page.textContent(`.tile[data-queue="${queue}"] [data-figure="${name}"]`);

  const signIn = async (target: Page, email: string, password: string) => {
    await target.goto(`${node.url}/dashboard/`);
    await target.fill('input[name=email]', email);
    await target.fill('input[name=password]', password);
    await target.click('button[type=submit]');
  };

  beforeAll(async () => {
    env = await TestEnvironment.create(ADMIN_ENV);
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 2 });
    ({ socket: ana } = await connectAgent(node, org.agents[0].token));
    sockets.push(ana);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await browser?.close();
    await env.close();
  });

  it('shows live queue tiles and the agents board after sign-in', async () => {
    // Ana went away two hours ago and has let one offer time out since.
    await env.query(
      `UPDATE agent_state SET availability_changed_at = now() - interval '2 hours', missed_offers = 1
        WHERE staff_id = $1`,
      [org.agents[0].id],
    );
    await signIn(page, 'admin@test.example', 'admin-password-123');
    await page.waitForSelector('.tile[data-queue="Claims"]');
    expect(await figure('Claims', 'waiting')).toBe('0');
    expect(await figure('Claims', 'longest')).toBe('—');
    await page.waitForSelector('table.agents tr[data-agent="Agent 0"]');
    expect(await page.textContent('table.agents tr[data-agent="Agent 0"]')).toContain('away');
    // Time in state from the stored change, not from when the page first saw her; missed offers as pushed.
    const cells = await page.$$eval('table.agents tr[data-agent="Agent 0"] td', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(cells[2]).toMatch(/^2 h \d+ min$/);
    expect(cells[4]).toBe('1');
  });

  it('moves the numbers as a chat arrives and is answered, pushed without polling', async () => {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const { socket: customer } = await connectVisitor(node, org.siteKey);
    sockets.push(customer);
    const started = await ack(customer, 'conversation:start', {
      prechat: { name: 'Maria Lopez', policyNumber: 'POL-77' },
      message: { clientId: 'c-1', body: 'My roof is leaking' },
    });
    conversationId = started.data.conversation.id;
    await page.waitForFunction(
      () => document.querySelector('.tile[data-queue="Claims"] [data-figure="waiting"]')?.textContent === '1',
    );
    // The longest wait ticks in the browser.
    await page.waitForFunction(() =>
      /^\d+ s$/.test(
        document.querySelector('.tile[data-queue="Claims"] [data-figure="longest"]')?.textContent ?? '',
      ),
    );
    const first = await figure('Claims', 'longest');
    await page.waitForFunction(
      (before) =>
        document.querySelector('.tile[data-queue="Claims"] [data-figure="longest"]')?.textContent !== before,
      first,
    );

    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    expect((await ack(ana, 'availability:set', { availability: 'available' })).ok).toBe(true);
    await assigned;
    await page.waitForFunction(
      () => document.querySelector('.tile[data-queue="Claims"] [data-figure="waiting"]')?.textContent === '0',
    );
    await page.waitForFunction(
      () =>
        document.querySelector('.tile[data-queue="Claims"] [data-figure="assigned"]')?.textContent === '1',
    );
    await page.waitForFunction(
      () => document.querySelector('.tile[data-queue="Claims"] [data-figure="sla"]')?.textContent === '100 %',
    );
    await page.waitForSelector('table.agents tr[data-agent="Agent 0"] .state.available');
    expect(await page.textContent('table.agents tr[data-agent="Agent 0"]')).toContain('1 / 2');
    // Tiles come over the socket: no request for queue metrics was made.
    expect(requests.filter((u) => u.includes('/supervision/queues'))).toEqual([]);
    await page.waitForSelector('.charts canvas');
    await page.waitForSelector('section[aria-label="Open conversations"] button:has-text("Maria Lopez")');
    if (SCREENSHOTS) {
      mkdirSync('docs/img', { recursive: true });
      await page.screenshot({ path: 'docs/img/dashboard.png', fullPage: true });
    }
  });

  it('drills into a conversation live, reassigns it and closes it', async () => {
    const transcriptReads: number[] = [];
    const onRequest = (r: { url(): string }) => {
      if (r.url().endsWith('/transcript')) transcriptReads.push(Date.now());
    };
    page.on('request', onRequest);
    await page.click('section[aria-label="Open conversations"] button:has-text("Maria Lopez")');
    await page.waitForSelector('.drill .msg:has-text("My roof is leaking")');
    await page.waitForSelector('.drill .feed.on:has-text("Live")');
    // Nothing changes: nothing is read again (changes are pushed, not polled for).
    const settled = transcriptReads.length;
    await new Promise((r) => setTimeout(r, 3500));
    expect(transcriptReads.length).toBe(settled);
    expect(
      (
        await ack(ana, 'message:send', {
          conversationId,
          clientId: 'a-1',
          body: 'We will send someone today',
        })
      ).ok,
    ).toBe(true);
    await page.waitForSelector('.drill .msg.agent:has-text("We will send someone today")');
    page.off('request', onRequest);

    const { socket: ben } = await connectAgent(node, org.agents[1].token);
    sockets.push(ben);
    expect((await ack(ben, 'availability:set', { availability: 'available' })).ok).toBe(true);
    const toBen = nextEvent<any>(ben, 'conversation:assigned');
    await page.selectOption('select[aria-label="Reassign to"]', `agent:${org.agents[1].id}`);
    await page.click('.drill button:has-text("Reassign")');
    expect((await toBen).conversation.id).toBe(conversationId);

    await page.fill('input[aria-label=Disposition]', 'Handled by supervisor');
    await page.click('.drill button:has-text("Close")');
    await page.waitForSelector('.drill .status.closed');
    const [row] = await env.query(`SELECT status, disposition FROM conversation WHERE id = $1`, [
      conversationId,
    ]);
    expect(row).toEqual({ status: 'closed', disposition: 'Handled by supervisor' });
  });

  it('forces an agent’s state from the agents board', async () => {
    await page.click('a:has-text("Live")');
    await page.waitForSelector('table.agents tr[data-agent="Agent 1"]');
    await page.selectOption('select[aria-label="Set state of Agent 1"]', 'away');
    await page.waitForSelector('table.agents tr[data-agent="Agent 1"] .state.away');
    const [state] = await env.query(`SELECT availability FROM agent_state WHERE staff_id = $1`, [
      org.agents[1].id,
    ]);
    expect(state.availability).toBe('away');
  });

  it('shows reports for a date range and downloads them as CSV', async () => {
    await page.click('a:has-text("Reports")');
    await page.click('button:has-text("Show")');
    await page.waitForSelector('table.report td:has-text("Claims")');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('button:has-text("Queues CSV")'),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  });

  it('lets an admin manage canned replies and shows a site’s widget snippet', async () => {
    await page.click('a:has-text("Canned replies")');
    await page.click('.admin button:has-text("New")');
    await page.fill(
      'textarea[name=json]',
      JSON.stringify({ shortcut: 'hello', title: 'Hello', body: 'Hello! How can I help?' }),
    );
    await page.click('.editor button:has-text("Save")');
    await page.waitForSelector('table.report td:has-text("/hello")');
    const [reply] = await env.query(`SELECT shortcut, body FROM canned_reply`);
    expect(reply).toEqual({ shortcut: 'hello', body: 'Hello! How can I help?' });

    await page.click('a:has-text("Queues")');
    await page.click('table.report td:has-text("Billing")');
    const billing = JSON.parse(await page.inputValue('textarea[name=json]'));
    await page.fill('textarea[name=json]', JSON.stringify({ ...billing, slaTargetSeconds: 45 }));
    await page.click('.editor button:has-text("Save")');
    await page.waitForSelector('table.report td:has-text("45 s")');

    await page.click('a:has-text("Sites")');
    await page.click('table.report td:has-text("Acme Insurance")');
    expect(await page.textContent('.snippet pre')).toBe(
      `<script src="${node.url}/widget.js" data-site="${org.siteKey}" async></script>`,
    );
    expect(errors).toEqual([]);
  });

  it('shows an admin the audit log of what was just done, filtered by kind, and exports it as CSV', async () => {
    await page.click('a:has-text("Audit log")');
    await page.waitForSelector('table.audit-log tr[data-action="canned-reply.create"]');
    expect(await page.textContent('table.audit-log tr[data-action="canned-reply.create"]')).toContain(
      'admin@test.example',
    );
    await page.selectOption('select[aria-label="Kind of action"]', 'queue.');
    await page.click('.audit button:has-text("Show")');
    await page.waitForSelector('table.audit-log tr[data-action="canned-reply.create"]', {
      state: 'detached',
    });
    const actions = await page.$$eval('table.audit-log tbody tr', (rows) =>
      rows.map((r) => r.getAttribute('data-action')),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a?.startsWith('queue.'))).toBe(true);
    expect(actions).toContain('queue.update');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.audit button:has-text("CSV")'),
    ]);
    expect(file.suggestedFilename()).toBe('switchboard-audit.csv');
    const text = readFileSync(await file.path(), 'utf8');
    expect(text.split('\n')[0]).toBe(
      'id,at,actor_id,actor_email,actor_role,action,outcome,target_type,target_id,ip,data',
    );
    expect(text).toContain('queue.update');
    expect(text).not.toContain('canned-reply.create');
    expect(errors).toEqual([]);
  });

  it('keeps agents out: the page says so and the server refuses the data', async () => {
    const agentContext = await browser.newContext();
    agentContext.setDefaultTimeout(10_000);
    const agentPage = await agentContext.newPage();
    await signIn(agentPage, org.agents[0].email, 'agent-password-123');
    await agentPage.waitForSelector('.error:has-text("for supervisors and admins")');
    const token = await agentPage.evaluate(() => sessionStorage.getItem('switchboard.dashboard.token'));
    const refused = await agentPage.evaluate(
      async (t) =>
        (await fetch('/supervision/conversations', { headers: { authorization: `Bearer ${t}` } })).status,
      token,
    );
    expect(refused).toBe(403);
    expect(
      (
        await http(node, 'POST', `/supervision/agents/${org.agents[1].id}/state`, {
          token: org.agents[0].token,
          body: { availability: 'available' },
        })
      ).status,
    ).toBe(403);
    await agentContext.close();
  });
});
