import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DeliveryUpdate } from '../../realtime/contracts/agent.events.js';
import { RealtimeHub } from '../../realtime/realtime.hub.js';
import type { DeliveryStatus } from '../connectors/connector.js';
import { statesBefore, type DeliveryState } from './domain/delivery-state.js';

interface ChangedRow {
  message_id: string;
  conversation_id: string;
  status: DeliveryState;
  reason: string | null;
  agent_id: string | null;
}

/** TypeORM answers UPDATE … RETURNING with [rows, affected count]; other statements with the rows. */
export function returnedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

const RETURNING = `RETURNING d.message_id, d.conversation_id, d.status, d.reason,
  (SELECT agent_id FROM conversation c WHERE c.id = d.conversation_id) AS agent_id`;

/** Delivery state of agent messages on messaging networks; every change is pushed to the agent. */
@Injectable()
export class DeliveryStatusService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hub: RealtimeHub,
  ) {}

  /** A provider status for one message we sent. Out-of-order and repeated reports change nothing. */
  async byProviderId(
    accountId: string,
    providerMessageId: string,
    status: DeliveryStatus,
    reason: string | null,
  ): Promise<void> {
    const rows = returnedRows<ChangedRow>(
      await this.db.query(
        `UPDATE channel_delivery d SET status = $3, reason = COALESCE($4, d.reason), updated_at = now()
        WHERE d.account_id = $1 AND d.provider_message_id = $2 AND d.status = ANY($5::text[])
        ${RETURNING}`,
        [
          accountId,
          providerMessageId,
          status,
          status === 'failed' ? (reason ?? 'the network reported a failure') : null,
          statesBefore(status),
        ],
      ),
    );
    this.push(rows);
  }

  /** Everything sent to `recipient` up to `watermark` reached `status` (Messenger). */
  async byWatermark(
    accountId: string,
    recipient: string,
    status: 'delivered' | 'read',
    watermark: Date,
  ): Promise<void> {
    const rows = returnedRows<ChangedRow>(
      await this.db.query(
        `UPDATE channel_delivery d SET status = $3, updated_at = now()
        WHERE d.account_id = $1 AND d.recipient = $2 AND d.sent_at <= $4 AND d.status = ANY($5::text[])
        ${RETURNING}`,
        [accountId, recipient, status, watermark, statesBefore(status)],
      ),
    );
    this.push(rows);
  }

  async pending(messageId: string): Promise<void> {
    const rows = returnedRows<ChangedRow>(
      await this.db.query(
        `SELECT d.message_id, d.conversation_id, d.status, d.reason, c.agent_id
         FROM channel_delivery d JOIN conversation c ON c.id = d.conversation_id WHERE d.message_id = $1`,
        [messageId],
      ),
    );
    this.push(rows);
  }

  /**
   * Records the provider's id: from now on a retried job sees it and does not send again. Only the
   * first recording counts.
   */
  async sent(messageId: string, providerMessageId: string): Promise<void> {
    const rows = returnedRows<ChangedRow>(
      await this.db.query(
        `UPDATE channel_delivery d SET provider_message_id = $2, status = CASE WHEN d.status = 'pending' THEN 'sent' ELSE d.status END,
              sent_at = now(), updated_at = now()
        WHERE d.message_id = $1 AND d.provider_message_id IS NULL
        ${RETURNING}`,
        [messageId, providerMessageId],
      ),
    );
    this.push(rows);
  }

  async failed(messageId: string, reason: string): Promise<void> {
    const rows = returnedRows<ChangedRow>(
      await this.db.query(
        `UPDATE channel_delivery d SET status = 'failed', reason = $2, updated_at = now()
        WHERE d.message_id = $1 AND d.status = 'pending'
        ${RETURNING}`,
        [messageId, reason.slice(0, 500)],
      ),
    );
    this.push(rows);
  }

  private push(rows: ChangedRow[]): void {
    for (const row of rows) {
      if (!row.agent_id) continue;
      const update: DeliveryUpdate = {
        conversationId: row.conversation_id,
        messageId: row.message_id,
        status: row.status,
        reason: row.reason,
      };
      this.hub.toAgent(row.agent_id).emit('message:delivery', update);
    }
  }
}
