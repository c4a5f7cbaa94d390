import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

export const SKILL_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** `{ skill: level }` with lower-case skill names and levels 1–5 (staff skills, a queue's preferred levels). */
@ValidatorConstraint({ name: 'skillLevels' })
export class SkillLevels implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value);
    return entries.length <= 50 && entries.every(([k, v]) => SKILL_NAME.test(k) && Number.isInteger(v) && v >= 1 && v <= 5);
  }
  defaultMessage(): string {
    return 'skills map lower-case skill names to a level from 1 to 5';
  }
}
