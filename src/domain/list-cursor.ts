import { isUuid } from './uuid';

/**
 * A position in a list that stays put while the list changes: the sort key of the last item a
 * page gave, so the next page starts right after it. Paging by offset skips or repeats items when
 * earlier ones are added or leave the list (a new booking at the top of a resident's list, a
 * task handled by a colleague). The token is opaque to clients: base64url of the list's name and
 * the key, in JSON.
 */
export interface ListCursor<Key extends readonly unknown[]> {
  readonly list: string;
  readonly parts: readonly KeyPart[];
  encode(key: Key): string;
  /** The key, or undefined for a token that is damaged or belongs to another list. */
  decode(token: string): Key | undefined;
}

/** A well-formed position that names no item of its list (the journal's positions are its entries). */
export class UnknownListPosition extends Error {
  constructor(readonly list: string) {
    super(`No such position in the list ${list}`);
    this.name = 'UnknownListPosition';
  }
}

/** A part of a sort key: an instant (milliseconds in the token), one that may be missing, or a row's UUID. */
export type KeyPart = 'instant' | 'instant?' | 'uuid';

type PartValue<Part extends KeyPart> = Part extends 'instant' ? Date : Part extends 'instant?' ? Date | null : string;
type KeyOf<Parts extends readonly KeyPart[]> = { -readonly [Index in keyof Parts]: PartValue<Parts[Index]> };

/** The longest token a list hands out is well under this; longer input is refused unread. */
const MAX_CURSOR_LENGTH = 200;

export function listCursor<const Parts extends readonly KeyPart[]>(list: string, parts: Parts): ListCursor<KeyOf<Parts>> {
  return {
    list,
    parts,
    encode: (key) => Buffer.from(JSON.stringify([list, ...key.map((value) => (value instanceof Date ? value.getTime() : value))])).toString('base64url'),
    decode(token) {
      if (token.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]*$/.test(token)) return undefined;
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      if (!Array.isArray(decoded) || decoded.length !== parts.length + 1 || decoded[0] !== list) return undefined;
      const key: unknown[] = [];
      for (const [index, part] of parts.entries()) {
        const value = readPart(part, decoded[index + 1]);
        if (value === undefined) return undefined;
        key.push(value);
      }
      return key as KeyOf<Parts>;
    },
  };
}

/** Instants a token may name: years 1 to 9999, which every row's are within and the database driver takes. */
const INSTANT_RANGE_MS = [Date.parse('0001-01-01T00:00:00.000Z'), Date.parse('9999-12-31T23:59:59.999Z')] as const;

function readPart(part: KeyPart, value: unknown): Date | string | null | undefined {
  if (part === 'uuid') return isUuid(value) ? value.toLowerCase() : undefined;
  if (value === null) return part === 'instant?' ? null : undefined;
  return Number.isSafeInteger(value) && (value as number) >= INSTANT_RANGE_MS[0] && (value as number) <= INSTANT_RANGE_MS[1] ? new Date(value as number) : undefined;
}
