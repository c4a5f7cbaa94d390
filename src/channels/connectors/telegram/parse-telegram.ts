import type { CustomerHandle, InboundContent, InboundEvent } from '../connector.js';
import { PayloadError } from '../connector.js';
import { arr, num, obj, optStr, parseJson, str, unixSeconds, type Json } from '../payload-reading.js';

/**
 * One Telegram Bot API `Update` → events. Only new private-chat messages (`message`) are read:
 * edits, channel posts, callback queries and group chats carry nothing for a customer conversation.
 * The dedupe key is `update_id` (Telegram redelivers the same update until we answer 200).
 */
export function parseTelegram(raw: Buffer): InboundEvent[] {
  const update = obj(parseJson(raw), 'body');
  const updateId = num(update.update_id, 'update_id');
  if (!Number.isInteger(updateId)) throw new PayloadError('update_id must be an integer');
  if (update.message === undefined) return [];
  const message = obj(update.message, 'message');
  const chat = obj(message.chat, 'message.chat');
  if (optStr(chat.type, 'message.chat.type') !== 'private') return [];
  const content = readContent(message);
  if (!content) return [];
  return [
    {
      kind: 'message',
      providerMessageId: String(updateId),
      from: customer(message, chat),
      sentAt: unixSeconds(message.date, 'message.date'),
      content,
    },
  ];
}

function customer(message: Json, chat: Json): CustomerHandle {
  const chatId = num(chat.id, 'message.chat.id');
  if (!Number.isInteger(chatId)) throw new PayloadError('message.chat.id must be an integer');
  const from = message.from === undefined ? chat : obj(message.from, 'message.from');
  const name = [optStr(from.first_name, 'first_name'), optStr(from.last_name, 'last_name')]
    .filter(Boolean)
    .join(' ');
  const username = optStr(from.username, 'username');
  return { externalId: String(chatId), displayName: name || (username ? `@${username}` : undefined) };
}

function readContent(message: Json): InboundContent | null {
  if (message.text !== undefined) return { type: 'text', text: str(message.text, 'message.text') };
  const caption = optStr(message.caption, 'message.caption');
  if (message.photo !== undefined) {
    const sizes = arr(message.photo, 'message.photo').map((p, i) => obj(p, `message.photo[${i}]`));
    if (sizes.length === 0) throw new PayloadError('message.photo must list at least one size');
    // Telegram lists the same photo in several sizes; the largest is the one worth keeping.
    const area = (p: Json, i: number) =>
      num(p.width, `message.photo[${i}].width`) * num(p.height, `message.photo[${i}].height`);
    let best = 0;
    sizes.forEach((p, i) => {
      if (area(p, i) > area(sizes[best], best)) best = i;
    });
    return {
      type: 'media',
      media: {
        providerMediaId: str(sizes[best].file_id, `message.photo[${best}].file_id`),
        contentType: 'image/jpeg',
      },
      caption,
    };
  }
  if (message.document !== undefined) {
    const doc = obj(message.document, 'message.document');
    return {
      type: 'media',
      media: {
        providerMediaId: str(doc.file_id, 'message.document.file_id'),
        contentType: optStr(doc.mime_type, 'message.document.mime_type'),
        fileName: optStr(doc.file_name, 'message.document.file_name'),
      },
      caption,
    };
  }
  if (message.location !== undefined) {
    const loc = obj(message.location, 'message.location');
    return {
      type: 'location',
      latitude: latitude(num(loc.latitude, 'message.location.latitude')),
      longitude: longitude(num(loc.longitude, 'message.location.longitude')),
    };
  }
  // Stickers, voice notes, polls, service messages (member joined…): nothing an agent can act on yet.
  return null;
}

function latitude(value: number): number {
  if (value < -90 || value > 90) throw new PayloadError('message.location.latitude is out of range');
  return value;
}

function longitude(value: number): number {
  if (value < -180 || value > 180) throw new PayloadError('message.location.longitude is out of range');
  return value;
}
