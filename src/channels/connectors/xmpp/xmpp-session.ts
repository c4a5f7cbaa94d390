import { rootCertificates } from 'node:tls';
import { client, xml, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import ConnectionTLS from '@xmpp/tls/lib/Connection.js';
import type { ConnectorAccount } from '../connector.js';
import { NS_CHAT_STATES, NS_OOB, NS_RECEIPTS } from './parse-xmpp.js';

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

export type ChatState = 'composing' | 'paused' | 'active';

export interface SessionEvents {
  /** A `<message>` stanza arrived; resolve once it is stored (receipts are answered after that). */
  message(raw: Buffer, stanza: Element): Promise<void>;
  /** For logs and tests: connected, disconnected, or an error while connecting. */
  status(state: 'online' | 'offline' | 'error', detail?: string): void;
}

/** `xmpp://host:5222` (STARTTLS) or `xmpps://host:5223` (direct TLS); default: STARTTLS on the JID's domain. */
export function serviceFor(account: ConnectorAccount): string {
  return account.settings.service || `xmpp://${account.externalId.split('@')[1]}:5222`;
}

/**
 * Direct TLS that also trusts the account's own certificate (a private CA or a self-signed server),
 * for this connection only, and checks the certificate against the XMPP domain as RFC 6120 asks
 * (not against the host name of the service URL).
 */
function trustingTls(domain: string, pem: string): typeof ConnectionTLS {
  return class extends ConnectionTLS {
    override socketParameters(service: string) {
      const params = super.socketParameters(service);
      return params && { ...params, servername: domain, ca: [...rootCertificates, pem] };
    }
  };
}

/**
 * The bot's connection for one account: logs in, sends presence (servers route messages only to
 * available resources), hands every `<message>` on, answers receipt requests once the message is
 * stored, and reconnects with exponential backoff (1 s doubling to 60 s, with jitter) until stopped.
 */
export class XmppSession {
  private entity: XmppClient | null = null;
  private running = false;
  private online = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly account: ConnectorAccount,
    private readonly events: SessionEvents,
  ) {}

  get connected(): boolean {
    return this.online;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const entity = this.entity;
    this.entity = null;
    this.online = false;
    if (entity) await this.close(entity, true);
  }

  /**
   * Sends a chat message that asks for a delivery receipt; `id` is the stanza id statuses refer to.
   * With `fileUrl`, the message is that file (XEP-0066): clients show a body equal to the OOB URL as
   * the file itself, and older ones still show a link.
   */
  async sendMessage(to: string, body: string, id: string, fileUrl?: string): Promise<void> {
    await this.live().send(
      xml(
        'message',
        { type: 'chat', to, id },
        xml('body', {}, body),
        ...(fileUrl ? [xml('x', { xmlns: NS_OOB }, xml('url', {}, fileUrl))] : []),
        xml('request', { xmlns: NS_RECEIPTS }),
        xml('active', { xmlns: NS_CHAT_STATES }),
        xml('markable', { xmlns: 'urn:xmpp:chat-markers:0' }),
      ),
    );
  }

  async sendChatState(to: string, state: ChatState): Promise<void> {
    await this.live().send(xml('message', { type: 'chat', to }, xml(state, { xmlns: NS_CHAT_STATES })));
  }

  private live(): XmppClient {
    if (!this.entity || !this.online) throw new Error('the XMPP connection is down (reconnecting)');
    return this.entity;
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const { account } = this;
    const [local, domain] = account.externalId.split('@');
    const entity = client({
      service: serviceFor(account),
      domain,
      username: local,
      password: account.secrets.password,
      resource: account.settings.resource || 'switchboard',
    });
    // Our own backoff replaces the library's fixed one-second retry, which also stops after a failed attempt.
    entity.reconnect.stop();
    if (account.settings.trustedCertificate)
      entity.transports.unshift(trustingTls(domain, account.settings.trustedCertificate));
    this.entity = entity;
    entity.on('error', (error: Error) => this.events.status('error', error.message));
    entity.on('stanza', (stanza: Element) => {
      if (stanza.is('message')) void this.received(entity, stanza);
    });
    entity.on('online', () => {
      this.attempt = 0;
      this.online = true;
      void entity.send(xml('presence', {})).catch(() => undefined);
      this.events.status('online');
    });
    entity.on('disconnect', () => this.lost(entity));
    try {
      await entity.start();
    } catch (error) {
      this.events.status('error', error instanceof Error ? error.message : String(error));
      this.lost(entity);
    }
  }

  /** The connection dropped or never came up: forget it and try again later. */
  private lost(entity: XmppClient): void {
    if (this.entity !== entity) return;
    this.entity = null;
    this.online = false;
    this.events.status('offline');
    void this.close(entity, false);
    if (!this.running) return;
    const ceiling = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** this.attempt++);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private async close(entity: XmppClient, graceful: boolean): Promise<void> {
    entity.removeAllListeners();
    entity.on('error', () => undefined);
    try {
      if (graceful && entity.status === 'online') await entity.send(xml('presence', { type: 'unavailable' }));
      await entity.stop();
    } catch {
      // Already closed.
    }
  }

  private async received(entity: XmppClient, stanza: Element): Promise<void> {
    try {
      await this.events.message(Buffer.from(stanza.toString(), 'utf8'), stanza);
    } catch (error) {
      // Not stored: no receipt, so the customer's client shows the message as not delivered.
      this.events.status(
        'error',
        `message not stored: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const id = stanza.attrs.id;
    if (
      stanza.attrs.type !== 'error' &&
      id &&
      stanza.getChild('request', NS_RECEIPTS) &&
      stanza.getChildText('body')
    ) {
      await entity
        .send(
          xml(
            'message',
            { to: stanza.attrs.from, id: `rcpt-${id}` },
            xml('received', { xmlns: NS_RECEIPTS, id }),
          ),
        )
        .catch(() => undefined);
    }
  }
}
