import type { Queue } from 'bullmq';
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

/**
 * Queues the parsing of a stored raw event (webhook body or stanza). The job id is the event's, so
 * queueing it twice runs it once.
 */
export async function queueInboundEvent(queue: Queue, eventId: string): Promise<void> {
  await queue.add(
    'event',
    { eventId },
    {
      jobId: `event-${eventId}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  );
}
