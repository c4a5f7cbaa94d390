import { advances, statesBefore } from './delivery-state.js';

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
