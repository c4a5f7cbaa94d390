import {
  AGENT_COLUMNS,
  agentReportCsv,
  QUEUE_COLUMNS,
  queueReportCsv,
  reportFilename,
  responseFormat,
} from './report-csv.js';
import { agentReportRow, queueReportRow, type QueueAggregate } from './report-rows.js';

const NONE = { average: null, median: null, n: 0 };

const claims: QueueAggregate = {
  bucketStart: new Date('2026-06-10T00:00:00.000Z'),
  bucketLocal: '2026-06-10T00:00:00',
  queueId: '1d7fd469-0000-4000-8000-000000000001',
  queueName: 'Claims',
  slaTargetSeconds: 60,
  volume: 5,
  answered: 4,
  slaSample: 4,
  answeredWithinSla: 3,
  wait: { average: 63.75, median: 52.5, n: 4 },
  firstResponse: { average: 98.75, median: 75, n: 4 },
  handle: { average: 1180, median: 600, n: 3 },
  abandoned: 1,
  transfers: 2,
  csat: { average: 4.5, median: 4.5, n: 2 },
};

const lines = (csv: string) => csv.split('\n').filter((line) => line !== '');

describe('queue report CSV', () => {
  it('has a header row in a fixed column order, then one line per row', () => {
    const csv = queueReportCsv([queueReportRow(claims)]);
    expect(lines(csv)).toEqual([
      'bucket_start,bucket_local,queue_id,queue_name,volume,answered,sla_target_seconds,answered_within_sla,' +
        'sla_rate,sla_n,wait_avg_seconds,wait_median_seconds,wait_n,first_response_avg_seconds,' +
        'first_response_median_seconds,first_response_n,handle_avg_seconds,handle_median_seconds,handle_n,' +
        'abandoned,abandonment_rate,transfers,csat_avg,csat_n,csat_median',
      '2026-06-10T00:00:00.000Z,2026-06-10T00:00:00,1d7fd469-0000-4000-8000-000000000001,Claims,5,4,60,3,' +
        '0.75,4,63.8,52.5,4,98.8,75,4,1180,600,3,1,0.2,2,4.5,2,4.5',
    ]);
  });

  it('writes missing figures as empty cells, not "null"', () => {
    const csv = queueReportCsv([
      queueReportRow({ ...claims, volume: 0, answered: 0, slaSample: 0, wait: NONE }),
    ]);
    const cells = lines(csv)[1].split(',');
    const cell = (header: string) => cells[QUEUE_COLUMNS.findIndex(([h]) => h === header)];
    expect(cell('sla_rate')).toBe('');
    expect(cell('wait_avg_seconds')).toBe('');
    expect(cell('wait_n')).toBe('0');
    expect(cell('abandonment_rate')).toBe('');
    expect(csv).not.toContain('null');
  });

  it('quotes names with commas and quotes, and defuses names a spreadsheet would run as a formula', () => {
    const csv = queueReportCsv([
      queueReportRow({ ...claims, queueName: 'Claims, "urgent"' }),
      queueReportRow({ ...claims, queueName: '=HYPERLINK("http://evil.example")' }),
    ]);
    const [, quoted, formula] = lines(csv);
    expect(quoted).toContain(',"Claims, ""urgent""",');
    expect(formula).toContain(`,"'=HYPERLINK(""http://evil.example"")",`);
  });

  it('is only the header when there are no rows', () => {
    expect(lines(queueReportCsv([]))).toEqual([QUEUE_COLUMNS.map(([h]) => h).join(',')]);
  });
});

describe('agent report CSV', () => {
  it('has its own columns, with negative-looking text defused but numbers left alone', () => {
    const row = agentReportRow({
      bucketStart: new Date('2026-06-10T09:00:00.000Z'),
      bucketLocal: '2026-06-10T11:00:00',
      agentId: 'a1',
      displayName: '-Ana',
      handled: 3,
      handle: { average: 1305, median: 915, n: 3 },
      firstResponse: NONE,
      transfersOut: 1,
      offersDeclined: 0,
      offersTimedOut: 0,
      csat: NONE,
    });
    expect(lines(agentReportCsv([row]))).toEqual([
      AGENT_COLUMNS.map(([h]) => h).join(','),
      "2026-06-10T09:00:00.000Z,2026-06-10T11:00:00,a1,'-Ana,3,1305,915,3,,,0,1,0,0,,0,",
    ]);
  });
});

describe('reportFilename', () => {
  it('names the report, bucket and period without characters file systems refuse', () => {
    expect(
      reportFilename('queues', {
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-12-01T00:00:00.000Z',
        bucket: 'day',
        timeZone: 'Europe/Berlin',
      }),
    ).toBe('switchboard-queues-day-20261101T000000Z-20261201T000000Z.csv');
  });
});

describe('responseFormat', () => {
  it('follows format= when given, whatever Accept says', () => {
    expect(responseFormat('csv', 'application/json')).toBe('csv');
    expect(responseFormat('json', 'text/csv')).toBe('json');
  });

  it.each([
    ['text/csv', 'csv'],
    ['Text/CSV; charset=utf-8', 'csv'],
    ['application/json;q=0.5, text/csv', 'csv'],
    ['application/json, text/csv;q=0.5', 'json'],
    ['text/csv, application/json', 'json'],
    ['text/csv;q=0', 'json'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'json'],
    ['application/json', 'json'],
    [undefined, 'json'],
  ])('Accept %p → %p', (accept, format) => {
    expect(responseFormat(undefined, accept)).toBe(format);
  });
});
