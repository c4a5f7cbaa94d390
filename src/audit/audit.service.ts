import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { StaffUser } from '../auth/staff-user.entity.js';
import type { AuditOutcome, AuditPage, AuditRecord } from '../realtime/contracts/audit.js';

export type { AuditOutcome, AuditRecord };

export interface AuditEntry {
  /** Who did it; null for an anonymous attempt (a failed sign-in). */
  actor: Pick<StaffUser, 'id' | 'email' | 'role'> | null;
  /** e.g. `queue.update`, `transcript.read`, `auth.login`. */
  action: string;
  outcome: AuditOutcome;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  data?: Record<string, unknown>;
}

export interface AuditFilter {
  from?: Date;
  to?: Date;
  actorId?: string;
  /** An action, or a prefix ending in `.` (`queue.` is every queue change). */
  action?: string;
  targetId?: string;
  /** Records older than this id (the `next` of the previous page). */
  before?: string;
  limit: number;
}

interface Row {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  actor_role: string | null;
  action: string;
  outcome: AuditOutcome;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}

/** Writes and reads the audit log (table `audit_event`, append-only). */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Stores one record. The action it describes has already happened: a record that cannot be stored
   * is logged as an error with what it said (never its data), and the caller goes on.
   */
  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO audit_event (actor_id, actor_email, actor_role, action, outcome, target_type, target_id, ip, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          entry.actor?.id ?? null,
          entry.actor?.email ?? null,
          entry.actor?.role ?? null,
          entry.action,
          entry.outcome,
          entry.targetType ?? null,
          entry.targetId ?? null,
          entry.ip ?? null,
          entry.data ?? {},
        ],
      );
    } catch (error) {
      this.logger.error(
        { err: error, action: entry.action, actorId: entry.actor?.id, targetId: entry.targetId },
        'audit record could not be stored',
      );
    }
  }

  /** Newest first, one page; `next` is the `before` of the following page, null on the last. */
  async list(filter: AuditFilter): Promise<AuditPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.targetId) add('target_id = ?', filter.targetId);
    if (filter.action?.endsWith('.')) add(`starts_with(action, ?)`, filter.action);
    else if (filter.action) add('action = ?', filter.action);
    if (filter.before) add('id < ?', filter.before);
    params.push(filter.limit + 1);
    const rows: Row[] = await this.db.query(
      `SELECT id::text, at, actor_id, actor_email, actor_role, action, outcome, target_type, target_id, ip, data
         FROM audit_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY audit_event.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    return {
      events: page.map(toRecord),
      next: rows.length > filter.limit ? page[page.length - 1].id : null,
    };
  }
}

function toRecord(row: Row): AuditRecord {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorEmail: row.actor_email,
    actorRole: row.actor_role,
    action: row.action,
    outcome: row.outcome,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    data: row.data,
  };
}
