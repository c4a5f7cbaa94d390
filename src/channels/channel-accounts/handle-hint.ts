/**
 * How an agent writes a customer's handle on each network, shown beside the handle field when they
 * start a conversation. Keyed by connector name; a network without its own line gets the generic text.
 */
const HINTS: Readonly<Record<string, string>> = {
  whatsapp: 'Phone number in international format, digits only (e.g. 447700900123)',
  'twilio-whatsapp': 'Phone number in international format with + (e.g. +447700900123)',
  twilio: 'Phone number in international format with + (e.g. +447700900123)',
  telegram: 'Telegram chat id: the number of a chat that has written to the bot (e.g. 5550777)',
  messenger: 'Page-scoped id of a person who has written to the Page (e.g. 6543210987654321)',
  xmpp: 'Jabber ID (e.g. customer@example.com)',
  api: "The customer's id in the partner app",
};

const GENERIC_HINT = "The customer's id on this network";

export function handleHint(network: string): string {
  return Object.hasOwn(HINTS, network) ? HINTS[network] : GENERIC_HINT;
}
