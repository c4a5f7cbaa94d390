import type { BusinessHours } from './business-hours.js';
import { keepWaitingForLater, offlineNotice, queueAvailability, routableNow } from './offline-mode.js';

// Monday–Friday 08:00–20:00 in Madrid (UTC+1 in winter), closed on Christmas Day.
const MADRID: BusinessHours = {
  timeZone: 'Europe/Madrid',
  weekly: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '08:00', close: '20:00' }]]),
  ),
  holidays: ['2026-12-25'],
};
const utc = (iso: string) => new Date(`${iso}Z`);
const OPEN_NOW = utc('2026-12-01T10:00:00'); // Tuesday 11:00 local
const CLOSED_NOW = utc('2026-12-01T20:30:00'); // Tuesday 21:30 local

describe('queueAvailability', () => {
  it('is open within business hours with agents on', () => {
    expect(queueAvailability({ businessHours: MADRID, offlineWhenNoAgents: true }, 2, OPEN_NOW)).toEqual({
      open: true,
    });
  });

  it('is closed outside hours, with the next opening (Wednesday 08:00 local)', () => {
    expect(queueAvailability({ businessHours: MADRID, offlineWhenNoAgents: false }, 3, CLOSED_NOW)).toEqual({
      open: false,
      reason: 'closed',
      nextOpeningAt: utc('2026-12-02T07:00:00'),
    });
  });

  it('skips a holiday when saying when it opens', () => {
    const christmasEve = utc('2026-12-24T19:30:00'); // Thursday 20:30 local
    expect(
      queueAvailability({ businessHours: MADRID, offlineWhenNoAgents: false }, 1, christmasEve),
    ).toMatchObject({
      reason: 'closed',
      nextOpeningAt: utc('2026-12-28T07:00:00'), // Christmas Friday, then the weekend
    });
  });

  it('is offline with nobody available only where the queue says so, and with no opening time', () => {
    expect(queueAvailability({ businessHours: null, offlineWhenNoAgents: true }, 0, OPEN_NOW)).toEqual({
      open: false,
      reason: 'no-agents',
      nextOpeningAt: null,
    });
    expect(queueAvailability({ businessHours: null, offlineWhenNoAgents: false }, 0, OPEN_NOW)).toEqual({
      open: true,
    });
  });

  it('says closed rather than no-agents outside hours, since then it knows when it opens', () => {
    expect(
      queueAvailability({ businessHours: MADRID, offlineWhenNoAgents: true }, 0, CLOSED_NOW),
    ).toMatchObject({
      reason: 'closed',
    });
  });
});

describe('routableNow', () => {
  const waitingSince = (enqueuedAt: Date, offlineAt: Date | null = null) => ({ enqueuedAt, offlineAt });

  it('routes anything while open, and anything in a queue without hours', () => {
    expect(routableNow(MADRID, waitingSince(CLOSED_NOW, CLOSED_NOW), OPEN_NOW)).toBe(true);
    expect(routableNow(null, waitingSince(CLOSED_NOW, CLOSED_NOW), CLOSED_NOW)).toBe(true);
  });

  it('after closing, lets the agents still on finish the line that waited at closing time', () => {
    expect(routableNow(MADRID, waitingSince(utc('2026-12-01T18:55:00')), CLOSED_NOW)).toBe(true);
  });

  it('after closing, holds conversations that arrived while closed or were kept for later', () => {
    expect(routableNow(MADRID, waitingSince(utc('2026-12-01T19:10:00')), CLOSED_NOW)).toBe(false);
    expect(
      routableNow(MADRID, waitingSince(utc('2026-12-01T18:55:00'), utc('2026-12-01T19:05:00')), CLOSED_NOW),
    ).toBe(false);
  });
});

describe('keepWaitingForLater', () => {
  const closed = { open: false, reason: 'closed', nextOpeningAt: null } as const;

  it('keeps the live line only when the queue is offline and nobody is left to serve it', () => {
    expect(keepWaitingForLater(closed, 0)).toBe(true);
    expect(keepWaitingForLater(closed, 1)).toBe(false);
    expect(keepWaitingForLater({ open: true }, 0)).toBe(false);
  });
});

describe('offlineNotice', () => {
  it('tells the customer when the queue opens, when known', () => {
    expect(offlineNotice('closed', 'Wed 2 Dec, 08:00 CET')).toContain('when we open (Wed 2 Dec, 08:00 CET)');
    expect(offlineNotice('closed', null)).toContain('as soon as we can');
  });

  it('invites a message after the maximum wait', () => {
    expect(offlineNotice('max-wait', null)).toMatch(/leave a message/);
  });
});
