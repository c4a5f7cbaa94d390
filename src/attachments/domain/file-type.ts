/** The file types customers and agents may send: photos and PDFs. */
export const ALLOWED_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'application/pdf',
] as const;

export type AllowedContentType = (typeof ALLOWED_CONTENT_TYPES)[number];

/** Bytes needed to recognise every allowed type. */
export const SNIFF_BYTES = 12;

const startsWith = (head: Uint8Array, bytes: number[], offset = 0): boolean =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** The type the file's first bytes show, whatever its name or declared type says; null if none allowed. */
export function sniffContentType(head: Uint8Array): AllowedContentType | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  return null;
}

/** The declared Content-Type without parameters, in lower case, if it is one we accept. */
export function allowedDeclaredType(header: string | undefined): AllowedContentType | null {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  return (ALLOWED_CONTENT_TYPES as readonly string[]).includes(type) ? (type as AllowedContentType) : null;
}

/** Opened inline by the browser (rather than downloaded): every type we accept is an image or a PDF. */
export function isInline(contentType: string): boolean {
  return contentType.startsWith('image/') || contentType === 'application/pdf';
}
