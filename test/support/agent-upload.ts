import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import type { TestNode } from './test-app.js';

/** A real 1×1 PNG. */
export const PHOTO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The start of a real PDF. */
export const ESTIMATE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

export interface UploadedFile {
  id: string;
  url: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** Uploads a file into a conversation as the console does; returns the attachment (id, url, …). */
export async function uploadAsAgent(
  node: TestNode,
  token: string,
  conversationId: string,
  file: { body: Buffer; contentType: string; name: string },
): Promise<UploadedFile> {
  const response = await fetch(`${node.url}/conversations/${conversationId}/attachments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': file.contentType,
      'x-file-name': encodeURIComponent(file.name),
    },
    body: new Uint8Array(file.body),
  });
  const answer = (await response.json()) as { attachment?: UploadedFile };
  if (response.status !== 201 || !answer.attachment)
    throw new Error(`upload failed: ${response.status} ${JSON.stringify(answer)}`);
  return answer.attachment;
}

/** A photo and a PDF uploaded into the conversation, as an agent about to send both. */
export async function uploadPhotoAndPdf(
  node: TestNode,
  token: string,
  conversationId: string,
  names: { photo?: string; pdf?: string } = {},
): Promise<{ photo: UploadedFile; pdf: UploadedFile }> {
  const photo = await uploadAsAgent(node, token, conversationId, {
    body: PHOTO_PNG,
    contentType: 'image/png',
    name: names.photo ?? 'damage.png',
  });
  const pdf = await uploadAsAgent(node, token, conversationId, {
    body: ESTIMATE_PDF,
    contentType: 'application/pdf',
    name: names.pdf ?? 'estimate.pdf',
  });
  return { photo, pdf };
}

/** Matches the signed, absolute link of file `id` that a provider is given to fetch it. */
export function signedFileLink(publicUrl: string, id: string): unknown {
  return expect.stringMatching(
    new RegExp(`^${publicUrl}/files/${id}\\?expires=\\d+&signature=[0-9a-f]{64}$`),
  );
}

/** A throwaway STORAGE_DIR, so uploads of a test never land in the working directory. */
export function tempStorageDir(): string {
  return mkdtempSync(join(tmpdir(), 'sb-files-'));
}
