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
  /** After a close, the agent's slot stays taken this long (a queue's own wrap-up wins). */
  WRAP_UP_SECONDS: z.coerce.number().int().min(0).max(3600).default(0),
  /** A waiting customer whose last socket closed is abandoned unless they are back within this. */
  ABANDON_GRACE_SECONDS: z.coerce.number().min(0).default(60),
  /** An abandonment after a shorter wait is flagged short (left out of SLA figures). */
  SHORT_ABANDON_SECONDS: z.coerce.number().min(0).default(10),
  /** Close a chat after this long without a customer message; 0 switches it off. Fractions allowed. */
  INACTIVITY_CLOSE_MINUTES: z.coerce.number().min(0).default(30),
  /** The same for messaging-network conversations (WhatsApp, Telegram, SMS …), in hours; 0 switches it off. */
  IM_INACTIVITY_CLOSE_HOURS: z.coerce.number().min(0).default(24),
  /** Processed raw inbound events (webhooks, XMPP stanzas) are deleted after this many days; 0 keeps them. */
  RAW_EVENT_RETENTION_DAYS: z.coerce.number().min(0).default(30),
  /** An uploaded file not sent with any message is deleted after this many hours; 0 keeps it. */
  UPLOAD_ORPHAN_HOURS: z.coerce.number().min(0).default(24),
  /** Audit log records are deleted after this many days; 0 (the default) keeps them for good. */
  AUDIT_RETENTION_DAYS: z.coerce.number().min(0).default(0),
  /** How often the housekeeping job (the deletions above) runs, across all nodes. */
  HOUSEKEEPING_INTERVAL_SECONDS: z.coerce.number().min(1).max(7 * 24 * 3600).default(3600),
  SOCKET_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  /** Multiplies every rate-limit budget (e.g. 100 for load tests). */
  RATE_LIMIT_FACTOR: z.coerce.number().positive().default(1),
  DEMO: bool.default(false),
  /** Demo mode: port of the sample insurer page (another origin than the API); default PORT + 1. */
  DEMO_SITE_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Unset: GET /metrics answers 404. Set: scrapers send it as a bearer token. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'METRICS_TOKEN must be at least 16 characters')
    .regex(/^[\x21-\x7e]+$/, 'METRICS_TOKEN must be printable ASCII without spaces')
    .optional(),
  /** Where uploaded files are kept (local disk driver); relative to the working directory. */
  STORAGE_DIR: z.string().min(1).default('var/storage'),
  /** Largest upload accepted, in bytes. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Lifetime of the signed URLs that serve attachments. */
  FILE_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(7 * 24 * 3600).default(600),
  /** Base64 of 32 random bytes: encrypts channel-account secrets. Required once a channel account exists. */
  CHANNEL_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'CHANNEL_SECRET_KEY must be base64 of exactly 32 bytes')
    .optional(),
  /** Attempts of one outbound message to a messaging network before it is reported failed. */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** First retry delay of an outbound message; doubles per attempt (a provider's retry_after wins). */
  DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).default(2000),
  /**
   * How often each node checks long-lived connections (XMPP): starts new accounts, stops removed ones,
   * renews its hold on the ones it runs. A node's hold lapses after three missed checks.
   */
  CHANNEL_CONNECTION_CHECK_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Lifetime of the signed links to agents' files sent to messaging networks (customers open them later). */
  MESSAGING_FILE_URL_TTL_HOURS: z.coerce.number().min(1).max(24 * 365).default(168),
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
  routing: { agentGraceMs: number; sweepIntervalMs: number; wrapUpSeconds: number };
  /**
   * Timers that end conversations: abandonment of a waiting customer, customer inactivity on the website
   * and on messaging networks (0 = off).
   */
  lifecycle: {
    abandonGraceMs: number;
    shortAbandonSeconds: number;
    inactivityCloseMinutes: number;
    imInactivityCloseHours: number;
  };
  /** Periodic deletion of old data: processed raw inbound events, uploads never sent (0 = keep). */
  housekeeping: {
    intervalMs: number;
    rawEventRetentionDays: number;
    uploadOrphanHours: number;
    auditRetentionDays: number;
  };
  limits: { socketPayloadBytes: number };
  rateLimitFactor: number;
  demo: boolean;
  /** Port of the demo insurer page served in demo mode. */
  demoSitePort: number;
  metrics: { token?: string };
  /** Attachments: where the local disk driver keeps them, the size limit, the signed URL lifetime. */
  storage: { dir: string; uploadMaxBytes: number; fileUrlTtlSeconds: number };
  /** Messaging-network connectors: the secret key (base64), delivery retries. */
  channels: {
    secretKey?: string;
    deliveryMaxAttempts: number;
    deliveryBackoffMs: number;
    connectionCheckMs: number;
    fileUrlTtlHours: number;
  };
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
    routing: {
      agentGraceMs: e.AGENT_GRACE_SECONDS * 1000,
      sweepIntervalMs: e.ROUTING_SWEEP_SECONDS * 1000,
      wrapUpSeconds: e.WRAP_UP_SECONDS,
    },
    lifecycle: {
      abandonGraceMs: e.ABANDON_GRACE_SECONDS * 1000,
      shortAbandonSeconds: e.SHORT_ABANDON_SECONDS,
      inactivityCloseMinutes: e.INACTIVITY_CLOSE_MINUTES,
      imInactivityCloseHours: e.IM_INACTIVITY_CLOSE_HOURS,
    },
    housekeeping: {
      intervalMs: e.HOUSEKEEPING_INTERVAL_SECONDS * 1000,
      rawEventRetentionDays: e.RAW_EVENT_RETENTION_DAYS,
      uploadOrphanHours: e.UPLOAD_ORPHAN_HOURS,
      auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    },
    limits: { socketPayloadBytes: e.SOCKET_MAX_PAYLOAD_BYTES },
    rateLimitFactor: e.RATE_LIMIT_FACTOR,
    demo: e.DEMO || argv.includes('--demo'),
    demoSitePort: e.DEMO_SITE_PORT ?? (e.PORT === 0 ? 0 : Math.min(e.PORT + 1, 65535)),
    metrics: { token: e.METRICS_TOKEN },
    storage: { dir: e.STORAGE_DIR, uploadMaxBytes: e.UPLOAD_MAX_BYTES, fileUrlTtlSeconds: e.FILE_URL_TTL_SECONDS },
    channels: {
      secretKey: e.CHANNEL_SECRET_KEY,
      deliveryMaxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      deliveryBackoffMs: e.DELIVERY_BACKOFF_MS,
      connectionCheckMs: e.CHANNEL_CONNECTION_CHECK_MS,
      fileUrlTtlHours: e.MESSAGING_FILE_URL_TTL_HOURS,
    },
  };
}

/** Injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
