import { messagingWindow } from './messaging-window.js';

const last = new Date('2026-11-25T10:00:00Z');

describe('messagingWindow', () => {
  it('is open until 24 hours after the last customer message, closed from then on', () => {
    expect(messagingWindow(24, last, new Date('2026-11-26T09:59:59Z'))).toEqual({ open: true });
    expect(messagingWindow(24, last, new Date('2026-11-26T10:00:00Z'))).toEqual({
      open: false,
      closedAt: new Date('2026-11-26T10:00:00Z'),
    });
  });

  it('is closed when the customer never wrote, and always open on networks without a window', () => {
    expect(messagingWindow(24, null, last)).toEqual({ open: false, closedAt: null });
    expect(messagingWindow(null, null, last)).toEqual({ open: true });
  });
});
