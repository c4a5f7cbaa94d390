import type { EntityManager } from 'typeorm';
import type { ConversationStatus } from '../conversations/domain/conversation-state.js';

/**
 * The SQL of offer mode; every statement runs inside the caller's transaction. The open offer is one row
 * per conversation; who was offered what is the conversation's `offered` / `offer-declined` /
 * `offer-timeout` events, which the reports and the supervisor metrics count too.
 */

export interface OfferRound {
  /** Agents offered the conversation in the current round, in order. */
  tried: string[];
  /** The last offer event of the round: when it ran out, if everybody in it has passed. */
  lastEventAt: Date | null;
}

/**
 * The current offer round of each conversation. A round starts with an offer marked `newRound`, or when
 * the conversation comes back to a queue (requeued, transferred): the agents of an earlier round or queue
 * may be offered it again.
 */
export async function offerRounds(
  tx: EntityManager,
  conversationIds: string[],
): Promise<Map<string, OfferRound>> {
  if (conversationIds.length === 0) return new Map();
  const rows: { conversation_id: string; tried: string[] | null; last_event_at: Date }[] = await tx.query(
    `SELECT e.conversation_id,
            array_agg(e.agent_id ORDER BY e.id) FILTER (WHERE e.type = 'offered') AS tried,
            max(e.created_at) AS last_event_at
       FROM conversation_event e
      WHERE e.conversation_id = ANY($1::uuid[])
        AND e.type IN ('offered', 'offer-declined', 'offer-timeout')
        AND e.id >= COALESCE((
              SELECT max(r.id) FROM conversation_event r
               WHERE r.conversation_id = e.conversation_id
                 AND (r.type IN ('requeued', 'transferred') OR (r.type = 'offered' AND r.data->>'newRound' = 'true'))
            ), 0)
      GROUP BY e.conversation_id`,
    [conversationIds],
  );
  return new Map(
    rows.map((r) => [r.conversation_id, { tried: r.tried ?? [], lastEventAt: r.last_event_at }]),
  );
}

/**
 * Records an offer. The conversation's primary key on `conversation_offer` is the last guard against two
 * routers offering the same conversation at once: the loser inserts nothing and gets false.
 */
export async function openOffer(
  tx: EntityManager,
  offer: {
    conversationId: string;
    queueId: string;
    agentId: string;
    offeredAt: Date;
    expiresAt: Date;
    newRound: boolean;
  },
): Promise<boolean> {
  const rows: { id: string }[] = await tx.query(
    `WITH opened AS (
       INSERT INTO conversation_offer (conversation_id, agent_id, offered_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (conversation_id) DO NOTHING
       RETURNING conversation_id
     )
     INSERT INTO conversation_event (conversation_id, type, queue_id, agent_id, data)
     SELECT conversation_id, 'offered', $5, $2, $6 FROM opened
     RETURNING id`,
    [
      offer.conversationId,
      offer.agentId,
      offer.offeredAt,
      offer.expiresAt,
      offer.queueId,
      { expiresAt: offer.expiresAt.toISOString(), newRound: offer.newRound },
    ],
  );
  return rows.length === 1;
}

export interface LockedOffer {
  status: ConversationStatus;
  queueId: string;
  enqueuedAt: Date;
  missedOffersBeforeAway: number;
  offer: { agentId: string; offeredAt: Date; expiresAt: Date } | null;
}

/**
 * Locks the conversation row, then reads its open offer. Answers, timeouts and routers all lock this row
 * first, so they take turns; the offer is read after the lock so it is the committed, current one.
 */
export async function lockOffer(tx: EntityManager, conversationId: string): Promise<LockedOffer | null> {
  const conversations: {
    status: ConversationStatus;
    queue_id: string;
    enqueued_at: Date;
    missed_offers_before_away: number;
  }[] = await tx.query(
    `SELECT c.status, c.queue_id, c.enqueued_at, q.missed_offers_before_away
         FROM conversation c JOIN queue q ON q.id = c.queue_id
        WHERE c.id = $1
          FOR UPDATE OF c`,
    [conversationId],
  );
  const conversation = conversations[0];
  if (!conversation) return null;
  const offers: { agent_id: string; offered_at: Date; expires_at: Date }[] = await tx.query(
    `SELECT agent_id, offered_at, expires_at FROM conversation_offer WHERE conversation_id = $1`,
    [conversationId],
  );
  const offer = offers[0];
  return {
    status: conversation.status,
    queueId: conversation.queue_id,
    enqueuedAt: conversation.enqueued_at,
    missedOffersBeforeAway: conversation.missed_offers_before_away,
    offer: offer
      ? { agentId: offer.agent_id, offeredAt: offer.offered_at, expiresAt: offer.expires_at }
      : null,
  };
}

