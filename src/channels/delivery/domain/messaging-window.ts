/** The state of a network's customer-service window for one customer. */
export type WindowState = { open: true } | { open: false; closedAt: Date | null };

/**
 * Free-form replies are allowed for `hours` after the customer's last message (WhatsApp, Messenger:
 * 24 h). `hours` null: the network has no window. No customer message at all: closed.
 */
export function messagingWindow(
  hours: number | null,
  lastCustomerMessageAt: Date | null,
  now: Date,
): WindowState {
  if (hours === null) return { open: true };
  if (!lastCustomerMessageAt) return { open: false, closedAt: null };
  const closesAt = new Date(lastCustomerMessageAt.getTime() + hours * 3600_000);
  return now < closesAt ? { open: true } : { open: false, closedAt: closesAt };
}
