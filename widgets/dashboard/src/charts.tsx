import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Activity } from '../../../src/realtime/contracts/activity.js';

// Only what the two charts draw, so the rest of Chart.js stays out of the bundle.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

function useChart(config: ChartConfiguration) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    if (!chart.current) {
      chart.current = new Chart(canvas.current, config);
    } else {
      chart.current.data = config.data;
      chart.current.update('none');
    }
  });
  useEffect(() => () => chart.current?.destroy(), []);
  return canvas;
}

/** Hours of today the arrivals chart shows, up to now: a wall screen reads the recent shift best. */
const SHOWN_HOURS = 8;

/** Conversations per 15 minutes today (bars) against the service level reached and its target (lines). */
export function ArrivalsChart({ activity, slaGoal }: { activity: Activity; slaGoal: number }) {
  const now = Date.now();
  const buckets = activity.buckets.filter(
    (b) => Date.parse(b.start) <= now && Date.parse(b.start) > now - SHOWN_HOURS * 3_600_000,
  );
  const canvas = useChart({
    type: 'bar',
    data: {
      labels: buckets.map((b) =>
        new Date(b.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
      ),
      datasets: [
        {
          type: 'bar',
          label: 'Arrived',
          data: buckets.map((b) => b.arrived),
          backgroundColor: '#9db5ec',
          yAxisID: 'count',
        },
        {
          type: 'bar',
          label: 'Answered within SLA',
          data: buckets.map((b) => b.answeredWithinSla),
          backgroundColor: '#2458d6',
          yAxisID: 'count',
        },
        {
          type: 'line',
          label: 'SLA %',
          data: buckets.map((b) => b.slaPercent),
          borderColor: '#1e8449',
          backgroundColor: '#1e8449',
          yAxisID: 'percent',
          spanGaps: true,
          pointRadius: 2,
        },
        {
          type: 'line',
          label: `SLA goal ${slaGoal} %`,
          data: buckets.map(() => slaGoal),
          borderColor: '#c0392b',
          borderDash: [6, 4],
          pointRadius: 0,
          yAxisID: 'percent',
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        count: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 } },
        percent: { type: 'linear', position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } },
      },
    },
  });
  return (
    <div class="chart">
      <canvas ref={canvas} aria-label="Conversations per 15 minutes today" role="img" />
    </div>
  );
}

/** How long the conversations answered today waited. */
export function WaitChart({ activity }: { activity: Activity }) {
  const canvas = useChart({
    type: 'bar',
    data: {
      labels: activity.waits.map((w) => w.label),
      datasets: [
        {
          label: 'Answered conversations',
          data: activity.waits.map((w) => w.count),
          backgroundColor: '#2458d6',
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  return (
    <div class="chart">
      <canvas ref={canvas} aria-label="Wait-time distribution" role="img" />
    </div>
  );
}
