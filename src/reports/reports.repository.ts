import type { DataSource } from 'typeorm';
import type { AgentAggregate, DurationAggregate, QueueAggregate } from './domain/report-rows.js';
import type { ReportWindow } from './domain/report-window.js';

/**
 * The SQL behind the reports. One statement per report, so every figure comes from the same snapshot.
 *
 * `facts` turns the conversation history into one row per thing that happened in the period, with the
 * queue and agent it counts for and, for durations, its length in seconds; the reports group those by
 * bucket and by queue or agent. Each branch finds its events through the event time index; the
 * look-backs (the first `queued` or `assigned` event, the first reply) go through the per-conversation
 * indexes and may reach before the period. Definitions: docs/protocol.md, "Reports".
 *
 * Parameters: $1 from, $2 to, $3 time zone, $4 bucket unit, $5 the kinds of fact counted, $6 queue filter,
 * $7 agent filter (agent report only).
 */
const FACTS = `
  first_assigned AS (
    SELECT a.conversation_id, a.created_at AS at, a.queue_id, a.agent_id, fq.created_at AS queued_at
      FROM conversation_event a
      LEFT JOIN LATERAL (SELECT e.created_at FROM conversation_event e
                          WHERE e.conversation_id = a.conversation_id AND e.type = 'queued'
                          ORDER BY e.id LIMIT 1) fq ON true
     WHERE a.type = 'assigned' AND a.created_at >= $1 AND a.created_at < $2
       AND NOT EXISTS (SELECT 1 FROM conversation_event p
                        WHERE p.conversation_id = a.conversation_id AND p.type = 'assigned' AND p.id < a.id)
  ),
  facts AS (
    SELECT 'queued' AS kind, q.created_at AS at, q.queue_id, NULL::uuid AS agent_id, q.conversation_id,
           NULL::float8 AS seconds
      FROM conversation_event q
     WHERE q.type = 'queued' AND q.created_at >= $1 AND q.created_at < $2
       AND NOT EXISTS (SELECT 1 FROM conversation_event p
                        WHERE p.conversation_id = q.conversation_id AND p.type = 'queued' AND p.id < q.id)
    UNION ALL
    SELECT 'answered', a.at, a.queue_id, a.agent_id, a.conversation_id,
           extract(epoch FROM a.at - a.queued_at)::float8
      FROM first_assigned a
    UNION ALL
    -- Counted with the answer (its bucket, queue and agent), whenever the reply came.
    SELECT 'responded', a.at, a.queue_id, a.agent_id, a.conversation_id,
           extract(epoch FROM r.created_at - a.queued_at)::float8
      FROM first_assigned a
      JOIN LATERAL (SELECT m.created_at FROM message m
                     WHERE m.conversation_id = a.conversation_id AND m.sender_kind = 'agent' AND NOT m.internal
                       AND m.created_at >= a.at
                     ORDER BY m.seq LIMIT 1) r ON true
     WHERE a.queued_at IS NOT NULL
    UNION ALL
    -- In the queue it was closed in, for the agent who held it then.
    SELECT 'closed', c.created_at, c.queue_id, c.agent_id, c.conversation_id,
           extract(epoch FROM c.created_at - fa.created_at)::float8
      FROM conversation_event c
      JOIN LATERAL (SELECT e.created_at FROM conversation_event e
                     WHERE e.conversation_id = c.conversation_id AND e.type = 'assigned'
                     ORDER BY e.id LIMIT 1) fa ON true
     WHERE c.type = 'closed' AND c.created_at >= $1 AND c.created_at < $2
    UNION ALL
    -- Given to an agent: by routing, or by a transfer to an agent (the only transfer with fromAgentId).
    SELECT 'handled', e.created_at, e.queue_id, e.agent_id, e.conversation_id, NULL
      FROM conversation_event e
     WHERE (e.type = 'assigned' OR (e.type = 'transferred' AND e.data ? 'fromAgentId'))
       AND e.created_at >= $1 AND e.created_at < $2
    UNION ALL
    -- Counted for whoever let it go. To an agent: agent_id is the new agent, data.fromAgentId the old
    -- one, queue_id unchanged. To a queue: queue_id is the new queue, data.fromQueueId the old one,
    -- agent_id the agent who had it.
    SELECT 'transferred', e.created_at,
           CASE WHEN e.data ? 'fromQueueId' THEN (e.data->>'fromQueueId')::uuid ELSE e.queue_id END,
           CASE WHEN e.data ? 'fromAgentId' THEN (e.data->>'fromAgentId')::uuid ELSE e.agent_id END,
           e.conversation_id, NULL
      FROM conversation_event e
     WHERE e.type = 'transferred' AND e.created_at >= $1 AND e.created_at < $2
    UNION ALL
    SELECT e.type, e.created_at, e.queue_id, e.agent_id, e.conversation_id, NULL
      FROM conversation_event e
     WHERE e.type IN ('abandoned', 'offer-declined', 'offer-timeout') AND e.created_at >= $1 AND e.created_at < $2
       -- A short abandon (the customer left within SHORT_ABANDON_SECONDS) is not counted as abandoned.
       AND NOT (e.type = 'abandoned' AND COALESCE((e.data->>'short')::boolean, false))
    UNION ALL
    -- A customer's rating, when it was given, for the queue and agent of the closed conversation; the
    -- score (1-5) travels in the seconds column so the same aggregate serves.
    SELECT 'csat', e.created_at, e.queue_id, e.agent_id, e.conversation_id, (e.data->>'score')::float8
      FROM conversation_event e
     WHERE e.type = 'csat' AND e.created_at >= $1 AND e.created_at < $2
  )`;

