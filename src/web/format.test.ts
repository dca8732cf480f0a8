import { formatDateTime, formatRange, parseRubles } from './format';

describe('Russian dates and rubles', () => {
  it('when an instant is formatted, then it reads in Moscow time the Russian way', () => {
    expect(formatDateTime('ru', '2026-12-25T15:30:00Z')).toBe('25 декабря 2026, 18:30');
    expect(formatDateTime('en', '2026-12-25T15:30:00Z')).toBe('25 December 2026, 18:30');
    expect(formatRange('ru', '2026-12-25T15:30:00Z', '2026-12-25T18:00:00Z')).toBe('25 декабря 2026, 18:30–21:00');
  });

  it('when rubles are typed, then they become kopecks; anything else is refused', () => {
    expect(parseRubles('5000')).toBe(500_000);
    expect(parseRubles('5 000,5')).toBe(500_050);
    expect(parseRubles('12.34 ₽')).toBe(1_234);
    expect(parseRubles('-1')).toBeNull();
    expect(parseRubles('1.234')).toBeNull();
    expect(parseRubles('')).toBeNull();
  });
});
