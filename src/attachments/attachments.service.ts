import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import type { Actor } from '../conversations/domain/access.js';
import type { AttachmentView } from '../realtime/contracts/common.js';
import { STORAGE_DRIVER, StorageNotFoundError, type StorageDriver } from '../storage/storage-driver.js';
import { Attachment } from './attachment.entity.js';
import { allowedDeclaredType, ALLOWED_CONTENT_TYPES } from './domain/file-type.js';
import { fileNameFromHeader } from './domain/file-name.js';
import { FileLinks } from './file-links.js';
import { UploadGuard, UploadRefused } from './upload-guard.js';

/** A request whose raw body is the file. */
export type UploadRequest = IncomingMessage;

/** How long a refused upload may keep sending before its connection is cut. */
const DRAIN_MS = 5000;

/**
 * Files sent into conversations: checked while they stream in (type by content, size by count),
 * stored by the storage driver, recorded, and handed out only through signed URLs.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly conversations: ConversationsService,
    private readonly links: FileLinks,
  ) {}

  get limits(): { maxBytes: number; contentTypes: readonly string[] } {
    return { maxBytes: this.config.storage.uploadMaxBytes, contentTypes: ALLOWED_CONTENT_TYPES };
  }

  /** Stores the request's body as a file of the conversation, uploaded by `actor`. */
  async upload(actor: Actor, conversationId: string, request: UploadRequest): Promise<AttachmentView> {
    try {
      return await this.receive(actor, conversationId, request);
    } catch (error) {
      this.discardRest(request);
      if (error instanceof UploadRefused) {
        if (error.status === 413) throw new PayloadTooLargeException(error.message);
        if (error.status === 415) throw new UnsupportedMediaTypeException(error.message);
        throw new BadRequestException(error.message);
      }
      if (error instanceof HttpException) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as Error).message === 'aborted') {
        throw new BadRequestException('The upload was interrupted');
      }
      throw error;
    }
  }

  /** The file behind a signed URL, after checking the signature; throws 403 or 404. */
  async open(
    attachmentId: string,
    expires: unknown,
    signature: unknown,
  ): Promise<{ file: Attachment; stream: Readable }> {
    const check = this.links.check(attachmentId, expires, signature);
    if (check === 'expired') throw new ForbiddenException('This link has expired; ask for a fresh one');
    if (check === 'forged') throw new ForbiddenException('This link is not valid');
    const file = await this.attachments.findOneBy({ id: attachmentId });
    if (!file) throw new NotFoundException('No such file');
    try {
      return { file, stream: await this.storage.get(file.storageKey) };
    } catch (error) {
      if (error instanceof StorageNotFoundError) throw new NotFoundException('The file is no longer stored');
      throw error;
    }
  }

  private async receive(
    actor: Actor,
    conversationId: string,
    request: UploadRequest,
  ): Promise<AttachmentView> {
    const conversation = await this.conversations.readable(actor, conversationId);
    if (conversation.status === 'closed') throw new ConflictException('This conversation is closed');
    const contentType = allowedDeclaredType(request.headers['content-type']);
    if (!contentType) {
      throw new UploadRefused(415, `Content-Type must be one of: ${ALLOWED_CONTENT_TYPES.join(', ')}`);
    }
    const rawName = request.headers['x-file-name'];
    const fileName = fileNameFromHeader(Array.isArray(rawName) ? rawName[0] : rawName);
    if (!fileName) throw new UploadRefused(400, 'X-File-Name must name the file (URI-encoded)');
    const maxBytes = this.config.storage.uploadMaxBytes;
    const declaredLength = Number(request.headers['content-length']);
    if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
      throw new UploadRefused(413, `The file is larger than the limit of ${maxBytes} bytes`);
    }

    const guard = new UploadGuard(contentType, maxBytes);
    // The guard may refuse before the driver starts reading (it opens its file first): keep the reason.
    let refusal: Error | undefined;
    guard.on('error', (error) => (refusal ??= error));
    request.on('error', (error) => guard.destroy(error));
    request.on('aborted', () => guard.destroy(new Error('aborted')));
    // Piped, not handed to the driver: a refusal must stop the file, not the request the answer goes out on.
    request.pipe(guard);
    let stored: { key: string; size: number };
    try {
      stored = await this.storage.put(guard, { contentType, fileName });
    } catch (error) {
      throw refusal ?? error;
    }
    try {
      const saved = await this.attachments.save(
        this.attachments.create({
          conversationId,
          uploaderKind: actor.kind === 'customer' ? 'customer' : 'agent',
          uploaderId: actor.kind === 'customer' ? actor.contactId : actor.staffId,
          fileName,
          contentType,
          size: stored.size,
          storageKey: stored.key,
        }),
      );
      return this.links.view({ id: saved.id, name: saved.fileName, contentType, size: saved.size });
    } catch (error) {
      await this.storage.delete(stored.key);
      throw error;
    }
  }

  /**
   * After a refusal the client may still be sending: read and drop the rest so the answer reaches it,
   * and cut the connection if it keeps on.
   */
  private discardRest(request: UploadRequest): void {
    if (request.readableEnded || request.destroyed) return;
    request.unpipe();
    request.resume();
    const timer = setTimeout(() => {
      if (!request.readableEnded) {
        this.logger.warn('cut a refused upload that kept sending');
        request.socket.destroy();
      }
    }, DRAIN_MS);
    timer.unref();
    request.once('end', () => clearTimeout(timer));
  }
}
