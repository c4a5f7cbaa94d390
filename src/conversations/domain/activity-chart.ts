import type { Activity, ActivityBucket, WaitClass } from '../../realtime/contracts/activity.js';

/** Width of one bar of the supervisor's "today" chart. */
export const ACTIVITY_BUCKET_MS = 15 * 60_000;
/** Longest span the chart covers. */
export const ACTIVITY_MAX_MS = 48 * 3_600_000;

/** Upper bounds (exclusive, seconds) of the wait-time classes; the last class is "this long or more". */
export const WAIT_CLASSES_SECONDS = [15, 30, 60, 120, 300] as const;

export interface ConversationFacts {
  arrivedAt: Date;
  /** First assignment; null if never answered. */
  answeredAt: Date | null;
  abandoned: boolean;
  slaTargetSeconds: number;
}

const WAIT_LABELS = ['0–15 s', '15–30 s', '30–60 s', '1–2 min', '2–5 min', '5 min+'];

/**
 * Conversations of a period by the 15-minute slot they arrived in (answered within their queue's SLA
 * target or not, abandoned), and the distribution of the waits of those answered.
 */
export function activityChart(from: Date, to: Date, conversations: readonly ConversationFacts[]): Activity {
  const buckets: ActivityBucket[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += ACTIVITY_BUCKET_MS) {
    buckets.push({
      start: new Date(t).toISOString(),
      arrived: 0,
      answered: 0,
      answeredWithinSla: 0,
      abandoned: 0,
      slaPercent: null,
    });
  }
  const bounds = [0, ...WAIT_CLASSES_SECONDS];
  const waits: WaitClass[] = bounds.map((b, i) => ({
    label: WAIT_LABELS[i],
    fromSeconds: b,
    toSeconds: i < WAIT_CLASSES_SECONDS.length ? WAIT_CLASSES_SECONDS[i] : null,
    count: 0,
  }));
  for (const c of conversations) {
    const index = Math.floor((c.arrivedAt.getTime() - from.getTime()) / ACTIVITY_BUCKET_MS);
    if (index < 0 || index >= buckets.length) continue;
    const bucket = buckets[index];
    bucket.arrived++;
    if (c.abandoned && !c.answeredAt) bucket.abandoned++;
    if (c.answeredAt) {
      const waited = Math.max(0, (c.answeredAt.getTime() - c.arrivedAt.getTime()) / 1000);
      bucket.answered++;
      if (waited <= c.slaTargetSeconds) bucket.answeredWithinSla++;
      const cls = WAIT_CLASSES_SECONDS.findIndex((upper) => waited < upper);
      waits[cls === -1 ? waits.length - 1 : cls].count++;
    }
  }
  for (const b of buckets)
    b.slaPercent = b.answered === 0 ? null : Math.round((b.answeredWithinSla / b.answered) * 1000) / 10;
  return { from: from.toISOString(), to: to.toISOString(), buckets, waits };
}
