import type { ConnectorAccount, HandshakeResponse, InboundRequest, VerifyResult } from './connector.js';
import { hmacHex, signaturesMatch } from './signature.js';

/**
 * Meta platforms (WhatsApp Cloud API, Messenger, Instagram) share the webhook envelope: a GET
 * handshake echoing `hub.challenge` when `hub.verify_token` matches, and `X-Hub-Signature-256:
 * sha256=<hex HMAC-SHA256 of the raw body with the app secret>`.
 */
export function verifyMetaSignature(request: InboundRequest, account: ConnectorAccount): VerifyResult {
  const appSecret = account.secrets.appSecret;
  if (!appSecret) return { ok: false, reason: 'account has no appSecret' };
  const header = request.headers['x-hub-signature-256'];
  if (!header?.startsWith('sha256=')) return { ok: false, reason: 'missing X-Hub-Signature-256' };
  const expected = `sha256=${hmacHex('sha256', appSecret, request.rawBody)}`;
  return signaturesMatch(header.toLowerCase(), expected)
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}

export function metaHandshake(
  query: Readonly<Record<string, string>>,
  account: ConnectorAccount,
): HandshakeResponse | null {
  const verifyToken = account.secrets.verifyToken;
  const challenge = query['hub.challenge'];
  if (!verifyToken || query['hub.mode'] !== 'subscribe' || challenge === undefined) return null;
  if (!signaturesMatch(query['hub.verify_token'] ?? '', verifyToken)) return null;
  return { status: 200, contentType: 'text/plain', body: challenge };
}

/** Reads `{ error: { message, code } }`, the Graph API's error body. */
export function graphErrorReason(status: number, body: unknown): string {
  const error = (body as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  return typeof error?.code === 'number' ? `${message} (code ${error.code})` : message;
}

export function graphBase(account: ConnectorAccount): string {
  const base = (account.settings.apiBaseUrl || 'https://graph.facebook.com').replace(/\/+$/, '');
  return `${base}/${account.settings.apiVersion || 'v23.0'}`;
}
