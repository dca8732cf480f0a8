import { statsRange } from './stats-range';

test('a single day is the 24 hours of that Moscow day', () => {
  expect(statsRange('2026-01-31', '2026-01-31')).toEqual({ from: new Date('2026-01-30T21:00:00Z'), to: new Date('2026-01-31T21:00:00Z') });
});

test('the end before the start is refused', () => {
  expect(statsRange('2026-02-01', '2026-01-31')).toEqual({ fault: 'END_BEFORE_START' });
});

test('three years pass (leap day included); a day more does not', () => {
  expect(statsRange('2024-01-01', '2026-12-31')).toEqual({ from: new Date('2023-12-31T21:00:00Z'), to: new Date('2026-12-31T21:00:00Z') });
  expect(statsRange('2023-12-31', '2026-12-31')).toEqual({ fault: 'TOO_LONG' });
  expect(statsRange('1900-01-01', '9999-12-31')).toEqual({ fault: 'TOO_LONG' });
});
