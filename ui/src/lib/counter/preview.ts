/**
 * The capture screen's large page preview, as plain logic the component and its tests share: the modes
 * the clerk can compare (the page as scanned, or through cleanup in auto / colour / grey / black-and-white,
 * the wire names of `src-tauri/src/commands/capture.rs`), and what a key does while the preview is open.
 */

import type { PreviewMode } from '../backend/counter';

export type { PreviewMode };

/** The modes in the order the preview offers them, with their i18n keys. */
export const PREVIEW_MODES: { mode: PreviewMode; label: string }[] = [
  { mode: 'original', label: 'preview.original' },
  { mode: 'auto', label: 'preview.auto' },
  { mode: 'color', label: 'preview.color' },
  { mode: 'gray', label: 'preview.gray' },
  { mode: 'bw', label: 'preview.bw' },
];

/** The result of a key in the open preview. */
export type PreviewKeyAction =
  | { kind: 'close' }
  | { kind: 'show'; id: number }
  | { kind: 'mode'; mode: PreviewMode }
  | { kind: 'apply' }
  | { kind: 'none' };

/**
 * What `key` does with page `current` shown among `ids` (the document's pages in order): Esc (or Space
 * again) closes, ←/→ and PageUp/PageDown go to the previous/next page (staying put at the ends), Home/End
 * to the first/last, the digits 1–5 pick a mode in the order of {@link PREVIEW_MODES}, and Enter keeps the
 * mode shown for the page (assembly will clean it that way; "original" undoes the cleanup).
 */
export function previewKey(key: string, ids: number[], current: number): PreviewKeyAction {
  const index = ids.indexOf(current);
  const go = (to: number): PreviewKeyAction => {
    const id = ids[Math.max(0, Math.min(ids.length - 1, to))];
    return id === undefined || id === current ? { kind: 'none' } : { kind: 'show', id };
  };
  switch (key) {
    case 'Escape':
    case ' ':
      return { kind: 'close' };
    case 'ArrowLeft':
    case 'PageUp':
      return index < 0 ? go(0) : go(index - 1);
    case 'ArrowRight':
    case 'PageDown':
      return index < 0 ? go(0) : go(index + 1);
    case 'Enter':
      return { kind: 'apply' };
    case 'Home':
      return go(0);
    case 'End':
      return go(ids.length - 1);
    default: {
      const digit = Number.parseInt(key, 10);
      const choice = PREVIEW_MODES[digit - 1];
      return key.length === 1 && choice ? { kind: 'mode', mode: choice.mode } : { kind: 'none' };
    }
  }
}

/** The page number ("3 / 12") shown in the preview's title. */
export function previewPosition(ids: number[], current: number): { n: number; total: number } {
  return { n: ids.indexOf(current) + 1, total: ids.length };
}
