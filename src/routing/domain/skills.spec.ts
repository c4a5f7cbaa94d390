import {
  combineRequirements,
  effectiveRequirement,
  meetsRequirement,
  qualifies,
  requirementFromAnswers,
  type RelaxationStep,
  type SkillRequirement,
} from './skills.js';

const ENQUEUED = new Date('2026-03-02T09:00:00Z');
const waited = (seconds: number) => new Date(ENQUEUED.getTime() + seconds * 1000);

const STEPS: RelaxationStep[] = [
  { afterSeconds: 0, mode: 'preferred-level' },
  { afterSeconds: 60, mode: 'any-level' },
  { afterSeconds: 180, mode: 'any-member' },
];

const CLAIMS_IN_SPANISH: SkillRequirement[] = [
  { skill: 'claims', minLevel: 2 },
  { skill: 'spanish', minLevel: 3 },
];

describe('building the requirement', () => {
  it('adds requirements from matching pre-chat answers only', () => {
    const rules = [
      { attribute: 'language', equals: 'es', require: { skill: 'spanish', minLevel: 3 } },
      { attribute: 'claimType', equals: 'motor', require: { skill: 'motor-claims', minLevel: 2 } },
    ];
    expect(requirementFromAnswers({ language: 'es', claimType: 'home' }, rules)).toEqual([
      { skill: 'spanish', minLevel: 3 },
    ]);
    expect(requirementFromAnswers({}, rules)).toEqual([]);
    expect(requirementFromAnswers({ language: 'ES' }, rules)).toEqual([]);
  });

  it('combines queue and conversation: the higher level of a skill asked twice wins', () => {
    const queue = [
      { skill: 'spanish', minLevel: 1 },
      { skill: 'claims', minLevel: 1 },
    ];
    const conversation = [{ skill: 'spanish', minLevel: 3 }];
    expect(combineRequirements(queue, conversation)).toEqual([
      { skill: 'claims', minLevel: 1 },
      { skill: 'spanish', minLevel: 3 },
    ]);
    expect(combineRequirements(conversation, queue)).toEqual(combineRequirements(queue, conversation));
  });

  it('treats a configured level of 0 as "at any level", not "without the skill"', () => {
    expect(combineRequirements([{ skill: 'claims', minLevel: 0 }])).toEqual([
      { skill: 'claims', minLevel: 1 },
    ]);
  });
});

describe('meetsRequirement', () => {
  it('accepts an agent at or above every level', () => {
    expect(meetsRequirement({ claims: 2, spanish: 5 }, CLAIMS_IN_SPANISH)).toBe(true);
  });

  it('refuses an agent below one level, missing a skill, or holding it at 0', () => {
    expect(meetsRequirement({ claims: 2, spanish: 2 }, CLAIMS_IN_SPANISH)).toBe(false);
    expect(meetsRequirement({ claims: 5 }, CLAIMS_IN_SPANISH)).toBe(false);
    expect(meetsRequirement({ claims: 0 }, [{ skill: 'claims', minLevel: 0 }])).toBe(false);
  });

  it('accepts anyone when nothing is required', () => {
    expect(meetsRequirement({}, [])).toBe(true);
  });
});

describe('effectiveRequirement over time', () => {
  it('asks for the configured levels at first, and says when it will loosen', () => {
    const start = effectiveRequirement(CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(0));
    expect(start).toEqual({
      mode: 'preferred-level',
      requirement: CLAIMS_IN_SPANISH,
      nextRelaxationAt: waited(60),
    });
    expect(
      effectiveRequirement(CLAIMS_IN_SPANISH, STEPS, ENQUEUED, new Date(waited(60).getTime() - 1)).mode,
    ).toBe('preferred-level');
  });

  it('accepts any level of each skill from 60 s', () => {
    expect(effectiveRequirement(CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(60))).toEqual({
      mode: 'any-level',
      requirement: [
        { skill: 'claims', minLevel: 1 },
        { skill: 'spanish', minLevel: 1 },
      ],
      nextRelaxationAt: waited(180),
    });
  });

  it('accepts any queue member from 180 s, with nothing further to relax', () => {
    expect(effectiveRequirement(CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(600))).toEqual({
      mode: 'any-member',
      requirement: [],
      nextRelaxationAt: null,
    });
  });

  it('does not depend on the order steps were configured in', () => {
    const shuffled = [STEPS[2], STEPS[0], STEPS[1]];
    for (const seconds of [0, 59, 60, 179, 180]) {
      expect(effectiveRequirement(CLAIMS_IN_SPANISH, shuffled, ENQUEUED, waited(seconds))).toEqual(
        effectiveRequirement(CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(seconds)),
      );
    }
  });

  it('never tightens again: a stricter later step is ignored', () => {
    const odd: RelaxationStep[] = [
      { afterSeconds: 30, mode: 'any-level' },
      { afterSeconds: 90, mode: 'preferred-level' },
    ];
    expect(effectiveRequirement(CLAIMS_IN_SPANISH, odd, ENQUEUED, waited(30)).nextRelaxationAt).toBeNull();
    expect(effectiveRequirement(CLAIMS_IN_SPANISH, odd, ENQUEUED, waited(120)).mode).toBe('any-level');
  });

  it('keeps the full requirement forever without steps, or before the first step', () => {
    expect(effectiveRequirement(CLAIMS_IN_SPANISH, [], ENQUEUED, waited(86_400))).toEqual({
      mode: 'preferred-level',
      requirement: CLAIMS_IN_SPANISH,
      nextRelaxationAt: null,
    });
    const late = [{ afterSeconds: 30, mode: 'any-member' as const }];
    expect(effectiveRequirement(CLAIMS_IN_SPANISH, late, ENQUEUED, waited(10)).mode).toBe('preferred-level');
  });

  it('treats a clock slightly behind the enqueue time as no wait yet', () => {
    expect(effectiveRequirement(CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(-5))).toMatchObject({
      mode: 'preferred-level',
      nextRelaxationAt: waited(60),
    });
  });
});

describe('qualifies', () => {
  const fluentJunior = { claims: 1, spanish: 5 };
  const noSpanish = { claims: 4 };

  it('an agent below the preferred level qualifies once levels relax', () => {
    expect(qualifies(fluentJunior, CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(59))).toBe(false);
    expect(qualifies(fluentJunior, CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(60))).toBe(true);
  });

  it('an agent without a skill qualifies only once any member will do', () => {
    expect(qualifies(noSpanish, CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(60))).toBe(false);
    expect(qualifies(noSpanish, CLAIMS_IN_SPANISH, STEPS, ENQUEUED, waited(180))).toBe(true);
  });
});
