import { checkFileSignature, fileSignature, signedFilePath } from './signed-url.js';

const key = Buffer.from('a'.repeat(64), 'hex');
const otherKey = Buffer.from('b'.repeat(64), 'hex');
const id = '3f1c2a7e-0000-4000-8000-000000000001';
const now = 1_800_000_000;

describe('signed file URLs', () => {
  it('builds a path that names the file, the expiry and the signature', () => {
    const path = signedFilePath(key, id, now + 600);
    expect(path).toBe(`/files/${id}?expires=${now + 600}&signature=${fileSignature(key, id, now + 600)}`);
  });

  it('accepts its own signature before the expiry, and at the expiry second', () => {
    const signature = fileSignature(key, id, now + 600);
    expect(checkFileSignature(key, id, String(now + 600), signature, now)).toBe('ok');
    expect(checkFileSignature(key, id, String(now + 600), signature, now + 600)).toBe('ok');
  });

  it('says expired after the expiry', () => {
    const signature = fileSignature(key, id, now - 1);
    expect(checkFileSignature(key, id, String(now - 1), signature, now)).toBe('expired');
  });

  it('says forged when the expiry was pushed back, the id swapped, or another key signed it', () => {
    const signature = fileSignature(key, id, now - 1);
    expect(checkFileSignature(key, id, String(now + 3600), signature, now)).toBe('forged');
    expect(checkFileSignature(key, id.replace(/1$/, '2'), String(now - 1), signature, now)).toBe('forged');
    expect(checkFileSignature(key, id, String(now + 600), fileSignature(otherKey, id, now + 600), now)).toBe(
      'forged',
    );
  });

  it.each([
    ['no expiry', undefined, 'a'.repeat(64)],
    ['a non-numeric expiry', '12e9', 'a'.repeat(64)],
    ['no signature', String(now + 60), undefined],
    ['a short signature', String(now + 60), 'abc'],
    ['an array', String(now + 60), ['a'.repeat(64)]],
  ])('says forged for %s', (_, expires, signature) => {
    expect(checkFileSignature(key, id, expires, signature, now)).toBe('forged');
  });
});
