import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DeliveryUpdate } from '../../realtime/contracts/agent.events.js';
import { RealtimeHub } from '../../realtime/realtime.hub.js';
import type { DeliveryStatus } from '../connectors/connector.js';
import { messageState, statesBefore, type DeliveryState } from './domain/delivery-state.js';

interface ChangedRow {
  message_id: string;
}

interface PartRow {
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

const RETURNING = `RETURNING d.message_id`;

/**
 * Delivery state of agent messages on messaging networks, kept per part (one row per provider message:
 * the text, each file); every change is pushed to the agent as the state of the whole message.
 */
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
    await this.push(rows);
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
    await this.push(rows);
  }

  async pending(messageId: string): Promise<void> {
    await this.push([{ message_id: messageId }]);
  }

  /**
   * Records the provider's id of one part: from now on a retried job sees it and does not send that
   * part again. Only the first recording counts.
   */
  async sent(messageId: string, part: number, providerMessageId: string): Promise<void> {
    const rows = returnedRows<ChangedRow>(
      await this.db.query(
        `UPDATE channel_delivery d SET provider_message_id = $3, status = CASE WHEN d.status = 'pending' THEN 'sent' ELSE d.status END,
              sent_at = now(), updated_at = now()
        WHERE d.message_id = $1 AND d.part = $2 AND d.provider_message_id IS NULL
        ${RETURNING}`,
        [messageId, part, providerMessageId],
      ),
    );
    await this.push(rows);
  }

  /** Gives up one part, or (without `part`) every part not sent yet. */
  async failed(messageId: string, reason: string, part: number | null = null): Promise<void> {
    const rows = returnedRows<ChangedRow>(
      await this.db.query(
        `UPDATE channel_delivery d SET status = 'failed', reason = $2, updated_at = now()
        WHERE d.message_id = $1 AND d.status = 'pending' AND ($3::integer IS NULL OR d.part = $3)
        ${RETURNING}`,
        [messageId, reason.slice(0, 500), part],
      ),
    );
    await this.push(rows);
  }

  /** Tells each message's agent the state of the whole message, read over all its parts. */
  private async push(changed: ChangedRow[]): Promise<void> {
    const ids = [...new Set(changed.map((row) => row.message_id))];
    if (ids.length === 0) return;
    const parts: PartRow[] = await this.db.query(
      `SELECT d.message_id, d.conversation_id, d.status, d.reason, c.agent_id
         FROM channel_delivery d JOIN conversation c ON c.id = d.conversation_id
        WHERE d.message_id = ANY($1::uuid[]) ORDER BY d.message_id, d.part`,
      [ids],
    );
    const byMessage = new Map<string, PartRow[]>();
    for (const row of parts) byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), row]);
    for (const [messageId, rows] of byMessage) {
      const { conversation_id: conversationId, agent_id: agentId } = rows[0];
      if (!agentId) continue;
      const update: DeliveryUpdate = { conversationId, messageId, ...messageState(rows) };
      this.hub.toAgent(agentId).emit('message:delivery', update);
    }
  }
}
