import { CANNED_SHORTCUT, rankCannedReplies } from './rank-canned-replies.js';

const replies = [
  { shortcut: 'thanks', title: 'Thank you', body: 'Thank you for your patience.' },
  { shortcut: 'greeting', title: 'Hello', body: 'Hello, how can I help you with your claim?' },
  { shortcut: 'claim-docs', title: 'Documents for a claim', body: 'Please send photos of the damage.' },
  { shortcut: 'gr', title: 'Short greeting', body: 'Hi!' },
];

describe('rankCannedReplies', () => {
  it('puts the exact shortcut first, then shortcuts that start with the text', () => {
    expect(rankCannedReplies(replies, 'gr').map((r) => r.shortcut)).toEqual(['gr', 'greeting']);
  });

  it('accepts the leading slash and ignores case', () => {
    expect(rankCannedReplies(replies, '/THA').map((r) => r.shortcut)).toEqual(['thanks']);
  });

  it('finds words in titles and bodies after shortcut matches', () => {
    expect(rankCannedReplies(replies, 'claim').map((r) => r.shortcut)).toEqual(['claim-docs', 'greeting']);
    expect(rankCannedReplies(replies, 'photos').map((r) => r.shortcut)).toEqual(['claim-docs']);
  });

  it('lists everything by shortcut for an empty text, up to the limit', () => {
    expect(rankCannedReplies(replies, '').map((r) => r.shortcut)).toEqual([
      'claim-docs',
      'gr',
      'greeting',
      'thanks',
    ]);
    expect(rankCannedReplies(replies, '/', 2)).toHaveLength(2);
  });

  it('returns nothing when nothing matches', () => {
    expect(rankCannedReplies(replies, 'refund')).toEqual([]);
  });
});

describe('CANNED_SHORTCUT', () => {
  it('takes lower-case words and refuses spaces, capitals and a leading dash', () => {
    expect(CANNED_SHORTCUT.test('claim-docs')).toBe(true);
    expect(CANNED_SHORTCUT.test('Claim')).toBe(false);
    expect(CANNED_SHORTCUT.test('two words')).toBe(false);
    expect(CANNED_SHORTCUT.test('-x')).toBe(false);
  });
});
