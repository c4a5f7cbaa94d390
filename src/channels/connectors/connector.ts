/**
 * The one interface every messaging network implements. A connector is a plain object: it owns the
 * provider's wire format (signatures, payloads, send API) and nothing else. Persistence, dedupe,
 * routing, retries and realtime fan-out are the framework's (src/channels/webhooks, src/channels/
 * delivery), so a connector can be tested with fixture files and a local HTTP server alone.
 *
 * Adding a network: a folder `src/channels/connectors/<name>/` whose `index.ts` exports the connector,
 * plus one line in `registry.ts`. See README.md in this folder.
 */
import type { ChannelKind } from '../../contacts/contact.entity.js';

/** What a network can do; the console and the delivery queue read this, never the connector's name. */
export interface ConnectorCapabilities {
  /** The customer's typing indicator reaches us, and ours can be sent. */
  typing: boolean;
  /** The network reports delivered/read for our messages. */
  readReceipts: boolean;
  /** Customers can send photos/files that we download with `fetchMedia`. */
  media: boolean;
  /**
   * Agents' files can be sent to customers (`OutboundMessage` of type `media`). False: the server
   * refuses a message with attachments in such a conversation, and the console hides the button.
   */
  outboundMedia: boolean;
  /**
   * Longest text a file can carry as its caption; null when files take none. A message's text goes
   * with its first file when it fits, otherwise it is sent first as a message of its own.
   */
  mediaCaptionMaxLength: number | null;
  /** Pre-approved template messages can be sent (needed outside the messaging window). */
  templates: boolean;
  /**
   * Hours after the customer's last message during which free-form replies are allowed;
   * null = no window (the network lets businesses write at any time).
   */
  messagingWindowHours: number | null;
}

/**
 * One channel account as a connector sees it: decrypted secrets, non-secret settings. Provider base
 * URLs come from `settings` (with the public default in the connector), so tests point them at local
 * servers.
 */
export interface ConnectorAccount {
  id: string;
  /** Registry name of the connector (`whatsapp`, `messenger`, `api`, …). */
  network: string;
  /** The account's own id at the provider: phone number id, page id, bot id, JID, … */
  externalId: string;
  settings: Readonly<Record<string, string>>;
  secrets: Readonly<Record<string, string>>;
}

/** An inbound HTTP request as the provider sent it. */
export interface InboundRequest {
  /** The exact bytes received: signatures are computed over these, never over re-serialised JSON. */
  rawBody: Buffer;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The absolute URL the provider called (scheme, host, port, path and query), for URL-signing networks. */
  url: string;
  /** When the request arrived; stands in for timestamps a payload lacks. */
  receivedAt: Date;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** The answer to a provider's GET verification handshake (e.g. `hub.challenge`). */
export interface HandshakeResponse {
  status: number;
  contentType: string;
  body: string;
}

/** The customer side of an event: their handle on the network. */
export interface CustomerHandle {
  /**
   * Stable id of the customer on this network (WhatsApp phone or BSUID, page-scoped id, chat id,
   * JID…). Stored as the contact identity `<channel>:<externalId>`.
   */
  externalId: string;
  displayName?: string;
  /**
   * A phone number the provider has verified (WhatsApp, SMS). Only verified values go here: they are
   * used to link identities of one person automatically.
   */
  verifiedPhone?: string;
  /** An email address the provider has verified. Same rule as `verifiedPhone`. */
  verifiedEmail?: string;
}

/** Where a media file can be fetched; at least one of `providerMediaId` / `url` is set. */
export interface MediaRef {
  providerMediaId?: string;
  url?: string;
  contentType?: string;
  fileName?: string;
}

export type InboundContent =
  | { type: 'text'; text: string }
  | { type: 'media'; media: MediaRef; caption?: string }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string };

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Normalised inbound events. One provider payload can carry many. */
export type InboundEvent =
  | {
      kind: 'message';
      /** The provider's id for this message; the dedupe key together with the account. */
      providerMessageId: string;
      from: CustomerHandle;
      sentAt: Date;
      content: InboundContent;
    }
  | {
      /** A status for one of our outbound messages, identified by the id `send` returned. */
      kind: 'status';
      providerMessageId: string;
      status: DeliveryStatus;
      /** Provider's reason when `status` is `failed`. */
      reason?: string;
      at: Date;
    }
  | {
      /**
       * A watermark status (Messenger): every message we sent to `to` up to `watermark` has reached
       * `status`.
       */
      kind: 'watermark';
      to: string;
      status: 'delivered' | 'read';
      watermark: Date;
    }
  | { kind: 'typing'; from: CustomerHandle; active: boolean };

/** A malformed payload (signature was fine). The raw event is kept with this reason; nothing else is stored. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

export type OutboundMessage =
  | { type: 'text'; text: string }
  /** A pre-approved template (WhatsApp). `parameters` fill the body placeholders in order. */
  | { type: 'template'; name: string; language: string; parameters: string[] }
  | OutboundMedia;

