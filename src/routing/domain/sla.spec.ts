import { answeredWithinSla, nextSlaActionAt, slaDecision, type SlaSettings, type SlaWait } from './sla.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const BUMP: SlaSettings = {
  slaTargetSeconds: 60,
  escalateAfterSeconds: 120,
  escalation: { kind: 'priority-bump', by: 5 },
  maxWaitSeconds: 600,
};
const OVERFLOW: SlaSettings = { ...BUMP, escalation: { kind: 'overflow', toQueueId: 'q-general' } };
const FRESH: SlaWait = { enqueuedAt: at(0), escalatedAt: null };
const ESCALATED: SlaWait = { enqueuedAt: at(0), escalatedAt: at(120) };

describe('slaDecision', () => {
  it('does nothing within the target, and says to look again when it would be breached', () => {
    expect(slaDecision(BUMP, FRESH, at(30))).toEqual({
      action: { kind: 'none' },
      breached: false,
      nextCheckAt: new Date(at(60).getTime() + 1),
    });
  });

  it('is breached only after the target, the target itself still counting as met', () => {
    expect(slaDecision(BUMP, FRESH, at(60)).breached).toBe(false);
    expect(slaDecision(BUMP, FRESH, at(61))).toEqual({
      action: { kind: 'none' },
      breached: true,
      nextCheckAt: at(120),
    });
  });

  it('escalates with a priority bump once the escalation time is reached', () => {
    expect(slaDecision(BUMP, FRESH, at(119)).action).toEqual({ kind: 'none' });
    expect(slaDecision(BUMP, FRESH, at(120))).toEqual({
      action: { kind: 'escalate', escalation: { kind: 'priority-bump', by: 5 } },
      breached: true,
      nextCheckAt: at(600),
    });
  });

  it('escalates by overflowing to another queue', () => {
    expect(slaDecision(OVERFLOW, FRESH, at(130)).action).toEqual({
      kind: 'escalate',
      escalation: { kind: 'overflow', toQueueId: 'q-general' },
    });
  });

  it('escalates only once, so an overflowed conversation is not moved on again', () => {
    expect(slaDecision(OVERFLOW, ESCALATED, at(300))).toEqual({
      action: { kind: 'none' },
      breached: true,
      nextCheckAt: at(600),
    });
  });

  it('hands over to offline at the maximum wait, escalated or not, and stops checking', () => {
    for (const wait of [FRESH, ESCALATED]) {
      expect(slaDecision(BUMP, wait, at(600))).toEqual({
        action: { kind: 'offline-handover' },
        breached: true,
        nextCheckAt: null,
      });
    }
    expect(slaDecision(BUMP, FRESH, at(599)).action.kind).toBe('escalate');
  });

  it('never escalates or hands over when those are not configured', () => {
    const targetOnly: SlaSettings = {
      slaTargetSeconds: 60,
      escalateAfterSeconds: null,
      escalation: null,
      maxWaitSeconds: null,
    };
    expect(slaDecision(targetOnly, FRESH, at(86_400))).toEqual({
      action: { kind: 'none' },
      breached: true,
      nextCheckAt: null,
    });
    const timeButNoAction = { ...targetOnly, escalateAfterSeconds: 120 };
    expect(slaDecision(timeButNoAction, FRESH, at(200)).action).toEqual({ kind: 'none' });
  });

  it('measures from the first enqueue: an overflowed conversation keeps its wait', () => {
    // Moved at 130 s into a queue with a 600 s maximum: the handover still comes at 600 s after the start.
    expect(slaDecision(BUMP, { enqueuedAt: at(0), escalatedAt: at(130) }, at(600)).action).toEqual({
      kind: 'offline-handover',
    });
  });
});

describe('answeredWithinSla', () => {
  it('counts an answer up to and including the target as met', () => {
    expect(answeredWithinSla(BUMP, at(0), at(59))).toBe(true);
    expect(answeredWithinSla(BUMP, at(0), at(60))).toBe(true);
  });

  it('counts a later answer as missed', () => {
    expect(answeredWithinSla(BUMP, at(0), at(60.001))).toBe(false);
    expect(answeredWithinSla(BUMP, at(0), at(3600))).toBe(false);
  });
});

describe('nextSlaActionAt', () => {
  it('wakes at the escalation, then at the maximum wait, never at the breach alone', () => {
    expect(nextSlaActionAt(BUMP, FRESH, at(30))).toEqual(at(120));
    expect(nextSlaActionAt(BUMP, ESCALATED, at(130))).toEqual(at(600));
  });

  it('keeps the first wait after an overflow: the maximum wait counts from the first queue', () => {
    const overflowed: SlaWait = { enqueuedAt: at(0), escalatedAt: at(120) };
    expect(nextSlaActionAt(OVERFLOW, overflowed, at(121))).toEqual(at(600));
  });

  it('is null once nothing is left to do, or with no rules beyond the target', () => {
    expect(nextSlaActionAt(BUMP, ESCALATED, at(600))).toBeNull();
    const targetOnly: SlaSettings = { slaTargetSeconds: 60, escalateAfterSeconds: null, escalation: null, maxWaitSeconds: null };
    expect(nextSlaActionAt(targetOnly, FRESH, at(0))).toBeNull();
  });

  it('ignores an escalation wait without an escalation', () => {
    const noEscalation: SlaSettings = { ...BUMP, escalation: null };
    expect(nextSlaActionAt(noEscalation, FRESH, at(10))).toEqual(at(600));
  });
});
