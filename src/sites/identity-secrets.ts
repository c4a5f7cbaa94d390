import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { derivePurposeKey } from '../auth/signing-key.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * Sites' identity secrets are stored sealed (AES-256-GCM) under a key derived from the server's signing
 * key, so a copy of the database alone does not let anyone sign in as a site's customers. Changing
 * JWT_SECRET makes the sealed secrets unreadable: rotate them afterwards (docs/protocol.md).
 */
@Injectable()
export class IdentitySecrets implements OnModuleInit {
  private key?: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = await derivePurposeKey(this.db, this.config.auth.jwtSecret, 'site-identity-secret');
  }

  /** A new secret for a host site's backend: 32 random bytes, hex. */
  generate(): string {
    return randomBytes(32).toString('hex');
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey(), iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      sealed.toString('base64url'),
    ].join(':');
  }

  /** The secret, or null when it cannot be opened (sealed under another signing key). */
  open(sealed: string): string | null {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || !data) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealingKey(), Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      return null;
    }
  }

  private sealingKey(): Buffer {
    if (!this.key) throw new Error('identity secrets are not initialised yet');
    return this.key;
  }
}
