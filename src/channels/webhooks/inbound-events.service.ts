import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../conversations/domain/access.js';
import { InactivityService } from '../../conversations/inactivity.service.js';
import { MessagesService } from '../../conversations/messages.service.js';
import { RealtimeHub } from '../../realtime/realtime.hub.js';
import { RoutingJobs } from '../../routing/routing-jobs.js';
import type { Connector, ConnectorAccount, InboundContent, InboundEvent } from '../connectors/connector.js';
import { DeliveryStatusService } from '../delivery/delivery-status.service.js';
import { ChannelConversationsService } from './channel-conversations.service.js';
import { CHANNEL_INBOUND_QUEUE } from './inbound-jobs.js';

type Account = ConnectorAccount & { defaultQueueId: string };
type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;

/** The transcript line of a shared location (coordinates plus a map link the agent can open). */
export function locationText(c: Extract<InboundContent, { type: 'location' }>): string {
  const place = [c.name, c.address].filter(Boolean).join(', ');
  const map = `https://www.openstreetmap.org/?mlat=${c.latitude}&mlon=${c.longitude}#map=17/${c.latitude}/${c.longitude}`;
  return `Location: ${c.latitude}, ${c.longitude}${place ? ` (${place})` : ''} ${map}`;
}

/**
 * A customer on a messaging network writes as their contact. Their conversation has no site, so the
 * actor's site is null like the conversation's; access rules compare the two.
 */
export function channelCustomer(contactId: string): Actor {
  return { kind: 'customer', contactId, siteId: null };
}

/** Clients ids of messaging-network messages: the provider's id, unique per account. */
export const inboundClientId = (accountId: string, providerMessageId: string) =>
  `ch:${accountId}:${providerMessageId}`;

/** Applies parsed events: messages into conversations (deduped), statuses, typing. */
@Injectable()
export class InboundEventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ChannelConversationsService,
    private readonly messages: MessagesService,
    private readonly routing: RoutingJobs,
    private readonly hub: RealtimeHub,
    private readonly statuses: DeliveryStatusService,
    private readonly inactivity: InactivityService,
    @InjectQueue(CHANNEL_INBOUND_QUEUE) private readonly queue: Queue,
  ) {}

  async apply(
    connector: Connector,
    account: Account,
    eventId: string | null,
    event: InboundEvent,
  ): Promise<void> {
    switch (event.kind) {
      case 'message':
        return this.message(connector, account, eventId, event);
      case 'status':
        return this.statuses.byProviderId(
          account.id,
          event.providerMessageId,
          event.status,
          event.reason ?? null,
        );
      case 'watermark':
        return this.statuses.byWatermark(account.id, event.to, event.status, event.watermark);
      case 'typing':
        return this.typing(account, event.from.externalId, event.active);
    }
  }

  private async message(
    connector: Connector,
    account: Account,
    eventId: string | null,
    event: MessageEvent,
  ): Promise<void> {
    // The (account, provider message id) primary key is the dedupe: a redelivered message finds its row.
    const fresh: unknown[] = await this.db.query(
      `INSERT INTO channel_inbound_message (account_id, provider_message_id, event_id, sender_external_id, sent_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, provider_message_id) DO NOTHING RETURNING 1`,
      [account.id, event.providerMessageId, eventId, event.from.externalId, event.sentAt],
    );
    if (fresh.length === 0) {
      const [seen]: { message_id: string | null }[] = await this.db.query(
        `SELECT message_id FROM channel_inbound_message WHERE account_id = $1 AND provider_message_id = $2`,
        [account.id, event.providerMessageId],
      );
      // Stored already. Without a message id the earlier attempt stopped half-way (or runs right now):
      // going on is safe, the message's client id and the media job id are idempotent too.
      if (seen?.message_id) return;
    }
    const opened = await this.db.transaction((tx) =>
      this.conversations.openFor(tx, connector, account, event.from),
    );
    await this.db.query(
      `UPDATE channel_inbound_message SET conversation_id = $3 WHERE account_id = $1 AND provider_message_id = $2`,
      [account.id, event.providerMessageId, opened.conversationId],
    );
    // A retried event (its first attempt stopped half-way) arms again: that attempt may have created the
    // conversation and stopped before arming. The job id is the conversation's, so a second arm adds nothing.
    if (opened.created || fresh.length === 0)
      await this.inactivity.arm(opened.conversationId, connector.channel);

    // A new conversation is routed once its first message is stored, so the agent's assignment
    // carries it; a file is downloaded in the background, and the agent is not kept waiting for it.
    const routeIfNew = () =>
      opened.created ? this.routing.requestRoute([opened.queueId]) : Promise.resolve();
    const content = event.content;
    if (content.type === 'media') {
      await routeIfNew();
      await this.queue.add(
        'media',
        {
          accountId: account.id,
          conversationId: opened.conversationId,
          contactId: opened.contactId,
          providerMessageId: event.providerMessageId,
          media: content.media,
          caption: content.caption,
        },
        {
          jobId: `media-${account.id}-${Buffer.from(event.providerMessageId).toString('base64url')}`,
          attempts: 4,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      );
      return;
    }
    const body = content.type === 'text' ? content.text : locationText(content);
    await this.store(account.id, event.providerMessageId, opened.conversationId, opened.contactId, body, []);
    await routeIfNew();
  }

  /** Stores the customer's message (idempotent on the provider id) and links it to the dedupe row. */
  async store(
    accountId: string,
    providerMessageId: string,
    conversationId: string,
    contactId: string,
    body: string,
    attachmentIds: string[],
  ): Promise<void> {
    const ack = await this.messages.send(channelCustomer(contactId), {
      conversationId,
      body,
      clientId: inboundClientId(accountId, providerMessageId),
      attachmentIds,
    });
    await this.db.query(
      `UPDATE channel_inbound_message SET message_id = $3, conversation_id = $4 WHERE account_id = $1 AND provider_message_id = $2`,
      [accountId, providerMessageId, ack.id, conversationId],
    );
  }

  private async typing(account: Account, externalId: string, active: boolean): Promise<void> {
    const open = await this.conversations.findOpen(this.db.manager, account.id, externalId);
    if (!open?.agent_id) return;
    this.hub
      .toAgent(open.agent_id)
      .emit('typing', { conversationId: open.id, senderKind: 'customer', isTyping: active });
  }
}
