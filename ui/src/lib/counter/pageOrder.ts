/**
 * Page-order operations of the capture screen, as pure functions over the ordered page ids of each
 * document: move a page earlier or later, move it to another document, remove it. The screen applies the
 * result locally at once and sends the changed documents' orders to the core (`arrangePages`).
 */

/** Page ids per document code, each list in page order. */
export type PageOrder = Record<string, number[]>;

/** Groups pages (with `docCode` and `position`) into a `PageOrder`, every document present. */
export function orderOf(pages: readonly { id: number; docCode: string; position: number }[], docCodes: readonly string[]): PageOrder {
  const order: PageOrder = Object.fromEntries(docCodes.map((code) => [code, [] as number[]]));
  const sorted = [...pages].sort((a, b) => a.position - b.position || a.id - b.id);
  for (const page of sorted) (order[page.docCode] ??= []).push(page.id);
  return order;
}

/** The document holding page `id`, if any. */
export function documentOf(order: PageOrder, id: number): string | undefined {
  return Object.keys(order).find((code) => order[code].includes(id));
}

/** Moves page `id` by `delta` places within its document (clamped at the ends); unchanged if unknown. */
export function movePage(order: PageOrder, id: number, delta: number): PageOrder {
  const doc = documentOf(order, id);
  if (doc === undefined) return order;
  const ids = [...order[doc]];
  const from = ids.indexOf(id);
  const to = Math.max(0, Math.min(ids.length - 1, from + delta));
  if (to === from) return order;
  ids.splice(from, 1);
  ids.splice(to, 0, id);
  return { ...order, [doc]: ids };
}

/** Moves page `id` to the end of document `target` (unchanged if unknown or already there). */
export function moveToDocument(order: PageOrder, id: number, target: string): PageOrder {
  const doc = documentOf(order, id);
  if (doc === undefined || doc === target || !(target in order)) return order;
  return { ...order, [doc]: order[doc].filter((p) => p !== id), [target]: [...order[target], id] };
}

/** Removes page `id`. */
export function removePage(order: PageOrder, id: number): PageOrder {
  const doc = documentOf(order, id);
  if (doc === undefined) return order;
  return { ...order, [doc]: order[doc].filter((p) => p !== id) };
}

/** The documents whose order differs between `before` and `after` (to send to the core). */
export function changedDocuments(before: PageOrder, after: PageOrder): string[] {
  const codes = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...codes].filter((code) => (before[code] ?? []).join(',') !== (after[code] ?? []).join(','));
}

/** A rotation after `quarterTurns` clockwise quarter turns, in 0…270. */
export function turned(rotation: number, quarterTurns: number): number {
  return (((rotation + quarterTurns * 90) % 360) + 360) % 360;
}

/** The page to select after removing `id`: the next one, else the previous one, else none. */
export function neighbourAfterRemoval(ids: readonly number[], id: number): number | null {
  const index = ids.indexOf(id);
  if (index < 0) return null;
  return ids[index + 1] ?? ids[index - 1] ?? null;
}

/** The last page change the clerk can take back with Ctrl+Z (a delete cannot: the page is gone). */
export type UndoableChange = { kind: 'rotate'; id: number; quarterTurns: number } | { kind: 'order'; before: PageOrder };

/**
 * The order to restore when undoing a reorder or move: `before`, limited to the pages that still exist in
 * `now` (a page deleted since stays deleted), with any page added since kept at the end of its document.
 */
export function restoreOrder(before: PageOrder, now: PageOrder): PageOrder {
  const existing = new Set(Object.values(now).flat());
  const restored: PageOrder = Object.fromEntries(Object.entries(before).map(([code, ids]) => [code, ids.filter((id) => existing.has(id))]));
  const placed = new Set(Object.values(restored).flat());
  for (const [code, ids] of Object.entries(now)) {
    const added = ids.filter((id) => !placed.has(id));
    if (added.length > 0) restored[code] = [...(restored[code] ?? []), ...added];
  }
  return restored;
}
