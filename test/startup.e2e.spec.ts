import { spawnSync } from 'node:child_process';

/** Runs the real entry point with the given environment and returns what a person would see. */
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

describe('starting with a missing dependency', () => {
  it('says in one line that PostgreSQL is unreachable, where, and how to fix it', () => {
    const run = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/switchboard' });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^switchboard: PostgreSQL is unreachable at 127\.0\.0\.1:1 \(.*\)\. Start PostgreSQL or set DATABASE_URL/);
  });

  it('says in one line that Redis is unreachable', () => {
    const run = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^switchboard: Redis is unreachable at 127\.0\.0\.1:1 .*set REDIS_URL/);
  });

  it('refuses an invalid configuration with the variable named', () => {
    const run = start({ PORT: 'eighty' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^switchboard: Invalid configuration: PORT/);
    expect(run.stderr.split('\n')).toHaveLength(1);
  });
});
