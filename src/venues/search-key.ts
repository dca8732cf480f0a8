/**
 * The form in which venue text is stored for search and in which queries are compared. Case
 * folding happens here, in JavaScript, because PostgreSQL's ILIKE folds Cyrillic only under
 * some server locales (not under the C locale an embedded or CI cluster may have); "ё" and "е"
 * are one letter to most people typing a search. Punctuation is a word break: «ДК "Юность"»,
 * ДК Юность and ДК «Юность» are the same words, as are Наро-Фоминск and Наро Фоминск. LIKE's own
 * characters (% _ \) are kept, so such a query still goes to the database as typed.
 */
export function searchKey(text: string): string {
  return text
    .toLocaleLowerCase('ru-RU')
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}%_\\\u0000]+/gu, ' ')
    .trim();
}

/** The words of a query: a venue matches when its text contains every one of them. */
export function searchWords(text: string): string[] {
  return searchKey(text).split(' ').filter(Boolean);
}

/** What a venue is found by: its name, its address and its district's name. */
export function venueSearchText(venue: { name: string; address: string }, districtName: string): string {
  return searchKey(`${venue.name} ${venue.address} ${districtName}`);
}
