import { Redis } from 'ioredis';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

/** A dependency is missing; the message is one line a person can act on. */
export class ServiceUnavailableError extends Error {}

function describe(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

async function connectOnce(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connects to PostgreSQL and creates the database if it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  try {
    await connectOnce(url);
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw postgresDown(url, error);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const name = databaseName(url);
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    // Another node may have created it a moment ago.
    if ((error as { code?: string }).code !== '42P04') throw postgresDown(url, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresDown(url: string, error: unknown): ServiceUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ServiceUnavailableError(
    `PostgreSQL is unreachable at ${describe(url)} (${reason}). Start PostgreSQL or set DATABASE_URL to a reachable server.`,
  );
}

/** Applies pending migrations; an advisory lock keeps two starting nodes from racing. */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock(727001)');
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(727001)').catch(() => undefined);
    await runner.release();
    await dataSource.destroy();
  }
}

export async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceUnavailableError(
      `Redis is unreachable at ${describe(url)} (${reason}). Start Redis or set REDIS_URL to a reachable server.`,
    );
  } finally {
    redis.disconnect();
  }
}
