import { activityChart } from './activity-chart.js';

const from = new Date('2026-11-26T00:00:00Z');
const to = new Date('2026-11-26T01:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(from.getTime() + minutes * 60_000 + seconds * 1000);

describe('activityChart', () => {
  it('counts arrivals, answers within SLA and abandonments per 15 minutes', () => {
    const chart = activityChart(from, to, [
      { arrivedAt: at(1), answeredAt: at(1, 10), abandoned: false, slaTargetSeconds: 60 },
      { arrivedAt: at(2), answeredAt: at(4), abandoned: false, slaTargetSeconds: 60 },
      { arrivedAt: at(14, 59), answeredAt: null, abandoned: true, slaTargetSeconds: 60 },
      { arrivedAt: at(15), answeredAt: at(15, 30), abandoned: false, slaTargetSeconds: 30 },
    ]);
    expect(chart.buckets).toHaveLength(4);
    expect(chart.buckets[0]).toEqual({
      start: '2026-11-26T00:00:00.000Z',
      arrived: 3,
      answered: 2,
      answeredWithinSla: 1,
      abandoned: 1,
      slaPercent: 50,
    });
    // A wait exactly at the target is within it.
    expect(chart.buckets[1]).toMatchObject({
      arrived: 1,
      answered: 1,
      answeredWithinSla: 1,
      slaPercent: 100,
    });
    expect(chart.buckets[2]).toMatchObject({ arrived: 0, slaPercent: null });
  });

  it('sorts answered waits into classes and leaves out conversations outside the period', () => {
    const chart = activityChart(from, to, [
      { arrivedAt: at(0), answeredAt: at(0, 14), abandoned: false, slaTargetSeconds: 60 },
      { arrivedAt: at(0), answeredAt: at(0, 15), abandoned: false, slaTargetSeconds: 60 },
      { arrivedAt: at(0), answeredAt: at(10), abandoned: false, slaTargetSeconds: 60 },
      { arrivedAt: at(0), answeredAt: null, abandoned: true, slaTargetSeconds: 60 },
      { arrivedAt: at(60), answeredAt: at(61), abandoned: false, slaTargetSeconds: 60 },
      { arrivedAt: at(-1), answeredAt: at(1), abandoned: false, slaTargetSeconds: 60 },
    ]);
    expect(chart.waits.map((w) => [w.label, w.count])).toEqual([
      ['0–15 s', 1],
      ['15–30 s', 1],
      ['30–60 s', 0],
      ['1–2 min', 0],
      ['2–5 min', 0],
      ['5 min+', 1],
    ]);
    expect(chart.buckets.reduce((n, b) => n + b.arrived, 0)).toBe(4);
  });
});
