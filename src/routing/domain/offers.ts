/**
 * Offers for one conversation: the router offers it to one agent at a time, who accepts, declines or lets
 * it time out. Every agent offered in the current round is skipped until the round ends.
 *
 * When every eligible agent has been offered it and none took it, the conversation waits in the queue
 * (no agent is pinged again at once: they just said no). An agent not yet offered it, e.g. one who just
 * came online, still gets it straight away. After `retryAfterSeconds` a new round starts from the top of
 * the ranking, everyone included again.
 */
export interface OfferSettings {
  timeoutSeconds: number;
  retryAfterSeconds: number;
}

export type OfferState =
  | {
      status: 'waiting';
      /** Agents offered this conversation in the current round, in order. */
      tried: readonly string[];
      /** When every eligible agent had been tried; null while someone is still untried. */
      exhaustedAt: Date | null;
    }
  | { status: 'offered'; agentId: string; offeredAt: Date; expiresAt: Date; tried: readonly string[] }
  | { status: 'assigned'; agentId: string; assignedAt: Date; tried: readonly string[] };

export const NOT_YET_OFFERED: OfferState = { status: 'waiting', tried: [], exhaustedAt: null };

function offer(agentId: string, tried: readonly string[], settings: OfferSettings, now: Date): OfferState {
  return {
    status: 'offered',
    agentId,
    offeredAt: now,
    expiresAt: new Date(now.getTime() + settings.timeoutSeconds * 1000),
    tried: [...tried, agentId],
  };
}

/**
 * The next step for a waiting conversation, given the eligible agents in ranking order (strategies.ts,
 * after skills and capacity). An outstanding offer or an assignment is returned unchanged: one offer at
 * a time.
 */
export function nextOffer(
  state: OfferState,
  rankedAgentIds: readonly string[],
  settings: OfferSettings,
  now: Date,
): OfferState {
  if (state.status !== 'waiting') return state;
  const untried = rankedAgentIds.find((id) => !state.tried.includes(id));
  if (untried !== undefined) return offer(untried, state.tried, settings, now);
  if (rankedAgentIds.length === 0) return state; // nobody eligible: nothing was exhausted, just wait
  const exhaustedAt = state.exhaustedAt ?? now;
  if (now.getTime() >= retryAt(exhaustedAt, settings).getTime())
    return offer(rankedAgentIds[0], [], settings, now);
  return { status: 'waiting', tried: state.tried, exhaustedAt };
}

/** When a waiting, exhausted conversation starts its next round; null if it is not in that situation. */
export function nextRoundAt(state: OfferState, settings: OfferSettings): Date | null {
  return state.status === 'waiting' && state.exhaustedAt ? retryAt(state.exhaustedAt, settings) : null;
}

function retryAt(exhaustedAt: Date, settings: OfferSettings): Date {
  return new Date(exhaustedAt.getTime() + settings.retryAfterSeconds * 1000);
}

/** Why an offer event changed nothing. Late or duplicate events are normal (jobs retry, clicks race). */
export type IgnoredBecause = 'no-open-offer' | 'offered-to-someone-else' | 'expired' | 'not-expired';

export type OfferTransition = { ok: true; state: OfferState } | { ok: false; ignored: IgnoredBecause };

/** The offer must be open, to this agent, and not yet expired, for an answer to count. */
function answerable(state: OfferState, agentId: string, now: Date): IgnoredBecause | null {
  if (state.status !== 'offered') return 'no-open-offer';
  if (state.agentId !== agentId) return 'offered-to-someone-else';
  // From the expiry instant on an answer is late, whether or not the timeout job has run yet, so the
  // outcome does not depend on which of the two the server handles first; the timeout counts it as missed.
  return now.getTime() >= state.expiresAt.getTime() ? 'expired' : null;
}

/** The agent takes the conversation. */
export function onAccept(state: OfferState, agentId: string, now: Date): OfferTransition {
  const ignored = answerable(state, agentId, now);
  if (ignored) return { ok: false, ignored };
  return { ok: true, state: { status: 'assigned', agentId, assignedAt: now, tried: state.tried } };
}

/** The agent says no; the conversation waits for `nextOffer`, which skips them this round. */
export function onDecline(state: OfferState, agentId: string, now: Date): OfferTransition {
  const ignored = answerable(state, agentId, now);
  if (ignored) return { ok: false, ignored };
  return { ok: true, state: { status: 'waiting', tried: state.tried, exhaustedAt: null } };
}

/**
 * The offer ran out. `missedBy` is the agent who let it lapse, for the missed-offers count; a timeout job
 * that fires early or for an offer already answered is ignored.
 */
export function onTimeout(
  state: OfferState,
  now: Date,
): { ok: true; state: OfferState; missedBy: string } | { ok: false; ignored: IgnoredBecause } {
  if (state.status !== 'offered') return { ok: false, ignored: 'no-open-offer' };
  if (now.getTime() < state.expiresAt.getTime()) return { ok: false, ignored: 'not-expired' };
  return {
    ok: true,
    state: { status: 'waiting', tried: state.tried, exhaustedAt: null },
    missedBy: state.agentId,
  };
}

export type OfferOutcome = 'accepted' | 'declined' | 'timed-out';

/**
 * An agent's run of offers missed in a row. Declining is an answer, so it ends the run like accepting:
 * the rule is about agents who are not at their desk, not agents who are choosy.
 */
export function missedInARowAfter(missedInARow: number, outcome: OfferOutcome): number {
  switch (outcome) {
    case 'timed-out':
      return missedInARow + 1;
    case 'accepted':
    case 'declined':
      return 0;
  }
}

/** Set the agent away after `threshold` missed offers in a row; a threshold of 0 or less turns this off. */
export function shouldSetAway(missedInARow: number, threshold: number): boolean {
  return threshold > 0 && missedInARow >= threshold;
}
