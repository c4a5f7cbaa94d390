import type { AttachmentView } from '../../../src/realtime/contracts/common.js';

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

/**
 * Sends the file as the raw request body (XMLHttpRequest, for its upload progress events); the server
 * checks the size and the content itself and answers with the stored attachment.
 */
export function uploadFile(
  url: string,
  token: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<AttachmentView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', file.type);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new UploadError('network error', 0, null));
    xhr.onload = () => {
      let body: { attachment?: AttachmentView; message?: string | string[]; retryAfterSeconds?: number } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON */
      }
      if (xhr.status === 201 && body.attachment) return resolve(body.attachment);
      const message = Array.isArray(body.message)
        ? body.message.join('; ')
        : (body.message ?? `HTTP ${xhr.status}`);
      reject(
        new UploadError(message, xhr.status, xhr.status === 429 ? (body.retryAfterSeconds ?? 30) : null),
      );
    };
    xhr.send(file);
  });
}
