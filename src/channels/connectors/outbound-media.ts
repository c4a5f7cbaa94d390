import { SendError, type OutboundMedia } from './connector.js';

const MIB = 1024 * 1024;

/** A network's documented limit for one kind of file it is sent by URL. */
export interface MediaRule {
  /** What the network calls it in its API (`image`, `document`, `sendPhoto`, …). */
  kind: string;
  contentTypes: readonly string[];
  maxBytes: number;
}

/** `n` mebibytes, as providers state their limits. */
export const mib = (n: number): number => n * MIB;

/**
 * The rule that takes `media` on a network, or a final `SendError` saying why the network cannot take
 * it: a retry would be refused the same way, and the agent should see the reason at once.
 */
export function mediaRule(network: string, media: OutboundMedia, rules: readonly MediaRule[]): MediaRule {
  const rule = rules.find((r) => r.contentTypes.includes(media.contentType));
  if (!rule) {
    const accepted = [...new Set(rules.flatMap((r) => r.contentTypes))].join(', ');
    throw new SendError(
      `${network} does not take ${media.contentType} files ("${media.fileName}"); it takes ${accepted}`,
      false,
    );
  }
  if (media.size > rule.maxBytes) {
    throw new SendError(
      `"${media.fileName}" is ${media.size} bytes; ${network} takes ${media.contentType} files up to ${rule.maxBytes} bytes`,
      false,
    );
  }
  return rule;
}