/** Removes the open offer, recording why when it was answered by a decline or ran out. */
export async function closeOffer(
  tx: EntityManager,
  conversationId: string,
  outcome: { type: 'offer-declined' | 'offer-timeout'; queueId: string; agentId: string } | null,
): Promise<void> {
  await tx.query(`DELETE FROM conversation_offer WHERE conversation_id = $1`, [conversationId]);
  if (!outcome) return;
  await tx.query(
    `INSERT INTO conversation_event (conversation_id, type, queue_id, agent_id) VALUES ($1, $2, $3, $4)`,
    [conversationId, outcome.type, outcome.queueId, outcome.agentId],
  );
}

/** Whether the agent was ever offered this conversation (a late answer, rather than a stranger's). */
export async function wasOffered(
  tx: EntityManager,
  conversationId: string,
  agentId: string,
): Promise<boolean> {
  const rows: unknown[] = await tx.query(
    `SELECT 1 FROM conversation_event WHERE conversation_id = $1 AND agent_id = $2 AND type = 'offered' LIMIT 1`,
    [conversationId, agentId],
  );
  return rows.length > 0;
}

/** Locks the agent's row and reads their run of missed offers. */
export async function lockMissedOffers(tx: EntityManager, agentId: string): Promise<number> {
  const rows: { missed_offers: number }[] = await tx.query(
    `SELECT missed_offers FROM agent_state WHERE staff_id = $1 FOR UPDATE`,
    [agentId],
  );
  return rows[0]?.missed_offers ?? 0;
}

export async function setMissedOffers(tx: EntityManager, agentId: string, missed: number): Promise<void> {
  await tx.query(`UPDATE agent_state SET missed_offers = $2 WHERE staff_id = $1`, [agentId, missed]);
}

/** Offers whose timeout job is overdue (lost with a crashed node, say): the sweep expires them. */
export async function overdueOffers(
  tx: EntityManager,
  graceSeconds: number,
): Promise<{ conversationId: string; offeredAt: Date }[]> {
  const rows: { conversation_id: string; offered_at: Date }[] = await tx.query(
    `SELECT conversation_id, offered_at FROM conversation_offer
      WHERE expires_at < now() - make_interval(secs => $1) ORDER BY expires_at LIMIT 100`,
    [graceSeconds],
  );
  return rows.map((r) => ({ conversationId: r.conversation_id, offeredAt: r.offered_at }));
}

export interface WithdrawnOffer {
  conversationId: string;
  queueId: string;
  agentId: string;
  offeredAt: Date;
}

/**
 * Takes back open offers without counting them as missed, recording an `offer-withdrawn` event each:
 * those of an agent who went away or offline, or the one of a conversation that leaves its queue.
 * The agent stays among those tried this round, so the next offer goes to someone else.
 */
export async function withdrawOffers(
  tx: EntityManager,
  by: { agentId: string } | { conversationId: string },
  reason: string,
): Promise<WithdrawnOffer[]> {
  const rows: { conversation_id: string; queue_id: string; agent_id: string; offered_at: Date }[] = await tx.query(
    `WITH gone AS (
       DELETE FROM conversation_offer o WHERE ${'agentId' in by ? 'o.agent_id' : 'o.conversation_id'} = $1
       RETURNING o.conversation_id, o.agent_id, o.offered_at
     ), recorded AS (
       INSERT INTO conversation_event (conversation_id, type, queue_id, agent_id, data)
       SELECT g.conversation_id, 'offer-withdrawn', c.queue_id, g.agent_id, $2 FROM gone g
         JOIN conversation c ON c.id = g.conversation_id
     )
     SELECT g.conversation_id, c.queue_id, g.agent_id, g.offered_at FROM gone g JOIN conversation c ON c.id = g.conversation_id`,
    ['agentId' in by ? by.agentId : by.conversationId, { reason }],
  );
  return rows.map((r) => ({ conversationId: r.conversation_id, queueId: r.queue_id, agentId: r.agent_id, offeredAt: r.offered_at }));
}
