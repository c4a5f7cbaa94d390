import { InjectQueue } from '@nestjs/bullmq';
import {
  BadRequestException,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { ChannelAccountsService } from '../channel-accounts/channel-accounts.service.js';
import {
  PayloadError,
  type Connector,
  type ConnectorAccount,
  type HandshakeResponse,
  type InboundRequest,
} from '../connectors/connector.js';
import { connectorFor } from '../connectors/registry.js';
import { CHANNEL_INBOUND_QUEUE, queueInboundEvent } from './inbound-jobs.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Headers never stored with a raw event. */
const DROPPED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * The webhook front door: find the account, verify the signature over the raw bytes, store the raw
 * event, queue it. Nothing is stored for a request that fails verification.
 */
@Injectable()
export class WebhookIntakeService {
  private readonly logger = new Logger(WebhookIntakeService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: ChannelAccountsService,
    @InjectQueue(CHANNEL_INBOUND_QUEUE) private readonly queue: Queue,
  ) {
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'inbound queue connection error'));
  }

  async handshake(
    network: string,
    accountId: string,
    query: Record<string, string>,
  ): Promise<HandshakeResponse> {
    const { connector, account } = await this.resolve(network, accountId);
    const answer = connector.handshake?.(query, account) ?? null;
    if (!answer) throw new UnauthorizedException('Verification refused');
    return answer;
  }

  async receive(network: string, accountId: string, request: InboundRequest): Promise<{ eventId: string }> {
    const { connector, account } = await this.resolve(network, accountId);
    const verdict = connector.verifyRequest(request, account, request.receivedAt);
    if (!verdict.ok) {
      this.logger.warn({ network, accountId, reason: verdict.reason }, 'webhook refused');
      throw new UnauthorizedException('Invalid signature');
    }
    // Parsing is pure and quick: a malformed payload is answered 400 now (and kept, marked rejected).
    let problem: string | null = null;
    try {
      connector.parse(request, account);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      problem = error.message;
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !DROPPED_HEADERS.has(name)),
    );
    const [row]: { id: string }[] = await this.db.query(
      `INSERT INTO channel_inbound_event (account_id, received_at, url, headers, raw_body, status, error, processed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $6 = 'rejected' THEN now() END) RETURNING id`,
      [
        account.id,
        request.receivedAt,
        request.url,
        headers,
        request.rawBody,
        problem ? 'rejected' : 'pending',
        problem,
      ],
    );
    if (problem) {
      this.logger.warn({ network, accountId, reason: problem }, 'webhook payload rejected');
      throw new BadRequestException(`Malformed payload: ${problem}`);
    }
    // Should queueing fail, the request fails and the provider delivers again; dedupe makes that safe.
    await queueInboundEvent(this.queue, row.id);
    return { eventId: row.id };
  }

  private async resolve(
    network: string,
    accountId: string,
  ): Promise<{ connector: Connector; account: ConnectorAccount }> {
    const connector = connectorFor(network);
    if (!connector || !UUID.test(accountId)) throw new NotFoundException('No such webhook');
    const account = await this.accounts.connectorAccount(accountId);
    if (!account || account.network !== network || !account.enabled)
      throw new NotFoundException('No such webhook');
    return { connector, account };
  }
}
