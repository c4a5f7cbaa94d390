import type { CustomerHandle, DeliveryStatus, InboundContent, InboundEvent } from '../connector.js';
import { PayloadError } from '../connector.js';
import { arr, num, obj, optStr, parseJson, str, type Json } from '../payload-reading.js';

const STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];

/**
 * Generic API channel payload (docs/connectors/api.md): one event object, or `{ "events": [...] }`.
 * `receivedAt` stands in for a missing `timestamp` on messages.
 */
export function parseApi(raw: Buffer, receivedAt: Date): InboundEvent[] {
  const root = obj(parseJson(raw), 'body');
  const items = root.events === undefined ? [root] : arr(root.events, 'events');
  if (items.length === 0) throw new PayloadError('events must not be empty');
  return items.map((item, i) => readEvent(obj(item, `events[${i}]`), `events[${i}]`, receivedAt));
}

function readEvent(item: Json, path: string, receivedAt: Date): InboundEvent {
  const type = str(item.type, `${path}.type`);
  switch (type) {
    case 'message':
      return {
        kind: 'message',
        providerMessageId: str(item.id, `${path}.id`),
        from: handle(item.from, `${path}.from`),
        sentAt:
          item.timestamp === undefined ? receivedAt : new Date(str(item.timestamp, `${path}.timestamp`)),
        content: content(item, path),
      };
    case 'status': {
      const status = str(item.status, `${path}.status`);
      if (!(STATUSES as readonly string[]).includes(status))
        throw new PayloadError(`${path}.status "${status}" is unknown`);
      return {
        kind: 'status',
        providerMessageId: str(item.messageId, `${path}.messageId`),
        status: status as DeliveryStatus,
        reason: optStr(item.reason, `${path}.reason`),
        at: item.timestamp === undefined ? receivedAt : new Date(str(item.timestamp, `${path}.timestamp`)),
      };
    }
    case 'typing':
      if (typeof item.active !== 'boolean') throw new PayloadError(`${path}.active must be a boolean`);
      return { kind: 'typing', from: handle(item.from, `${path}.from`), active: item.active };
    default:
      throw new PayloadError(`${path}.type "${type}" is unknown (message, status, typing)`);
  }
}

function handle(value: unknown, path: string): CustomerHandle {
  const from = obj(value, path);
  return {
    externalId: str(from.id, `${path}.id`),
    displayName: optStr(from.name, `${path}.name`),
    // The bridge vouches for these only when it says so.
    verifiedPhone: from.phoneVerified === true ? optStr(from.phone, `${path}.phone`) : undefined,
    verifiedEmail: from.emailVerified === true ? optStr(from.email, `${path}.email`) : undefined,
  };
}

function content(item: Json, path: string): InboundContent {
  const present = ['text', 'media', 'location'].filter((k) => item[k] !== undefined);
  if (present.length !== 1) throw new PayloadError(`${path} needs exactly one of text, media, location`);
  if (item.text !== undefined) return { type: 'text', text: str(item.text, `${path}.text`) };
  if (item.media !== undefined) {
    const media = obj(item.media, `${path}.media`);
    const url = str(media.url, `${path}.media.url`);
    if (!/^https?:\/\//.test(url)) throw new PayloadError(`${path}.media.url must be http(s)`);
    return {
      type: 'media',
      media: {
        url,
        contentType: optStr(media.contentType, `${path}.media.contentType`),
        fileName: optStr(media.fileName, `${path}.media.fileName`),
      },
      caption: optStr(item.caption, `${path}.caption`),
    };
  }
  const location = obj(item.location, `${path}.location`);
  const latitude = num(location.latitude, `${path}.location.latitude`);
  const longitude = num(location.longitude, `${path}.location.longitude`);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180)
    throw new PayloadError(`${path}.location is out of range`);
  return { type: 'location', latitude, longitude, name: optStr(location.name, `${path}.location.name`) };
}
