/** Longest file name kept, in characters. */
export const FILE_NAME_MAX_LENGTH = 200;

/**
 * The file name from the URI-encoded `X-File-Name` header: the last path segment, without control
 * characters, at most 200 characters. Null when absent, not decodable, or empty once cleaned.
 */
export function fileNameFromHeader(raw: string | undefined): string | null {
  if (raw === undefined || raw.length === 0 || raw.length > 2000) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const base = decoded.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return null;
  return [...cleaned].slice(0, FILE_NAME_MAX_LENGTH).join('');
}

/** A Content-Disposition value with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
