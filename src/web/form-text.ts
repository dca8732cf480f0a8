import { isUuid } from '../domain/uuid';
import type { PageContext } from './context';
import type { FormError } from './views/layout';

/**
 * A text field of a form, trimmed and never cut: cut, it would be saved shorter than written
 * without a word (or halve a character made of two code units, which the service then refuses
 * with nothing to show). What is longer than the service keeps is refused (tooLongErrors).
 */
export const formText = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** A field error for each [field, value, most] whose value is longer than the service keeps. */
export function tooLongErrors(ctx: PageContext, fields: [field: string, value: string, max: number][]): FormError[] {
  return fields.filter(([, value, max]) => value.length > max).map(([field, , max]) => ({ field, message: ctx.t('form.tooLong', { max }) }));
}

/** The hidden field of an action form that carries its Idempotency-Key (views/layout.ts). */
export const ACTION_KEY_FIELD = 'actionKey';

/** The action form's key as the page minted it (a UUID); anything else counts as none. */
export function formActionKey(body: Record<string, unknown> | undefined): string | undefined {
  const key = body?.[ACTION_KEY_FIELD];
  return isUuid(key) ? key : undefined;
}
