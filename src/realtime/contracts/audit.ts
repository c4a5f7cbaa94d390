/** `GET /admin/audit`: the audit log, newest first (see docs/audit.md). */

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditRecord {
  /** Increasing; pass the page's `next` as `before` for older records. */
  id: string;
  at: string;
  /** The actor as they were then; all null for an anonymous attempt (a failed sign-in). */
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  /** e.g. `queue.update`, `transcript.read`, `auth.login`. */
  action: string;
  outcome: AuditOutcome;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  /** What was asked: the route's params, query and body, secrets redacted. */
  data: Record<string, unknown>;
}

export interface AuditPage {
  events: AuditRecord[];
  /** The `before` of the next (older) page; null on the last. */
  next: string | null;
}
