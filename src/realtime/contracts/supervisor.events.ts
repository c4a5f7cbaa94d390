import type { AckCallback, Availability } from './common.js';

/**
 * Namespace `/supervisor`: live queue metrics. Handshake `auth`: { token: string } (the JWT from
 * POST /auth/login of a supervisor or an admin). Definitions of every number: docs/protocol.md.
 */
export const SUPERVISOR_NAMESPACE = '/supervisor';

/** Length of the sliding window of the "recent" metrics (averages, SLA, abandoned, offers), in seconds. */
export const METRICS_WINDOW_SECONDS = 30 * 60;

/** Agents by state. Every agent is in exactly one of the four. */
export interface AgentStateCounts {
  /** `available`, connected and below capacity: can take a conversation now. */
  available: number;
  /** `available` and connected, but at (or over) capacity. */
  busy: number;
  /** `away` and connected. */
  away: number;
  /** `offline`, or not connected (whatever their availability). */
  offline: number;
}

export interface QueueTotals {
  /** Conversations waiting (status `queued`). */
  waiting: number;
  /** Conversations with an agent (status `assigned`). */
  assigned: number;
  /** `enqueuedAt` of the conversation waiting the longest; null when none waits. The client ticks it. */
  longestWaitingSince: string | null;
  /** Conversations answered (first assigned) within the window: the sample of the wait and SLA numbers. */
  answered: number;
  /** Mean seconds from queued to first assigned over `answered`, 0.1 s precision; null without samples. */
  averageWaitSeconds: number | null;
  /** Of `answered`, those assigned within their queue's SLA target. */
  answeredWithinSla: number;
  /** `answeredWithinSla / answered` in percent, 0.1 precision; null when `answered` is 0. */
  slaPercent: number | null;
  /** `abandoned` events within the window. */
  abandoned: number;
  /** `abandoned / (abandoned + answered)` in percent, 0.1 precision; null when both are 0. */
  abandonedPercent: number | null;
  /** `offer-declined` events within the window. */
  offersDeclined: number;
  /** `offer-timeout` events within the window. */
  offersTimedOut: number;
  /** `escalated` events within the window (SLA escalations of conversations waiting in the queue). */
  escalated: number;
  /** `offline` events within the window: conversations kept for later (closed, no agents, maximum wait, offline message). */
  keptOffline: number;
  /** Conversations closed within the window that had been assigned: the sample of the handle time. */
  handled: number;
  /** Mean seconds from first assigned to closed over `handled`, 0.1 s precision; null without samples. */
  averageHandleSeconds: number | null;
  agents: AgentStateCounts;
}

export interface QueueMetrics extends QueueTotals {
  queueId: string;
  name: string;
  slaTargetSeconds: number;
}

export interface AgentMetrics {
  id: string;
  displayName: string;
  availability: Availability;
  /** Has at least one `/agent` socket open (on any node). */
  connected: boolean;
  /** Conversations assigned to them now. */
  activeConversations: number;
  capacity: number;
  /** The queues they are a member of, sorted. */
  queueIds: string[];
  /**
   * When `availability` last changed (ISO 8601); for someone who never had a state, when their account
   * was created. Connecting, disconnecting or reaching capacity does not change it.
   */
  availabilityChangedAt: string;
  /**
   * Offers they let time out in a row, now: the current count, not a daily total. Accepting or declining
   * an offer resets it to 0; at the queue's `missedOffersBeforeAway` they are set `away`.
   */
  missedOffers: number;
}

export interface SupervisorSnapshot {
  /** When the numbers were computed. */
  at: string;
  windowSeconds: number;
  /** Every queue together: counts are sums; averages and percentages are over all samples. */
  overall: QueueTotals;
  /** Every queue, by name. */
  queues: QueueMetrics[];
  /** Active queue members and anyone holding a conversation, by display name. */
  agents: AgentMetrics[];
}

/** What changed in a watched conversation (see `conversation:watch`). */
export type ConversationChange =
  'message' | 'assigned' | 'unassigned' | 'transferred' | 'queue' | 'closed' | 'attributes';

export interface SupervisorClientEvents {
  /**
   * Watches one conversation (a drill-in): `conversation:changed` is pushed to this socket for every
   * change of it, on any node, until `conversation:unwatch` or the socket closes. A reconnected socket
   * watches nothing: watch again, then read the transcript.
   */
  'conversation:watch': (
    req: { conversationId: string },
    ack: AckCallback<{ conversationId: string }>,
  ) => void;
  'conversation:unwatch': (
    req: { conversationId: string },
    ack?: AckCallback<{ conversationId: string }>,
  ) => void;
}

export interface SupervisorServerEvents {
  /** Sent once on every (re)connection, as soon as it is established. */
  snapshot: (data: SupervisorSnapshot) => void;
  /** The whole snapshot again, pushed when any number changed (at most about once a second). */
  metrics: (data: SupervisorSnapshot) => void;
  /**
   * A watched conversation changed: a message (notes included), an assignment, a transfer, a close, a
   * queue move or notice, or an edit of its attributes. Read `GET /conversations/:id/transcript` again.
   */
  'conversation:changed': (data: { conversationId: string; change: ConversationChange }) => void;
}
