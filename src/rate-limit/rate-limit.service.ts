import { HttpException, HttpStatus, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** Budgets for anonymous and sign-in traffic, shared by every node through Redis. */
export const RATE_LIMITS = {
  login: { points: 10, duration: 60 },
  visitorConnect: { points: 120, duration: 60 },
  conversationStart: { points: 20, duration: 60 },
  visitorMessage: { points: 60, duration: 60 },
  /** Per customer (visitor id); the two above are per address or per customer as named. */
  conversationStartVisitor: { points: 10, duration: 60 },
  visitorMessageIp: { points: 240, duration: 60 },
  visitorUpload: { points: 20, duration: 60 },
  visitorUploadIp: { points: 60, duration: 60 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly limiters: Record<RateLimitName, RateLimiterRedis>;
  private readonly trustProxy: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.trustProxy = config.http.trustProxy;
    this.redis = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
    const entries = Object.entries(RATE_LIMITS).map(([name, limit]) => [
      name,
      new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${config.redis.queuePrefix}:rl:${name}`,
        points: Math.ceil(limit.points * config.rateLimitFactor),
        duration: limit.duration,
      }),
    ]);
    this.limiters = Object.fromEntries(entries) as Record<RateLimitName, RateLimiterRedis>;
  }

  /** The customer's address: the first X-Forwarded-For hop when TRUST_PROXY is set (behind a load balancer). */
  clientAddress(handshake: { address: string; headers: Record<string, string | string[] | undefined> }): string {
    const forwarded = handshake.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    return this.trustProxy && first ? first : handshake.address;
  }

  /**
   * Takes one point for `key`; 429 with the wait in seconds when the budget is spent, in the message and
   * as `retryAfterSeconds` (which socket acknowledgements and HTTP bodies carry).
   */
  async consume(name: RateLimitName, key: string): Promise<void> {
    try {
      await this.limiters[name].consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        const seconds = Math.ceil(error.msBeforeNext / 1000);
        throw new HttpException(
          {
            statusCode: HttpStatus.TOO_MANY_REQUESTS,
            message: `Too many requests; try again in ${seconds} s`,
            error: 'Too Many Requests',
            retryAfterSeconds: seconds,
          },
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
      // Redis trouble must not lock everyone out; the limiter fails open.
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
