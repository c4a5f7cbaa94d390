import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';

const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function databaseUrl(database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestNode {
  app: INestApplication;
  url: string;
  config: AppConfig;
}

/** A test environment: its own database (cloned from the migrated template) and Redis key prefix. */
export class TestEnvironment {
  readonly nodes: TestNode[] = [];
  readonly pool: pg.Pool;
  private closed = false;

  private constructor(
    readonly database: string,
    readonly env: Record<string, string>,
  ) {
    this.pool = new pg.Pool({ connectionString: databaseUrl(database), max: 4 });
  }

  static async create(env: Record<string, string> = {}): Promise<TestEnvironment> {
    const id = randomBytes(5).toString('hex');
    const run = process.env.SB_TEST_RUN ?? 'adhoc';
    const template = process.env.SB_TEST_TEMPLATE;
    if (!template) throw new Error('SB_TEST_TEMPLATE is not set: run the tests through Jest (globalSetup prepares it)');
    const database = `sb_test_${run}_${id}`;
    await admin((c) => c.query(`CREATE DATABASE ${database} TEMPLATE ${template}`));
    return new TestEnvironment(database, {
      DATABASE_URL: databaseUrl(database),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `sbtest-${id}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      AGENT_GRACE_SECONDS: '1',
      ROUTING_SWEEP_SECONDS: '2',
      RATE_LIMIT_FACTOR: '100',
      ...env,
    });
  }

  /** Starts one more Switchboard node on the shared database and Redis. */
  async startNode(): Promise<TestNode> {
    const config = loadConfig(this.env, []);
    const app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const node = { app, url: `http://127.0.0.1:${port}`, config: { ...config, http: { ...config.http, port } } };
    this.nodes.push(node);
    return node;
  }

  async query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    // A poll left running by a test that already failed must not fail the whole run (Jest runs the
    // files in one process here): once the environment is closed, its queries never answer.
    if (this.closed) return new Promise<never>(() => undefined);
    return (await this.pool.query<T>(sql, params)).rows;
  }

  private async dropRedisKeys(): Promise<void> {
    const redis = new Redis(this.env.REDIS_URL);
    try {
      for await (const keys of redis.scanStream({ match: `${this.env.QUEUE_PREFIX}:*`, count: 500 })) {
        if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
      }
    } finally {
      redis.disconnect();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const node of this.nodes.splice(0)) await node.app.close();
    await this.pool.end();
    await this.dropRedisKeys();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`));
  }
}
