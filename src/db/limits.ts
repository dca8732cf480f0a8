/** The largest id an `integer` column holds: a larger one is no row, not a database error. */
export const DB_INT_MAX = 2_147_483_647;
