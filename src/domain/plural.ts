/**
 * Russian words after a number take one of three forms: 1, 21, 101 (one); 2–4, 22–24 (few);
 * 0, 5–20, 25–30, 11–14 (many). The caller gives the forms its phrase needs, in its case:
 * after "до" or "не более" (genitive) they are "человека", "человек", "человек".
 */
export interface RussianForms {
  one: string;
  few: string;
  many: string;
}

export function russianPlural(count: number, forms: RussianForms): string {
  const lastTwo = Math.abs(count) % 100;
  const last = lastTwo % 10;
  if (lastTwo >= 11 && lastTwo <= 14) return forms.many;
  if (last === 1) return forms.one;
  if (last >= 2 && last <= 4) return forms.few;
  return forms.many;
}

/** "человек" after "до" or "не более" with a number: "до 21 человека", "до 22 человек". */
export const PEOPLE_GENITIVE: RussianForms = { one: 'человека', few: 'человек', many: 'человек' };
/** After «до»: до 1 часа, до 3 часов, до 12 часов. */
export const HOURS_GENITIVE: RussianForms = { one: 'часа', few: 'часов', many: 'часов' };
