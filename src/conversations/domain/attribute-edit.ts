/** Most attributes a conversation may carry after an edit. */
export const MAX_ATTRIBUTES = 40;
/** Longest attribute value, in characters. */
export const MAX_ATTRIBUTE_VALUE = 500;
/** Attribute names: a letter, then letters, digits or `_`, up to 40 characters (as pre-chat field names). */
export const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export interface AttributeChange {
  from: string | null;
  to: string | null;
}

export type AttributeEdit =
  | { ok: true; attributes: Record<string, string>; changes: Record<string, AttributeChange> }
  | { ok: false; reason: string };

/**
 * Applies an agent's edit to a conversation's attributes: each key set to its new value, an empty
 * value removes the key. Values are trimmed. Only real changes are listed (for the recorded event).
 */
export function editAttributes(
  current: Record<string, string>,
  edit: Record<string, unknown>,
): AttributeEdit {
  const attributes = { ...current };
  const changes: Record<string, AttributeChange> = {};
  const keys = Object.keys(edit);
  if (keys.length === 0) return { ok: false, reason: 'Nothing to change' };
  for (const key of keys) {
    if (!ATTRIBUTE_NAME.test(key)) return { ok: false, reason: `"${key}" is not a valid attribute name` };
    const raw = edit[key];
    if (typeof raw !== 'string') return { ok: false, reason: `${key} must be text` };
    const value = raw.trim();
    if (value.length > MAX_ATTRIBUTE_VALUE)
      return { ok: false, reason: `${key} is longer than ${MAX_ATTRIBUTE_VALUE} characters` };
    if (value.includes('\u0000')) return { ok: false, reason: 'Text must not contain NUL characters' };
    const before = Object.hasOwn(attributes, key) ? attributes[key] : null;
    if (value === '') delete attributes[key];
    else attributes[key] = value;
    const after = value === '' ? null : value;
    if (before !== after) changes[key] = { from: before, to: after };
  }
  if (Object.keys(attributes).length > MAX_ATTRIBUTES)
    return { ok: false, reason: `At most ${MAX_ATTRIBUTES} attributes` };
  return { ok: true, attributes, changes };
}
