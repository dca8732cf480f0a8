/**
 * Russian phone numbers: "+7 (916) 123-45-67", "8 916 123 45 67", "79161234567" → "+79161234567".
 * Returns null when the input is not a Russian number with ten digits after the country code.
 */
export function normalizeRussianPhone(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[+\d][\d\s()\-]*$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  let national: string;
  if (trimmed.startsWith('+')) {
    if (!digits.startsWith('7') || digits.length !== 11) return null;
    national = digits.slice(1);
  } else if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) {
    national = digits.slice(1);
  } else if (digits.length === 10) {
    national = digits;
  } else {
    return null;
  }
  // Russian numbering: geographic codes start with 3, 4, 8; mobile with 9.
  if (!/^[3489]/.test(national)) return null;
  return `+7${national}`;
}
