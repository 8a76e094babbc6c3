/**
 * Reordering pages by dragging them in the capture grid, as pure functions: where a page dropped at a
 * pointer position goes among the thumbnails (their boxes, in page order, laid out in rows), and the order
 * after moving it there. The grid drives it with pointer events (not HTML5 drag and drop, which the
 * window's own file drop takes over in the desktop shell and which WebDriver cannot drive), so a drag is
 * tested like the clerk does it.
 */
import { documentOf, type PageOrder } from './pageOrder';

/** A thumbnail's box on screen. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** How far (px) the pointer must move before a press on a page becomes a drag (a click stays a click). */
export const DRAG_THRESHOLD = 6;

/**
 * The insertion index (0…boxes.length) for a drop at (`x`, `y`): in the row whose band holds `y` (else the
 * nearest row), before the first box whose centre lies right of `x`, else after the row's last box.
 */
export function dropIndex(boxes: readonly Box[], x: number, y: number): number {
  if (boxes.length === 0) return 0;
  let best = 0;
  let bestDistance = Infinity;
  boxes.forEach((box, index) => {
    const distance = y < box.top ? box.top - y : y > box.top + box.height ? y - box.top - box.height : 0;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index;
    }
  });
  const rowTop = boxes[best].top;
  const row = boxes.map((box, index) => ({ box, index })).filter(({ box }) => Math.abs(box.top - rowTop) < box.height / 2);
  const before = row.find(({ box }) => x < box.left + box.width / 2);
  return before ? before.index : row[row.length - 1].index + 1;
}

/**
 * Page `id` moved to insertion index `index` of its document's list (indices as before the move);
 * unchanged if `id` is unknown or the place is its own.
 */
export function moveToIndex(order: PageOrder, id: number, index: number): PageOrder {
  const doc = documentOf(order, id);
  if (doc === undefined) return order;
  const ids = order[doc];
  const from = ids.indexOf(id);
  const to = Math.max(0, Math.min(ids.length, index));
  if (to === from || to === from + 1) return order;
  const next = ids.filter((p) => p !== id);
  next.splice(to > from ? to - 1 : to, 0, id);
  return { ...order, [doc]: next };
}
