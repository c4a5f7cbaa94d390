import {
  businessHoursProblems,
  isOpen,
  nextOpening,
  type BusinessHours,
  type OpeningInterval,
} from './business-hours.js';

const DAY: OpeningInterval[] = [{ open: '08:00', close: '20:00' }];

/** Madrid, 08:00–20:00 every day, closed on Christmas Day (a Friday in 2026). */
const MADRID: BusinessHours = {
  timeZone: 'Europe/Madrid',
  weekly: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY, sun: DAY },
  holidays: ['2026-12-25'],
};

const utc = (iso: string) => new Date(`${iso}Z`);

describe('isOpen', () => {
  it('is open from the opening minute up to, not including, closing time', () => {
    // 2 March 2026: Madrid is on CET (UTC+1).
    expect(isOpen(MADRID, utc('2026-03-02T06:59:59.999'))).toBe(false);
    expect(isOpen(MADRID, utc('2026-03-02T07:00:00'))).toBe(true);
    expect(isOpen(MADRID, utc('2026-03-02T18:59:59.999'))).toBe(true);
    expect(isOpen(MADRID, utc('2026-03-02T19:00:00'))).toBe(false);
  });

  it('keeps 08:00–20:00 local across the spring DST change (Sunday 29 March 2026)', () => {
    // Saturday on CET: 08:00 local is 07:00 UTC. Sunday on CEST: 08:00 local is 06:00 UTC.
    expect(isOpen(MADRID, utc('2026-03-28T06:30:00'))).toBe(false);
    expect(isOpen(MADRID, utc('2026-03-29T06:30:00'))).toBe(true);
    expect(isOpen(MADRID, utc('2026-03-28T18:30:00'))).toBe(true);
    expect(isOpen(MADRID, utc('2026-03-29T18:30:00'))).toBe(false);
  });

  it('keeps 08:00–20:00 local across the autumn DST change (Sunday 25 October 2026)', () => {
    // Saturday on CEST: 08:00 local is 06:00 UTC. Sunday on CET: 08:00 local is 07:00 UTC.
    expect(isOpen(MADRID, utc('2026-10-24T06:30:00'))).toBe(true);
    expect(isOpen(MADRID, utc('2026-10-25T06:30:00'))).toBe(false);
    expect(isOpen(MADRID, utc('2026-10-25T07:00:00'))).toBe(true);
    expect(isOpen(MADRID, utc('2026-10-25T18:59:00'))).toBe(true);
    expect(isOpen(MADRID, utc('2026-10-25T19:00:00'))).toBe(false);
  });

  it('is closed all day on a holiday and open the days around it', () => {
    expect(isOpen(MADRID, utc('2026-12-24T10:00:00'))).toBe(true);
    expect(isOpen(MADRID, utc('2026-12-25T10:00:00'))).toBe(false);
    expect(isOpen(MADRID, utc('2026-12-26T10:00:00'))).toBe(true);
  });

  it('reads holidays as local dates, not UTC dates', () => {
    const allDay = [{ open: '00:00', close: '24:00' }];
    const roundTheClock: BusinessHours = { ...MADRID, weekly: { thu: allDay, fri: allDay, sat: allDay } };
    // 23:30 UTC on the 24th is already the 25th in Madrid; 23:30 UTC on the 25th is the 26th.
    expect(isOpen(roundTheClock, utc('2026-12-24T23:30:00'))).toBe(false);
    expect(isOpen(roundTheClock, utc('2026-12-25T23:30:00'))).toBe(true);
  });

  it('handles a lunch break and a day with no hours', () => {
    const split: BusinessHours = {
      timeZone: 'Europe/Madrid',
      weekly: {
        mon: [
          { open: '15:00', close: '18:00' },
          { open: '09:00', close: '13:00' },
        ],
      },
      holidays: [],
    };
    expect(isOpen(split, utc('2026-03-02T11:00:00'))).toBe(true); // 12:00 local
    expect(isOpen(split, utc('2026-03-02T13:00:00'))).toBe(false); // 14:00 local
    expect(isOpen(split, utc('2026-03-02T15:00:00'))).toBe(true); // 16:00 local
    expect(isOpen(split, utc('2026-03-03T11:00:00'))).toBe(false); // Tuesday
  });

  it('stays open until midnight with a 24:00 close', () => {
    const late: BusinessHours = {
      timeZone: 'Europe/Madrid',
      weekly: { mon: [{ open: '20:00', close: '24:00' }] },
      holidays: [],
    };
    expect(isOpen(late, utc('2026-03-02T22:59:59'))).toBe(true);
    expect(isOpen(late, utc('2026-03-02T23:00:00'))).toBe(false);
  });

  it('refuses a zone it cannot read rather than guessing UTC', () => {
    expect(() => isOpen({ ...MADRID, timeZone: 'Europe/Atlantis' }, utc('2026-03-02T10:00:00'))).toThrow(
      RangeError,
    );
  });
});

