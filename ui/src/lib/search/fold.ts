/**
 * Accent-insensitive text matching for Vietnamese. Clerks type procedure names without diacritics
 * ("dang ky khai sinh") on keyboards that are not switched to Telex, so every search folds both sides the
 * same way: Unicode NFD, combining marks removed, "đ" → "d", lower case, whitespace collapsed.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Folds `text` to its accent-free, lower-case, single-spaced form. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether every word of `query` occurs in at least one of `fields`, ignoring accents and case.
 * An empty query matches everything, so an empty search box shows the whole list.
 */
export function matches(query: string, ...fields: string[]): boolean {
  const words = fold(query).split(' ').filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const haystack = fields.map(fold).join(' \u0000 ');
  return words.every((word) => haystack.includes(word));
}

/** The items whose `fieldsOf` texts match `query`, in their original order. */
export function filterByQuery<T>(items: readonly T[], query: string, fieldsOf: (item: T) => string[]): T[] {
  return items.filter((item) => matches(query, ...fieldsOf(item)));
}
