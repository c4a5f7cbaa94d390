import { nextOpening, type BusinessHours } from './business-hours.js';
import { capacityKind, type Channel } from './capacity.js';
import { isEligible } from './eligibility.js';
import { routableNow } from './offline-mode.js';
import { orderWaiting, nextBumpAt, type PriorityAging } from './priority.js';
import type { AgentCandidate, QueueRule } from './routing-types.js';
import {
  combineRequirements,
  effectiveRequirement,
  meetsRequirement,
  requirementFromAnswers,
  type AnswerRule,
  type RelaxationStep,
  type SkillRequirement,
} from './skills.js';
import { withSticky, type LastServed, type StickySettings } from './sticky.js';
import { rank, type QueueContext } from './strategies.js';

/** Everything a queue's routing rules say, as stored on the queue. */
export interface QueueRouting {
  rule: QueueRule;
  context: QueueContext;
  priority: number;
  /** Preferred minimum level per required skill (a skill not listed: any level). */
  skillLevels: Record<string, number>;
  relaxation: RelaxationStep[];
  answerRules: AnswerRule[];
  aging: PriorityAging | null;
  sticky: StickySettings;
  /** Opening hours (offline-mode.ts decides what may be routed while closed); null or absent: always open. */
  businessHours?: BusinessHours | null;
}

export interface WaitingItem {
  id: string;
  priority: number;
  enqueuedAt: Date;
  attributes: Record<string, string>;
  /** The customer's previous conversation's agent and when it ended (for sticky routing). */
  lastServed: LastServed | null;
  /** Capacity is counted per kind of channel; absent: the agent's total alone decides. */
  channel?: Channel;
  /** Set when the customer was told nobody can answer now and the conversation was kept for later. */
  offlineAt?: Date | null;
}

export interface QueuePlan {
  /** Conversations in serving order, each with the agents who may take it now, best first. */
  choices: { conversationId: string; agents: AgentCandidate[] }[];
  /** When a waiting conversation's requirement loosens or its priority rises: route again then. */
  nextCheckAt: Date | null;
}

/** The queue's own requirement: its required skills at their preferred levels. */
export function queueRequirement(queue: QueueRouting): SkillRequirement[] {
  return queue.rule.requiredSkills.map((skill) => ({ skill, minLevel: queue.skillLevels[skill] ?? 1 }));
}

/**
 * Who may take which waiting conversation right now. Conversations are served by effective priority
 * (aging included), then age; an agent who cannot take the first may still take a later one whose
 * requirement they meet, so one demanding conversation does not block the queue. Manual queues plan
 * nothing: their agents pick.
 */
export function planQueue(
  queue: QueueRouting,
  waiting: readonly WaitingItem[],
  candidates: readonly AgentCandidate[],
  now: Date,
): QueuePlan {
  const free = candidates.filter((agent) => isEligible(agent, { ...queue.rule, requiredSkills: [] }));
  const ordered = orderWaiting(
    waiting.map((w) => ({ ...w, queuePriority: queue.priority })),
    queue.aging,
    now,
  );
  const base = queueRequirement(queue);
  const choices: QueuePlan['choices'] = [];
  let nextCheckAt: Date | null = null;
  const later = (at: Date | null) => {
    if (at && at > now && (!nextCheckAt || at < nextCheckAt)) nextCheckAt = at;
  };

  for (const conversation of ordered) {
    if (!routableNow(queue.businessHours ?? null, { enqueuedAt: conversation.enqueuedAt, offlineAt: conversation.offlineAt ?? null }, now)) {
      later(queue.businessHours ? nextOpening(queue.businessHours, now) : null);
      continue;
    }
    const required = combineRequirements(base, requirementFromAnswers(conversation.attributes, queue.answerRules));
    const effective = effectiveRequirement(required, queue.relaxation, conversation.enqueuedAt, now);
    later(nextBumpAt(conversation.enqueuedAt, queue.aging, now));
    const kind = conversation.channel ? capacityKind(conversation.channel) : null;
    const qualified = free.filter(
      (agent) =>
        meetsRequirement(agent.skills, effective.requirement) &&
        (kind === null || !agent.freeKinds || agent.freeKinds.includes(kind)),
    );
    const agents =
      queue.rule.strategy === 'manual'
        ? []
        : withSticky(rank(queue.rule.strategy, queue.context, qualified, now), conversation.lastServed, queue.sticky, now);
    if (agents.length > 0) choices.push({ conversationId: conversation.id, agents });
    else later(effective.nextRelaxationAt);
  }
  return { choices, nextCheckAt };
}
