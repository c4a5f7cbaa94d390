import type { EntityManager } from 'typeorm';
import type { Availability } from '../realtime/contracts/common.js';
import {
  COUNTED_EVENTS,
  type AgentRow,
  type AnsweredRow,
  type EventCountRow,
  type HandledRow,
  type MetricsRows,
  type QueueRow,
} from './domain/queue-metrics.js';

/**
 * The SQL behind the supervisor's numbers: a few aggregates, each served by an index (the partial
 * indexes on waiting and assigned conversations, the event time index), because every node with a
 * supervisor connected runs them once a second. Definitions: docs/protocol.md, "Queue metrics".
 */

/** Waiting and assigned conversations per queue, every queue listed. */
async function queueRows(tx: EntityManager): Promise<QueueRow[]> {
  const rows: {
    id: string;
    name: string;
    sla_target_seconds: number;
    waiting: number;
    assigned: number;
    longest_waiting_since: Date | null;
  }[] = await tx.query(
    `SELECT q.id, q.name, q.sla_target_seconds,
            coalesce(w.waiting, 0) AS waiting, w.longest_waiting_since, coalesce(a.assigned, 0) AS assigned
       FROM queue q
       LEFT JOIN (SELECT queue_id, count(*)::int AS waiting, min(enqueued_at) AS longest_waiting_since
                    FROM conversation WHERE status = 'queued' GROUP BY queue_id) w ON w.queue_id = q.id
       LEFT JOIN (SELECT queue_id, count(*)::int AS assigned
                    FROM conversation WHERE status = 'assigned' GROUP BY queue_id) a ON a.queue_id = q.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    slaTargetSeconds: r.sla_target_seconds,
    waiting: r.waiting,
    assigned: r.assigned,
    longestWaitingSince: r.longest_waiting_since,
  }));
}

/**
 * Conversations whose first `assigned` event falls in the window, per queue of that event: the time
 * from their `queued` event, and whether it was within that queue's SLA target.
 */
async function answeredRows(tx: EntityManager, since: Date): Promise<AnsweredRow[]> {
  const rows: { queue_id: string; answered: number; wait_seconds_total: number; within_sla: number }[] =
    await tx.query(
      `SELECT a.queue_id, count(*)::int AS answered,
            sum(extract(epoch FROM a.created_at - qd.created_at))::float8 AS wait_seconds_total,
            count(*) FILTER (WHERE a.created_at - qd.created_at <= make_interval(secs => q.sla_target_seconds))::int AS within_sla
       FROM conversation_event a
       JOIN conversation_event qd ON qd.conversation_id = a.conversation_id AND qd.type = 'queued'
       JOIN queue q ON q.id = a.queue_id
      WHERE a.type = 'assigned' AND a.created_at >= $1
        AND NOT EXISTS (SELECT 1 FROM conversation_event e
                         WHERE e.conversation_id = a.conversation_id AND e.type = 'assigned' AND e.id < a.id)
      GROUP BY a.queue_id`,
      [since],
    );
  return rows.map((r) => ({
    queueId: r.queue_id,
    answered: r.answered,
    waitSecondsTotal: r.wait_seconds_total,
    withinSla: r.within_sla,
  }));
}

/** Conversations closed in the window that had been assigned, per queue they were closed in. */
async function handledRows(tx: EntityManager, since: Date): Promise<HandledRow[]> {
  // closed_at has no index; the `closed` event (written in the same transaction, one per conversation)
  // finds the candidates through the event time index. The slack covers a node whose clock, which
  // sets closed_at, runs ahead of the database's, which stamps the event.
  const rows: { queue_id: string; handled: number; handle_seconds_total: number }[] = await tx.query(
    `SELECT c.queue_id, count(*)::int AS handled,
            sum(extract(epoch FROM c.closed_at - fa.created_at))::float8 AS handle_seconds_total
       FROM conversation_event ce
       JOIN conversation c ON c.id = ce.conversation_id
       JOIN LATERAL (SELECT e.created_at FROM conversation_event e
                      WHERE e.conversation_id = c.id AND e.type = 'assigned' ORDER BY e.id LIMIT 1) fa ON true
      WHERE ce.type = 'closed' AND ce.created_at >= $1::timestamptz - interval '5 minutes'
        AND c.status = 'closed' AND c.closed_at >= $1
      GROUP BY c.queue_id`,
    [since],
  );
  return rows.map((r) => ({
    queueId: r.queue_id,
    handled: r.handled,
    handleSecondsTotal: r.handle_seconds_total,
  }));
}

/** Abandonments and declined or expired offers in the window, counted from the events of those types. */
async function eventCountRows(tx: EntityManager, since: Date): Promise<EventCountRow[]> {
  const rows: { queue_id: string | null; type: string; count: number }[] = await tx.query(
    `SELECT queue_id, type, count(*)::int AS count FROM conversation_event
      WHERE created_at >= $1 AND type = ANY($2::text[])
        -- A short abandon (the customer left within SHORT_ABANDON_SECONDS) is not counted as abandoned.
        AND NOT (type = 'abandoned' AND COALESCE((data->>'short')::boolean, false))
      GROUP BY queue_id, type`,
    [since, Object.values(COUNTED_EVENTS)],
  );
  return rows.map((r) => ({ queueId: r.queue_id, type: r.type, count: r.count }));
}

/** Active queue members, and anyone else who holds a conversation (e.g. a supervisor who took one). */
async function agentRows(tx: EntityManager): Promise<AgentRow[]> {
  const rows: {
    id: string;
    display_name: string;
    availability: Availability;
    connected: boolean;
    capacity: number;
    active: number;
    queue_ids: string[];
    availability_changed_at: Date;
    missed_offers: number;
  }[] = await tx.query(
    `SELECT s.id, s.display_name,
            coalesce(a.availability, 'offline') AS availability, coalesce(a.connected, false) AS connected,
            coalesce(a.capacity, 3) AS capacity, coalesce(h.active, 0) AS active,
            coalesce(m.queue_ids, '{}') AS queue_ids,
            coalesce(a.availability_changed_at, s.created_at) AS availability_changed_at,
            coalesce(a.missed_offers, 0) AS missed_offers
       FROM staff_user s
       LEFT JOIN agent_state a ON a.staff_id = s.id
       LEFT JOIN (SELECT staff_id, array_agg(queue_id::text) AS queue_ids FROM queue_member GROUP BY staff_id) m
              ON m.staff_id = s.id
       LEFT JOIN (SELECT agent_id, count(*)::int AS active FROM conversation WHERE status = 'assigned' GROUP BY agent_id) h
              ON h.agent_id = s.id
      WHERE (s.active AND m.staff_id IS NOT NULL) OR h.agent_id IS NOT NULL`,
  );
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    availability: r.availability,
    connected: r.connected,
    capacity: r.capacity,
    activeConversations: r.active,
    queueIds: r.queue_ids,
    availabilityChangedAt: r.availability_changed_at,
    missedOffers: r.missed_offers,
  }));
}

/** Every row the snapshot is built from; run it in one repeatable-read transaction for a consistent picture. */
export async function readMetricsRows(tx: EntityManager, since: Date): Promise<MetricsRows> {
  return {
    queues: await queueRows(tx),
    answered: await answeredRows(tx, since),
    handled: await handledRows(tx, since),
    events: await eventCountRows(tx, since),
    agents: await agentRows(tx),
  };
}
