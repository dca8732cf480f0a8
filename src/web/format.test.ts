import { amountForInput, formatDateTime, formatMoney, formatPhone, formatRange, parseRubles } from './format';

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

  it('when an amount goes into a price field, then it reads as a person types it, and reads back to the same kopecks', () => {
    const amounts = [500_000, 500_050, 500_005, 5, 50, 0];
    expect(amounts.map((kopecks) => amountForInput('ru', kopecks))).toEqual(['5000', '5000,50', '5000,05', '0,05', '0,50', '0']);
    expect(amountForInput('en', 500_050)).toBe('5000.50');
    for (const lang of ['ru', 'en'] as const) expect(amounts.map((kopecks) => parseRubles(amountForInput(lang, kopecks)))).toEqual(amounts);
  });

  it('when money or a phone number is shown, then each language writes it its own way', () => {
    expect(formatMoney('ru', 123_456_789)).toBe('1\u00a0234\u00a0567,89\u00a0₽');
    expect(formatMoney('en', 123_456_789)).toBe('1,234,567.89\u00a0₽');
    expect(formatPhone('+79161234567')).toBe('+7\u00a0916\u00a0123-45-67');
    expect(formatPhone('+1 202 555 0100')).toBe('+1 202 555 0100');
  });
});
