import type { CustomerHandle, DeliveryStatus, InboundEvent } from '../connector.js';
import { PayloadError } from '../connector.js';

export type TwilioKind = 'sms' | 'whatsapp';

/** Twilio's message statuses → ours; `null` = an intermediate state agents need not see. */
const STATUSES: Readonly<Record<string, DeliveryStatus | null>> = {
  accepted: null,
  scheduled: null,
  queued: null,
  sending: null,
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
  canceled: 'failed',
};
const MAX_MEDIA = 10;
const SID = /^(SM|MM)[0-9a-f]{32}$/i;

/** A Twilio webhook body: `application/x-www-form-urlencoded`, UTF-8. */
export function formParams(raw: Buffer): URLSearchParams {
  const text = raw.toString('utf8');
  if (text.trimStart().startsWith('{') || text.trimStart().startsWith('<'))
    throw new PayloadError('body must be application/x-www-form-urlencoded');
  return new URLSearchParams(text);
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new PayloadError(`${name} is missing`);
  return value;
}

/**
 * The customer's handle. SMS: the E.164 number. WhatsApp: the number's digits, the same handle the
 * WhatsApp Cloud API uses (`wa_id`), so one person is one WhatsApp identity whichever provider carries it.
 */
export function customerHandle(kind: TwilioKind, from: string): string {
  if (kind === 'whatsapp') {
    const match = /^whatsapp:\+?(\d{6,15})$/.exec(from);
    if (!match) throw new PayloadError(`From "${from}" is not a whatsapp:+<number> address`);
    return match[1];
  }
  if (!/^\+?[0-9A-Za-z]{2,15}$/.test(from))
    throw new PayloadError(`From "${from}" is not a phone number or sender id`);
  return from;
}

/**
 * A Twilio Messaging webhook → events: an incoming message (`SmsStatus=received`) or a status
 * callback for one of ours (`MessageStatus`). `accountSid` must be the account's own. Twilio sends
 * no timestamp: `receivedAt` stands for it.
 */
export function parseTwilio(
  raw: Buffer,
  kind: TwilioKind,
  accountSid: string,
  receivedAt: Date,
): InboundEvent[] {
  const params = formParams(raw);
  if (required(params, 'AccountSid') !== accountSid)
    throw new PayloadError("AccountSid is not this account's");
  const sid = required(params, 'MessageSid');
  if (!SID.test(sid)) throw new PayloadError('MessageSid is not a message SID');
  const state = params.get('SmsStatus') ?? params.get('MessageStatus');
  if (state === 'received' || state === 'receiving') return message(params, sid, kind, receivedAt);
  const status = params.get('MessageStatus');
  if (!status)
    throw new PayloadError('neither an incoming message (SmsStatus=received) nor a status (MessageStatus)');
  if (!(status in STATUSES)) throw new PayloadError(`MessageStatus "${status}" is unknown`);
  const mapped = STATUSES[status];
  if (!mapped) return [];
  const code = params.get('ErrorCode');
  const detail = params.get('ErrorMessage');
  return [
    {
      kind: 'status',
      providerMessageId: sid,
      status: mapped,
      reason:
        mapped === 'failed'
          ? [`Twilio ${status}`, code ? `error ${code}` : '', detail ?? ''].filter(Boolean).join(': ')
          : undefined,
      at: receivedAt,
    },
  ];
}

function message(params: URLSearchParams, sid: string, kind: TwilioKind, at: Date): InboundEvent[] {
  const from: CustomerHandle = {
    externalId: customerHandle(kind, required(params, 'From')),
    displayName: params.get('ProfileName') || undefined,
  };
  // WhatsApp accounts are tied to a number WhatsApp verified; an SMS sender number can be spoofed.
  const waId = params.get('WaId');
  if (kind === 'whatsapp' && waId && waId === from.externalId) from.verifiedPhone = `+${waId}`;
  const body = params.get('Body') ?? '';
  const count = Number(params.get('NumMedia') ?? '0');
  if (!Number.isInteger(count) || count < 0 || count > MAX_MEDIA)
    throw new PayloadError(`NumMedia must be a whole number from 0 to ${MAX_MEDIA}`);
  const base = { kind: 'message' as const, from, sentAt: at };
  if (count > 0) {
    // One event per file; the first carries the text as its caption and the message's own SID.
    return Array.from({ length: count }, (_, i): InboundEvent => {
      const url = required(params, `MediaUrl${i}`);
      if (!/^https?:\/\//.test(url)) throw new PayloadError(`MediaUrl${i} is not an http(s) URL`);
      return {
        ...base,
        providerMessageId: i === 0 ? sid : `${sid}/${i}`,
        content: {
          type: 'media',
          media: { url, contentType: params.get(`MediaContentType${i}`) || undefined },
          caption: i === 0 && body ? body : undefined,
        },
      };
    });
  }
  const latitude = params.get('Latitude');
  const longitude = params.get('Longitude');
  if (latitude !== null && longitude !== null) {
    const lat = Number(latitude);
    const lon = Number(longitude);
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180))
      throw new PayloadError('Latitude/Longitude out of range');
    return [
      {
        ...base,
        providerMessageId: sid,
        content: {
          type: 'location',
          latitude: lat,
          longitude: lon,
          name: params.get('Label') || undefined,
          address: params.get('Address') || undefined,
        },
      },
    ];
  }
  if (!body) throw new PayloadError('an incoming message needs a Body, media or a location');
  return [{ ...base, providerMessageId: sid, content: { type: 'text', text: body } }];
}
