import { Queue, QueueEvents } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Assignment } from '../src/realtime/contracts/agent.events.js';
import type { Ack, AttachmentView, MessageView } from '../src/realtime/contracts/common.js';
import {
  ack,
  connectAgent,
  connectVisitor,
  http,
  nextEvent,
  SITE_ORIGIN,
  type AgentClient,
  type VisitorClient,
} from './support/clients.js';
import {
  createTelegramAccount,
  FakeTelegramApi,
  telegramUpdate,
  TEST_BOT,
} from './support/fake-providers/telegram.js';
import { until } from './support/fake-providers/webhook-signing.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

const BOT_TOKEN = TEST_BOT.botToken;
const SECRET = TEST_BOT.webhookSecret;
// A real 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const update = (chatId: number, text: string, id?: number) => telegramUpdate(chatId, { text }, id);

describe('housekeeping: raw inbound events and unsent uploads', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let telegram: FakeTelegramApi;
  let accountId: string;
  let agent: AgentClient;
  let customer: VisitorClient;
  let customerToken: string;
  let conversationId: string;
  let queue: Queue;
  let queueEvents: QueueEvents;
  const storageDir = mkdtempSync(join(tmpdir(), 'sb-housekeeping-'));

  const webhook = (body: string) =>
    http(node, 'POST', `/webhooks/telegram/${accountId}`, {
      body,
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });

  /** Every event received through a webhook has been worked (`except`: one left pending on purpose). */
  const pendingDone = (except: string[] = []) =>
    until(
      async () =>
        (
          await env.query(
            `SELECT 1 FROM channel_inbound_event WHERE status = 'pending' AND NOT id = ANY($1::uuid[])`,
            [except],
          )
        ).length === 0,
    );

  /** Runs the housekeeping job once, through its queue as the scheduler does, and waits for it. */
  async function runHousekeeping(): Promise<void> {
    const job = await queue.add('housekeeping', {}, { removeOnComplete: true, removeOnFail: true });
    await job.waitUntilFinished(queueEvents, 20_000);
  }

  async function customerUpload(): Promise<AttachmentView> {
    const response = await fetch(`${node.url}/widget/conversations/${conversationId}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${customerToken}`,
        'content-type': 'image/png',
        'x-file-name': encodeURIComponent('Front bumper.png'),
        origin: SITE_ORIGIN,
      },
      body: PNG,
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { attachment: AttachmentView }).attachment;
  }

  async function storedFile(attachmentId: string): Promise<string> {
    const [row] = await env.query<{ storage_key: string }>(
      `SELECT storage_key FROM attachment WHERE id = $1`,
      [attachmentId],
    );
    return join(storageDir, row.storage_key);
  }

  /** Uploads as `hoursAgo` hours old: one statement, so that no run sees half of them. */
  async function age(attachmentIds: string[], hoursAgo: number): Promise<void> {
    await env.query(
      `UPDATE attachment SET created_at = now() - make_interval(hours => $2) WHERE id = ANY($1::uuid[])`,
      [attachmentIds, hoursAgo],
    );
  }

  const attachmentExists = async (id: string) =>
    (await env.query(`SELECT 1 FROM attachment WHERE id = $1`, [id])).length === 1;

  beforeAll(async () => {
    telegram = await new FakeTelegramApi(BOT_TOKEN).start();
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
      STORAGE_DIR: storageDir,
      // Runs are started by the tests; the scheduled one comes once at start and then hourly.
      HOUSEKEEPING_INTERVAL_SECONDS: '3600',
      RAW_EVENT_RETENTION_DAYS: '30',
      UPLOAD_ORPHAN_HOURS: '24',
    });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 1, capacity: 10 });
    accountId = await createTelegramAccount(node, org.adminToken, org.queues.claims, telegram);

    agent = (await connectAgent(node, org.agents[0].token)).socket;
    await ack(agent, 'availability:set', { availability: 'available' });
    const visitor = await connectVisitor(node, org.siteKey);
    customer = visitor.socket;
    customerToken = (visitor.session as { token: string }).token;
    const assigned = nextEvent<Assignment>(
      agent,
      'conversation:assigned',
      (a) => a.conversation.channel === 'web',
    );
    const started = (await ack(customer, 'conversation:start', {
      prechat: { name: 'Maria Lopez', policyNumber: 'POL-123' },
    })) as Ack<{ conversation: { id: string } }>;
    if (!started.ok) throw new Error(started.error.message);
    conversationId = started.data.conversation.id;
    await assigned;

    const connection = { url: env.env.REDIS_URL };
    queue = new Queue('housekeeping', { connection, prefix: env.env.QUEUE_PREFIX });
    queueEvents = new QueueEvents('housekeeping', { connection, prefix: env.env.QUEUE_PREFIX });
    await queueEvents.waitUntilReady();
  });

  afterAll(async () => {
    customer?.disconnect();
    agent?.disconnect();
    await queueEvents?.close();
    await queue?.close();
    await env.close();
    await telegram.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('deletes processed raw events past the retention, keeping pending, failed, rejected and recent ones', async () => {
    const oldBody = update(7770001, 'An old message');
    expect((await webhook(oldBody)).status).toBe(200);
    expect((await webhook(update(7770002, 'A message that failed'))).status).toBe(200);
    expect((await webhook(update(7770003, 'A recent message'))).status).toBe(200);
    expect((await webhook(JSON.stringify({ message: { text: 'no update id' } }))).status).toBe(400);
    await pendingDone();
    const ids = async (text: string) =>
      (
        await env.query<{ id: string }>(
          `SELECT id FROM channel_inbound_event WHERE convert_from(raw_body, 'UTF8') LIKE $1`,
          [`%${text}%`],
        )
      ).map((r) => r.id);
    const [oldId] = await ids('An old message');
    const [failedId] = await ids('A message that failed');
    const [recentId] = await ids('A recent message');
    const [rejectedId] = await ids('no update id');

    // History, in one statement: a month-old processed, failed and rejected event, and a pending one.
    const [{ id: pendingId }] = await env.query<{ id: string }>(
      `WITH aged AS (
         UPDATE channel_inbound_event
            SET received_at = now() - interval '31 days',
                status = CASE WHEN id = $2 THEN 'failed' ELSE status END,
                error = CASE WHEN id = $2 THEN 'provider unreachable' ELSE error END
          WHERE id = ANY($1::uuid[])
       )
       INSERT INTO channel_inbound_event (account_id, received_at, url, headers, raw_body, status)
       SELECT account_id, now() - interval '40 days', url, headers, raw_body, 'pending'
         FROM channel_inbound_event WHERE id = $3
       RETURNING id`,
      [[oldId, failedId, rejectedId], failedId, recentId],
    );

    await runHousekeeping();

    const left = await env.query<{ id: string }>(`SELECT id FROM channel_inbound_event`);
    expect(left.map((r) => r.id).sort()).toEqual([failedId, recentId, rejectedId, pendingId].sort());
    // The dedupe row outlives its raw event: a late redelivery of the same update is still recognised.
    const [dedupe] = await env.query<{ event_id: string | null; message_id: string | null }>(
      `SELECT event_id, message_id FROM channel_inbound_message WHERE sender_external_id = '7770001'`,
    );
    expect(dedupe.event_id).toBeNull();
    expect(dedupe.message_id).not.toBeNull();
    expect((await webhook(oldBody)).status).toBe(200);
    await pendingDone([pendingId]);
    expect(await env.query(`SELECT 1 FROM message WHERE body = 'An old message'`)).toHaveLength(1);
  });

  it('works through a backlog larger than one batch', async () => {
    await env.query(
      `INSERT INTO channel_inbound_event (account_id, received_at, url, headers, raw_body, status, processed_at)
       SELECT $1, now() - interval '45 days', '/webhooks/telegram', '{}', convert_to('{}', 'UTF8'), 'processed',
              now() - interval '45 days'
         FROM generate_series(1, 2500)`,
      [accountId],
    );
    await runHousekeeping();
    const [{ n }] = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM channel_inbound_event WHERE received_at < now() - interval '30 days' AND status = 'processed'`,
    );
    expect(n).toBe(0);
  });

  it('deletes uploads never sent after a day, with their files, and keeps sent and recent ones', async () => {
    const forgotten = await customerUpload();
    const sent = await customerUpload();
    const recent = await customerUpload();
    const atAgent = nextEvent<MessageView>(agent, 'message', (m) => m.clientId === 'with-photo');
    const message = (await ack(customer, 'message:send', {
      conversationId,
      clientId: 'with-photo',
      body: 'The bumper',
      attachmentIds: [sent.id],
    })) as Ack<unknown>;
    expect(message.ok).toBe(true);
    const sentView = (await atAgent).attachments[0];
    const forgottenFile = await storedFile(forgotten.id);
    const sentFile = await storedFile(sent.id);
    expect(existsSync(forgottenFile)).toBe(true);
    await age([forgotten.id, sent.id], 25);
    await age([recent.id], 23);

    await runHousekeeping();

    expect(await attachmentExists(forgotten.id)).toBe(false);
    expect(existsSync(forgottenFile)).toBe(false);
    expect((await fetch(node.url + forgotten.url)).status).toBe(404);
    // The sent photo stays readable; the recent upload can still be sent.
    expect(existsSync(sentFile)).toBe(true);
    const opened = await fetch(node.url + sentView.url);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(PNG)).toBe(true);
    expect(
      (
        (await ack(customer, 'message:send', {
          conversationId,
          clientId: 'late-photo',
          body: '',
          attachmentIds: [recent.id],
        })) as Ack<unknown>
      ).ok,
    ).toBe(true);
  });

  it('never removes an upload that a message is claiming while the job runs', async () => {
    const claimed = await customerUpload();
    const other = await customerUpload();
    const claimedFile = await storedFile(claimed.id);
    await age([claimed.id, other.id], 30);

    // A message being sent holds the upload's row (as sending does) while the job runs.
    const sender = new pg.Client({ connectionString: env.env.DATABASE_URL });
    await sender.connect();
    try {
      await sender.query('BEGIN');
      await sender.query(`SELECT id FROM attachment WHERE id = $1 FOR UPDATE`, [claimed.id]);
      await runHousekeeping();
      expect(await attachmentExists(other.id)).toBe(false); // the run did happen
      expect(await attachmentExists(claimed.id)).toBe(true);
      expect(existsSync(claimedFile)).toBe(true);
    } finally {
      await sender.query('ROLLBACK');
      await sender.end();
    }

    // The real send goes through and the agent can open the file.
    const atAgent = nextEvent<MessageView>(agent, 'message', (m) => m.clientId === 'claimed');
    const sent = (await ack(customer, 'message:send', {
      conversationId,
      clientId: 'claimed',
      body: 'Here it is',
      attachmentIds: [claimed.id],
    })) as Ack<unknown>;
    expect(sent.ok).toBe(true);
    const view = (await atAgent).attachments[0];
    await runHousekeeping();
    expect((await fetch(node.url + view.url)).status).toBe(200);
  });

  it('arms again the inactivity timer of an open conversation whose job was lost (e.g. Redis restarted)', async () => {
    const routing = new Queue('routing', {
      connection: { url: env.env.REDIS_URL },
      prefix: env.env.QUEUE_PREFIX,
    });
    try {
      const jobId = `inactivity-${conversationId}`;
      expect(await routing.getJobState(jobId)).toBe('delayed');
      await routing.remove(jobId);
      expect(await routing.getJobState(jobId)).toBe('unknown');
      await runHousekeeping();
      // Checked at once: the customer is not idle long enough, so the job sleeps until its due time.
      await until(async () => (await routing.getJobState(jobId)) === 'delayed', 5000);
      const [row] = await env.query<{ status: string }>(`SELECT status FROM conversation WHERE id = $1`, [
        conversationId,
      ]);
      expect(row.status).toBe('assigned');
    } finally {
      await routing.close();
    }
  });

  it('keeps one schedule for the whole deployment, whatever the number of nodes', async () => {
    await env.startNode();
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['housekeeping', 3_600_000]]);
  });
});
