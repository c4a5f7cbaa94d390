import type { CustomerHandle, DeliveryStatus, InboundContent, InboundEvent } from '../connector.js';
import { PayloadError } from '../connector.js';
import { arr, num, obj, optStr, parseJson, str, unixSeconds, type Json } from '../payload-reading.js';

const STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];
const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;

/**
 * WhatsApp Cloud API webhook → events. Only `field: "messages"` changes addressed to this phone
 * number id are read; other fields (account updates, templates) carry nothing for conversations.
 */
export function parseWhatsapp(raw: Buffer, phoneNumberId: string): InboundEvent[] {
  const root = obj(parseJson(raw), 'body');
  if (root.object !== 'whatsapp_business_account')
    throw new PayloadError('object must be "whatsapp_business_account"');
  const events: InboundEvent[] = [];
  arr(root.entry, 'entry').forEach((e, i) => {
    const entry = obj(e, `entry[${i}]`);
    arr(entry.changes, `entry[${i}].changes`).forEach((c, j) => {
      const path = `entry[${i}].changes[${j}]`;
      const change = obj(c, path);
      if (change.field !== 'messages') return;
      const value = obj(change.value, `${path}.value`);
      const metadata = obj(value.metadata, `${path}.value.metadata`);
      if (str(metadata.phone_number_id, `${path}.value.metadata.phone_number_id`) !== phoneNumberId) {
        throw new PayloadError(`${path} is addressed to another phone number id`);
      }
      events.push(...readMessages(value, `${path}.value`), ...readStatuses(value, `${path}.value`));
    });
  });
  return events;
}

function readMessages(value: Json, path: string): InboundEvent[] {
  const contacts = arr(value.contacts, `${path}.contacts`, true).map((c, i) =>
    obj(c, `${path}.contacts[${i}]`),
  );
  return arr(value.messages, `${path}.messages`, true).flatMap((m, i): InboundEvent[] => {
    const p = `${path}.messages[${i}]`;
    const message = obj(m, p);
    const content = readContent(message, p);
    if (!content) return [];
    return [
      {
        kind: 'message',
        providerMessageId: str(message.id, `${p}.id`),
        from: sender(message, contacts, p),
        sentAt: unixSeconds(message.timestamp, `${p}.timestamp`),
        content,
      },
    ];
  });
}

/**
 * The customer's handle: the phone (`wa_id` / `from`) when WhatsApp shares it, otherwise the
 * business-scoped user id (`user_id` / `from_user_id`) of users who chose a username.
 */
function sender(message: Json, contacts: Json[], path: string): CustomerHandle {
  const phone = optStr(message.from, `${path}.from`);
  const userId = optStr(message.from_user_id, `${path}.from_user_id`);
  const contact =
    contacts.find((c) => (phone && c.wa_id === phone) || (userId && c.user_id === userId)) ??
    (contacts.length === 1 ? contacts[0] : undefined);
  const waId = phone ?? optStr(contact?.wa_id, `${path} contact wa_id`);
  const bsuid = userId ?? optStr(contact?.user_id, `${path} contact user_id`);
  const externalId = waId ?? bsuid;
  if (!externalId) throw new PayloadError(`${path} has neither a phone number (from/wa_id) nor a user id`);
  const profile =
    contact?.profile === undefined ? undefined : obj(contact.profile, `${path} contact profile`);
  return {
    externalId,
    displayName: optStr(profile?.name, `${path} contact profile.name`),
    // WhatsApp accounts are registered with a phone number WhatsApp verified by SMS.
    verifiedPhone: waId ? `+${waId.replace(/^\+/, '')}` : undefined,
  };
}

function readContent(message: Json, path: string): InboundContent | null {
  const type = str(message.type, `${path}.type`);
  if (type === 'text')
    return { type: 'text', text: str(obj(message.text, `${path}.text`).body, `${path}.text.body`) };
  if (type === 'location') {
    const loc = obj(message.location, `${path}.location`);
    return {
      type: 'location',
      latitude: num(loc.latitude, `${path}.location.latitude`),
      longitude: num(loc.longitude, `${path}.location.longitude`),
      name: optStr(loc.name, `${path}.location.name`),
      address: optStr(loc.address, `${path}.location.address`),
    };
  }
  if ((MEDIA_TYPES as readonly string[]).includes(type)) {
    const media = obj(message[type], `${path}.${type}`);
    return {
      type: 'media',
      media: {
        providerMediaId: str(media.id, `${path}.${type}.id`),
        contentType: optStr(media.mime_type, `${path}.${type}.mime_type`),
        fileName: optStr(media.filename, `${path}.${type}.filename`),
      },
      caption: optStr(media.caption, `${path}.${type}.caption`),
    };
  }
  // Reactions, interactive replies, system notices…: not conversation content we show yet.
  if (type === 'button')
    return { type: 'text', text: str(obj(message.button, `${path}.button`).text, `${path}.button.text`) };
  return null;
}

function readStatuses(value: Json, path: string): InboundEvent[] {
  return arr(value.statuses, `${path}.statuses`, true).map((s, i): InboundEvent => {
    const p = `${path}.statuses[${i}]`;
    const status = obj(s, p);
    const name = str(status.status, `${p}.status`);
    if (!(STATUSES as readonly string[]).includes(name))
      throw new PayloadError(`${p}.status "${name}" is unknown`);
    const errors = arr(status.errors, `${p}.errors`, true).map((e, k) => obj(e, `${p}.errors[${k}]`));
    const reason = errors
      .map(
        (e) =>
          optStr(obj(e.error_data ?? {}, `${p}.errors.error_data`).details, `${p}.errors.details`) ??
          optStr(e.title, `${p}.errors.title`),
      )
      .filter(Boolean)
      .join('; ');
    return {
      kind: 'status',
      providerMessageId: str(status.id, `${p}.id`),
      status: name as DeliveryStatus,
      reason: reason || undefined,
      at: unixSeconds(status.timestamp, `${p}.timestamp`),
    };
  });
}
