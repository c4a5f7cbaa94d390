import { DELETE_BATCH_SIZE, mayHaveMore, retentionCutoffs } from './retention.js';

const now = new Date('2026-11-26T12:00:00.000Z');

describe('retentionCutoffs', () => {
  it('keeps processed raw events 30 days, unsent uploads 24 hours and the audit log for good by default', () => {
    expect(
      retentionCutoffs(now, { rawEventRetentionDays: 30, uploadOrphanHours: 24, auditRetentionDays: 0 }),
    ).toEqual({
      rawEventsReceivedBefore: new Date('2026-10-27T12:00:00.000Z'),
      uploadsCreatedBefore: new Date('2026-11-25T12:00:00.000Z'),
      auditRecordsBefore: null,
    });
  });

  it('keeps the audit log for the days it is set to', () => {
    expect(
      retentionCutoffs(now, { rawEventRetentionDays: 30, uploadOrphanHours: 24, auditRetentionDays: 365 })
        .auditRecordsBefore,
    ).toEqual(new Date('2025-11-26T12:00:00.000Z'));
  });

  it('accepts fractions', () => {
    expect(
      retentionCutoffs(now, { rawEventRetentionDays: 0.5, uploadOrphanHours: 1.5, auditRetentionDays: 0.25 }),
    ).toEqual({
      rawEventsReceivedBefore: new Date('2026-11-26T00:00:00.000Z'),
      uploadsCreatedBefore: new Date('2026-11-26T10:30:00.000Z'),
      auditRecordsBefore: new Date('2026-11-26T06:00:00.000Z'),
    });
  });

  it('keeps a kind for good when its setting is 0', () => {
    expect(
      retentionCutoffs(now, { rawEventRetentionDays: 0, uploadOrphanHours: 24, auditRetentionDays: 0 })
        .rawEventsReceivedBefore,
    ).toBeNull();
    expect(
      retentionCutoffs(now, { rawEventRetentionDays: 30, uploadOrphanHours: 0, auditRetentionDays: 0 })
        .uploadsCreatedBefore,
    ).toBeNull();
  });
});

describe('mayHaveMore', () => {
  it('goes on after a full batch and stops after a short one', () => {
    expect(mayHaveMore(DELETE_BATCH_SIZE)).toBe(true);
    expect(mayHaveMore(DELETE_BATCH_SIZE - 1)).toBe(false);
    expect(mayHaveMore(0)).toBe(false);
    expect(mayHaveMore(5, 5)).toBe(true);
  });
});
