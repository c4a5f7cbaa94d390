import { editAttributes, MAX_ATTRIBUTES } from './attribute-edit.js';

describe('editAttributes', () => {
  const current = { name: 'Maria', policyNumber: 'P-1' };

  it('sets, changes and removes keys and lists only real changes', () => {
    const result = editAttributes(current, { policyNumber: ' P-2 ', claimType: 'Home', name: 'Maria' });
    expect(result).toEqual({
      ok: true,
      attributes: { name: 'Maria', policyNumber: 'P-2', claimType: 'Home' },
      changes: { policyNumber: { from: 'P-1', to: 'P-2' }, claimType: { from: null, to: 'Home' } },
    });
    const removed = editAttributes(current, { name: '' });
    expect(removed).toEqual({
      ok: true,
      attributes: { policyNumber: 'P-1' },
      changes: { name: { from: 'Maria', to: null } },
    });
  });

  it('does not change the object it was given', () => {
    editAttributes(current, { name: 'Other' });
    expect(current).toEqual({ name: 'Maria', policyNumber: 'P-1' });
  });

  it.each([
    [{}, 'Nothing to change'],
    [{ 'bad key': 'x' }, 'not a valid attribute name'],
    [{ __proto__x: 'x', '1st': 'x' }, 'not a valid attribute name'],
    [{ name: 3 }, 'must be text'],
    [{ name: 'x'.repeat(501) }, 'longer than 500'],
    [{ name: 'a\u0000b' }, 'NUL'],
  ])('refuses %p', (edit, reason) => {
    const result = editAttributes(current, edit);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('refuses more than the maximum number of attributes', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_ATTRIBUTES + 1 }, (_, i) => [`k${i}`, 'v']));
    expect(editAttributes({}, many).ok).toBe(false);
    expect(editAttributes({}, Object.fromEntries(Object.entries(many).slice(0, MAX_ATTRIBUTES))).ok).toBe(
      true,
    );
  });
});
