import type { EntityManager } from 'typeorm';
import type { BusinessHours } from './domain/business-hours.js';
import {
  agentCapacity,
  canTakeAnother,
  capacityKind,
  freeKinds,
  usedSlots,
  type AgentCapacity,
  type AgentLoad,
  type CapacityDecision,
  type Channel,
  type ChannelCapacity,
} from './domain/capacity.js';
import type { OfferSettings } from './domain/offers.js';
import type { QueueOpening } from './domain/offline-mode.js';
import type { QueueRouting, WaitingItem } from './domain/plan-queue.js';
import type { AgentCandidate, Availability, RoutingStrategy } from './domain/routing-types.js';

/** The SQL the assignment transaction needs; every statement runs inside the caller's transaction. */

/** Advisory-lock namespace for routing claims (the second key is the conversation id's hash). */
const ROUTING_LOCK_SPACE = 727002;

interface QueueRow {
  id: string;
  strategy: RoutingStrategy;
  required_skills: string[];
  last_assigned_agent_id: string | null;
  priority: number;
  skill_levels: Record<string, number>;
  relaxation: QueueRouting['relaxation'];
  answer_rules: QueueRouting['answerRules'];
  priority_aging: QueueRouting['aging'];
  sticky_window_seconds: number;
  offer_timeout_seconds: number | null;
  missed_offers_before_away: number;
  business_hours: BusinessHours | null;
  offline_when_no_agents: boolean;
  waiting: {
    id: string;
    priority: number;
    enqueued_at: string;
    attributes: Record<string, string>;
    last_agent_id: string | null;
    last_closed_at: string | null;
    channel: Channel;
    offline_at: string | null;
  }[];
}

/** Offer mode as stored on a queue: null when the queue assigns directly. */
export interface QueueOffers extends OfferSettings {
  missedBeforeAway: number;
}

/**
 * The queue's routing rules and its waiting conversations (oldest 200 by stored priority), in one read.
 * A conversation with an open offer is not up for routing (`includeOffered` false) but keeps its place
 * in the line the customers see.
 */
export async function queueWithWaiting(
  tx: EntityManager,
  queueId: string,
  { includeOffered = false }: { includeOffered?: boolean } = {},
): Promise<{ queue: QueueRouting; waiting: WaitingItem[]; offers: QueueOffers | null; opening: QueueOpening } | null> {
  const rows: QueueRow[] = await tx.query(
    `SELECT q.id, q.strategy, q.required_skills, q.last_assigned_agent_id, q.priority, q.skill_levels,
            q.relaxation, q.answer_rules, q.priority_aging, q.sticky_window_seconds,
            q.offer_timeout_seconds, q.missed_offers_before_away, q.business_hours, q.offline_when_no_agents,
            COALESCE((SELECT json_agg(w) FROM (
               SELECT c.id, c.priority, c.enqueued_at, c.attributes, c.channel, c.offline_at,
                      last.agent_id AS last_agent_id,
                      last.closed_at AS last_closed_at
                 FROM conversation c
                 -- Sticky routing: the agent of the customer's latest closed conversation, when the queue uses it.
                 LEFT JOIN LATERAL (
                   SELECT e.agent_id, p.closed_at FROM conversation p
                     JOIN LATERAL (SELECT agent_id FROM conversation_event
                                    WHERE conversation_id = p.id AND type IN ('assigned', 'transferred')
                                      AND agent_id IS NOT NULL
                                    ORDER BY id DESC LIMIT 1) e ON true
                    WHERE q.sticky_window_seconds > 0 AND p.contact_id = c.contact_id AND p.status = 'closed'
                    ORDER BY p.closed_at DESC LIMIT 1
                 ) last ON true
                WHERE c.queue_id = q.id AND c.status = 'queued'
                  AND ($2 OR NOT EXISTS (SELECT 1 FROM conversation_offer o WHERE o.conversation_id = c.id))
                ORDER BY c.priority DESC, c.enqueued_at, c.id LIMIT 200) w), '[]') AS waiting
       FROM queue q WHERE q.id = $1`,
    [queueId, includeOffered],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    queue: {
      rule: { id: row.id, strategy: row.strategy, requiredSkills: row.required_skills },
      context: { lastAssignedAgentId: row.last_assigned_agent_id },
      priority: row.priority,
      skillLevels: row.skill_levels,
      relaxation: row.relaxation,
      answerRules: row.answer_rules,
      aging: row.priority_aging,
      sticky: { windowSeconds: row.sticky_window_seconds },
      businessHours: row.business_hours,
    },
    opening: { businessHours: row.business_hours, offlineWhenNoAgents: row.offline_when_no_agents },
    waiting: row.waiting.map((w) => ({
      id: w.id,
      priority: w.priority,
      attributes: w.attributes,
      enqueuedAt: new Date(w.enqueued_at),
      channel: w.channel,
      offlineAt: w.offline_at ? new Date(w.offline_at) : null,
      lastServed:
        w.last_agent_id && w.last_closed_at ? { agentId: w.last_agent_id, endedAt: new Date(w.last_closed_at) } : null,
    })),
    offers: row.offer_timeout_seconds
      ? {
          timeoutSeconds: row.offer_timeout_seconds,
          // Once everybody has passed, the queue stays quiet for one offer's length before ringing again.
          retryAfterSeconds: row.offer_timeout_seconds,
          missedBeforeAway: row.missed_offers_before_away,
        }
      : null,
  };
}

