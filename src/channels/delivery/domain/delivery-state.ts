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
