import { planQueue, queueRequirement, type QueueRouting, type WaitingItem } from './plan-queue.js';
import type { AgentCandidate } from './routing-types.js';

const now = new Date('2026-11-26T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

function agent(id: string, skills: Record<string, number>, extra: Partial<AgentCandidate> = {}): AgentCandidate {
  return {
    id,
    availability: 'available',
    capacity: 3,
    activeCount: 0,
    skills,
    lastAssignedAt: null,
    availabilityChangedAt: ago(3600),
    ...extra,
  };
}

function queue(extra: Partial<QueueRouting> = {}): QueueRouting {
  return {
    rule: { id: 'q', strategy: 'longest_idle', requiredSkills: ['claims'] },
    context: { lastAssignedAgentId: null },
    priority: 0,
    skillLevels: {},
    relaxation: [],
    answerRules: [],
    aging: null,
    sticky: { windowSeconds: 0 },
    ...extra,
  };
}

const waiting = (id: string, waitedSeconds: number, extra: Partial<WaitingItem> = {}): WaitingItem => ({
  id,
  priority: 0,
  enqueuedAt: ago(waitedSeconds),
  attributes: {},
  lastServed: null,
  ...extra,
});

describe('planQueue', () => {
  it('reads the preferred level of each required skill', () => {
    expect(queueRequirement(queue({ skillLevels: { claims: 3 } }))).toEqual([{ skill: 'claims', minLevel: 3 }]);
  });

  it('serves the oldest conversation first with the strategy order of agents', () => {
    const plan = planQueue(queue(), [waiting('new', 5), waiting('old', 50)], [agent('b', { claims: 1 }), agent('a', { claims: 1 })], now);
    expect(plan.choices.map((c) => c.conversationId)).toEqual(['old', 'new']);
    expect(plan.choices[0].agents.map((a) => a.id)).toEqual(['a', 'b']);
  });

  it('leaves out agents who are away, full, or lack a skill', () => {
    const plan = planQueue(
      queue(),
      [waiting('c', 1)],
      [
        agent('away', { claims: 3 }, { availability: 'away' }),
        agent('full', { claims: 3 }, { activeCount: 3 }),
        agent('unskilled', { billing: 3 }),
        agent('ok', { claims: 1 }),
      ],
      now,
    );
    expect(plan.choices[0].agents.map((a) => a.id)).toEqual(['ok']);
  });

  it('waits for the preferred level, then relaxes, and says when to look again', () => {
    const rules = queue({ skillLevels: { claims: 3 }, relaxation: [{ afterSeconds: 60, mode: 'any-level' }] });
    const junior = [agent('junior', { claims: 1 })];
    const early = planQueue(rules, [waiting('c', 10)], junior, now);
    expect(early.choices).toEqual([]);
    expect(early.nextCheckAt).toEqual(new Date(now.getTime() + 50_000));
    const late = planQueue(rules, [waiting('c', 61)], junior, now);
    expect(late.choices.map((c) => c.agents[0].id)).toEqual(['junior']);
  });

  it('adds requirements from pre-chat answers without blocking conversations behind it', () => {
    const rules = queue({ answerRules: [{ attribute: 'claimType', equals: 'Home', require: { skill: 'home', minLevel: 2 } }] });
    const plan = planQueue(
      rules,
      [waiting('home', 100, { attributes: { claimType: 'Home' } }), waiting('car', 10, { attributes: { claimType: 'Car' } })],
      [agent('car-only', { claims: 2 })],
      now,
    );
    expect(plan.choices.map((c) => c.conversationId)).toEqual(['car']);
  });

  it('lets an old low-priority conversation overtake a newer high-priority one with aging', () => {
    const aging = { everySeconds: 60, bumpBy: 1, maxBump: 10 };
    const items = [waiting('vip', 10, { priority: 2 }), waiting('patient', 600)];
    const agents = [agent('a', { claims: 1 })];
    expect(planQueue(queue(), items, agents, now).choices[0].conversationId).toBe('vip');
    expect(planQueue(queue({ aging }), items, agents, now).choices[0].conversationId).toBe('patient');
  });

  it('puts the last agent first for a customer back within the sticky window', () => {
    const agents = [agent('a', { claims: 1 }), agent('b', { claims: 1 })];
    const back = waiting('c', 5, { lastServed: { agentId: 'b', endedAt: ago(600) } });
    expect(planQueue(queue(), [back], agents, now).choices[0].agents[0].id).toBe('a');
    const sticky = queue({ sticky: { windowSeconds: 3600 } });
    expect(planQueue(sticky, [back], agents, now).choices[0].agents[0].id).toBe('b');
    const stale = waiting('c', 5, { lastServed: { agentId: 'b', endedAt: ago(7200) } });
    expect(planQueue(sticky, [stale], agents, now).choices[0].agents[0].id).toBe('a');
  });

  it('never plans for a manual-pick queue', () => {
    const rules = queue({ rule: { id: 'q', strategy: 'manual', requiredSkills: [] } });
    expect(planQueue(rules, [waiting('c', 1)], [agent('a', {})], now).choices).toEqual([]);
  });

  it('offers each conversation only to agents with room for its kind of channel', () => {
    const webFull = agent('a', { claims: 1 }, { freeKinds: ['im'] });
    const items = [waiting('chat', 60, { channel: 'web' }), waiting('whatsapp', 30, { channel: 'whatsapp' })];
    const plan = planQueue(queue(), items, [webFull], now);
    expect(plan.choices.map((c) => c.conversationId)).toEqual(['whatsapp']);
    const full = agent('b', { claims: 1 }, { freeKinds: [] });
    expect(planQueue(queue(), items, [full], now).choices).toEqual([]);
  });

  it('after closing time, serves the line that waited at closing and keeps new arrivals for the opening', () => {
    // 12:00 UTC is 07:00 in New York: the queue opens at 08:00 local (13:00 UTC).
    const businessHours = { timeZone: 'America/New_York', weekly: { wed: [{ open: '08:00', close: '18:00' }], thu: [{ open: '08:00', close: '18:00' }] }, holidays: [] };
    const early = waiting('early', 60);
    const yesterday = waiting('yesterday', 15 * 3600); // 21:00 UTC Wednesday: 16:00 local, while open
    const plan = planQueue(queue({ businessHours }), [early, yesterday], [agent('a', { claims: 1 })], now);
    expect(plan.choices.map((c) => c.conversationId)).toEqual(['yesterday']);
    expect(plan.nextCheckAt).toEqual(new Date('2026-11-26T13:00:00Z'));
    const kept = waiting('yesterday', 15 * 3600, { offlineAt: ago(3600) });
    expect(planQueue(queue({ businessHours }), [kept], [agent('a', { claims: 1 })], now).choices).toEqual([]);
  });
});