/**
 * Claims one waiting conversation for this transaction. Routers claim with a transaction-scoped advisory
 * lock rather than `FOR UPDATE SKIP LOCKED`: a customer writing a message briefly locks the conversation
 * row, and SKIP LOCKED would pass the conversation over until the sweep. With the advisory lock routers
 * skip each other, then wait out a message write on the row lock and re-check the row is still waiting.
 */
export async function claimWaiting(
  tx: EntityManager,
  conversationId: string,
  queueId: string,
): Promise<{ enqueuedAt: Date; contactId: string } | null> {
  const rows: { enqueued_at: Date; contact_id: string }[] = await tx.query(
    `SELECT enqueued_at, contact_id FROM conversation
      WHERE id = $1 AND queue_id = $2 AND status = 'queued'
        AND NOT EXISTS (SELECT 1 FROM conversation_offer o WHERE o.conversation_id = $1)
        AND pg_try_advisory_xact_lock(${ROUTING_LOCK_SPACE}, hashtext($1::text))
      FOR UPDATE`,
    [conversationId, queueId],
  );
  return rows[0] ? { enqueuedAt: rows[0].enqueued_at, contactId: rows[0].contact_id } : null;
}

interface LoadRow {
  capacity: number;
  channel_capacity: ChannelCapacity | null;
  active_by_channel: Partial<Record<Channel, number>>;
  recent_closes: { channel: Channel; closedAt: string; wrapUpSeconds: number }[];
  db_now: Date;
}

interface CandidateRow extends LoadRow {
  id: string;
  availability: Availability;
  skills: Record<string, number>;
  last_assigned_at: Date | null;
  availability_changed_at: Date;
}

/** The longest wrap-up a queue or WRAP_UP_SECONDS may set. */
export const MAX_WRAP_UP_SECONDS = 3600;

/**
 * What holds the agent's slots, by channel: assigned conversations, open offers of conversations still
 * waiting (so an agent is never offered more than they can hold), and recent closes still in wrap-up
 * (the close's queue's wrap-up, or `$wrapUp`, the deployment's). Read with the database's clock.
 */
const LOAD_OF = (agent: string, wrapUp: string) => `
  a.capacity, a.channel_capacity, now() AS db_now,
  COALESCE((SELECT json_object_agg(h.channel, h.n) FROM (
     SELECT held.channel, count(*)::int AS n FROM (
       SELECT c.channel FROM conversation c WHERE c.agent_id = ${agent} AND c.status = 'assigned'
       UNION ALL
       SELECT c.channel FROM conversation_offer o JOIN conversation c ON c.id = o.conversation_id AND c.status = 'queued'
        WHERE o.agent_id = ${agent}
     ) held GROUP BY held.channel) h), '{}') AS active_by_channel,
  COALESCE((SELECT json_agg(json_build_object('channel', c.channel, 'closedAt', e.created_at, 'wrapUpSeconds', w.secs))
     FROM conversation_event e
     JOIN conversation c ON c.id = e.conversation_id
     LEFT JOIN queue wq ON wq.id = e.queue_id
     CROSS JOIN LATERAL (SELECT COALESCE(wq.wrap_up_seconds, ${wrapUp})::int AS secs) w
    WHERE e.type = 'closed' AND e.agent_id = ${agent} AND w.secs > 0
      -- The fixed bound (the longest wrap-up allowed) keeps this an index range over recent closes.
      AND e.created_at > now() - interval '${MAX_WRAP_UP_SECONDS} seconds'
      AND e.created_at > now() - make_interval(secs => w.secs)), '[]') AS recent_closes`;

