import { domainToUnicode } from 'node:url';

/**
 * The one rule for an address people sign in with and staff are appointed by: the API, the
 * portal's forms and ADMIN_EMAILS all use it.
 *
 * zod's rule, widened to letters and digits of any script: Russian mail lives on .рф domains
 * (почта.рф, or its punycode form xn--80a1acny.xn--p1ai), sometimes with a Cyrillic local part,
 * and nodemailer delivers to both (punycode in the envelope, SMTPUTF8 for the local part). Still
 * no spaces, commas, semicolons, quotes or angle brackets: the mailer would read "ivan,petr@…"
 * as two recipients.
 */
const LOCAL_PART = /^(?!\.)(?!.*\.\.)[\p{L}\p{M}\p{N}_'+\-.]*[\p{L}\p{M}\p{N}_+-]$/u;
const DOMAIN = /^([\p{L}\p{M}\p{N}]([\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?\.)+(\p{L}[\p{L}\p{M}]+|xn--[a-z0-9-]+)$/iu;

export const MAX_EMAIL_LENGTH = 254;

export function isEmailAddress(text: string): boolean {
  if (text.length > MAX_EMAIL_LENGTH) return false;
  const at = text.lastIndexOf('@');
  if (at < 1) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  return local.length <= 64 && LOCAL_PART.test(local) && DOMAIN.test(domain) && domain.split('.').every((label) => label.length <= 63);
}

/**
 * How an address is stored: trimmed, lower-cased, its domain in letters rather than punycode, so
 * that ivan@почта.рф and ivan@xn--80a1acny.xn--p1ai are one account.
 */
export function normalizeEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const domain = domainToUnicode(lower.slice(at + 1));
  return domain ? `${lower.slice(0, at)}@${domain}` : lower;
}
