import type { Availability } from '../../realtime/contracts/common.js';
import type {
  AgentMetrics,
  AgentStateCounts,
  QueueMetrics,
  QueueTotals,
  SupervisorSnapshot,
} from '../../realtime/contracts/supervisor.events.js';

/** What the database says about one queue right now. */
export interface QueueRow {
  id: string;
  name: string;
  slaTargetSeconds: number;
  waiting: number;
  assigned: number;
  longestWaitingSince: Date | null;
}

/** First assignments within the window, per queue that made them. */
export interface AnsweredRow {
  queueId: string;
  answered: number;
  /** Sum over the sample of (first assigned − queued), in seconds. */
  waitSecondsTotal: number;
  withinSla: number;
}

/** Conversations closed within the window that had been assigned, per queue they were closed in. */
export interface HandledRow {
  queueId: string;
  handled: number;
  /** Sum over the sample of (closed − first assigned), in seconds. */
  handleSecondsTotal: number;
}

/** Counted conversation events within the window. */
export interface EventCountRow {
  queueId: string | null;
  type: string;
  count: number;
}

export interface AgentRow {
  id: string;
  displayName: string;
  availability: Availability;
  connected: boolean;
  capacity: number;
  activeConversations: number;
  queueIds: string[];
  availabilityChangedAt: Date;
  missedOffers: number;
}

export interface MetricsRows {
  queues: QueueRow[];
  answered: AnsweredRow[];
  handled: HandledRow[];
  events: EventCountRow[];
  agents: AgentRow[];
}

/** Event types counted as they are written; none of them is written yet (see docs/protocol.md). */
export const COUNTED_EVENTS = {
  abandoned: 'abandoned',
  offersDeclined: 'offer-declined',
  offersTimedOut: 'offer-timeout',
  escalated: 'escalated',
  keptOffline: 'offline',
} as const;

/** One decimal place: what a dashboard shows, and what keeps float noise from looking like a change. */
const tenth = (value: number): number => Math.round(value * 10) / 10;

/** Mean of a sample given as its total and size; null without a sample. */
export function average(total: number, count: number): number | null {
  return count > 0 ? tenth(total / count) : null;
}

/** `part` of `whole` in percent; null when `whole` is 0 (no sample is not 0 %). */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? tenth((part / whole) * 100) : null;
}

/** The one state a supervisor sees an agent in: only a connected agent can be available, busy or away. */
export function agentState(
  agent: Pick<AgentRow, 'availability' | 'connected' | 'capacity' | 'activeConversations'>,
): keyof AgentStateCounts {
  if (!agent.connected) return 'offline';
  switch (agent.availability) {
    case 'available':
      return agent.activeConversations >= agent.capacity ? 'busy' : 'available';
    case 'away':
      return 'away';
    case 'offline':
      return 'offline';
  }
}

export function countAgentStates(agents: Iterable<AgentRow>): AgentStateCounts {
  const counts: AgentStateCounts = { available: 0, busy: 0, away: 0, offline: 0 };
  for (const agent of agents) counts[agentState(agent)] += 1;
  return counts;
}

/** The sums a queue's totals are made of; the overall totals are the same sums over every queue. */
interface Sums {
  waiting: number;
  assigned: number;
  longestWaitingSince: number | null;
  answered: number;
  waitSecondsTotal: number;
  withinSla: number;
  handled: number;
  handleSecondsTotal: number;
  abandoned: number;
  offersDeclined: number;
  offersTimedOut: number;
  escalated: number;
  keptOffline: number;
}

const EMPTY_SUMS: Sums = {
  waiting: 0,
  assigned: 0,
  longestWaitingSince: null,
  answered: 0,
  waitSecondsTotal: 0,
  withinSla: 0,
  handled: 0,
  handleSecondsTotal: 0,
  abandoned: 0,
  offersDeclined: 0,
  offersTimedOut: 0,
  escalated: 0,
  keptOffline: 0,
};

function addSums(a: Sums, b: Sums): Sums {
  const earliest =
    a.longestWaitingSince === null
      ? b.longestWaitingSince
      : b.longestWaitingSince === null
        ? a.longestWaitingSince
        : Math.min(a.longestWaitingSince, b.longestWaitingSince);
  return {
    waiting: a.waiting + b.waiting,
    assigned: a.assigned + b.assigned,
    longestWaitingSince: earliest,
    answered: a.answered + b.answered,
    waitSecondsTotal: a.waitSecondsTotal + b.waitSecondsTotal,
    withinSla: a.withinSla + b.withinSla,
    handled: a.handled + b.handled,
    handleSecondsTotal: a.handleSecondsTotal + b.handleSecondsTotal,
    abandoned: a.abandoned + b.abandoned,
    offersDeclined: a.offersDeclined + b.offersDeclined,
    offersTimedOut: a.offersTimedOut + b.offersTimedOut,
    escalated: a.escalated + b.escalated,
    keptOffline: a.keptOffline + b.keptOffline,
  };
}

