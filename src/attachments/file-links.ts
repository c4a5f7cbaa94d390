import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { derivePurposeKey } from '../auth/signing-key.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { AttachmentView } from '../realtime/contracts/common.js';
import { checkFileSignature, signedFilePath, type FileSignatureCheck } from './domain/signed-url.js';

/** What a message keeps about each of its files (message.attachments). */
export interface AttachmentSummary {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

/**
 * Short-lived signed URLs for attachments. The key is derived from the server's signing key (JWT_SECRET
 * or the generated one), so every node signs and checks alike, and it is never the JWT key itself.
 */
@Injectable()
export class FileLinks implements OnModuleInit {
  private key?: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = await derivePurposeKey(this.db, this.config.auth.jwtSecret, 'file-url');
  }

  view(file: AttachmentSummary, nowMs = Date.now()): AttachmentView {
    const expires = Math.floor(nowMs / 1000) + this.config.storage.fileUrlTtlSeconds;
    const base = (this.config.http.publicUrl ?? '').replace(/\/+$/, '');
    return {
      id: file.id,
      fileName: file.name,
      contentType: file.contentType,
      size: file.size,
      url: base + signedFilePath(this.signingKey(), file.id, expires),
    };
  }

  /**
   * An absolute signed link that a messaging network (or a customer reading later, on XMPP) fetches:
   * valid for MESSAGING_FILE_URL_TTL_HOURS. Null without PUBLIC_URL, since no network can reach a
   * relative link.
   */
  networkUrl(attachmentId: string, nowMs = Date.now()): string | null {
    const base = this.config.http.publicUrl?.replace(/\/+$/, '');
    if (!base) return null;
    const expires = Math.floor(nowMs / 1000) + Math.round(this.config.channels.fileUrlTtlHours * 3600);
    return base + signedFilePath(this.signingKey(), attachmentId, expires);
  }

  check(attachmentId: string, expires: unknown, signature: unknown, nowMs = Date.now()): FileSignatureCheck {
    return checkFileSignature(this.signingKey(), attachmentId, expires, signature, Math.floor(nowMs / 1000));
  }

  private signingKey(): Buffer {
    if (!this.key) throw new Error('file links are not initialised yet');
    return this.key;
  }
}