const loadOf = (row: LoadRow): { capacity: AgentCapacity; load: AgentLoad; now: Date } => ({
  capacity: agentCapacity(row.capacity, row.channel_capacity),
  load: {
    activeByChannel: row.active_by_channel,
    recentCloses: row.recent_closes.map((r) => ({
      channel: r.channel,
      closedAt: new Date(r.closedAt),
      wrapUpSeconds: r.wrapUpSeconds,
    })),
  },
  now: row.db_now,
});

/**
 * Active members of the queue who are available, with their current load (open offers and wrap-ups
 * included) and the kinds of conversation they have room for.
 */
export async function candidatesFor(
  tx: EntityManager,
  queueId: string,
  wrapUpSeconds: number,
): Promise<AgentCandidate[]> {
  const rows: CandidateRow[] = await tx.query(
    `SELECT a.staff_id AS id, a.availability, a.skills, a.last_assigned_at, a.availability_changed_at,
            ${LOAD_OF('a.staff_id', '$2::int')}
       FROM agent_state a
       JOIN queue_member m ON m.staff_id = a.staff_id AND m.queue_id = $1
       JOIN staff_user s ON s.id = a.staff_id AND s.active
      WHERE a.availability = 'available' AND a.connected`,
    [queueId, wrapUpSeconds],
  );
  return rows.map((r) => {
    const { capacity, load, now } = loadOf(r);
    return {
      id: r.id,
      availability: r.availability,
      capacity: r.capacity,
      skills: r.skills,
      lastAssignedAt: r.last_assigned_at,
      availabilityChangedAt: r.availability_changed_at,
      activeCount: usedSlots(load, 0, now).total,
      freeKinds: freeKinds(capacity, load, 0, now),
    };
  });
}

export interface AgentLock {
  availability: Availability;
  connected: boolean;
  /** Whether they can take one more conversation of this channel now, and if not, when room frees. */
  canTake(channel: Channel): CapacityDecision;
}

/**
 * Locks the agent's state row and re-reads their load (open offers and wrap-ups included). Every
 * assignment to an agent takes this lock, so two nodes cannot both see a free slot and fill it twice.
 */
export async function lockAgentLoad(
  tx: EntityManager,
  agentId: string,
  wrapUpSeconds: number,
): Promise<AgentLock | null> {
  const state: { availability: Availability; connected: boolean }[] = await tx.query(
    `SELECT availability, connected FROM agent_state WHERE staff_id = $1 FOR UPDATE`,
    [agentId],
  );
  if (state.length === 0) return null;
  const [row]: LoadRow[] = await tx.query(
    `SELECT ${LOAD_OF('$1::uuid', '$2::int')} FROM agent_state a WHERE a.staff_id = $1`,
    [agentId, wrapUpSeconds],
  );
  const { capacity, load, now } = loadOf(row);
  return {
    ...state[0],
    canTake: (channel) => canTakeAnother(capacity, load, capacityKind(channel), 0, now),
  };
}

export async function assign(
  tx: EntityManager,
  conversationId: string,
  queueId: string,
  agentId: string,
  event: { type: 'assigned' | 'transferred'; actorId?: string | null; data?: Record<string, unknown> },
): Promise<void> {
  // One round trip: the assignment, the agent's last-assignment time and the history event.
  await tx.query(
    `WITH assigned AS (
       UPDATE conversation SET status = 'assigned', agent_id = $2, assigned_at = now(), updated_at = now() WHERE id = $1
     ), touched AS (
       UPDATE agent_state SET last_assigned_at = now() WHERE staff_id = $2
     ), cursor AS (
       UPDATE queue SET last_assigned_agent_id = $2 WHERE id = $4
     )
     INSERT INTO conversation_event (conversation_id, type, queue_id, agent_id, actor_id, data)
     VALUES ($1, $3, $4, $2, $5, $6)`,
    [conversationId, agentId, event.type, queueId, event.actorId ?? null, event.data ?? {}],
  );
}
