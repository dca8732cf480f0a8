/** One column of a list's order, with the value the last item given had in it. */
export interface OrderedValue {
  field: string;
  value: Date | string | null;
  order: 'asc' | 'desc';
  /** The column may be NULL; NULLs sort last (the order lists state as `nulls: 'last'`). */
  nullable?: boolean;
}

/**
 * A Prisma `where` for the rows that come after a key in the order `key` lists (the columns of
 * the order, most significant first, ending with a unique one): after on the first column, or
 * equal on it and after on the next, and so on.
 */
export function afterKey(key: OrderedValue[]): { OR: Record<string, unknown>[] } {
  const alternatives: Record<string, unknown>[] = [];
  key.forEach((part, index) => {
    const later = laterThan(part);
    if (!later) return;
    const equalBefore = key.slice(0, index).map((earlier) => ({ [earlier.field]: earlier.value }));
    alternatives.push({ AND: [...equalBefore, later] });
  });
  return { OR: alternatives };
}

/** The rows later than `part.value` in this column alone; none are later than a NULL. */
function laterThan(part: OrderedValue): Record<string, unknown> | undefined {
  if (part.value === null) return undefined;
  const strictly = { [part.field]: { [part.order === 'asc' ? 'gt' : 'lt']: part.value } };
  return part.nullable ? { OR: [strictly, { [part.field]: null }] } : strictly;
}
