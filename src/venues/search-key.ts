/**
 * The form in which venue text is stored for search and in which queries are compared. Case
 * folding happens here, in JavaScript, because PostgreSQL's ILIKE folds Cyrillic only under
 * some server locales (not under the C locale an embedded or CI cluster may have); "ё" and "е"
 * are one letter to most people typing a search.
 */
export function searchKey(text: string): string {
  return text.toLocaleLowerCase('ru-RU').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}