describe('nextOpening', () => {
  it('is now when already open', () => {
    expect(nextOpening(MADRID, utc('2026-03-02T10:00:00'))).toEqual(utc('2026-03-02T10:00:00'));
  });

  it('is later today before opening, tomorrow after closing', () => {
    expect(nextOpening(MADRID, utc('2026-03-02T05:00:00'))).toEqual(utc('2026-03-02T07:00:00'));
    expect(nextOpening(MADRID, utc('2026-03-02T20:00:00'))).toEqual(utc('2026-03-03T07:00:00'));
  });

  it('is 08:00 local on the morning after each DST change', () => {
    expect(nextOpening(MADRID, utc('2026-03-28T19:30:00'))).toEqual(utc('2026-03-29T06:00:00'));
    expect(nextOpening(MADRID, utc('2026-10-24T19:30:00'))).toEqual(utc('2026-10-25T07:00:00'));
  });

  it('skips a holiday', () => {
    expect(nextOpening(MADRID, utc('2026-12-24T20:00:00'))).toEqual(utc('2026-12-26T07:00:00'));
  });

  it('finds the afternoon after a lunch break, and next week for a one-day schedule', () => {
    const split: BusinessHours = {
      timeZone: 'Europe/Madrid',
      weekly: {
        mon: [
          { open: '09:00', close: '13:00' },
          { open: '15:00', close: '18:00' },
        ],
      },
      holidays: [],
    };
    expect(nextOpening(split, utc('2026-03-02T13:00:00'))).toEqual(utc('2026-03-02T14:00:00'));
    expect(nextOpening(split, utc('2026-03-02T17:00:00'))).toEqual(utc('2026-03-09T08:00:00'));
  });

  it('moves an opening inside the spring-forward gap to when the clock jumps past it', () => {
    const night: BusinessHours = {
      timeZone: 'Europe/Madrid',
      weekly: { sun: [{ open: '02:30', close: '05:00' }] },
      holidays: [],
    };
    // 02:30 does not exist on 29 March 2026 in Madrid; clocks read 03:30 CEST (01:30 UTC) an hour after 01:30 CET.
    expect(nextOpening(night, utc('2026-03-28T23:00:00'))).toEqual(utc('2026-03-29T01:30:00'));
  });

  it('is null when nothing ever opens', () => {
    expect(
      nextOpening({ timeZone: 'Europe/Madrid', weekly: {}, holidays: [] }, utc('2026-03-02T10:00:00')),
    ).toBeNull();
  });
});

describe('businessHoursProblems', () => {
  it('finds nothing wrong with a sound configuration', () => {
    expect(businessHoursProblems(MADRID)).toEqual([]);
  });

  it('names each problem', () => {
    const broken: BusinessHours = {
      timeZone: 'Mars/Olympus',
      weekly: {
        mon: [{ open: '8:00', close: '20:00' }],
        tue: [{ open: '20:00', close: '08:00' }],
        wed: [{ open: '09:00', close: '24:30' }],
      },
      holidays: ['2026-13-01', '25/12/2026'],
    };
    expect(businessHoursProblems(broken)).toEqual([
      'unknown time zone "Mars/Olympus"',
      'mon: times must be HH:mm (00:00–24:00)',
      'tue: 20:00–08:00 closes before it opens',
      'wed: times must be HH:mm (00:00–24:00)',
      'bad holiday date "2026-13-01" (want YYYY-MM-DD)',
      'bad holiday date "25/12/2026" (want YYYY-MM-DD)',
    ]);
  });
});
