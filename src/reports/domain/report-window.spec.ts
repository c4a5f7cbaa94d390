import {
  MAX_REPORT_DAYS,
  parseInstant,
  reportHeading,
  reportWindow,
  resolveTimeZone,
} from './report-window.js';

describe('parseInstant', () => {
  it.each([
    ['2026-11-26T00:00:00Z', '2026-11-26T00:00:00.000Z'],
    ['2026-11-26T10:30Z', '2026-11-26T10:30:00.000Z'],
    ['2026-11-26T01:00:00.250+01:00', '2026-11-26T00:00:00.250Z'],
    ['2026-03-29T01:30:00-05:30', '2026-03-29T07:00:00.000Z'],
    ['2026-11-26T01:00:00 01:00', '2026-11-26T00:00:00.000Z'], // "+01:00" unescaped in a URL
  ])('reads %s as %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['a date alone', '2026-11-26'],
    ['a local time without offset', '2026-11-26T10:00:00'],
    ['an impossible date', '2026-02-30T00:00:00Z'],
    ['an impossible hour', '2026-11-26T24:30:00Z'],
    ['a space instead of T', '2026-11-26 10:00:00Z'],
    ['epoch milliseconds', '1795000000000'],
    ['nothing', ''],
  ])('refuses %s', (_, text) => {
    expect(parseInstant(text)).toBeNull();
  });
});

describe('resolveTimeZone', () => {
  it('accepts IANA names, in any letter case, as their canonical name', () => {
    expect(resolveTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('america/new_york')).toBe('America/New_York');
    expect(resolveTimeZone('UTC')).toBe('UTC');
    expect(resolveTimeZone('Etc/GMT+5')).toBe('Etc/GMT+5');
  });

  it('turns an alias PostgreSQL would read as a fixed offset into the zone with its DST rules', () => {
    expect(resolveTimeZone('CET')).toMatch(/^Europe\//);
  });

  it.each([
    'Mars/Olympus_Mons',
    'Europe/Berlin ',
    '+01:00',
    'UTC+1',
    'GMT-3',
    '',
    'Europe/Berlin; DROP TABLE queue',
  ])('refuses %j', (name) => {
    expect(resolveTimeZone(name)).toBeNull();
  });
});

describe('reportWindow', () => {
  const from = '2026-11-01T00:00:00Z';

  it('defaults to days in UTC', () => {
    expect(reportWindow({ from, to: '2026-12-01T00:00:00Z' })).toEqual({
      ok: true,
      window: {
        from: new Date('2026-11-01T00:00:00Z'),
        to: new Date('2026-12-01T00:00:00Z'),
        bucket: 'day',
        timeZone: 'UTC',
      },
    });
  });

  it(`allows ${MAX_REPORT_DAYS} days and not a millisecond more`, () => {
    const longest = new Date(Date.parse(from) + MAX_REPORT_DAYS * 86_400_000);
    expect(reportWindow({ from, to: longest.toISOString() }).ok).toBe(true);
    const tooLong = new Date(longest.getTime() + 1).toISOString();
    expect(reportWindow({ from, to: tooLong })).toEqual({
      ok: false,
      problems: ['the period must not be longer than 366 days'],
    });
  });

  it('wants the end after the start', () => {
    expect(reportWindow({ from, to: from })).toEqual({ ok: false, problems: ['to must be later than from'] });
    expect(reportWindow({ from, to: '2026-10-31T23:59:59Z' }).ok).toBe(false);
  });

  it('compares instants, not the text: the same moment written with another offset is not later', () => {
    expect(reportWindow({ from, to: '2026-11-01T01:00:00+01:00' }).ok).toBe(false);
  });

  it('lists every problem at once', () => {
    const result = reportWindow({
      from: 'yesterday',
      to: '2026-11-26',
      bucket: 'week' as 'day',
      timeZone: 'Nowhere/City',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      'from must be an ISO-8601 date and time with an offset, e.g. 2026-11-26T00:00:00Z',
      'to must be an ISO-8601 date and time with an offset, e.g. 2026-11-26T00:00:00Z',
      'bucket must be one of: hour, day',
      'timeZone must be an IANA time zone name, e.g. Europe/Berlin',
    ]);
  });

  it('states the period in UTC and the zone by its canonical name', () => {
    const result = reportWindow({
      from: '2026-11-01T00:00:00+01:00',
      to: '2026-11-02T00:00:00+01:00',
      bucket: 'hour',
      timeZone: 'europe/berlin',
    });
    if (!result.ok) throw new Error(result.problems.join());
    expect(reportHeading(result.window)).toEqual({
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-01T23:00:00.000Z',
      bucket: 'hour',
      timeZone: 'Europe/Berlin',
    });
  });
});
