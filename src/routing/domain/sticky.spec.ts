import { stickyChoice, withSticky, type LastServed, type StickySettings } from './sticky.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const ONE_DAY: StickySettings = { windowSeconds: 86_400 };
const LAST: LastServed = { agentId: 'ben', endedAt: at(0) };
const ranked = [{ id: 'ana' }, { id: 'ben' }, { id: 'cat' }];
const ids = (agents: readonly { id: string }[]) => agents.map((a) => a.id);

describe('stickyChoice', () => {
  it('offers a returning customer to their last agent first when within the window and eligible', () => {
    expect(stickyChoice(LAST, ['ana', 'ben'], ONE_DAY, at(3600))).toEqual({ sticky: true, agentId: 'ben' });
  });

  it('includes the last instant of the window, not a millisecond more', () => {
    expect(stickyChoice(LAST, ['ben'], ONE_DAY, at(86_400)).sticky).toBe(true);
    expect(stickyChoice(LAST, ['ben'], ONE_DAY, at(86_400.001))).toEqual({
      sticky: false,
      reason: 'window-passed',
    });
  });

  it('falls back to normal routing when the last agent cannot take it now', () => {
    expect(stickyChoice(LAST, ['ana', 'cat'], ONE_DAY, at(60))).toEqual({
      sticky: false,
      reason: 'agent-not-eligible',
    });
  });

  it('does nothing for a first-time customer, or with sticky routing off', () => {
    expect(stickyChoice(null, ['ben'], ONE_DAY, at(60))).toEqual({
      sticky: false,
      reason: 'no-previous-agent',
    });
    expect(stickyChoice(LAST, ['ben'], { windowSeconds: 0 }, at(0))).toEqual({
      sticky: false,
      reason: 'off',
    });
  });
});

describe('withSticky', () => {
  it('moves the last agent to the front and keeps everyone else in ranking order', () => {
    expect(ids(withSticky(ranked, { agentId: 'cat', endedAt: at(0) }, ONE_DAY, at(60)))).toEqual([
      'cat',
      'ana',
      'ben',
    ]);
  });

  it('keeps the strategy’s ranking when sticky routing does not apply', () => {
    expect(ids(withSticky(ranked, LAST, ONE_DAY, at(100_000)))).toEqual(['ana', 'ben', 'cat']);
    expect(ids(withSticky(ranked, { agentId: 'dan', endedAt: at(0) }, ONE_DAY, at(60)))).toEqual([
      'ana',
      'ben',
      'cat',
    ]);
  });

  it('offers nobody when the ranking is empty (a manual queue), sticky or not', () => {
    expect(withSticky([], LAST, ONE_DAY, at(60))).toEqual([]);
  });

  it('leaves the caller’s array as it was', () => {
    const input = [...ranked];
    withSticky(input, { agentId: 'cat', endedAt: at(0) }, ONE_DAY, at(60));
    expect(ids(input)).toEqual(['ana', 'ben', 'cat']);
  });
});
