import type { AccountSchema } from '../connectors/connector.js';

const MAX_VALUE = 4000;

/**
 * Problems with settings/secrets for a connector's schema: unknown names, non-string or over-long
 * values, and — when `complete` — required ones that are missing. Empty list: fine.
 */
export function accountProblems(
  schema: AccountSchema,
  settings: Record<string, unknown>,
  secrets: Record<string, unknown>,
  complete: boolean,
): string[] {
  const problems: string[] = [];
  const check = (kind: 'settings' | 'secrets', values: Record<string, unknown>) => {
    const known = schema[kind];
    for (const [name, value] of Object.entries(values)) {
      if (!known.some((k) => k.name === name)) problems.push(`${kind}.${name} is not known to this network`);
      else if (typeof value !== 'string') problems.push(`${kind}.${name} must be a string`);
      else if (value.length > MAX_VALUE)
        problems.push(`${kind}.${name} is longer than ${MAX_VALUE} characters`);
    }
    if (complete) {
      for (const k of known) {
        if (k.required && !values[k.name]) problems.push(`${kind}.${k.name} is required (${k.description})`);
      }
    }
  };
  check('settings', settings);
  check('secrets', secrets);
  for (const [name, value] of Object.entries(settings)) {
    if (/url$/i.test(name) && typeof value === 'string' && value && !/^https?:\/\/[^\s]+$/.test(value)) {
      problems.push(`settings.${name} must be an http(s) URL`);
    }
  }
  return problems;
}
