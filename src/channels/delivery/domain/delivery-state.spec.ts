import { advances, messageState, statesBefore } from './delivery-state.js';

describe('delivery state', () => {
  it('moves forward only', () => {
    expect(advances('sent', 'delivered')).toBe(true);
    expect(advances('read', 'delivered')).toBe(false);
    expect(advances('delivered', 'sent')).toBe(false);
    expect(advances('pending', 'read')).toBe(true);
  });

  it('takes failed before delivery only, and nothing after failed', () => {
    expect(advances('sent', 'failed')).toBe(true);
    expect(advances('delivered', 'failed')).toBe(false);
    expect(advances('failed', 'read')).toBe(false);
  });

  it('lists the states a status may update', () => {
    expect(statesBefore('read')).toEqual(['pending', 'sent', 'delivered']);
    expect(statesBefore('failed')).toEqual(['pending', 'sent']);
  });
});

describe('message state over its parts', () => {
  it('is the state of the part furthest behind', () => {
    expect(
      messageState([
        { status: 'read', reason: null },
        { status: 'delivered', reason: null },
        { status: 'sent', reason: null },
      ]),
    ).toEqual({ status: 'sent', reason: null });
    expect(messageState([{ status: 'read', reason: null }])).toEqual({ status: 'read', reason: null });
    expect(
      messageState([
        { status: 'pending', reason: null },
        { status: 'read', reason: null },
      ]),
    ).toEqual({ status: 'pending', reason: null });
  });

  it('is failed when any part failed, with every distinct reason', () => {
    expect(
      messageState([
        { status: 'read', reason: null },
        { status: 'failed', reason: 'estimate.pdf is too large' },
        { status: 'failed', reason: 'photo.webp is not taken' },
        { status: 'failed', reason: 'photo.webp is not taken' },
      ]),
    ).toEqual({ status: 'failed', reason: 'estimate.pdf is too large; photo.webp is not taken' });
  });
});
