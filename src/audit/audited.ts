import {
  ForbiddenException,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { AuditService, type AuditOutcome } from './audit.service.js';
import { auditData } from './domain/audit-data.js';

const AUDITED_KEY = 'switchboard:audited';

interface AuditSpec {
  action: string;
  /** What the route acts on: named by its `:id` parameter, or (a create) by the response's `id`. */
  target?: string;
}

/**
 * Records every call of this route in the audit log: who, from where, what was asked (secrets
 * redacted), on what, and whether it was done (`ok`) or refused as not theirs (`denied`).
 */
export const Audited = (action: string, target?: string) =>
  SetMetadata(AUDITED_KEY, { action, target } satisfies AuditSpec);

type StaffRequest = Request & { staff?: StaffUser };

/** Registered for every HTTP route; acts on those marked @Audited. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDITED_KEY, context.getHandler());
    if (context.getType() !== 'http' || !spec) return next.handle();
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const write = (outcome: AuditOutcome, result: unknown) => {
      const params = (request.params ?? {}) as Record<string, string>;
      const query = (request.query ?? {}) as Record<string, unknown>;
      const input: unknown = request.body;
      const body = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
      const created = (result as { id?: unknown } | null)?.id;
      return this.audit.record({
        actor: request.staff ?? null,
        action: spec.action,
        outcome,
        targetType: spec.target ?? null,
        targetId: spec.target ? (params.id ?? (typeof created === 'string' ? created : null)) : null,
        ip: request.ip ?? null,
        data: auditData({
          ...(Object.keys(params).length ? { params } : {}),
          ...(Object.keys(query).length ? { query } : {}),
          ...(Object.keys(body).length ? { body } : {}),
        }),
      });
    };
    return next.handle().pipe(
      // Recorded before the response goes out: what was answered is in the log.
      mergeMap((result: unknown) => from(write('ok', result).then(() => result))),
      catchError((error: unknown) =>
        from(
          (error instanceof ForbiddenException ? write('denied', null) : Promise.resolve()).then(() => {
            throw error;
          }),
        ),
      ),
    );
  }
}
