import {
  inactivityDecision,
  inactivityLimitMs,
  inactivityNotice,
  inactivityNoticeFor,
  messagingInactivityNotice,
  type InactivityFacts,
} from './inactivity.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
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

describe('inactivity of messaging-network conversations', () => {
  const limits = { webMinutes: 30, messagingHours: 24 };

  it('gives website chats and messaging conversations their own limits', () => {
    expect(inactivityLimitMs('web', limits)).toBe(30 * MIN);
    for (const channel of ['whatsapp', 'telegram', 'sms', 'xmpp', 'api']) {
      expect(inactivityLimitMs(channel, limits)).toBe(24 * HOUR);
    }
    expect(inactivityLimitMs('telegram', { webMinutes: 30, messagingHours: 0 })).toBe(0);
    expect(inactivityLimitMs('web', { webMinutes: 0, messagingHours: 24 })).toBe(0);
  });

  it('closes after a day without a customer message, counted from the later of assignment and message', () => {
    const limit = inactivityLimitMs('whatsapp', limits);
    const facts = assigned({ lastCustomerMessageAt: at(60), now: at(60 + 23 * 60) });
    expect(inactivityDecision(facts, limit)).toEqual({ kind: 'wait', ms: HOUR });
    expect(inactivityDecision({ ...facts, now: at(60 + 24 * 60) }, limit)).toEqual({ kind: 'close' });
  });

  it('closes an agent-started conversation the customer never answered, a day after it started', () => {
    const limit = inactivityLimitMs('whatsapp', limits);
    expect(inactivityDecision(assigned({ now: at(24 * 60 - 1) }), limit)).toEqual({ kind: 'wait', ms: MIN });
    expect(inactivityDecision(assigned({ now: at(24 * 60) }), limit)).toEqual({ kind: 'close' });
  });

  it('never closes a messaging conversation waiting in the queue, however old, as for the website', () => {
    const waiting: InactivityFacts = {
      status: 'queued',
      assignedAt: null,
      lastCustomerMessageAt: at(0),
      now: at(3 * 24 * 60),
    };
    const limit = inactivityLimitMs('telegram', limits);
    expect(inactivityDecision(waiting, limit)).toEqual({ kind: 'wait', ms: limit });
    expect(inactivityDecision(waiting, inactivityLimitMs('web', limits))).toEqual({
      kind: 'wait',
      ms: 30 * MIN,
    });
  });

  it('stops when the messaging auto-close is off', () => {
    expect(
      inactivityDecision(
        assigned({ now: at(99 * 60) }),
        inactivityLimitMs('sms', { webMinutes: 30, messagingHours: 0 }),
      ),
    ).toEqual({
      kind: 'stop',
    });
  });

  it('says how long the conversation was idle, in hours', () => {
    expect(messagingInactivityNotice(24)).toBe(
      'This conversation was closed after 24 hours without a message from the customer.',
    );
    expect(messagingInactivityNotice(1)).toBe(
      'This conversation was closed after 1 hour without a message from the customer.',
    );
    expect(messagingInactivityNotice(0.0005)).toBe(
      'This conversation was closed after 0.0005 hours without a message from the customer.',
    );
    expect(inactivityNoticeFor('web', limits)).toBe(inactivityNotice(30));
    expect(inactivityNoticeFor('xmpp', limits)).toBe(messagingInactivityNotice(24));
  });
});