function totals(sums: Sums, agents: AgentStateCounts): QueueTotals {
  return {
    waiting: sums.waiting,
    assigned: sums.assigned,
    longestWaitingSince:
      sums.longestWaitingSince === null ? null : new Date(sums.longestWaitingSince).toISOString(),
    answered: sums.answered,
    averageWaitSeconds: average(sums.waitSecondsTotal, sums.answered),
    answeredWithinSla: sums.withinSla,
    slaPercent: percent(sums.withinSla, sums.answered),
    abandoned: sums.abandoned,
    abandonedPercent: percent(sums.abandoned, sums.abandoned + sums.answered),
    offersDeclined: sums.offersDeclined,
    offersTimedOut: sums.offersTimedOut,
    escalated: sums.escalated,
    keptOffline: sums.keptOffline,
    handled: sums.handled,
    averageHandleSeconds: average(sums.handleSecondsTotal, sums.handled),
    agents,
  };
}

const byName =
  <T>(name: (item: T) => string, id: (item: T) => string) =>
  (a: T, b: T): number =>
    name(a).localeCompare(name(b), 'en') || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0);

function sumsOf(queue: QueueRow, rows: MetricsRows): Sums {
  const answered = rows.answered.filter((r) => r.queueId === queue.id);
  const handled = rows.handled.filter((r) => r.queueId === queue.id);
  const events = (type: string) =>
    rows.events.filter((e) => e.queueId === queue.id && e.type === type).reduce((n, e) => n + e.count, 0);
  return {
    waiting: queue.waiting,
    assigned: queue.assigned,
    longestWaitingSince: queue.longestWaitingSince?.getTime() ?? null,
    answered: answered.reduce((n, r) => n + r.answered, 0),
    waitSecondsTotal: answered.reduce((n, r) => n + r.waitSecondsTotal, 0),
    withinSla: answered.reduce((n, r) => n + r.withinSla, 0),
    handled: handled.reduce((n, r) => n + r.handled, 0),
    handleSecondsTotal: handled.reduce((n, r) => n + r.handleSecondsTotal, 0),
    abandoned: events(COUNTED_EVENTS.abandoned),
    offersDeclined: events(COUNTED_EVENTS.offersDeclined),
    offersTimedOut: events(COUNTED_EVENTS.offersTimedOut),
    escalated: events(COUNTED_EVENTS.escalated),
    keptOffline: events(COUNTED_EVENTS.keptOffline),
  };
}

/**
 * The supervisor's picture, from the rows the database returned in any order. Rows of queues that no
 * longer exist are left out, so the overall numbers are always the sum of the queues shown.
 */
export function buildSnapshot(rows: MetricsRows, now: Date, windowSeconds: number): SupervisorSnapshot {
  const agents: AgentMetrics[] = rows.agents
    .map((a) => ({
      id: a.id,
      displayName: a.displayName,
      availability: a.availability,
      connected: a.connected,
      activeConversations: a.activeConversations,
      capacity: a.capacity,
      queueIds: [...a.queueIds].sort(),
      availabilityChangedAt: a.availabilityChangedAt.toISOString(),
      missedOffers: a.missedOffers,
    }))
    .sort(
      byName(
        (a) => a.displayName,
        (a) => a.id,
      ),
    );

  let overall = EMPTY_SUMS;
  const queues: QueueMetrics[] = [...rows.queues]
    .sort(
      byName(
        (q) => q.name,
        (q) => q.id,
      ),
    )
    .map((queue) => {
      const sums = sumsOf(queue, rows);
      overall = addSums(overall, sums);
      const members = rows.agents.filter((a) => a.queueIds.includes(queue.id));
      return {
        queueId: queue.id,
        name: queue.name,
        slaTargetSeconds: queue.slaTargetSeconds,
        ...totals(sums, countAgentStates(members)),
      };
    });

  return {
    at: now.toISOString(),
    windowSeconds,
    overall: totals(overall, countAgentStates(rows.agents)),
    queues,
    agents,
  };
}
