import type { Connector } from './connector.js';
import { apiConnector } from './api/index.js';
import { messengerConnector } from './messenger/index.js';
import { telegramConnector } from './telegram/index.js';
import { twilioSmsConnector, twilioWhatsappConnector } from './twilio/index.js';
import { whatsappConnector } from './whatsapp/index.js';
import { xmppConnector } from './xmpp/index.js';

/**
 * Every network Switchboard speaks. Adding a network: its folder with an `index.ts` exporting the
 * connector, and one line here.
 */
export const CONNECTORS: readonly Connector[] = [
  whatsappConnector,
  messengerConnector,
  apiConnector,
  telegramConnector,
  twilioSmsConnector,
  twilioWhatsappConnector,
  xmppConnector,
];

const byName = new Map(CONNECTORS.map((c) => [c.name, c]));

/** The connector registered under `name` (the `:network` URL segment), if any. */
export function connectorFor(name: string): Connector | undefined {
  return byName.get(name);
}

export function connectorNames(): string[] {
  return [...byName.keys()];
}
