import { Transform, type TransformCallback } from 'node:stream';
import { SNIFF_BYTES, sniffContentType } from './domain/file-type.js';

/** Why an upload stream was stopped: the HTTP status it deserves and what to tell the client. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Passes the upload through while checking it: the first bytes must be of the declared type (the
 * header alone proves nothing), and the stream stops with 413 as soon as it exceeds the limit, so an
 * oversized file is never written whole.
 */
export class UploadGuard extends Transform {
  private seen = 0;
  private head: Buffer[] = [];
  private checked = false;

  constructor(
    private readonly declaredType: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) {
      done(new UploadRefused(413, `The file is larger than the limit of ${this.maxBytes} bytes`));
      return;
    }
    if (this.checked) {
      done(null, chunk);
      return;
    }
    this.head.push(chunk);
    const head = Buffer.concat(this.head);
    if (head.length < SNIFF_BYTES) {
      done();
      return;
    }
    this.release(head, done);
  }

  override _flush(done: TransformCallback): void {
    if (this.seen === 0) {
      done(new UploadRefused(400, 'The file is empty'));
      return;
    }
    if (this.checked) {
      done();
      return;
    }
    // A file shorter than the sniffing window: check what there is.
    this.release(Buffer.concat(this.head), (error, data) => {
      if (error) done(error);
      else {
        if (data) this.push(data);
        done();
      }
    });
  }

  private release(head: Buffer, done: TransformCallback): void {
    this.checked = true;
    this.head = [];
    const actual = sniffContentType(head);
    if (actual !== this.declaredType) {
      done(
        new UploadRefused(
          415,
          actual
            ? `The file is ${actual}, not ${this.declaredType} as declared`
            : `The file's content is not ${this.declaredType}; allowed are JPEG, PNG, WebP, GIF and PDF`,
        ),
      );
      return;
    }
    done(null, head);
  }
}
