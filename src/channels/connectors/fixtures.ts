import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Fixture {
  /** File name without directory, e.g. `text-message.json`. */
  name: string;
  body: Buffer;
}

function load(specUrl: string, kind: 'ok' | 'not-ok'): Fixture[] {
  const dir = join(dirname(fileURLToPath(specUrl)), 'fixtures', kind);
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, body: readFileSync(join(dir, name)) }));
}

/** Payloads beside a connector spec (`fixtures/ok/`) that must parse. Pass `import.meta.url`. */
export function okFixtures(specUrl: string): Fixture[] {
  return load(specUrl, 'ok');
}

/** Payloads that must be rejected (`fixtures/not-ok/`); each file name says what it proves. */
export function notOkFixtures(specUrl: string): Fixture[] {
  return load(specUrl, 'not-ok');
}

/** One `ok` fixture by name. */
export function fixture(specUrl: string, name: string, kind: 'ok' | 'not-ok' = 'ok'): Buffer {
  return readFileSync(join(dirname(fileURLToPath(specUrl)), 'fixtures', kind, name));
}
