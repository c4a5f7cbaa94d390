import { BadRequestException, ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import type { OutboundMessage } from '../connectors/connector.js';
import { connectorFor } from '../connectors/registry.js';
import { ChannelAccountsService } from '../channel-accounts/channel-accounts.service.js';
import { DeliveryQueues } from './delivery-queues.service.js';
import { DeliveryStatusService } from './delivery-status.service.js';
import { deliveryParts, type DeliveryPart, type FileToSend } from './domain/delivery-parts.js';
import { messagingWindow } from './domain/messaging-window.js';

type Template = Extract<OutboundMessage, { type: 'template' }>;

export interface ChannelLink {
  accountId: string;
  network: string;
  recipient: string;
}

/** The agent message being stored, as MessagesService reports it after commit. */
export interface StoredAgentMessage {
  id: string;
  conversationId: string;
  body: string;
  internal: boolean;
  attachments?: readonly FileToSend[];
}

/**
 * The messaging-network side of agent messages. MessagesService asks `beforeAgentMessage` (the
 * messaging window) and tells `afterAgentMessage` (queue the delivery) for every staff message; web
 * conversations pass straight through.
 */
@Injectable()
export class ChannelOutbound {
  private readonly logger = new Logger(ChannelOutbound.name);
  private readonly template = new AsyncLocalStorage<Template>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: DeliveryQueues,
    private readonly statuses: DeliveryStatusService,
    private readonly accounts: ChannelAccountsService,
  ) {}

  /**
   * Shows the agent's typing to a messaging-network customer where the network has it. Typing is
   * ephemeral: a failure is logged, never retried or reported to the agent.
   */
  async agentTyping(conversationId: string, active: boolean): Promise<void> {
    const link = await this.link(conversationId);
    const connector = link && connectorFor(link.network);
    if (!link || !connector?.capabilities.typing || !connector.sendTyping) return;
    try {
      const account = await this.accounts.connectorAccount(link.accountId);
      if (account?.enabled) await connector.sendTyping(account, link.recipient, active);
    } catch (error) {
      this.logger.debug({ err: error, conversationId }, 'typing indicator not delivered');
    }
  }

  async link(conversationId: string): Promise<ChannelLink | null> {
    const rows: { account_id: string; network: string; customer_external_id: string }[] = await this.db.query(
      `SELECT cc.account_id, a.network, cc.customer_external_id
         FROM channel_conversation cc JOIN channel_account a ON a.id = cc.account_id WHERE cc.conversation_id = $1`,
      [conversationId],
    );
    const row = rows[0];
    return row
      ? { accountId: row.account_id, network: row.network, recipient: row.customer_external_id }
      : null;
  }

  /** When the customer last wrote to this account (the messaging window runs from then). */
  async lastCustomerMessageAt(accountId: string, externalId: string): Promise<Date | null> {
    const [row]: { at: Date | null }[] = await this.db.query(
      `SELECT max(sent_at) AS at FROM channel_inbound_message WHERE account_id = $1 AND sender_external_id = $2`,
      [accountId, externalId],
    );
    return row?.at ?? null;
  }

  /** Throws a 409 with the reason when a free-form message may not be sent now. */
  async assertWindowOpen(link: ChannelLink, now = new Date()): Promise<void> {
    const connector = connectorFor(link.network);
    const hours = connector?.capabilities.messagingWindowHours ?? null;
    if (hours === null) return;
    const window = messagingWindow(
      hours,
      await this.lastCustomerMessageAt(link.accountId, link.recipient),
      now,
    );
    if (window.open) return;
    const since = window.closedAt
      ? `closed at ${window.closedAt.toISOString()}`
      : 'not open: the customer has not written yet';
    const remedy = connector?.capabilities.templates
      ? 'send the approved template (POST /conversations/:id/channel-template) and wait for the customer to answer'
      : 'wait for the customer to write again';
    throw new ConflictException(
      `The ${hours}-hour ${link.network} messaging window is ${since}. Free-form messages cannot be sent; ${remedy}.`,
    );
  }

  /** Runs `store` with a template as the content to deliver, skipping the window check. */
  withTemplate<T>(template: Template, store: () => Promise<T>): Promise<T> {
    return this.template.run(template, store);
  }

  /**
   * Refuses what the network cannot deliver before the message is stored: a free-form message outside
   * its messaging window, files on a network that takes none (`attachmentCount`).
   */
  async beforeAgentMessage(conversationId: string, internal: boolean, attachmentCount = 0): Promise<void> {
    if (internal || this.template.getStore()) return;
    const link = await this.link(conversationId);
    if (!link) return;
    if (attachmentCount > 0 && !connectorFor(link.network)?.capabilities.outboundMedia) {
      throw new BadRequestException(
        `${link.network} cannot take files from agents; send the message without attachments`,
      );
    }
    await this.assertWindowOpen(link);
  }

  /**
   * Queues the delivery of a newly stored agent message (idempotent on the message id): one part per
   * provider message, i.e. its text and each of its files (domain/delivery-parts.ts).
   */
  async afterAgentMessage(message: StoredAgentMessage): Promise<void> {
    if (message.internal) return;
    const link = await this.link(message.conversationId);
    if (!link) return;
    const template = this.template.getStore();
    // Without PUBLIC_URL the files will fail: the text then goes on its own rather than as their caption.
    const captionMax = this.config.http.publicUrl
      ? (connectorFor(link.network)?.capabilities.mediaCaptionMaxLength ?? null)
      : null;
    const parts: DeliveryPart[] = template
      ? [template]
      : deliveryParts(message.body, message.attachments ?? [], captionMax);
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO channel_delivery (message_id, part, account_id, conversation_id, recipient, payload)
       SELECT $1, p.ordinality - 1, $2, $3, $4, p.value
         FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS p
       ON CONFLICT (message_id, part) DO NOTHING RETURNING 1`,
      [message.id, link.accountId, message.conversationId, link.recipient, JSON.stringify(parts)],
    );
    if (inserted.length === 0) return;
    await this.statuses.pending(message.id);
    await this.queues.enqueue(link.accountId, message.id);
  }
}
