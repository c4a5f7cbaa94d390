/** One skill a conversation needs, at a minimum level (agents hold skills at levels 1–5). */
export interface SkillRequirement {
  skill: string;
  minLevel: number;
}

/** How far a queue has loosened its skill requirement for a conversation, strictest first. */
export const RELAXATION_MODES = ['preferred-level', 'any-level', 'any-member'] as const;
export type RelaxationMode = (typeof RELAXATION_MODES)[number];

/** From `afterSeconds` of waiting on, the requirement is loosened to `mode`. */
export interface RelaxationStep {
  afterSeconds: number;
  mode: RelaxationMode;
}

/** A pre-chat answer that adds a requirement, e.g. language = es → spanish at level 3. */
export interface AnswerRule {
  attribute: string;
  equals: string;
  require: SkillRequirement;
}


/** Requirements the conversation's pre-chat answers add (claim type, language…). */
export function requirementFromAnswers(
  answers: Readonly<Record<string, string>>,
  rules: readonly AnswerRule[],
): SkillRequirement[] {
  return rules.filter((rule) => answers[rule.attribute] === rule.equals).map((rule) => rule.require);
}

/**
 * Queue and conversation requirements as one list: a skill asked twice keeps the higher level, because
 * both sources must be satisfied. Sorted by skill so equal inputs compare equal.
 */
export function combineRequirements(...lists: readonly (readonly SkillRequirement[])[]): SkillRequirement[] {
  const levels = new Map<string, number>();
  for (const { skill, minLevel } of lists.flat())
    levels.set(skill, Math.max(levels.get(skill) ?? 1, minLevel));
  return [...levels.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([skill, minLevel]) => ({ skill, minLevel }));
}

/** Holding a skill at level 0 is not holding it, whatever the requirement says. */
export function meetsRequirement(
  skills: Readonly<Record<string, number>>,
  requirement: readonly SkillRequirement[],
): boolean {
  return requirement.every(({ skill, minLevel }) => (skills[skill] ?? 0) >= Math.max(1, minLevel));
}

export interface EffectiveRequirement {
  mode: RelaxationMode;
  requirement: SkillRequirement[];
  /** When the next, looser step starts; null when already as loose as configured. Re-route then. */
  nextRelaxationAt: Date | null;
}

const strictness = (mode: RelaxationMode) => RELAXATION_MODES.indexOf(mode);

function loosen(required: readonly SkillRequirement[], mode: RelaxationMode): SkillRequirement[] {
  switch (mode) {
    case 'preferred-level':
      return required.map((r) => ({ ...r }));
    case 'any-level':
      return required.map(({ skill }) => ({ skill, minLevel: 1 }));
    case 'any-member':
      return [];
  }
}

/**
 * The requirement in force after the conversation has waited since `enqueuedAt`.
 *
 * Before any step applies the full requirement holds. Steps only ever loosen: a misconfigured later step
 * that is stricter than an earlier one is ignored, so a conversation never loses agents it already had.
 */
export function effectiveRequirement(
  required: readonly SkillRequirement[],
  steps: readonly RelaxationStep[],
  enqueuedAt: Date,
  now: Date,
): EffectiveRequirement {
  const waitedMs = Math.max(0, now.getTime() - enqueuedAt.getTime());
  const ordered = [...steps].sort((a, b) => a.afterSeconds - b.afterSeconds);
  let mode: RelaxationMode = 'preferred-level';
  for (const step of ordered) {
    if (step.afterSeconds * 1000 <= waitedMs && strictness(step.mode) > strictness(mode)) mode = step.mode;
  }
  const next = ordered.find(
    (step) => step.afterSeconds * 1000 > waitedMs && strictness(step.mode) > strictness(mode),
  );
  return {
    mode,
    requirement: loosen(required, mode),
    nextRelaxationAt: next ? new Date(enqueuedAt.getTime() + next.afterSeconds * 1000) : null,
  };
}

/** Whether an agent with `skills` may take the conversation now, relaxation included. */
export function qualifies(
  skills: Readonly<Record<string, number>>,
  required: readonly SkillRequirement[],
  steps: readonly RelaxationStep[],
  enqueuedAt: Date,
  now: Date,
): boolean {
  return meetsRequirement(skills, effectiveRequirement(required, steps, enqueuedAt, now).requirement);
}
