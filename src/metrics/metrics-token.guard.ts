import {
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * Whether an Authorization header carries `Bearer <expected>`. Both sides are hashed first so
 * timingSafeEqual compares equal-length buffers and the time taken says nothing about the token,
 * not even its length.
 */
export function bearerTokenMatches(authorization: string | undefined, expected: string): boolean {
  const [scheme, token, ...rest] = (authorization ?? '').trim().split(/\s+/);
  if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(token), digest(expected));
}

/**
 * The scrape route's own credential, not a staff sign-in: 404 while METRICS_TOKEN is unset (metrics
 * are off), 401 without the right token. Runs before the handler, so refusals keep the JSON error shape.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.metrics.token;
    if (!expected) throw new NotFoundException('Metrics are disabled: set METRICS_TOKEN to enable them');
    const request = context.switchToHttp().getRequest<Request>();
    if (!bearerTokenMatches(request.headers.authorization, expected)) {
      throw new UnauthorizedException('A valid metrics token is required');
    }
    return true;
  }
}
