import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageNotFoundError, type StorageDriver, type StoredFile, type StoredFileMeta } from './storage-driver.js';

const KEY = /^[0-9a-f]{2}\/[0-9a-f-]{36}$/;

/**
 * Files on the local disk under one directory, as `<2 hex>/<uuid>`. A file is written under a temporary
 * name and renamed into place only once complete, so a reader never sees half a file and a failed
 * upload leaves nothing. With several nodes the directory must be shared (e.g. NFS), or use a
 * driver backed by an object store.
 */
export class LocalDiskDriver implements StorageDriver {
  private readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  /** The name and type are the database's to keep; on disk a file is only its key. */
  async put(stream: Readable, _meta?: StoredFileMeta): Promise<StoredFile> {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    const final = this.path(key);
    const partial = `${final}.partial`;
    await mkdir(join(this.root, id.slice(0, 2)), { recursive: true });
    try {
      await pipeline(stream, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      await rename(partial, final);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { key, size: (await stat(final)).size };
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    try {
      await stat(path);
    } catch {
      throw new StorageNotFoundError(key);
    }
    return createReadStream(path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  private path(key: string): string {
    // Keys come from our own database, but a key must never reach outside the directory.
    if (!KEY.test(key)) throw new StorageNotFoundError(key);
    return join(this.root, key);
  }
}
