const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is written as a UUID (either case): anything else names no row, and PostgreSQL would refuse it as a uuid. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
