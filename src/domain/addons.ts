export const ADDON_CODES = ['TECH_SUPPORT', 'EVENT_ORGANIZATION', 'CATERING', 'MUSIC_RECORDING', 'TURNKEY_DECOR'] as const;
export type AddOnCode = (typeof ADDON_CODES)[number];

export type AddOnStatus = 'REQUESTED' | 'APPROVED' | 'DECLINED' | 'CANCELLED';

/**
 * The services' names, as the public service names them; the one source for the catalog
 * (src/catalog/vocabulary.ts), the booking pages, the timeline and the e-mails.
 */
export const ADDON_NAME_RU: Record<AddOnCode, string> = {
  TECH_SUPPORT: 'Техническая поддержка',
  EVENT_ORGANIZATION: 'Организация мероприятий',
  CATERING: 'Кейтеринг',
  MUSIC_RECORDING: 'Помощь в записи музыкальных композиций',
  TURNKEY_DECOR: 'Оформление события «под ключ»',
};

export const ADDON_NAME_EN: Record<AddOnCode, string> = {
  TECH_SUPPORT: 'Technical support',
  EVENT_ORGANIZATION: 'Event organisation',
  CATERING: 'Catering',
  MUSIC_RECORDING: 'Help recording music',
  TURNKEY_DECOR: 'Turnkey event decoration',
};

export function isAddOnCode(value: unknown): value is AddOnCode {
  return typeof value === 'string' && (ADDON_CODES as readonly string[]).includes(value);
}

/** An add-on as the workflow tracks it (no personal data). */
export interface AddOnLine {
  code: AddOnCode;
  quantity: number;
  listPrice: number;
  status: AddOnStatus;
  price?: number;
  /** Order of ordering, 1-based; compensation cancels approved add-ons newest first. */
  seq: number;
}

/** Approved add-ons in the order they must be compensated: newest first. */
export function compensationOrder(addOns: readonly AddOnLine[]): AddOnLine[] {
  return addOns.filter((line) => line.status === 'APPROVED').sort((a, b) => b.seq - a.seq);
}

/** The workflow's refusal of a confirmation while services await a decision; the service layer words it for people. */
export const ADDONS_UNDECIDED_REFUSAL = 'Decide every ordered service before confirming';

export function allDecided(addOns: readonly AddOnLine[]): boolean {
  return addOns.every((line) => line.status !== 'REQUESTED');
}
