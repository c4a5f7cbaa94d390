/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const FALLBACK = '#0b5394';

/**
 * The site's colour for buttons and the header, with the text colour (white or near-black) that reads
 * best on it. A colour too light for white text and too dark for black (rare) is darkened until one of
 * them reaches 4.5:1.
 */
export function theme(primary: string): { primary: string; onPrimary: string; link: string } {
  let colour = /^#[0-9a-fA-F]{6}$/.test(primary) ? primary.toLowerCase() : FALLBACK;
  for (let i = 0; i < 20; i++) {
    const white = contrastRatio(colour, '#ffffff');
    const dark = contrastRatio(colour, '#111111');
    if (white >= 4.5) return { primary: colour, onPrimary: '#ffffff', link: colour };
    if (dark >= 4.5) return { primary: colour, onPrimary: '#111111', link: '#0645ad' };
    colour = `#${[1, 3, 5]
      .map((j) =>
        Math.floor(parseInt(colour.slice(j, j + 2), 16) * 0.85)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
  }
  return { primary: FALLBACK, onPrimary: '#ffffff', link: FALLBACK };
}