/**
 * One file for the customer. The provider fetches it from `url`: absolute, signed, valid for
 * MESSAGING_FILE_URL_TTL_HOURS. `caption` is set only on networks with `mediaCaptionMaxLength` and
 * never longer than it.
 */
export interface OutboundMedia {
  type: 'media';
  url: string;
  contentType: string;
  fileName: string;
  /** Bytes, for networks whose documented size limits are checked before sending. */
  size: number;
  caption?: string;
}

export interface SendResult {
  /** The provider's id of the sent message; statuses arrive keyed by it. */
  providerMessageId: string;
}

/**
 * A failed send as the provider explained it. Any other error thrown by `send` (network down,
 * unparseable answer) is treated as retryable.
 */
export class SendError extends Error {
  override readonly name = 'SendError';
  constructor(
    /** Human-readable reason shown to the agent on final failure. */
    readonly reason: string,
    /** True for rate limits, 5xx and timeouts; false for errors a retry cannot fix. */
    readonly retryable: boolean,
    /** The provider's `Retry-After` / `retry_after`, in seconds, when it gave one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(reason);
  }
}

/** A media file over the size limit: the download is not retried. */
export class MediaTooLargeError extends Error {
  override readonly name = 'MediaTooLargeError';
  constructor(size: number | null, maxBytes: number) {
    super(
      size === null
        ? `the file is over the ${maxBytes}-byte limit`
        : `the file is ${size} bytes, over the ${maxBytes}-byte limit`,
    );
  }
}

export interface FetchedMedia {
  body: Buffer;
  contentType: string;
  fileName?: string;
}

/** Receives events from long-lived connections (XMPP); the same path webhooks take after verification. */
export interface InboundSink {
  /** `raw` is stored as the raw event; `events` are processed exactly like parsed webhook events. */
  accept(account: ConnectorAccount, raw: Buffer, events: InboundEvent[]): Promise<void>;
}

/**
 * Long-lived connections are held by one node at a time. On the other nodes, a connector's `send` and
 * `sendTyping` hand the call to this relay, which runs it on the node holding the connection.
 */
export interface ConnectionRelay {
  send(
    account: ConnectorAccount,
    to: string,
    message: OutboundMessage,
    idempotencyKey: string,
  ): Promise<SendResult>;
  sendTyping(account: ConnectorAccount, to: string, active: boolean): Promise<void>;
}

/** The account settings and secrets a connector understands, validated by the admin API. */
export interface AccountSchema {
  /** Non-secret settings (returned by the admin API). `required` ones must be present. */
  settings: { name: string; required: boolean; description: string }[];
  /** Secrets (encrypted at rest, never returned). `required` ones must be present. */
  secrets: { name: string; required: boolean; description: string }[];
}

export interface Connector {
  /** URL segment and folder name: `/webhooks/<name>/:accountId`. Lower-case letters, digits, dashes. */
  readonly name: string;
  /** `conversation.channel` and the contact identity's channel for customers of this network. */
  readonly channel: ChannelKind;
  readonly capabilities: ConnectorCapabilities;
  readonly accountSchema: AccountSchema;

  /**
   * Checks the request's signature in constant time (`crypto.timingSafeEqual`). Called before
   * anything is stored; `now` is passed in for replay windows.
   */
  verifyRequest(request: InboundRequest, account: ConnectorAccount, now: Date): VerifyResult;

  /**
   * Answers a GET verification handshake (`/webhooks/<name>/:accountId?...`); null when the network
   * has none or the query does not match (the framework answers 403).
   */
  handshake?(query: Readonly<Record<string, string>>, account: ConnectorAccount): HandshakeResponse | null;

  /** Turns a verified payload into events; throws `PayloadError` on a malformed one. Pure. */
  parse(request: InboundRequest, account: ConnectorAccount): InboundEvent[];

  /**
   * Sends one message to the customer handle `to`. `idempotencyKey` is our message id: networks that
   * support idempotency keys get it; the framework also records the returned id before acknowledging
   * the job, so a retried job never sends twice. Rejects with `SendError`.
   */
  send(
    account: ConnectorAccount,
    to: string,
    message: OutboundMessage,
    idempotencyKey: string,
  ): Promise<SendResult>;

  /** Downloads a media file named in an inbound event; rejects with `MediaTooLargeError` beyond `maxBytes`. */
  fetchMedia?(account: ConnectorAccount, media: MediaRef, maxBytes: number): Promise<FetchedMedia>;

  /** Shows or clears our typing indicator on the customer's side (networks with `capabilities.typing`). */
  sendTyping?(account: ConnectorAccount, to: string, active: boolean): Promise<void>;

  /** Long-lived connections only: connect the account and push inbound events into `sink`. */
  start?(account: ConnectorAccount, sink: InboundSink): Promise<void>;
  stop?(account: ConnectorAccount): Promise<void>;
  /** Long-lived connections only: where calls go when this node does not hold the connection. */
  useRelay?(relay: ConnectionRelay): void;
}
