import type { PrechatField } from '../src/realtime/contracts/widget-config.js';
import { pickLocale, translator } from '../widgets/chat/src/i18n.js';
import { validateField } from '../widgets/chat/src/prechat-rules.js';
import { contrastRatio, theme } from '../widgets/chat/src/theme.js';

const t = translator('en');
const field = (f: Partial<PrechatField>): PrechatField => ({
  name: 'x',
  label: 'X',
  type: 'text',
  required: false,
  ...f,
});

describe('widget pre-chat rules (the same as the server applies)', () => {
  it('asks for required answers, and lets optional ones stay empty', () => {
    expect(validateField(field({ required: true }), '  ', t)).toBe('Please fill in X.');
    expect(validateField(field({ required: true, type: 'select', options: ['A'] }), '', t)).toBe(
      'Please choose X.',
    );
    expect(validateField(field({ type: 'email' }), '', t)).toBeNull();
  });

  it.each([
    ['email', 'maria@example.com', null],
    ['email', 'maria@', 'X must be an email address.'],
    ['tel', '+34 (91) 123-45-67', null],
    ['tel', 'call me', 'X must be a phone number.'],
    ['date', '2026-11-26', null],
    ['date', '26/11/2026', 'X must be a date.'],
  ] as const)('checks a %s answer %p', (type, value, expected) => {
    expect(validateField(field({ type }), value, t)).toBe(expected);
  });

  it('keeps answers within maxLength (500 by default) and selects within their options', () => {
    expect(validateField(field({ maxLength: 3 }), 'abcd', t)).toBe('X must be at most 3 characters.');
    expect(validateField(field({}), 'a'.repeat(501), t)).toBe('X must be at most 500 characters.');
    expect(validateField(field({ type: 'select', options: ['Car', 'Home'] }), 'Boat', t)).toBe(
      'Please choose X.',
    );
    expect(validateField(field({ type: 'select', options: ['Car', 'Home'] }), 'Home', t)).toBeNull();
  });
});

describe('widget colours', () => {
  it.each(['#0b5394', '#ffd166', '#ffffff', '#000000', '#777777', '#e91e63'])(
    'keeps text on %s at 4.5:1 or more',
    (colour) => {
      const { primary, onPrimary, link } = theme(colour);
      expect(contrastRatio(primary, onPrimary)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(link, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('falls back to the default colour for a malformed one', () => {
    expect(theme('red').primary).toBe('#0b5394');
  });
});

describe('widget language', () => {
  it('prefers the page override, then the site, then the browser, then English', () => {
    expect(pickLocale('en', 'es', ['en-GB'])).toBe('es');
    expect(pickLocale('es', null, ['en-GB'])).toBe('es');
    expect(pickLocale(null, null, ['fr-FR', 'es-MX'])).toBe('es');
    expect(pickLocale(null, null, ['fr-FR', 'de'])).toBe('en');
  });

  it('fills in the Spanish strings', () => {
    expect(translator('es')('queuePosition', { position: 3 })).toBe('Es el número 3 en la cola.');
  });
});
