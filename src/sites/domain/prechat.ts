import type { PrechatField } from '../site.entity.js';

export type PrechatResult = { ok: true; values: Record<string, string> } | { ok: false; errors: string[] };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TEL = /^\+?[0-9 ()-]{3,30}$/;
const DEFAULT_MAX = 500;

/** Checks pre-chat answers against the site's form: required, type, choices, length; nothing extra. */
export function validatePrechat(fields: readonly PrechatField[], answers: Record<string, unknown>): PrechatResult {
  const errors: string[] = [];
  const values: Record<string, string> = {};
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(answers)) if (!known.has(name)) errors.push(`${name} is not a field of this form`);

  for (const field of fields) {
    const raw = answers[field.name];
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      errors.push(`${field.label} must be text`);
      continue;
    }
    const value = (raw ?? '').trim();
    if (value === '') {
      if (field.required) errors.push(`${field.label} is required`);
      continue;
    }
    if (value.length > (field.maxLength ?? DEFAULT_MAX)) errors.push(`${field.label} is too long`);
    else if (field.type === 'email' && !EMAIL.test(value)) errors.push(`${field.label} must be an email address`);
    else if (field.type === 'date' && !isCalendarDate(value))
      errors.push(`${field.label} must be a date (YYYY-MM-DD)`);
    else if (field.type === 'tel' && !TEL.test(value)) errors.push(`${field.label} must be a phone number`);
    else if (field.type === 'select' && !(field.options ?? []).includes(value))
      errors.push(`${field.label} must be one of: ${(field.options ?? []).join(', ')}`);
    else values[field.name] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** The contact details a customer gave in the pre-chat form, by the conventional field names. */
export function profileFromAnswers(answers: Record<string, string>): {
  displayName?: string;
  email?: string;
  phone?: string;
} {
  return { displayName: answers.name, email: answers.email, phone: answers.phone };
}

/** YYYY-MM-DD naming a real day (2024-02-30 is refused, not rolled over to March). */
function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Origins compare as scheme://host[:port] in lower case, without a trailing slash. */
export function normaliseOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

export function isAllowedOrigin(allowed: readonly string[], origin: string | undefined): boolean {
  if (!origin) return false;
  const wanted = normaliseOrigin(origin);
  return allowed.some((o) => normaliseOrigin(o) === wanted);
}
