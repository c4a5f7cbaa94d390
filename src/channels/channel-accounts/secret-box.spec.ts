import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed for the same account, and the envelope does not contain the secret', () => {
    const sealed = box.seal({ appSecret: 'very-secret-value' }, 'acc-1');
    expect(sealed).not.toContain('very-secret-value');
    expect(box.open(sealed, 'acc-1')).toEqual({ appSecret: 'very-secret-value' });
  });

  it('refuses an envelope moved to another account, a tampered one, and another key', () => {
    const sealed = box.seal({ appSecret: 'x' }, 'acc-1');
    expect(() => box.open(sealed, 'acc-2')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64');
    expect(() => box.open(parts.join('.'), 'acc-1')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'acc-1')).toThrow();
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32 bytes');
  });
});
