import { createHash } from 'node:crypto';
import { Parser, type Element } from '@xmpp/xml';
import { PayloadError, type InboundContent, type InboundEvent } from '../connector.js';

export const NS_CHAT_STATES = 'http://jabber.org/protocol/chatstates';
export const NS_RECEIPTS = 'urn:xmpp:receipts';
/** XEP-0066 Out of Band Data: how clients send files (uploaded with XEP-0363 HTTP File Upload). */
export const NS_OOB = 'jabber:x:oob';
const MAX_URL = 2048;
const NS_MARKERS = 'urn:xmpp:chat-markers:0';
const NS_DELAY = 'urn:xmpp:delay';
const NS_SID = 'urn:xmpp:sid:0';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const MAX_BODY = 20_000;
const TYPING_STOPPED = ['paused', 'active', 'inactive', 'gone'];

/** The bare JID (`local@domain`) of a full JID, lower-cased as XMPP compares them; null when malformed. */
export function bareJid(value: string | undefined): string | null {
  const bare = value?.split('/')[0].toLowerCase();
  return bare && /^[^\s@/"&'<>:]+@[a-z0-9.-]+$/.test(bare) ? bare : null;
}

/** One complete stanza: a root element that is closed, without XML errors. */
export function readStanza(raw: Buffer): Element {
  const parser = new Parser();
  let root: Element | null = null;
  let closed = false;
  let failed = false;
  parser.on('start', (element: Element) => (root = element));
  parser.on('element', (element: Element) => root?.append(element));
  parser.on('end', () => (closed = true));
  parser.on('error', () => (failed = true));
  try {
    parser.write(raw.toString('utf8'));
    parser.end();
  } catch {
    failed = true;
  }
  const stanza = root as Element | null;
  if (failed || !closed || !stanza) throw new PayloadError('stanza is not well-formed XML');
  if (!stanza.is('message')) throw new PayloadError('stanza must be a <message>');
  return stanza;
}

/**
 * Our id of a customer's message: their client's id (XEP-0359 origin-id, else the stanza id), scoped to
 * their bare JID since ids are only unique per sender. Without any, a hash of the stanza: a server
 * redelivering a stored message sends the same bytes.
 */
function messageKey(stanza: Element, from: string, raw: Buffer): string {
  const id = stanza.getChild('origin-id', NS_SID)?.attrs.id ?? stanza.attrs.id;
  if (id) return `${from}/${id}`;
  return `${from}#${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`;
}

function sentAt(stanza: Element, receivedAt: Date): Date {
  const stamp = stanza.getChild('delay', NS_DELAY)?.attrs.stamp;
  const at = stamp ? new Date(stamp) : receivedAt;
  return Number.isNaN(at.getTime()) ? receivedAt : at;
}

/**
 * One `<message>` stanza received by the bot `botJid` → events: a chat message (XEP-0085 chat states
 * become typing; a body wins over a state; an XEP-0066 file is media), delivery receipts (XEP-0184) and displayed markers
 * (XEP-0333) for our messages, and errors bounced for our messages. Group chat, headlines, carbons
 * and messages from servers are not customer conversation.
 */
export function parseXmpp(raw: Buffer, botJid: string, receivedAt: Date): InboundEvent[] {
  const stanza = readStanza(raw);
  const type = stanza.attrs.type ?? 'normal';
  const from = bareJid(stanza.attrs.from);
  if (type === 'error') return bounced(stanza, receivedAt);
  if (type !== 'chat' && type !== 'normal') return [];
  if (!from) throw new PayloadError('message has no customer JID in from');
  if (from === botJid.toLowerCase()) return [];

  const receipt = stanza.getChild('received', NS_RECEIPTS)?.attrs.id;
  if (receipt) return [{ kind: 'status', providerMessageId: receipt, status: 'delivered', at: receivedAt }];
  const displayed = stanza.getChild('displayed', NS_MARKERS)?.attrs.id;
  if (displayed) return [{ kind: 'status', providerMessageId: displayed, status: 'read', at: receivedAt }];

  const body = stanza.getChildText('body');
  if (body !== null && body.length > MAX_BODY)
    throw new PayloadError(`body is longer than ${MAX_BODY} characters`);
  const content = fileContent(stanza, body) ?? (body?.trim() ? { type: 'text' as const, text: body } : null);
  if (content) {
    return [
      {
        kind: 'message',
        providerMessageId: messageKey(stanza, from, raw),
        from: { externalId: from },
        sentAt: sentAt(stanza, receivedAt),
        content,
      },
    ];
  }
  if (stanza.getChild('composing', NS_CHAT_STATES))
    return [{ kind: 'typing', from: { externalId: from }, active: true }];
  if (TYPING_STOPPED.some((state) => stanza.getChild(state, NS_CHAT_STATES)))
    return [{ kind: 'typing', from: { externalId: from }, active: false }];
  return [];
}

/**
 * A file sent as `<x xmlns="jabber:x:oob"><url>…</url></x>`. Clients put the same URL in the body for
 * clients without OOB: such a body is the file, not text; any other body is its caption.
 */
function fileContent(stanza: Element, body: string | null): InboundContent | null {
  const oob = stanza.getChild('x', NS_OOB);
  if (!oob) return null;
  const url = oob.getChildText('url')?.trim() ?? '';
  if (!url) throw new PayloadError('jabber:x:oob has no url');
  if (url.length > MAX_URL) throw new PayloadError(`jabber:x:oob url is longer than ${MAX_URL} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PayloadError('jabber:x:oob url is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new PayloadError('jabber:x:oob url must be http or https');
  const caption = body?.trim();
  return {
    type: 'media',
    media: { url, ...fileNameOf(parsed) },
    ...(caption && caption !== url ? { caption } : {}),
  };
}

/** Upload services keep the file's name as the last path segment (after a random directory). */
function fileNameOf(url: URL): { fileName?: string } {
  const segment = url.pathname.split('/').at(-1) ?? '';
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    name = segment;
  }
  name = name
    .replace(/[\u0000-\u001f\u007f/\\]/g, '')
    .trim()
    .slice(0, 200);
  return name && name !== '.' && name !== '..' ? { fileName: name } : {};
}

/** `<message type="error" id="ours">`: the server could not deliver one of our messages. */
function bounced(stanza: Element, at: Date): InboundEvent[] {
  const id = stanza.attrs.id;
  if (!id) return [];
  const error = stanza.getChild('error');
  const condition = error?.children.find(
    (c): c is Element => typeof c !== 'string' && c.attrs.xmlns === NS_STANZAS && c.name !== 'text',
  )?.name;
  const text = error?.getChildText('text', NS_STANZAS);
  return [
    {
      kind: 'status',
      providerMessageId: id,
      status: 'failed',
      reason: `XMPP error: ${[condition ?? 'undefined-condition', text].filter(Boolean).join(': ')}`,
      at,
    },
  ];
}
