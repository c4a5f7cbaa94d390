// Prepares a migrated template database once per test run; each test file clones it (fast, isolated).
// Kept free of src/ imports: Jest's module mapping does not apply here.
import { execFileSync } from 'node:child_process';
import pg from 'pg';

const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Names carry this run's id, so two test runs on one server never touch each other's databases.
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const TEMPLATE = `sb_tpl_${RUN}`;

function urlFor(database) {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function globalSetup() {
  const admin = new pg.Client({ connectionString: urlFor('postgres'), connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Tests need PostgreSQL at ${new URL(base).host} (${error.message}). Start it or set TEST_DATABASE_URL.`);
  }
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  process.env.SB_TEST_TEMPLATE = TEMPLATE;
  process.env.SB_TEST_RUN = RUN;
  // Browser tests load the built apps; rebuilt only when their sources changed since the last build.
  execFileSync(process.execPath, ['widgets/build.mjs'], { env: { ...process.env, WEB_BUILD_QUIET: '1' }, stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync(process.execPath, ['--import', 'tsx', './node_modules/typeorm/cli.js', 'migration:run', '-d', 'ormconfig.ts'], {
    env: { ...process.env, DATABASE_URL: urlFor(TEMPLATE), NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
