import { contentDisposition, fileNameFromHeader } from './file-name.js';

describe('fileNameFromHeader', () => {
  it('decodes a URI-encoded name', () => {
    expect(fileNameFromHeader(encodeURIComponent('Schaden vorne – Foto 1.jpg'))).toBe(
      'Schaden vorne – Foto 1.jpg',
    );
  });

  it('keeps only the last path segment', () => {
    expect(fileNameFromHeader(encodeURIComponent('../../etc/passwd'))).toBe('passwd');
    expect(fileNameFromHeader(encodeURIComponent('C:\\Users\\me\\car.png'))).toBe('car.png');
  });

  it('removes control characters and quotes', () => {
    expect(fileNameFromHeader(encodeURIComponent('a\r\nb"c.pdf'))).toBe('abc.pdf');
  });

  it('cuts names longer than 200 characters', () => {
    expect(fileNameFromHeader('x'.repeat(300))).toHaveLength(200);
  });

  it.each([undefined, '', '%E0%A4%A', '..', encodeURIComponent('dir/'), encodeURIComponent('\u0000')])(
    'refuses %p',
    (raw) => {
      expect(fileNameFromHeader(raw)).toBeNull();
    },
  );
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('inline', 'Dañó (1).jpg')).toBe(
      `inline; filename="Da__ (1).jpg"; filename*=UTF-8''Da%C3%B1%C3%B3%20%281%29.jpg`,
    );
  });

  it('cannot be broken out of by a name with quotes or semicolons', () => {
    expect(contentDisposition('attachment', 'a";b.txt')).toBe(
      `attachment; filename="a__b.txt"; filename*=UTF-8''a%22%3Bb.txt`,
    );
  });
});
