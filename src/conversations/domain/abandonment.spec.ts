import { abandonment } from './abandonment.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 10, 0, 0) + seconds * 1000);

describe('abandonment', () => {
  it('measures the wait from the place in the queue to the moment the customer left', () => {
    expect(abandonment(at(0), at(42.25), 10)).toEqual({ waitedSeconds: 42.3, short: false });
  });

  it('flags a wait below the threshold as short, and one at the threshold as not', () => {
    expect(abandonment(at(0), at(9.99), 10).short).toBe(true);
    expect(abandonment(at(0), at(10), 10).short).toBe(false);
  });

  it('never reports a negative wait (clocks of two machines may disagree by a little)', () => {
    expect(abandonment(at(5), at(4.9), 10)).toEqual({ waitedSeconds: 0, short: true });
  });

  it('with a threshold of 0 no abandonment is short', () => {
    expect(abandonment(at(0), at(0), 0).short).toBe(false);
  });
});
