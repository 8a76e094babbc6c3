/**
 * The Ký số screen's stamp placement, as pure functions the preview (StampPreview.svelte) and its tests
 * share: the box's size and presets (the same numbers as the core's `counter::stamp`), keeping the box on
 * the page, arrow-key steps, and the conversion between PDF points (origin bottom-left, y up) and the
 * preview's pixels (origin top-left, y down). The core fits the placement to each document again when
 * signing; these keep what the clerk sees equal to what the core will do on the previewed page.
 */

/** Width and height of the stamp box in PDF points (src/counter/stamp.rs). */
export const STAMP_WIDTH = 230;
export const STAMP_HEIGHT = 64;
/** A preset's distance from the page's edges, in points. */
export const STAMP_MARGIN = 36;
/** One arrow key press moves the box this many points; with Shift, `BIG_STEP`. */
export const STEP = 2;
export const BIG_STEP = 10;

/** Where the stamp goes: 1-based page, lower-left corner in points from the page's lower-left corner. */
export interface StampPlacement {
  page: number;
  x: number;
  y: number;
}

export type StampPreset = 'bottomRight' | 'bottomLeft' | 'topRight';
export const PRESETS: StampPreset[] = ['bottomRight', 'bottomLeft', 'topRight'];

/** A page's size in points. */
export interface PageSize {
  width: number;
  height: number;
}

/** Where the stamp went before it could be moved (the core's default): page 1, bottom right of A4. */
export const DEFAULT_PLACEMENT: StampPlacement = { page: 1, x: 330, y: STAMP_MARGIN };

/** The preset's placement on `page` of size `size`. */
export function preset(kind: StampPreset, page: number, size: PageSize): StampPlacement {
  const right = size.width - STAMP_WIDTH - STAMP_MARGIN;
  const top = size.height - STAMP_HEIGHT - STAMP_MARGIN;
  const [x, y] = kind === 'bottomRight' ? [right, STAMP_MARGIN] : kind === 'bottomLeft' ? [STAMP_MARGIN, STAMP_MARGIN] : [right, top];
  return { page: Math.max(1, page), x: Math.max(0, x), y: Math.max(0, y) };
}

/** The placement with its page in 1…`pages` and its box inside a page of `size` (as the core fits it). */
export function clampPlacement(p: StampPlacement, pages: number, size: PageSize): StampPlacement {
  const within = (value: number, room: number) => (Number.isFinite(value) ? Math.max(0, Math.min(value, room)) : 0);
  const page = Number.isFinite(p.page) ? Math.min(Math.max(1, Math.round(p.page)), Math.max(1, pages)) : 1;
  return { page, x: within(p.x, size.width - STAMP_WIDTH), y: within(p.y, size.height - STAMP_HEIGHT) };
}

/** Moves the box by (`dx`, `dy`) points (y up), kept on the page. */
export function moveBy(p: StampPlacement, dx: number, dy: number, pages: number, size: PageSize): StampPlacement {
  return clampPlacement({ ...p, x: p.x + dx, y: p.y + dy }, pages, size);
}

/** The move (points, y up) an arrow key asks for, or null for any other key. */
export function arrowStep(key: string, shift: boolean): [number, number] | null {
  const step = shift ? BIG_STEP : STEP;
  switch (key) {
    case 'ArrowLeft':
      return [-step, 0];
    case 'ArrowRight':
      return [step, 0];
    case 'ArrowUp':
      return [0, step];
    case 'ArrowDown':
      return [0, -step];
    default:
      return null;
  }
}

/** The box in preview pixels (CSS left/top/width/height) for a page of `size` drawn at `scale` px/pt. */
export function toScreen(p: StampPlacement, size: PageSize, scale: number): { left: number; top: number; width: number; height: number } {
  return {
    left: p.x * scale,
    top: (size.height - p.y - STAMP_HEIGHT) * scale,
    width: STAMP_WIDTH * scale,
    height: STAMP_HEIGHT * scale,
  };
}

/** A drag of (`dxPx`, `dyPx`) preview pixels (y down) as a move in points (y up). */
export function dragDelta(dxPx: number, dyPx: number, scale: number): [number, number] {
  return scale > 0 ? [dxPx / scale, -dyPx / scale] : [0, 0];
}
