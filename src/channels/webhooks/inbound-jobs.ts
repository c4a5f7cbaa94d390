import type { MediaRef } from '../connectors/connector.js';

export const CHANNEL_INBOUND_QUEUE = 'channel-inbound';

/** Jobs of the inbound queue: parse a stored raw event; download one media file of a message. */
export type InboundJob =
  | { name: 'event'; data: { eventId: string } }
  | {
      name: 'media';
      data: {
        accountId: string;
        conversationId: string;
        contactId: string;
        providerMessageId: string;
        media: MediaRef;
        caption?: string;
      };
    };
