import type { EntityManager } from 'typeorm';
import type { AgentCandidate, Availability, QueueRule, RoutingStrategy } from './domain/routing-types.js';
import type { QueueContext } from './domain/strategies.js';

/** The SQL the assignment transaction needs; every statement runs inside the caller's transaction. */

/**
 * Claims the first waiting conversation of the queue that no other router is handling.
 *
 * Routers claim with a transaction-scoped advisory lock rather than `FOR UPDATE SKIP LOCKED`: a customer
 * writing a message briefly locks the conversation row, and SKIP LOCKED would then pass the
 * conversation over (it would wait for the sweep). With the advisory lock, routers skip each other but
 * wait the few milliseconds a message write takes.
 */
export async function lockNextWaiting(
  tx: EntityManager,
  queueId: string,
): Promise<{ id: string; enqueuedAt: Date } | null> {
  // Usually the head of the queue is free: claim it in one statement. The outer status check is
  // re-evaluated after waiting for the row lock.
  const head: { id: string; enqueued_at: Date }[] = await tx.query(
    `SELECT c.id, c.enqueued_at FROM conversation c
      WHERE c.id = (SELECT id FROM conversation WHERE queue_id = $1 AND status = 'queued'
                     ORDER BY priority DESC, enqueued_at, id LIMIT 1)
        AND c.queue_id = $1 AND c.status = 'queued'
        AND pg_try_advisory_xact_lock(${ROUTING_LOCK_SPACE}, hashtext(c.id::text))
      FOR UPDATE`,
    [queueId],
  );
  if (head.length > 0) return { id: head[0].id, enqueuedAt: head[0].enqueued_at };
  const waiting: { id: string }[] = await tx.query(
    `SELECT id FROM conversation
      WHERE queue_id = $1 AND status = 'queued'
      ORDER BY priority DESC, enqueued_at, id
      LIMIT 20`,
    [queueId],
  );
  for (const { id } of waiting) {
    // Claim, then lock the row (waiting out a message write) and re-check it is still waiting here.
    const claimed: { id: string; enqueued_at: Date }[] = await tx.query(
      `SELECT id, enqueued_at FROM conversation
        WHERE id = $1 AND queue_id = $2 AND status = 'queued'
          AND pg_try_advisory_xact_lock(${ROUTING_LOCK_SPACE}, hashtext($1::text))
        FOR UPDATE`,
      [id, queueId],
    );
    if (claimed.length > 0) return { id, enqueuedAt: claimed[0].enqueued_at };
  }
  return null;
}

/** Advisory-lock namespace for routing claims (the second key is the conversation id's hash). */
const ROUTING_LOCK_SPACE = 727002;

export async function queueRule(
  tx: EntityManager,
  queueId: string,
): Promise<{ rule: QueueRule; context: QueueContext } | null> {
  const rows: { id: string; strategy: RoutingStrategy; required_skills: string[]; last_assigned_agent_id: string | null }[] =
    await tx.query(`SELECT id, strategy, required_skills, last_assigned_agent_id FROM queue WHERE id = $1`, [queueId]);
  const row = rows[0];
  if (!row) return null;
  return {
    rule: { id: row.id, strategy: row.strategy, requiredSkills: row.required_skills },
    context: { lastAssignedAgentId: row.last_assigned_agent_id },
  };
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

/** Active members of the queue who are available, with their current load. */
export async function candidatesFor(tx: EntityManager, queueId: string): Promise<AgentCandidate[]> {
  const rows: CandidateRow[] = await tx.query(
    `SELECT a.staff_id AS id, a.availability, a.capacity, a.skills, a.last_assigned_at, a.availability_changed_at,
            (SELECT count(*)::int FROM conversation c WHERE c.agent_id = a.staff_id AND c.status = 'assigned') AS active_count
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
 * Locks the agent's state row and re-reads their load. Every assignment to an agent takes this lock,
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
    `SELECT count(*)::int AS count FROM conversation WHERE agent_id = $1 AND status = 'assigned'`,
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
