import type { AddOnCode } from './addons';

/** Prices are integers in kopecks. */

/**
 * The highest price staff may set for one service: 1,000,000 ₽. Far below what the integer
 * price columns hold, so an approved price always reaches the database (a price it refused
 * would hold up every later write of the booking behind the failing one).
 */
export const MAX_PRICE_KOPECKS = 100_000_000;

export interface PriceQuote {
  hours: number;
  roomPrice: number;
  addOns: { code: AddOnCode; quantity: number; unitPrice: number; total: number }[];
  addOnsTotal: number;
  total: number;
}

/** Room price per hour × hours (rounded to the kopeck), add-on list price × quantity. */
export function quotePrice(input: {
  startsAt: Date;
  endsAt: Date;
  pricePerHour: number;
  addOns: { code: AddOnCode; quantity: number; unitPrice: number }[];
}): PriceQuote {
  const hours = (input.endsAt.getTime() - input.startsAt.getTime()) / 3_600_000;
  const roomPrice = Math.round(input.pricePerHour * hours);
  const addOns = input.addOns.map((line) => ({ ...line, total: line.unitPrice * line.quantity }));
  const addOnsTotal = addOns.reduce((sum, line) => sum + line.total, 0);
  return { hours, roomPrice, addOns, addOnsTotal, total: roomPrice + addOnsTotal };
}

/** "1 500,00 ₽" in Russian, "1,500.00 ₽" in English. */
export function formatRubles(kopecks: number, lang: 'ru' | 'en' = 'ru'): string {
  const rubles = Math.floor(Math.abs(kopecks) / 100);
  const rest = String(Math.abs(kopecks) % 100).padStart(2, '0');
  const [group, decimal] = lang === 'en' ? [',', '.'] : ['\u00a0', ','];
  const grouped = String(rubles).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${kopecks < 0 ? '−' : ''}${grouped}${decimal}${rest}\u00a0₽`;
}