const BUCKET = `date_trunc($4::text, f.at AT TIME ZONE $3::text)`;

/** Average, median and sample size of one kind's durations, as a JSON object (a DurationAggregate). */
const duration = (kind: string, name: string) => `json_build_object(
    'average', avg(f.seconds) FILTER (WHERE f.kind = '${kind}'),
    'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY f.seconds) FILTER (WHERE f.kind = '${kind}'),
    'n', count(f.seconds) FILTER (WHERE f.kind = '${kind}')
  ) AS ${name}`;

const count = (kind: string, name: string) => `count(*) FILTER (WHERE f.kind = '${kind}')::int AS ${name}`;

/** The bucket as an instant and as the wall-clock time it starts at in the report's zone. */
const BUCKET_COLUMNS = `b.bucket AT TIME ZONE $3::text AS bucket_start,
  to_char(b.bucket, 'YYYY-MM-DD"T"HH24:MI:SS') AS bucket_local`;

const QUEUE_REPORT = `
WITH ${FACTS}
SELECT ${BUCKET_COLUMNS}, b.*
  FROM (
    SELECT ${BUCKET} AS bucket, f.queue_id, q.name AS queue_name, q.sla_target_seconds,
           ${count('queued', 'volume')},
           ${count('answered', 'answered')},
           count(f.seconds) FILTER (WHERE f.kind = 'answered' AND q.sla_target_seconds IS NOT NULL)::int AS sla_sample,
           count(*) FILTER (WHERE f.kind = 'answered' AND f.seconds <= q.sla_target_seconds)::int AS within_sla,
           ${duration('answered', 'wait')},
           ${duration('responded', 'first_response')},
           ${duration('closed', 'handle')},
           ${count('abandoned', 'abandoned')},
           ${count('transferred', 'transfers')},
           ${duration('csat', 'csat')}
      FROM facts f
      LEFT JOIN queue q ON q.id = f.queue_id
     WHERE f.queue_id IS NOT NULL AND f.kind = ANY($5::text[])
       AND ($6::uuid IS NULL OR f.queue_id = $6::uuid)
     GROUP BY 1, f.queue_id, q.name, q.sla_target_seconds
  ) b
 ORDER BY b.bucket, b.queue_name, b.queue_id`;

