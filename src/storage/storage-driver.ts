import type { Readable } from 'node:stream';

/** What the caller knows about a file it stores. */
export interface StoredFileMeta {
  contentType: string;
  /** Shown to people; drivers may keep it as metadata, never as part of the key. */
  fileName: string;
}

export interface StoredFile {
  /** The driver's name for the bytes; opaque to callers, stored beside the attachment. */
  key: string;
  size: number;
}

/**
 * Where file bytes live. Drivers stream in and out (no whole file in memory) and must leave nothing
 * behind when `put`'s stream fails: a failed upload (too large, wrong type, connection lost) keeps no
 * bytes. docs/storage.md describes how to add a driver (e.g. S3-compatible).
 */
export interface StorageDriver {
  /** Stores the stream's bytes under a new key; rejects (and keeps nothing) if the stream errors. */
  put(stream: Readable, meta: StoredFileMeta): Promise<StoredFile>;
  /** The bytes stored under `key`; rejects with StorageNotFoundError when there are none. */
  get(key: string): Promise<Readable>;
  /** Removes the bytes; removing a missing key succeeds. */
  delete(key: string): Promise<void>;
}

/** Injection token of the configured StorageDriver. */
export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');

export class StorageNotFoundError extends Error {
  constructor(key: string) {
    super(`No stored file under ${key}`);
  }
}
