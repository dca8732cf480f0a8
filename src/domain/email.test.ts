import { isEmailAddress, normalizeEmail } from './email';

describe('isEmailAddress', () => {
  it.each(['ivanova@example.ru', 'Ivan.Petrov+dk@mail.ru', "o'brien@example.com", 'ivan@почта.рф', 'иван@почта.рф', 'ivan@xn--80a1acny.xn--p1ai', 'a_b-c@sub.domain-x.org', `${'a'.repeat(64)}@example.ru`])(
    'takes %s',
    (address) => expect(isEmailAddress(address)).toBe(true),
  );

  it.each([
    ['two recipients', 'ivan,petr@example.ru'],
    ['a list with a semicolon', 'ivan@example.ru;petr@example.ru'],
    ['a display name', 'Иван <ivan@example.ru>'],
    ['a space', 'ivan petrov@example.ru'],
    ['quotes', '"ivan"@example.ru'],
    ['no domain', 'ivan@'],
    ['no local part', '@example.ru'],
    ['no top-level domain', 'ivan@localhost'],
    ['a one-letter top-level domain', 'ivan@example.r'],
    ['a digit top-level domain', 'ivan@example.123'],
    ['a leading dot', '.ivan@example.ru'],
    ['a trailing dot', 'ivan.@example.ru'],
    ['two dots', 'iv..an@example.ru'],
    ['a hyphen at a label edge', 'ivan@-example.ru'],
    ['two at signs', 'ivan@petr@example.ru'],
    ['a local part over 64', `${'a'.repeat(65)}@example.ru`],
    ['a label over 63', `ivan@${'a'.repeat(64)}.ru`],
    ['over 254 in all', `ivan@${'sub.'.repeat(62)}example.ru`],
    ['text', 'не адрес'],
  ])('refuses %s', (_what, address) => expect(isEmailAddress(address)).toBe(false));
});

describe('normalizeEmail', () => {
  it('trims and lower-cases, and spells a punycode domain in letters, so both forms are one account', () => {
    expect(normalizeEmail('  Ivan.Petrov@Mail.RU ')).toBe('ivan.petrov@mail.ru');
    expect(normalizeEmail('Ivan@XN--80A1ACNY.XN--P1AI')).toBe('ivan@почта.рф');
    expect(normalizeEmail('Иван@Почта.РФ')).toBe('иван@почта.рф');
  });
});
