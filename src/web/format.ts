import { MOSCOW_OFFSET_MINUTES } from '../domain/moscow-time';
import { formatRubles } from '../domain/price';
import type { Lang } from './i18n';

const MONTHS: Record<Lang, string[]> = {
  ru: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const pad = (n: number) => String(n).padStart(2, '0');
const shifted = (instant: Date | string) => new Date(new Date(instant).getTime() + MOSCOW_OFFSET_MINUTES * 60_000);

/** "25 декабря 2026" (Moscow calendar day). */
export function formatDate(lang: Lang, instant: Date | string): string {
  const local = shifted(instant);
  return `${local.getUTCDate()} ${MONTHS[lang][local.getUTCMonth()]} ${local.getUTCFullYear()}`;
}

/** "18:30" (Moscow time). */
export function formatTime(instant: Date | string): string {
  const local = shifted(instant);
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** "25 декабря 2026, 18:30". */
export function formatDateTime(lang: Lang, instant: Date | string): string {
  return `${formatDate(lang, instant)}, ${formatTime(instant)}`;
}

/** "25 декабря 2026, 18:30–21:00" (or two full stamps when the range spans days). */
export function formatRange(lang: Lang, start: Date | string, end: Date | string): string {
  const sameDay = formatDate(lang, start) === formatDate(lang, end);
  return sameDay ? `${formatDateTime(lang, start)}–${formatTime(end)}` : `${formatDateTime(lang, start)} – ${formatDateTime(lang, end)}`;
}

/** "25 декабря 2026" from a Moscow calendar date "2026-12-25". */
export function formatCalendarDate(lang: Lang, date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[lang][month - 1]} ${year}`;
}

export const formatMoney = (lang: Lang, kopecks: number) => formatRubles(kopecks, lang);

/** An amount as a person types it into a price field: "5000", "5000,50" ("5000.50" in English). */
export function amountForInput(lang: Lang, kopecks: number): string {
  const whole = String(Math.floor(kopecks / 100));
  const rest = kopecks % 100;
  return rest === 0 ? whole : `${whole}${lang === 'en' ? '.' : ','}${String(rest).padStart(2, '0')}`;
}

/** "+7 916 123-45-67" for a stored "+79161234567"; anything else as it is. */
export function formatPhone(phone: string): string {
  const parts = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return parts ? `+7\u00a0${parts[1]}\u00a0${parts[2]}-${parts[3]}-${parts[4]}` : phone;
}

/** "1 234" (a no-break space) in Russian, "1,234" in English. */
export const formatCount = (lang: Lang, count: number) => count.toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU');

/** "5000", "5000,50", "5 000.5" → kopecks; null when it is not an amount of rubles. */
export function parseRubles(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0₽]|руб\.?/g, '').replace(',', '.');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
