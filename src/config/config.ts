import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  /** Behind a load balancer: take the client address from X-Forwarded-For. */
  TRUST_PROXY: bool.default(false),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/switchboard'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().min(1).default('switchboard'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(8 * 3600),
  VISITOR_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(30 * 24 * 3600),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional(),
  CORS_ORIGINS: list.default([]),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AGENT_GRACE_SECONDS: z.coerce.number().min(0).default(30),
  ROUTING_SWEEP_SECONDS: z.coerce.number().positive().default(5),
  /** A waiting customer whose last socket closed is abandoned unless they are back within this. */
  ABANDON_GRACE_SECONDS: z.coerce.number().min(0).default(60),
  /** An abandonment after a shorter wait is flagged short (left out of SLA figures). */
  SHORT_ABANDON_SECONDS: z.coerce.number().min(0).default(10),
  /** Close a chat after this long without a customer message; 0 switches it off. Fractions allowed. */
  INACTIVITY_CLOSE_MINUTES: z.coerce.number().min(0).default(30),
  SOCKET_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  /** Multiplies every rate-limit budget (e.g. 100 for load tests). */
  RATE_LIMIT_FACTOR: z.coerce.number().positive().default(1),
  DEMO: bool.default(false),
  /** Unset: GET /metrics answers 404. Set: scrapers send it as a bearer token. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'METRICS_TOKEN must be at least 16 characters')
    .regex(/^[\x21-\x7e]+$/, 'METRICS_TOKEN must be printable ASCII without spaces')
    .optional(),
});

/** The one typed view of the environment. Nothing else reads process.env. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; publicUrl?: string; corsOrigins: string[]; trustProxy: boolean };
  database: { url: string };
  redis: { url: string; queuePrefix: string };
  auth: {
    jwtSecret?: string;
    jwtTtlSeconds: number;
    visitorTokenTtlSeconds: number;
    adminEmail?: string;
    adminPassword?: string;
  };
  logLevel: string;
  routing: { agentGraceMs: number; sweepIntervalMs: number };
  /** Timers that end conversations: abandonment of a waiting customer, customer inactivity (0 = off). */
  lifecycle: { abandonGraceMs: number; shortAbandonSeconds: number; inactivityCloseMinutes: number };
  limits: { socketPayloadBytes: number };
  rateLimitFactor: number;
  demo: boolean;
  metrics: { token?: string };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): AppConfig {
  // An empty variable (PORT= or PORT=${PORT} with PORT unset) means "not set", not zero or "".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is required when NODE_ENV=production');
  }
  return {
    env: e.NODE_ENV,
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL, corsOrigins: e.CORS_ORIGINS, trustProxy: e.TRUST_PROXY },
    database: { url: e.DATABASE_URL },
    redis: { url: e.REDIS_URL, queuePrefix: e.QUEUE_PREFIX },
    auth: {
      jwtSecret: e.JWT_SECRET,
      jwtTtlSeconds: e.JWT_TTL_SECONDS,
      visitorTokenTtlSeconds: e.VISITOR_TOKEN_TTL_SECONDS,
      adminEmail: e.ADMIN_EMAIL,
      adminPassword: e.ADMIN_PASSWORD,
    },
    logLevel: e.LOG_LEVEL,
    routing: { agentGraceMs: e.AGENT_GRACE_SECONDS * 1000, sweepIntervalMs: e.ROUTING_SWEEP_SECONDS * 1000 },
    lifecycle: {
      abandonGraceMs: e.ABANDON_GRACE_SECONDS * 1000,
      shortAbandonSeconds: e.SHORT_ABANDON_SECONDS,
      inactivityCloseMinutes: e.INACTIVITY_CLOSE_MINUTES,
    },
    limits: { socketPayloadBytes: e.SOCKET_MAX_PAYLOAD_BYTES },
    rateLimitFactor: e.RATE_LIMIT_FACTOR,
    demo: e.DEMO || argv.includes('--demo'),
    metrics: { token: e.METRICS_TOKEN },
  };
}

/** Injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
