import { estimatedWaitSeconds, type RecentService } from './estimated-wait.js';

/** 12 conversations handed out in 10 minutes by 3 agents, and 3 agents on now: one every 50 seconds. */
const STEADY: RecentService = { windowMinutes: 10, assignments: 12, agentsInWindow: 3, eligibleAgentsNow: 3 };

describe('estimatedWaitSeconds', () => {
  it('waits one hand-out interval per place in line', () => {
    expect(estimatedWaitSeconds(STEADY, 1)).toBe(50);
    expect(estimatedWaitSeconds(STEADY, 3)).toBe(150);
    expect(estimatedWaitSeconds(STEADY, 10)).toBe(500);
  });

  it('grows when fewer agents are on than served the window, and shrinks when more are', () => {
    expect(estimatedWaitSeconds({ ...STEADY, eligibleAgentsNow: 1 }, 1)).toBe(150);
    expect(estimatedWaitSeconds({ ...STEADY, eligibleAgentsNow: 6 }, 1)).toBe(25);
  });

  it('uses the plain rate when the window’s staffing is unknown', () => {
    expect(estimatedWaitSeconds({ ...STEADY, agentsInWindow: null, eligibleAgentsNow: 1 }, 1)).toBe(50);
  });

  it('rounds up to the next whole second', () => {
    expect(estimatedWaitSeconds({ ...STEADY, assignments: 7 }, 1)).toBe(86);
  });

  it('gives no estimate without a sample or without anyone to serve', () => {
    expect(estimatedWaitSeconds({ ...STEADY, assignments: 0 }, 1)).toBeNull();
    expect(estimatedWaitSeconds({ ...STEADY, windowMinutes: 0 }, 1)).toBeNull();
    expect(estimatedWaitSeconds({ ...STEADY, eligibleAgentsNow: 0 }, 1)).toBeNull();
  });

  it('never promises a later place a shorter wait', () => {
    const service = { windowMinutes: 15, assignments: 7, agentsInWindow: 2, eligibleAgentsNow: 3 };
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((p) => estimatedWaitSeconds(service, p) ?? Number.NaN);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
  });

  it('rejects a position that is not a place in line', () => {
    expect(() => estimatedWaitSeconds(STEADY, 0)).toThrow(RangeError);
    expect(() => estimatedWaitSeconds(STEADY, 1.5)).toThrow(RangeError);
  });
});
