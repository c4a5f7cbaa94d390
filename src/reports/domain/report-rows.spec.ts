import {
  agentReportRow,
  durationStats,
  queueReportRow,
  rate,
  roundSeconds,
  type AgentAggregate,
  type QueueAggregate,
} from './report-rows.js';

const NONE = { average: null, median: null, n: 0 };

function queueAggregate(overrides: Partial<QueueAggregate> = {}): QueueAggregate {
  return {
    bucketStart: new Date('2026-06-09T22:00:00.000Z'),
    bucketLocal: '2026-06-10T00:00:00',
    queueId: 'q1',
    queueName: 'Claims',
    slaTargetSeconds: 60,
    volume: 0,
    answered: 0,
    slaSample: 0,
    answeredWithinSla: 0,
    wait: NONE,
    firstResponse: NONE,
    handle: NONE,
    abandoned: 0,
    transfers: 0,
    csat: NONE,
    ...overrides,
  };
}

describe('roundSeconds', () => {
  it.each([
    [63.75, 63.8],
    [52.5, 52.5],
    [1180.0000000000002, 1180],
    [0.04, 0],
    [98.749999, 98.7],
    [null, null],
  ])('%p → %p', (seconds, rounded) => {
    expect(roundSeconds(seconds)).toBe(rounded);
  });
});

describe('rate', () => {
  it('is a share between 0 and 1 with three decimals', () => {
    expect(rate(3, 4)).toBe(0.75);
    expect(rate(1, 3)).toBe(0.333);
    expect(rate(2, 3)).toBe(0.667);
    expect(rate(0, 5)).toBe(0);
    expect(rate(5, 5)).toBe(1);
  });

  it('is null, not 0, when there is nothing to divide by', () => {
    expect(rate(0, 0)).toBeNull();
  });
});

describe('durationStats', () => {
  it('rounds the average and the median to tenths and keeps the sample size', () => {
    expect(durationStats({ average: 98.75, median: 75, n: 4 })).toEqual({
      averageSeconds: 98.8,
      medianSeconds: 75,
      n: 4,
    });
  });

  it('has no figures without a sample', () => {
    expect(durationStats(NONE)).toEqual({ averageSeconds: null, medianSeconds: null, n: 0 });
  });
});

describe('queueReportRow', () => {
  it('shapes a bucket of a queue with its SLA share and abandonment rate', () => {
    const row = queueReportRow(
      queueAggregate({
        volume: 5,
        answered: 4,
        slaSample: 4,
        answeredWithinSla: 3,
        wait: { average: 63.75, median: 52.5, n: 4 },
        firstResponse: { average: 98.75, median: 75, n: 4 },
        handle: { average: 1180, median: 600, n: 3 },
        abandoned: 1,
        transfers: 2,
      }),
    );
    expect(row).toEqual({
      bucketStart: '2026-06-09T22:00:00.000Z',
      bucketLocal: '2026-06-10T00:00:00',
      queue: { id: 'q1', name: 'Claims' },
      volume: 5,
      answered: 4,
      sla: { targetSeconds: 60, answeredWithinTarget: 3, rate: 0.75, n: 4 },
      wait: { averageSeconds: 63.8, medianSeconds: 52.5, n: 4 },
      firstResponse: { averageSeconds: 98.8, medianSeconds: 75, n: 4 },
      handle: { averageSeconds: 1180, medianSeconds: 600, n: 3 },
      abandoned: 1,
      abandonmentRate: 0.2,
      transfers: 2,
      csat: { average: null, median: null, n: 0 },
    });
  });

  it('leaves rates empty in a bucket where nobody queued or was answered (a close of an earlier chat)', () => {
    const row = queueReportRow(queueAggregate({ handle: { average: 915, median: 915, n: 1 } }));
    expect(row.abandonmentRate).toBeNull();
    expect(row.sla).toEqual({ targetSeconds: 60, answeredWithinTarget: 0, rate: null, n: 0 });
    expect(row.wait).toEqual({ averageSeconds: null, medianSeconds: null, n: 0 });
    expect(row.handle).toEqual({ averageSeconds: 915, medianSeconds: 915, n: 1 });
  });

  it('computes the SLA share over the answers it could judge, for a queue deleted since', () => {
    const row = queueReportRow(
      queueAggregate({
        queueName: null,
        slaTargetSeconds: null,
        answered: 2,
        slaSample: 0,
        answeredWithinSla: 0,
      }),
    );
    expect(row.queue).toEqual({ id: 'q1', name: null });
    expect(row.sla).toEqual({ targetSeconds: null, answeredWithinTarget: 0, rate: null, n: 0 });
  });
});

describe('CSAT in report rows', () => {
  it('averages ratings to two decimals with their median and count', () => {
    const row = queueReportRow(queueAggregate({ csat: { average: 3.6666666, median: 4, n: 3 } }));
    expect(row.csat).toEqual({ average: 3.67, median: 4, n: 3 });
  });

  it('is empty, not zero, without ratings', () => {
    expect(queueReportRow(queueAggregate()).csat).toEqual({ average: null, median: null, n: 0 });
  });
});

describe('agentReportRow', () => {
  it('shapes a bucket of an agent', () => {
    const aggregate: AgentAggregate = {
      bucketStart: new Date('2026-06-10T09:00:00.000Z'),
      bucketLocal: '2026-06-10T09:00:00',
      agentId: 'a1',
      displayName: 'Ana',
      handled: 3,
      handle: { average: 1305, median: 915, n: 3 },
      firstResponse: { average: 67.5, median: 67.5, n: 2 },
      transfersOut: 1,
      offersDeclined: 0,
      offersTimedOut: 2,
      csat: { average: 4.333333, median: 5, n: 3 },
    };
    expect(agentReportRow(aggregate)).toEqual({
      bucketStart: '2026-06-10T09:00:00.000Z',
      bucketLocal: '2026-06-10T09:00:00',
      agent: { id: 'a1', displayName: 'Ana' },
      handled: 3,
      handle: { averageSeconds: 1305, medianSeconds: 915, n: 3 },
      firstResponse: { averageSeconds: 67.5, medianSeconds: 67.5, n: 2 },
      transfersOut: 1,
      offersDeclined: 0,
      offersTimedOut: 2,
      csat: { average: 4.33, median: 5, n: 3 },
    });
  });
});
