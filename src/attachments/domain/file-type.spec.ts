import { allowedDeclaredType, isInline, sniffContentType } from './file-type.js';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffContentType', () => {
  it.each([
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image/jpeg'],
    ['a PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'image/png'],
    ['a GIF89a', bytes('GIF89a', [1, 0, 1, 0]), 'image/gif'],
    ['a GIF87a', bytes('GIF87a', [1, 0, 1, 0]), 'image/gif'],
    ['a WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['a PDF', bytes('%PDF-1.7\n%'), 'application/pdf'],
  ])('recognises %s by its first bytes', (_, head, type) => {
    expect(sniffContentType(head)).toBe(type);
  });

  it.each([
    ['HTML', bytes('<!doctype html><script>')],
    ['an SVG', bytes('<svg xmlns="http://')],
    ['a RIFF that is not WebP (WAV)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['a ZIP', bytes([0x50, 0x4b, 0x03, 0x04], 'xxxxxxxx')],
    ['a truncated PNG signature', bytes([0x89, 0x50, 0x4e, 0x47])],
    ['nothing', bytes()],
  ])('refuses %s', (_, head) => {
    expect(sniffContentType(head)).toBeNull();
  });
});

describe('allowedDeclaredType', () => {
  it('accepts the allowed types, ignoring case and parameters', () => {
    expect(allowedDeclaredType('Image/PNG')).toBe('image/png');
    expect(allowedDeclaredType('application/pdf; charset=binary')).toBe('application/pdf');
  });

  it.each([undefined, '', 'text/html', 'image/svg+xml', 'application/octet-stream', 'image/png2'])(
    'refuses %p',
    (header) => {
      expect(allowedDeclaredType(header)).toBeNull();
    },
  );
});

describe('isInline', () => {
  it('opens images and PDFs in the browser', () => {
    expect(isInline('image/webp')).toBe(true);
    expect(isInline('application/pdf')).toBe(true);
    expect(isInline('application/zip')).toBe(false);
  });
});
