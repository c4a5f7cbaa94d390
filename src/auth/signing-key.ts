import { createHmac, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * The JWT signing key: JWT_SECRET if set, otherwise one generated on first start and kept in the
 * database, so every node signs and verifies with the same key without a secret in the repository.
 */
export async function resolveSigningKey(dataSource: DataSource, configured?: string): Promise<string> {
  if (configured) return configured;
  await dataSource.query(
    `INSERT INTO app_setting (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`,
    [randomBytes(48).toString('base64url')],
  );
  const rows: { value: string }[] = await dataSource.query(`SELECT value FROM app_setting WHERE key = 'jwt_secret'`);
  return rows[0].value;
}

/**
 * A key for one purpose (signed file URLs, sealed site secrets…) derived from the signing key: every
 * node derives the same one, and it is never the JWT key itself.
 */
export async function derivePurposeKey(dataSource: DataSource, configured: string | undefined, purpose: string): Promise<Buffer> {
  const secret = await resolveSigningKey(dataSource, configured);
  return createHmac('sha256', secret).update(`switchboard:${purpose}`).digest();
}
