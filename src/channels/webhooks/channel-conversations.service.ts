import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContactsService } from '../../contacts/contacts.service.js';
import type { Connector, ConnectorAccount, CustomerHandle } from '../connectors/connector.js';

export interface ChannelConversation {
  conversationId: string;
  contactId: string;
  queueId: string;
  agentId: string | null;
  created: boolean;
}

/**
 * A messaging-network customer's open conversation on one account, or a new one in the account's
 * default queue. One at a time per (account, customer): an advisory lock serialises the lookup.
 */
@Injectable()
export class ChannelConversationsService {
  constructor(private readonly contacts: ContactsService) {}

  async openFor(
    tx: EntityManager,
    connector: Connector,
    account: ConnectorAccount & { defaultQueueId: string },
    handle: CustomerHandle,
  ): Promise<ChannelConversation> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `channel:${account.id}:${handle.externalId}`,
    ]);
    const contactId = await this.contacts.findOrCreateForChannel(tx, connector.channel, handle);
    const open: { id: string; queue_id: string; agent_id: string | null }[] = await tx.query(
      `SELECT c.id, c.queue_id, c.agent_id FROM channel_conversation cc JOIN conversation c ON c.id = cc.conversation_id
        WHERE cc.account_id = $1 AND cc.customer_external_id = $2 AND c.status <> 'closed'
        ORDER BY c.created_at DESC LIMIT 1`,
      [account.id, handle.externalId],
    );
    if (open[0]) {
      return {
        conversationId: open[0].id,
        contactId,
        queueId: open[0].queue_id,
        agentId: open[0].agent_id,
        created: false,
      };
    }
    const conversationId = await this.create(
      tx,
      connector,
      account,
      contactId,
      handle.externalId,
      account.defaultQueueId,
      null,
    );
    return { conversationId, contactId, queueId: account.defaultQueueId, agentId: null, created: true };
  }

  /** The open conversation of this customer on this account, if any (typing, agent-initiated starts). */
  async findOpen(
    tx: EntityManager,
    accountId: string,
    externalId: string,
  ): Promise<{ id: string; agent_id: string | null } | null> {
    const rows: { id: string; agent_id: string | null }[] = await tx.query(
      `SELECT c.id, c.agent_id FROM channel_conversation cc JOIN conversation c ON c.id = cc.conversation_id
        WHERE cc.account_id = $1 AND cc.customer_external_id = $2 AND c.status <> 'closed'
        ORDER BY c.created_at DESC LIMIT 1`,
      [accountId, externalId],
    );
    return rows[0] ?? null;
  }

  /** A new queued conversation on the account, with its `queued` event and the account link. */
  async create(
    tx: EntityManager,
    connector: Connector,
    account: ConnectorAccount,
    contactId: string,
    externalId: string,
    queueId: string,
    attributes: Record<string, string> | null,
  ): Promise<string> {
    const [row]: { id: string }[] = await tx.query(
      `WITH conv AS (
         INSERT INTO conversation (contact_id, site_id, channel, status, queue_id, attributes, enqueued_at)
         VALUES ($1, NULL, $2, 'queued', $3, $4, now()) RETURNING id, queue_id
       ), queued AS (
         INSERT INTO conversation_event (conversation_id, type, queue_id) SELECT id, 'queued', queue_id FROM conv
       ), link AS (
         INSERT INTO channel_conversation (conversation_id, account_id, customer_external_id) SELECT id, $5, $6 FROM conv
       )
       SELECT id FROM conv`,
      [contactId, connector.channel, queueId, attributes ?? {}, account.id, externalId],
    );
    return row.id;
  }
}
