export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

const RANK: Record<DeliveryState, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 1 };

/**
 * Whether a status report moves a message forward. Statuses arrive out of order (read before
 * delivered, a late `sent`): a message never moves back. `failed` is taken only before delivery.
 */
export function advances(current: DeliveryState, next: DeliveryState): boolean {
  if (current === 'failed') return false;
  if (next === 'failed') return current === 'pending' || current === 'sent';
  return RANK[next] > RANK[current];
}

/** The states from which `next` is an advance, for a conditional UPDATE. */
export function statesBefore(next: DeliveryState): DeliveryState[] {
  return (['pending', 'sent', 'delivered', 'read', 'failed'] as const).filter((s) => advances(s, next));
}

export interface PartState {
  status: DeliveryState;
  reason: string | null;
}

/**
 * What the agent sees of a message sent as several provider messages (its text and files): failed
 * when any part failed (with the reasons), otherwise the state of the part furthest behind, so that
 * "read" means everything was read.
 */
export function messageState(parts: readonly PartState[]): PartState {
  const failed = parts.filter((p) => p.status === 'failed');
  if (failed.length > 0) {
    const reasons = [...new Set(failed.map((p) => p.reason).filter((r): r is string => Boolean(r)))];
    return { status: 'failed', reason: reasons.length > 0 ? reasons.join('; ') : null };
  }
  const behind = parts.reduce<PartState | null>(
    (least, p) => (least === null || RANK[p.status] < RANK[least.status] ? p : least),
    null,
  );
  return { status: behind?.status ?? 'pending', reason: null };
}
