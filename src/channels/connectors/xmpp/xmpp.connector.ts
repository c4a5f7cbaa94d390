import { Logger } from '@nestjs/common';
import {
  PayloadError,
  SendError,
  type ConnectionRelay,
  type Connector,
  type FetchedMedia,
  type InboundEvent,
  type SendResult,
} from '../connector.js';
import { downloadHttpLimited } from '../provider-http.js';
import { bareJid, parseXmpp } from './parse-xmpp.js';
import { XmppSession } from './xmpp-session.js';

const logger = new Logger('XmppConnector');

/** The connections this process holds, by account id (the framework starts each on one node only). */
const sessions = new Map<string, XmppSession>();
/** Reaches the node holding an account's connection when it is not this one. */
let relay: ConnectionRelay | null = null;

function session(accountId: string): XmppSession {
  const live = sessions.get(accountId);
  // Retryable: the delivery queue tries again once the connection is back.
  if (!live?.connected)
    throw new SendError('the XMPP connection of this account is down (reconnecting)', true);
  return live;
}

function heldHere(accountId: string): boolean {
  return sessions.has(accountId) || relay === null;
}

function recipient(to: string): string {
  const jid = bareJid(to);
  if (!jid) throw new SendError(`"${to}" is not a JID (name@domain)`, false);
  return jid;
}

/**
 * XMPP (Jabber): one account is one bot account on any XMPP server (`externalId` = its bare JID).
 * The bot keeps a client connection open (`start`/`stop`); customers are bare JIDs.
 */
export const xmppConnector: Connector = {
  name: 'xmpp',
  channel: 'xmpp',
  capabilities: {
    typing: true,
    readReceipts: true,
    media: true,
    outboundMedia: true,
    // A file's body must be its URL alone for clients to show it as a file: text goes first.
    mediaCaptionMaxLength: null,
    templates: false,
    messagingWindowHours: null,
  },
  accountSchema: {
    settings: [
      {
        name: 'service',
        required: false,
        description:
          'Where to connect: xmpp://host:5222 (STARTTLS) or xmpps://host:5223 (direct TLS); default xmpp://<JID domain>:5222',
      },
      {
        name: 'resource',
        required: false,
        description: 'Resource of the bot connection (default switchboard)',
      },
      {
        name: 'mediaFromPrivateHosts',
        required: false,
        description:
          'Set to "allow" to download customers\' files from hosts on private or loopback addresses (an XMPP server on the internal network); by default only public addresses are fetched',
      },
      {
        name: 'trustedCertificate',
        required: false,
        description:
          'PEM certificate trusted for this server besides the system CAs (private CA or self-signed server); applies to xmpps:// services',
      },
    ],
    secrets: [{ name: 'password', required: true, description: 'Password of the bot account' }],
  },

  // Messages arrive over the bot's own connection; nothing may be posted to a webhook in its name.
  verifyRequest: () => ({ ok: false, reason: 'XMPP accounts take no webhooks' }),

  parse: (request, account) => parseXmpp(request.rawBody, account.externalId, request.receivedAt),

  async send(account, to, message, idempotencyKey): Promise<SendResult> {
    if (message.type === 'template') throw new SendError('XMPP has no template messages', false);
    const jid = recipient(to);
    if (!heldHere(account.id)) return relay!.send(account, jid, message, idempotencyKey);
    // Our message id is the stanza id: receipts and errors for it name the message they are about.
    const id = `sb-${idempotencyKey}`;
    try {
      const live = session(account.id);
      if (message.type === 'media') await live.sendMessage(jid, message.url, id, message.url);
      else await live.sendMessage(jid, message.text, id);
    } catch (error) {
      if (error instanceof SendError) throw error;
      throw new SendError(
        `XMPP send failed: ${error instanceof Error ? error.message : String(error)}`,
        true,
      );
    }
    return { providerMessageId: id };
  },

  async fetchMedia(account, media, maxBytes): Promise<FetchedMedia> {
    // The customer's server hosts it (XEP-0363 upload): a plain GET, no credentials of ours, and the
    // URL is the customer's choice — only public addresses unless the account allows private ones.
    if (!media.url) throw new Error('XMPP media needs a url');
    const file = await downloadHttpLimited(media.url, maxBytes, {
      allowPrivateHosts: account.settings.mediaFromPrivateHosts === 'allow',
    });
    return { body: file.body, contentType: file.contentType, fileName: media.fileName };
  },

  async sendTyping(account, to, active): Promise<void> {
    if (!heldHere(account.id)) return relay!.sendTyping(account, recipient(to), active);
    await session(account.id).sendChatState(recipient(to), active ? 'composing' : 'paused');
  },

  async start(account, sink): Promise<void> {
    if (sessions.has(account.id)) return;
    if (!bareJid(account.externalId))
      throw new Error(`account ${account.id}: "${account.externalId}" is not a bare JID`);
    const live = new XmppSession(account, {
      async message(raw) {
        let events: InboundEvent[];
        try {
          events = parseXmpp(raw, account.externalId, new Date());
        } catch (error) {
          if (error instanceof PayloadError) return;
          throw error;
        }
        if (events.length > 0) await sink.accept(account, raw, events);
      },
      status(state, detail) {
        if (state === 'error') logger.warn({ accountId: account.id, detail }, 'XMPP connection problem');
        else logger.log({ accountId: account.id, jid: account.externalId }, `XMPP connection ${state}`);
      },
    });
    sessions.set(account.id, live);
    live.start();
  },

  useRelay(r) {
    relay = r;
  },

  async stop(account): Promise<void> {
    const live = sessions.get(account.id);
    sessions.delete(account.id);
    await live?.stop();
  },
};

/** Whether this process holds a connected session for the account (for health and tests). */
export function xmppConnected(accountId: string): boolean {
  return sessions.get(accountId)?.connected ?? false;
}
