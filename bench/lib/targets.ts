import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort, spawnServer, type ChildServer } from './children.js';
import type { Endpoint } from './client.js';
import { expectJson } from './http.js';

export const BENCH_ORIGIN = 'http://bench.local';
const ADMIN_EMAIL = 'bench-admin@example.com';
const ADMIN_PASSWORD = 'bench-admin-password-123';
const AGENT_PASSWORD = 'bench-agent-password-123';

export interface TargetOptions {
  /** postgres://user@host:port (no database): the bench's databases are created there. */
  postgresUrl: string;
  redisUrl: string;
  agents: number;
  agentCapacity: number;
  /** Where the server's log goes. */
  logDir: string;
  stamp: string;
  /** Write a V8 CPU profile of each server to logDir (BENCH_CPU_PROF=1). */
  cpuProfile: boolean;
}

function profileArgs(options: TargetOptions, name: string): string[] {
  return options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${options.logDir}`, `--cpu-prof-name=${name}-${options.stamp}.cpuprofile`] : [];
}

export interface Target {
  name: 'switchboard' | 'raw';
  server: ChildServer;
  endpoint: Endpoint;
  /** The PostgreSQL database it uses. */
  database: string;
  /** Whatever the target left behind outside its database (Redis keys), removed after the run. */
  cleanup(): Promise<void>;
}

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops (and optionally recreates) a database, ending other sessions on it. */
async function resetDatabase(postgresUrl: string, name: string, recreate: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    if (recreate) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

interface LoginResult {
  accessToken: string;
  staff: { id: string };
}

/**
 * The Switchboard node: a fresh database (the server creates and migrates it), its own BullMQ prefix,
 * an admin from the environment, then one queue, the agents and a site set up through the REST API.
 */
export async function startSwitchboard(options: TargetOptions): Promise<Target> {
  const dbName = 'switchboard_bench';
  await resetDatabase(options.postgresUrl, dbName, false);
  const port = await freePort();
  const queuePrefix = `bench-${randomBytes(6).toString('hex')}`;
  const server = await spawnServer({
    name: 'switchboard',
    script: join(import.meta.dirname, '..', '..', 'src', 'main.js'),
    nodeArgs: profileArgs(options, 'switchboard'),
    port,
    logFile: join(options.logDir, `switchboard-${options.stamp}.log`),
    env: {
      PORT: String(port),
      DATABASE_URL: databaseUrl(options.postgresUrl, dbName),
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      JWT_SECRET: randomBytes(36).toString('base64url'),
      // Every simulated customer connects from 127.0.0.1: without this the per-IP budgets for anonymous
      // traffic (src/rate-limit) would refuse them within seconds. The limiter still runs on every call.
      RATE_LIMIT_FACTOR: '10000',
    },
  });

  const cleanup = async () => {
    const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match: `${queuePrefix}:*`, count: 500 })) keys.push(...(batch as string[]));
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    } finally {
      redis.disconnect();
    }
  };

  try {
    const api = server.url;
    const admin = await expectJson<LoginResult>('POST', `${api}/auth/login`, {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    const token = admin.accessToken;
    const queue = await expectJson<{ id: string }>('POST', `${api}/admin/queues`, {
      token,
      body: { name: 'Bench', strategy: 'longest_idle', requiredSkills: [], slaTargetSeconds: 60, priority: 0 },
    });
    // The same load through offer mode with a skill requirement: every agent must accept what it is
    // offered, and only agents with the preferred level qualify until the requirement relaxes.
    const offerQueue = await expectJson<{ id: string }>('POST', `${api}/admin/queues`, {
      token,
      body: {
        name: 'Bench offers',
        strategy: 'longest_idle',
        skillLevels: { general: 2 },
        relaxation: [{ afterSeconds: 30, mode: 'any-level' }],
        offerTimeoutSeconds: 20,
        missedOffersBeforeAway: 3,
        slaTargetSeconds: 60,
        priority: 0,
      },
    });
    const emails = Array.from({ length: options.agents }, (_, i) => `bench-agent-${i + 1}@example.com`);
    await inBatches(emails, 2, (email, i) =>
      expectJson('POST', `${api}/admin/staff`, {
        token,
        body: {
          email,
          displayName: `Bench Agent ${i + 1}`,
          password: AGENT_PASSWORD,
          role: 'agent',
          capacity: options.agentCapacity,
          // A quarter of the agents lack the preferred level, so the skill filter does real work.
          skills: { general: i % 4 === 0 ? 1 : 3 },
          queueIds: [queue.id, offerQueue.id],
        },
      }),
    );
    const site = await expectJson<{ publicKey: string }>('POST', `${api}/admin/sites`, {
      token,
      body: { name: 'Bench site', allowedOrigins: [BENCH_ORIGIN], defaultQueueId: queue.id },
    });
    const offerSite = await expectJson<{ publicKey: string }>('POST', `${api}/admin/sites`, {
      token,
      body: { name: 'Bench offer site', allowedOrigins: [BENCH_ORIGIN], defaultQueueId: offerQueue.id },
    });
    const agentTokens = await inBatches(emails, 2, async (email) => {
      const login = await expectJson<LoginResult>('POST', `${api}/auth/login`, { body: { email, password: AGENT_PASSWORD } });
      return login.accessToken;
    });
    return {
      name: 'switchboard',
      server,
      endpoint: { url: api, siteKey: site.publicKey, offerSiteKey: offerSite.publicKey, origin: BENCH_ORIGIN, agentTokens },
      database: dbName,
      cleanup,
    };
  } catch (error) {
    await server.stop();
    await cleanup().catch(() => undefined);
    throw error;
  }
}

/** The raw baseline (bench/raw-server.ts) on its own fresh database. */
export async function startRaw(options: TargetOptions): Promise<Target> {
  const dbName = 'switchboard_bench_raw';
  await resetDatabase(options.postgresUrl, dbName, true);
  const port = await freePort();
  const server = await spawnServer({
    name: 'raw',
    script: join(import.meta.dirname, '..', 'raw-server.js'),
    nodeArgs: profileArgs(options, 'raw'),
    port,
    logFile: join(options.logDir, `raw-${options.stamp}.log`),
    env: {
      PORT: String(port),
      DATABASE_URL: databaseUrl(options.postgresUrl, dbName),
      AGENT_CAPACITY: String(options.agentCapacity),
    },
  });
  return {
    name: 'raw',
    server,
    endpoint: {
      url: server.url,
      siteKey: 'raw',
      origin: BENCH_ORIGIN,
      agentTokens: Array.from({ length: options.agents }, (_, i) => `raw-agent-${i + 1}`),
    },
    database: dbName,
    cleanup: async () => undefined,
  };
}
