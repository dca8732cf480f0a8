import { isOvertaken } from './obsolete';

describe('an e-mail its booking has overtaken', () => {
  it('when a task reminder or escalation is sent after its task was done, then it is overtaken; while the task is open it is not', () => {
    for (const kind of ['TASK_REMINDER', 'TASK_ESCALATION'] as const) {
      expect(isOvertaken({ kind, data: { task: 'CALLBACK' } }, 'AWAITING_CALLBACK')).toBe(false);
      expect(isOvertaken({ kind, data: { task: 'CALLBACK' } }, 'ADDONS')).toBe(true);
      expect(isOvertaken({ kind, data: { task: 'ADDONS' } }, 'ADDONS')).toBe(false);
      expect(isOvertaken({ kind, data: { task: 'CONFIRMATION' } }, 'CONFIRMED')).toBe(true);
      expect(isOvertaken({ kind, data: { task: 'CONFIRMATION' } }, 'CANCELLED')).toBe(true);
      // A request from before tasks were named: sent as before.
      expect(isOvertaken({ kind, data: {} }, 'CONFIRMED')).toBe(false);
    }
  });

  it('when the confirmation goes out after the booking was cancelled, then it is overtaken (its invitation would restore the event); otherwise not', () => {
    expect(isOvertaken({ kind: 'CONFIRMED' }, 'CANCELLED')).toBe(true);
    expect(isOvertaken({ kind: 'CONFIRMED' }, 'CONFIRMED')).toBe(false);
    expect(isOvertaken({ kind: 'CONFIRMED' }, 'COMPLETED')).toBe(false);
    expect(isOvertaken({ kind: 'CANCELLED' }, 'CANCELLED')).toBe(false);
    expect(isOvertaken({ kind: 'SUBMITTED' }, 'REJECTED')).toBe(false);
  });
});
