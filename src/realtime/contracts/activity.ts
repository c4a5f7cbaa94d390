/** `GET /supervision/activity`: today's conversations by 15-minute slot and the wait distribution. */

export interface ActivityBucket {
  start: string;
  arrived: number;
  answered: number;
  answeredWithinSla: number;
  abandoned: number;
  /** answeredWithinSla / answered in percent, 0.1 precision; null without answers. */
  slaPercent: number | null;
}

export interface WaitClass {
  /** "0–15 s", …, "5 min+" */
  label: string;
  fromSeconds: number;
  toSeconds: number | null;
  count: number;
}

export interface Activity {
  from: string;
  to: string;
  buckets: ActivityBucket[];
  waits: WaitClass[];
}
