/**
 * The channels a conversation can come from. Kept here, not imported from the contact entity, so the
 * domain stays free of TypeORM; passing the entity's ChannelKind in stops compiling if the two drift.
 */
export const CHANNELS = ['web', 'whatsapp', 'messenger', 'telegram', 'sms', 'xmpp', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Live chat needs the agent's attention within seconds; messaging apps tolerate replies minutes apart, so
 * an agent can hold more of them. Capacity is counted per kind.
 */
export const CAPACITY_KINDS = ['web', 'im'] as const;
export type CapacityKind = (typeof CAPACITY_KINDS)[number];

export function capacityKind(channel: Channel): CapacityKind {
  switch (channel) {
    case 'web':
      return 'web';
    case 'whatsapp':
    case 'messenger':
    case 'telegram':
    case 'sms':
    case 'xmpp':
    case 'api':
      return 'im';
  }
}

/**
 * How much an agent can hold: per kind, and optionally in total.
 * A kind missing from `perKind` falls back to `total` (so a single legacy capacity number means "up to N
 * of anything"); with neither, the agent takes none of that kind.
 */
export interface AgentCapacity {
  perKind: Partial<Record<CapacityKind, number>>;
  total?: number | null;
}

/** Limits per kind as an admin sets them on a staff member, e.g. `{ web: 3, im: 6 }`. */
export type ChannelCapacity = Partial<Record<CapacityKind, number>>;

/**
 * An agent's capacity from their settings: `capacity` is the overall cap; without limits per kind it is
 * also the limit of each kind (up to N of anything).
 */
export function agentCapacity(capacity: number, channelCapacity: ChannelCapacity | null): AgentCapacity {
  const perKind: ChannelCapacity = {};
  for (const kind of CAPACITY_KINDS) {
    const limit = channelCapacity?.[kind];
    if (typeof limit === 'number') perKind[kind] = limit;
  }
  return { perKind, total: capacity };
}

export interface AgentLoad {
  /** Open conversations assigned to the agent, counted by channel. */
  activeByChannel: Partial<Record<Channel, number>>;
  /**
   * Conversations the agent closed recently; each holds its slot during wrap-up. A close may carry its
   * own wrap-up (its queue's); otherwise the `wrapUpSeconds` given to the check applies.
   */
  recentCloses: readonly { channel: Channel; closedAt: Date; wrapUpSeconds?: number }[];
}

export type CapacityDecision =
  | { canTake: true }
  | {
      canTake: false;
      reason: 'no-capacity-for-kind' | 'kind-full' | 'total-full';
      /** When a wrap-up ending makes room; null if only closing an open conversation can. Re-route then. */
      freesAt: Date | null;
    };

function limitFor(capacity: AgentCapacity, kind: CapacityKind): number {
  return capacity.perKind[kind] ?? capacity.total ?? 0;
}

const wrapUpEnd = (close: AgentLoad['recentCloses'][number], wrapUpSeconds: number) =>
  close.closedAt.getTime() + Math.max(0, close.wrapUpSeconds ?? wrapUpSeconds) * 1000;

/** Slots in use at `now`: open conversations plus closes still in wrap-up (busy while now < closedAt + wrap-up). */
export function usedSlots(
  load: AgentLoad,
  wrapUpSeconds: number,
  now: Date,
): Record<CapacityKind, number> & { total: number } {
  const used = { web: 0, im: 0, total: 0 };
  for (const channel of CHANNELS) {
    const count = load.activeByChannel[channel] ?? 0;
    used[capacityKind(channel)] += count;
    used.total += count;
  }
  for (const close of load.recentCloses) {
    if (now.getTime() >= wrapUpEnd(close, wrapUpSeconds)) continue;
    used[capacityKind(close.channel)] += 1;
    used.total += 1;
  }
  return used;
}

function decideAt(
  capacity: AgentCapacity,
  load: AgentLoad,
  kind: CapacityKind,
  wrapUpSeconds: number,
  now: Date,
) {
  const limit = limitFor(capacity, kind);
  if (limit <= 0) return 'no-capacity-for-kind' as const;
  const used = usedSlots(load, wrapUpSeconds, now);
  if (used[kind] >= limit) return 'kind-full' as const;
  if (capacity.total != null && used.total >= capacity.total) return 'total-full' as const;
  return null;
}

/** Whether the agent can take one more conversation of `kind` at `now`, and if not, why and until when. */
export function canTakeAnother(
  capacity: AgentCapacity,
  load: AgentLoad,
  kind: CapacityKind,
  wrapUpSeconds: number,
  now: Date,
): CapacityDecision {
  const reason = decideAt(capacity, load, kind, wrapUpSeconds, now);
  if (reason === null) return { canTake: true };
  if (reason === 'no-capacity-for-kind') return { canTake: false, reason, freesAt: null };
  // Only wrap-ups end on their own: try each end in turn until one leaves room.
  const ends = load.recentCloses
    .map((close) => wrapUpEnd(close, wrapUpSeconds))
    .filter((end) => end > now.getTime())
    .sort((a, b) => a - b);
  const freesAt = ends.find((end) => decideAt(capacity, load, kind, wrapUpSeconds, new Date(end)) === null);
  return { canTake: false, reason, freesAt: freesAt === undefined ? null : new Date(freesAt) };
}

/** The kinds of conversation the agent can take one more of at `now` (what the planner offers them). */
export function freeKinds(capacity: AgentCapacity, load: AgentLoad, wrapUpSeconds: number, now: Date): CapacityKind[] {
  return CAPACITY_KINDS.filter((kind) => decideAt(capacity, load, kind, wrapUpSeconds, now) === null);
}