const AGENT_REPORT = `
WITH ${FACTS}
SELECT ${BUCKET_COLUMNS}, b.*
  FROM (
    SELECT ${BUCKET} AS bucket, f.agent_id, s.display_name,
           count(DISTINCT f.conversation_id) FILTER (WHERE f.kind = 'handled')::int AS handled,
           ${duration('closed', 'handle')},
           ${duration('responded', 'first_response')},
           ${count('transferred', 'transfers_out')},
           ${count('offer-declined', 'offers_declined')},
           ${count('offer-timeout', 'offers_timed_out')},
           ${duration('csat', 'csat')}
      FROM facts f
      LEFT JOIN staff_user s ON s.id = f.agent_id
     WHERE f.agent_id IS NOT NULL AND f.kind = ANY($5::text[])
       AND ($6::uuid IS NULL OR f.queue_id = $6::uuid)
       AND ($7::uuid IS NULL OR f.agent_id = $7::uuid)
     GROUP BY 1, f.agent_id, s.display_name
  ) b
 ORDER BY b.bucket, b.display_name, b.agent_id`;

// Each report counts only the facts it shows, so no row consists of zeros alone.
const QUEUE_KINDS = ['queued', 'answered', 'responded', 'closed', 'abandoned', 'transferred', 'csat'];
const AGENT_KINDS = ['handled', 'responded', 'closed', 'transferred', 'offer-declined', 'offer-timeout', 'csat'];

interface BucketRow {
  bucket_start: Date;
  bucket_local: string;
}

interface QueueRow extends BucketRow {
  queue_id: string;
  queue_name: string | null;
  sla_target_seconds: number | null;
  volume: number;
  answered: number;
  sla_sample: number;
  within_sla: number;
  wait: DurationAggregate;
  first_response: DurationAggregate;
  handle: DurationAggregate;
  abandoned: number;
  transfers: number;
  csat: DurationAggregate;
}

interface AgentRow extends BucketRow {
  agent_id: string;
  display_name: string | null;
  handled: number;
  handle: DurationAggregate;
  first_response: DurationAggregate;
  transfers_out: number;
  offers_declined: number;
  offers_timed_out: number;
  csat: DurationAggregate;
}

const params = (window: ReportWindow, kinds: string[]) => [
  window.from,
  window.to,
  window.timeZone,
  window.bucket,
  kinds,
];

/**
 * The look-ups per conversation make the planner's cost estimate large, and above `jit_above_cost`
 * PostgreSQL spends seconds compiling a query that then runs in a fraction of one: JIT is off for it.
 */
function run<T>(db: DataSource, sql: string, parameters: unknown[]): Promise<T[]> {
  return db.transaction('READ COMMITTED', async (tx) => {
    await tx.query(`SET LOCAL jit = off`);
    return tx.query<T[]>(sql, parameters);
  });
}

export async function queueAggregates(
  db: DataSource,
  window: ReportWindow,
  queueId: string | null,
): Promise<QueueAggregate[]> {
  const rows: QueueRow[] = await run(db, QUEUE_REPORT, [...params(window, QUEUE_KINDS), queueId]);
  return rows.map((r) => ({
    bucketStart: r.bucket_start,
    bucketLocal: r.bucket_local,
    queueId: r.queue_id,
    queueName: r.queue_name,
    slaTargetSeconds: r.sla_target_seconds,
    volume: r.volume,
    answered: r.answered,
    slaSample: r.sla_sample,
    answeredWithinSla: r.within_sla,
    wait: r.wait,
    firstResponse: r.first_response,
    handle: r.handle,
    abandoned: r.abandoned,
    transfers: r.transfers,
    csat: r.csat,
  }));
}

export async function agentAggregates(
  db: DataSource,
  window: ReportWindow,
  filters: { queueId: string | null; agentId: string | null },
): Promise<AgentAggregate[]> {
  const rows: AgentRow[] = await run(db, AGENT_REPORT, [
    ...params(window, AGENT_KINDS),
    filters.queueId,
    filters.agentId,
  ]);
  return rows.map((r) => ({
    bucketStart: r.bucket_start,
    bucketLocal: r.bucket_local,
    agentId: r.agent_id,
    displayName: r.display_name,
    handled: r.handled,
    handle: r.handle,
    firstResponse: r.first_response,
    transfersOut: r.transfers_out,
    offersDeclined: r.offers_declined,
    offersTimedOut: r.offers_timed_out,
    csat: r.csat,
  }));
}
