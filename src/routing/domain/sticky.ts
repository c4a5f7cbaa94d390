/**
 * Sticky routing: a customer who comes back soon after a conversation is offered first to the agent who
 * served them, who already knows the case. Only if that agent could take the conversation anyway; sticky
 * routing never bypasses availability, skills or capacity, and never assigns in a manual queue.
 */
export interface StickySettings {
  /** How long after the last conversation ended the customer still goes to the same agent; 0 turns it off. */
  windowSeconds: number;
}

/** The customer's most recent closed conversation that had an agent. */
export interface LastServed {
  agentId: string;
  endedAt: Date;
}

export type StickyChoice =
  | { sticky: true; agentId: string }
  | { sticky: false; reason: 'off' | 'no-previous-agent' | 'window-passed' | 'agent-not-eligible' };

/**
 * Whether the last agent goes first. `eligibleAgentIds` are the agents who could take the conversation
 * now (after skills, capacity, relaxation), in any order. The window's end is included.
 */
export function stickyChoice(
  last: LastServed | null,
  eligibleAgentIds: readonly string[],
  settings: StickySettings,
  now: Date,
): StickyChoice {
  if (settings.windowSeconds <= 0) return { sticky: false, reason: 'off' };
  if (!last) return { sticky: false, reason: 'no-previous-agent' };
  if (now.getTime() - last.endedAt.getTime() > settings.windowSeconds * 1000) {
    return { sticky: false, reason: 'window-passed' };
  }
  if (!eligibleAgentIds.includes(last.agentId)) return { sticky: false, reason: 'agent-not-eligible' };
  return { sticky: true, agentId: last.agentId };
}

/** The strategy's ranking with the sticky agent moved to the front when sticky routing applies. */
export function withSticky<T extends { id: string }>(
  ranked: readonly T[],
  last: LastServed | null,
  settings: StickySettings,
  now: Date,
): T[] {
  const choice = stickyChoice(
    last,
    ranked.map((agent) => agent.id),
    settings,
    now,
  );
  if (!choice.sticky) return [...ranked];
  return [
    ...ranked.filter((agent) => agent.id === choice.agentId),
    ...ranked.filter((agent) => agent.id !== choice.agentId),
  ];
}
