import type { EntityManager } from 'typeorm';
import type { OfferSettings } from './domain/offers.js';
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
  waiting: {
    id: string;
    priority: number;
    enqueued_at: string;
    attributes: Record<string, string>;
    last_agent_id: string | null;
    last_closed_at: string | null;
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
): Promise<{ queue: QueueRouting; waiting: WaitingItem[]; offers: QueueOffers | null } | null> {
  const rows: QueueRow[] = await tx.query(
    `SELECT q.id, q.strategy, q.required_skills, q.last_assigned_agent_id, q.priority, q.skill_levels,
            q.relaxation, q.answer_rules, q.priority_aging, q.sticky_window_seconds,
            q.offer_timeout_seconds, q.missed_offers_before_away,
            COALESCE((SELECT json_agg(w) FROM (
               SELECT c.id, c.priority, c.enqueued_at, c.attributes, last.agent_id AS last_agent_id,
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
    },
    waiting: row.waiting.map((w) => ({
      id: w.id,
      priority: w.priority,
      attributes: w.attributes,
      enqueuedAt: new Date(w.enqueued_at),
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
): Promise<{ enqueuedAt: Date } | null> {
  const rows: { enqueued_at: Date }[] = await tx.query(
    `SELECT enqueued_at FROM conversation
      WHERE id = $1 AND queue_id = $2 AND status = 'queued'
        AND NOT EXISTS (SELECT 1 FROM conversation_offer o WHERE o.conversation_id = $1)
        AND pg_try_advisory_xact_lock(${ROUTING_LOCK_SPACE}, hashtext($1::text))
      FOR UPDATE`,
    [conversationId, queueId],
  );
  return rows[0] ? { enqueuedAt: rows[0].enqueued_at } : null;
}

interface CandidateRow {
  id: string;
  availability: Availability;
  capacity: number;
  skills: Record<string, number>;
  last_assigned_at: Date | null;
  availability_changed_at: Date;
  active_count: number;
}

/**
 * What holds a slot of the agent: assigned conversations, and open offers of conversations still waiting
 * (so an agent is never offered more than they can hold).
 */
const LOAD_OF = (agent: string) => `(
  (SELECT count(*) FROM conversation c WHERE c.agent_id = ${agent} AND c.status = 'assigned')
  + (SELECT count(*) FROM conversation_offer o JOIN conversation c ON c.id = o.conversation_id AND c.status = 'queued'
      WHERE o.agent_id = ${agent}))::int`;

/** Active members of the queue who are available, with their current load (open offers included). */
export async function candidatesFor(tx: EntityManager, queueId: string): Promise<AgentCandidate[]> {
  const rows: CandidateRow[] = await tx.query(
    `SELECT a.staff_id AS id, a.availability, a.capacity, a.skills, a.last_assigned_at, a.availability_changed_at,
            ${LOAD_OF('a.staff_id')} AS active_count
       FROM agent_state a
       JOIN queue_member m ON m.staff_id = a.staff_id AND m.queue_id = $1
       JOIN staff_user s ON s.id = a.staff_id AND s.active
      WHERE a.availability = 'available' AND a.connected`,
    [queueId],
  );
  return rows.map((r) => ({
    id: r.id,
    availability: r.availability,
    capacity: r.capacity,
    skills: r.skills,
    lastAssignedAt: r.last_assigned_at,
    availabilityChangedAt: r.availability_changed_at,
    activeCount: r.active_count,
  }));
}

/**
 * Locks the agent's state row and re-reads their load (open offers included). Every assignment to an agent takes this lock,
 * so two nodes cannot both see a free slot and fill it twice.
 */
export async function lockAgentLoad(
  tx: EntityManager,
  agentId: string,
): Promise<{ availability: Availability; connected: boolean; capacity: number; activeCount: number } | null> {
  const state: { availability: Availability; connected: boolean; capacity: number }[] = await tx.query(
    `SELECT availability, connected, capacity FROM agent_state WHERE staff_id = $1 FOR UPDATE`,
    [agentId],
  );
  if (state.length === 0) return null;
  const [{ count }]: { count: number }[] = await tx.query(
    `SELECT ${LOAD_OF('$1::uuid')} AS count`,
    [agentId],
  );
  return { ...state[0], activeCount: count };
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
