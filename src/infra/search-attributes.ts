import type { ConnectionLike } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { pollUntil } from './poll';

/** Any client connection: a Connection, or a Client's `connection`. */
type OperatorConnection = Pick<ConnectionLike, 'operatorService'>;

/**
 * The custom search attributes the Temporal UI and the API filter bookings by. The dev
 * server's `--search-attribute` flags only act on a fresh database, and a remote cluster has
 * none, so they are (re)registered through the operator service on every start.
 */
export const BOOKING_SEARCH_ATTRIBUTES = {
  BookingStatus: SearchAttributeType.KEYWORD,
  VenueId: SearchAttributeType.KEYWORD,
  District: SearchAttributeType.KEYWORD,
  EventDate: SearchAttributeType.DATETIME,
  TaskDueAt: SearchAttributeType.DATETIME,
  SlaState: SearchAttributeType.KEYWORD,
} as const satisfies Record<string, SearchAttributeType>;

/** The CLI's spelling of a type, for `--search-attribute Name=Type`. */
export const CLI_SEARCH_ATTRIBUTE_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export async function listCustomSearchAttributes(connection: OperatorConnection, namespace: string): Promise<Record<string, number>> {
  const response = await connection.operatorService.listSearchAttributes({ namespace });
  return Object.fromEntries(Object.entries(response.customAttributes ?? {}).map(([name, type]) => [name, Number(type)]));
}

/**
 * Adds whichever of `attributes` the namespace lacks and waits until they are listed.
 * Returns the names it added. An attribute that exists with another type is an error: its
 * type cannot be changed in place.
 */
export async function ensureSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
  attributes: Record<string, SearchAttributeType> = BOOKING_SEARCH_ATTRIBUTES,
): Promise<string[]> {
  const wanted = Object.entries(attributes).map(([name, type]) => ({ name, type, code: encodeSearchAttributeIndexedValueType(type)! }));
  const existing = await listCustomSearchAttributes(connection, namespace);
  const conflicting = wanted.filter(({ name, code }) => name in existing && existing[name] !== code);
  if (conflicting.length > 0) {
    throw new Error(
      `Search attributes ${conflicting.map((a) => `${a.name} (want ${a.type})`).join(', ')} exist in namespace ${namespace} with another type; ` +
        'remove them (temporal operator search-attribute remove) or use a fresh database.',
    );
  }
  const missing = wanted.filter(({ name }) => !(name in existing));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(({ name, code }) => [name, code])),
    });
  } catch (error) {
    throw new Error(
      `Could not register search attributes ${missing.map((a) => a.name).join(', ')} in namespace ${namespace}: ${(error as Error).message}. ` +
        'On Temporal Cloud add them in the namespace settings (or with tcld) instead.',
    );
  }
  await pollUntil(
    async () => {
      const now = await listCustomSearchAttributes(connection, namespace);
      return missing.every(({ name }) => name in now);
    },
    { timeoutMs: 15_000, intervalMs: 200, description: `search attributes ${missing.map((a) => a.name).join(', ')} to be listed` },
  );
  return missing.map(({ name }) => name);
}
