import type { InboundContent, InboundEvent } from '../connector.js';
import { PayloadError } from '../connector.js';
import { arr, num, obj, optStr, parseJson, str, type Json } from '../payload-reading.js';

const OBJECTS = ['page', 'instagram'];

/**
 * Messenger / Instagram messaging webhook → events. `pageId` is the account's page (or Instagram
 * account) id: events for another recipient are refused. Echoes of our own messages are skipped.
 */
export function parseMessenger(raw: Buffer, pageId: string): InboundEvent[] {
  const root = obj(parseJson(raw), 'body');
  if (!OBJECTS.includes(root.object as string))
    throw new PayloadError('object must be "page" or "instagram"');
  const events: InboundEvent[] = [];
  arr(root.entry, 'entry').forEach((e, i) => {
    const entry = obj(e, `entry[${i}]`);
    arr(entry.messaging, `entry[${i}].messaging`, true).forEach((m, j) => {
      const path = `entry[${i}].messaging[${j}]`;
      events.push(...readMessaging(obj(m, path), path, pageId));
    });
  });
  return events;
}

function readMessaging(item: Json, path: string, pageId: string): InboundEvent[] {
  const senderId = str(obj(item.sender, `${path}.sender`).id, `${path}.sender.id`);
  const recipientId = str(obj(item.recipient, `${path}.recipient`).id, `${path}.recipient.id`);
  if (item.message !== undefined) {
    const message = obj(item.message, `${path}.message`);
    if (message.is_echo === true) return [];
    if (recipientId !== pageId) throw new PayloadError(`${path} is addressed to another page`);
    return readMessage(
      message,
      senderId,
      new Date(num(item.timestamp, `${path}.timestamp`)),
      `${path}.message`,
    );
  }
  // Delivery and read events come from the customer (sender) about what the page sent them.
  if (item.delivery !== undefined) {
    const watermark = num(obj(item.delivery, `${path}.delivery`).watermark, `${path}.delivery.watermark`);
    return [{ kind: 'watermark', to: senderId, status: 'delivered', watermark: new Date(watermark) }];
  }
  if (item.read !== undefined) {
    const watermark = num(obj(item.read, `${path}.read`).watermark, `${path}.read.watermark`);
    return [{ kind: 'watermark', to: senderId, status: 'read', watermark: new Date(watermark) }];
  }
  // Postbacks, referrals, reactions, optins: nothing for the transcript.
  return [];
}

function readMessage(message: Json, senderId: string, sentAt: Date, path: string): InboundEvent[] {
  const mid = str(message.mid, `${path}.mid`);
  const contents: InboundContent[] = [];
  const text = optStr(message.text, `${path}.text`);
  if (text) contents.push({ type: 'text', text });
  arr(message.attachments, `${path}.attachments`, true).forEach((a, k) => {
    const p = `${path}.attachments[${k}]`;
    const attachment = obj(a, p);
    const type = str(attachment.type, `${p}.type`);
    const payload = obj(attachment.payload ?? {}, `${p}.payload`);
    if (type === 'location') {
      const coordinates = obj(payload.coordinates, `${p}.payload.coordinates`);
      contents.push({
        type: 'location',
        latitude: num(coordinates.lat, `${p}.payload.coordinates.lat`),
        longitude: num(coordinates.long, `${p}.payload.coordinates.long`),
      });
    } else if (['image', 'video', 'audio', 'file'].includes(type)) {
      contents.push({ type: 'media', media: { url: str(payload.url, `${p}.payload.url`) } });
    }
  });
  if (contents.length === 0) throw new PayloadError(`${path} has neither text nor a supported attachment`);
  // One message can carry text and several files; each becomes its own transcript entry with a
  // stable derived id so a redelivery dedupes entry by entry.
  return contents.map((content, k) => ({
    kind: 'message',
    providerMessageId: k === 0 ? mid : `${mid}#${k}`,
    from: { externalId: senderId },
    sentAt,
    content,
  }));
}
