import type { OutboundMessage } from '../../connectors/connector.js';

/** A file of the agent's message, as the message keeps it. */
export interface FileToSend {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

/**
 * A file as queued: the link the provider fetches is signed when the part is sent (a retry an hour
 * later gets a fresh one), so only the attachment is kept.
 */
export interface FilePart {
  type: 'file';
  attachmentId: string;
  fileName: string;
  contentType: string;
  size: number;
  caption?: string;
}

/** One provider message of an agent message, as stored in `channel_delivery.payload`. */
export type DeliveryPart = Exclude<OutboundMessage, { type: 'media' }> | FilePart;

/**
 * The provider messages that carry an agent message, in sending order: one per file, and the text on
 * the first file when the network takes captions of that length; otherwise the text first on its own.
 */
export function deliveryParts(
  text: string,
  files: readonly FileToSend[],
  captionMaxLength: number | null,
): DeliveryPart[] {
  const parts: DeliveryPart[] = files.map((file) => ({
    type: 'file',
    attachmentId: file.id,
    fileName: file.name,
    contentType: file.contentType,
    size: file.size,
  }));
  if (text.length === 0) return parts;
  const first = parts[0];
  if (first?.type === 'file' && captionMaxLength !== null && text.length <= captionMaxLength) {
    parts[0] = { ...first, caption: text };
    return parts;
  }
  return [{ type: 'text', text }, ...parts];
}

/**
 * The idempotency key of part `part` of a message: the message id for the first part (what every
 * message used before messages had parts, so a delivery queued then keeps its key), the message id and
 * the index for the others.
 */
export function partKey(messageId: string, part: number): string {
  return part === 0 ? messageId : `${messageId}:${part}`;
}
