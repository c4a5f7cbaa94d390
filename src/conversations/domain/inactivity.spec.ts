import { inactivityDecision, inactivityNotice, type InactivityFacts } from './inactivity.js';

const MIN = 60_000;
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 26, 10, 0, 0) + minutes * MIN);
const assigned = (facts: Partial<InactivityFacts>): InactivityFacts => ({
  status: 'assigned',
  assignedAt: at(0),
  lastCustomerMessageAt: null,
  now: at(0),
  ...facts,
});

describe('inactivityDecision', () => {
  it('closes a conversation whose customer has not written since the agent joined, once the time is up', () => {
    expect(inactivityDecision(assigned({ now: at(30) }), 30 * MIN)).toEqual({ kind: 'close' });
    expect(inactivityDecision(assigned({ now: at(29) }), 30 * MIN)).toEqual({ kind: 'wait', ms: MIN });
  });

  it('counts from the customer’s last message when it is later than the assignment', () => {
    const facts = assigned({ lastCustomerMessageAt: at(20), now: at(30) });
    expect(inactivityDecision(facts, 30 * MIN)).toEqual({ kind: 'wait', ms: 20 * MIN });
    expect(inactivityDecision({ ...facts, now: at(50) }, 30 * MIN)).toEqual({ kind: 'close' });
  });

  it('does not count a wait in the queue: the clock starts when an agent joins', () => {
    const facts = assigned({ assignedAt: at(45), lastCustomerMessageAt: at(0), now: at(46) });
    expect(inactivityDecision(facts, 30 * MIN)).toEqual({ kind: 'wait', ms: 29 * MIN });
  });

  it('keeps watching a waiting conversation without closing it', () => {
    const facts: InactivityFacts = {
      status: 'queued',
      assignedAt: null,
      lastCustomerMessageAt: null,
      now: at(90),
    };
    expect(inactivityDecision(facts, 30 * MIN)).toEqual({ kind: 'wait', ms: 30 * MIN });
  });

  it('stops for a closed conversation, and when the auto-close is off', () => {
    expect(inactivityDecision(assigned({ status: 'closed', now: at(99) }), 30 * MIN)).toEqual({
      kind: 'stop',
    });
    expect(inactivityDecision(assigned({ now: at(99) }), 0)).toEqual({ kind: 'stop' });
  });
});

describe('inactivityNotice', () => {
  it('says how long the chat was idle', () => {
    expect(inactivityNotice(30)).toBe('This chat was closed after 30 minutes without activity.');
    expect(inactivityNotice(1)).toBe('This chat was closed after 1 minute without activity.');
    expect(inactivityNotice(0.02)).toBe('This chat was closed after 0.02 minutes without activity.');
  });
});
