import {
  agingBump,
  compareEffective,
  effectivePriority,
  nextBumpAt,
  orderWaiting,
  type PrioritisedConversation,
  type PriorityAging,
} from './priority.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** One point per minute waited, at most five. */
const AGING: PriorityAging = { everySeconds: 60, bumpBy: 1, maxBump: 5 };

function waiting(
  id: string,
  enqueuedSecond: number,
  priority = 0,
  queuePriority = 0,
): PrioritisedConversation {
  return { id, queuePriority, priority, enqueuedAt: at(enqueuedSecond) };
}

describe('effectivePriority', () => {
  it('starts at queue priority plus conversation priority', () => {
    expect(effectivePriority(waiting('c', 0, 2, 10), AGING, at(0))).toBe(12);
  });

  it('gains a point per full minute waited', () => {
    const c = waiting('c', 0);
    expect(effectivePriority(c, AGING, at(59))).toBe(0);
    expect(effectivePriority(c, AGING, at(60))).toBe(1);
    expect(effectivePriority(c, AGING, at(125))).toBe(2);
  });

  it('stops at the cap however long the wait', () => {
    expect(effectivePriority(waiting('c', 0), AGING, at(300))).toBe(5);
    expect(effectivePriority(waiting('c', 0), AGING, at(36_000))).toBe(5);
    expect(agingBump(at(0), { everySeconds: 60, bumpBy: 2, maxBump: 5 }, at(180))).toBe(5);
  });

  it('does not age without aging configured, or with a zero period (no division by zero)', () => {
    expect(effectivePriority(waiting('c', 0, 3), null, at(3600))).toBe(3);
    expect(effectivePriority(waiting('c', 0, 3), { everySeconds: 0, bumpBy: 1, maxBump: 5 }, at(3600))).toBe(
      3,
    );
  });

  it('does not lower priority when the clock reads before the enqueue time', () => {
    expect(effectivePriority(waiting('c', 100, 1), AGING, at(0))).toBe(1);
  });
});

describe('nextBumpAt', () => {
  it('is the end of the current minute of waiting', () => {
    expect(nextBumpAt(at(0), AGING, at(30))).toEqual(at(60));
    expect(nextBumpAt(at(0), AGING, at(60))).toEqual(at(120));
  });

  it('is null once capped, or without aging', () => {
    expect(nextBumpAt(at(0), AGING, at(300))).toBeNull();
    expect(nextBumpAt(at(0), null, at(30))).toBeNull();
  });
});

describe('serving order', () => {
  it('lets a long wait overtake a newer, slightly more urgent conversation', () => {
    const old = waiting('old', 0, 0);
    const fresh = waiting('fresh', 100, 2);
    // At 119 s "old" has gained 1 point: still behind. At 120 s it has 2, level with "fresh", and is older.
    expect(orderWaiting([old, fresh], AGING, at(119)).map((c) => c.id)).toEqual(['fresh', 'old']);
    expect(orderWaiting([fresh, old], AGING, at(120)).map((c) => c.id)).toEqual(['old', 'fresh']);
  });

  it('never lets aging overtake a gap larger than the cap', () => {
    const old = waiting('old', 0, 0);
    const vip = waiting('vip', 3590, 6);
    expect(orderWaiting([old, vip], AGING, at(3600)).map((c) => c.id)).toEqual(['vip', 'old']);
  });

  it('counts the queue’s priority when comparing across queues', () => {
    const sales = waiting('sales', 0, 0, 0);
    const claims = waiting('claims', 100, 0, 10);
    expect(orderWaiting([sales, claims], AGING, at(120)).map((c) => c.id)).toEqual(['claims', 'sales']);
  });

  it('serves the longer wait first at equal effective priority, then by id', () => {
    const compare = compareEffective(AGING, at(100));
    expect(compare(waiting('a', 10), waiting('b', 20))).toBeLessThan(0);
    expect(compare(waiting('b', 20), waiting('a', 10))).toBeGreaterThan(0);
    expect(compare(waiting('a', 10), waiting('b', 10))).toBeLessThan(0);
    expect(compare(waiting('a', 10), waiting('a', 10))).toBe(0);
  });

  it('equal effective priority reached differently ties on age', () => {
    // "aged" gained 2 points by waiting; "urgent" started with 2. Same effective priority: the older wins.
    const aged = waiting('z-aged', 0, 0);
    const urgent = waiting('a-urgent', 100, 2);
    expect(orderWaiting([urgent, aged], AGING, at(130)).map((c) => c.id)).toEqual(['z-aged', 'a-urgent']);
  });

  it('leaves the caller’s array as it was', () => {
    const line = [waiting('b', 20), waiting('a', 10)];
    orderWaiting(line, AGING, at(100));
    expect(line.map((c) => c.id)).toEqual(['b', 'a']);
  });
});
