/**
 * Free text that reaches PostgreSQL: no NUL (text and jsonb columns refuse it) and no unpaired
 * UTF-16 surrogate (jsonb refuses it). Letting either through does not fail the request: the
 * workflow's projection activity fails on it and is retried for ever, so the booking wedges.
 * The API refuses such text with a field error; the workflow's update validators refuse it too,
 * for a caller that reaches Temporal without the API.
 */
export const STORABLE_TEXT = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

export function isStorableText(value: string): boolean {
  return STORABLE_TEXT.test(value);
}
