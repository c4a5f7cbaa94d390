/** Short labels rather than emoji: they render the same on every system font. */
const LABELS: Record<string, string> = {
  web: 'Web',
  whatsapp: 'WA',
  messenger: 'FB',
  telegram: 'TG',
  sms: 'SMS',
  xmpp: 'XMPP',
  api: 'API',
};

/** The channel a conversation runs on, as a small coloured tag. */
export function ChannelIcon({ channel }: { channel: string }) {
  return (
    <span class={`chan chan-${channel}`} title={channel} aria-label={channel}>
      {LABELS[channel] ?? channel.slice(0, 4).toUpperCase()}
    </span>
  );
}
