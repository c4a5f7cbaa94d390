/** Keys whose values never go into the audit log: passwords, secrets, tokens and keys. */
const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|private|credential|signature/i;

/** The most a record's `data` keeps, as JSON text; longer values are cut. */
export const AUDIT_DATA_MAX_CHARS = 8_000;
const TEXT_MAX_CHARS = 500;

export const REDACTED = '[redacted]';

/**
 * What an audit record keeps of a request's input: its values with secrets replaced by REDACTED
 * (at any depth), long texts cut, and at most AUDIT_DATA_MAX_CHARS in all.
 */
export function auditData(input: Record<string, unknown>): Record<string, unknown> {
  const cleaned = clean(input, 0) as Record<string, unknown>;
  const text = JSON.stringify(cleaned);
  if (text.length <= AUDIT_DATA_MAX_CHARS) return cleaned;
  return { truncated: true, keys: Object.keys(cleaned), size: text.length };
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string')
    return value.length > TEXT_MAX_CHARS ? `${value.slice(0, TEXT_MAX_CHARS)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '…';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = SECRET_KEY.test(key) ? REDACTED : clean(v, depth + 1);
  }
  return out;
}
