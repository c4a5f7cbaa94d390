/** What the console shows of a canned reply. */
export interface CannedReplyFacts {
  shortcut: string;
  title: string;
  body: string;
}

/** Shortcuts are lower-case words: a-z, 0-9, `_` or `-`, up to 40 characters. */
export const CANNED_SHORTCUT = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/**
 * The replies matching what the agent typed after `/`, best first: an exact shortcut, then shortcuts
 * starting with the text, then titles starting with it, then the text anywhere in the shortcut, title
 * or body. Case does not matter; an empty text lists everything by shortcut.
 */
export function rankCannedReplies<T extends CannedReplyFacts>(
  replies: readonly T[],
  typed: string,
  limit = 20,
): T[] {
  const text = typed.trim().replace(/^\//, '').toLowerCase();
  const scored: { reply: T; score: number }[] = [];
  for (const reply of replies) {
    const score = matchScore(reply, text);
    if (score !== null) scored.push({ reply, score });
  }
  scored.sort((a, b) => a.score - b.score || a.reply.shortcut.localeCompare(b.reply.shortcut));
  return scored.slice(0, limit).map((s) => s.reply);
}

function matchScore(reply: CannedReplyFacts, text: string): number | null {
  if (text === '') return 3;
  const shortcut = reply.shortcut.toLowerCase();
  const title = reply.title.toLowerCase();
  if (shortcut === text) return 0;
  if (shortcut.startsWith(text)) return 1;
  if (title.startsWith(text)) return 2;
  if (shortcut.includes(text) || title.includes(text) || reply.body.toLowerCase().includes(text)) return 3;
  return null;
}
