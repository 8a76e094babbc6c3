/** Tests of the stamp placement logic behind the Ký số screen's preview. */
import { describe, expect, it } from 'vitest';
import { arrowStep, clampPlacement, DEFAULT_PLACEMENT, dragDelta, moveBy, preset, STAMP_HEIGHT, STAMP_WIDTH, toScreen } from './stamp';

const A4 = { width: 595, height: 842 };

describe('stamp placement', () => {
  it('puts the presets half an inch from the edges, like the core', () => {
    expect(preset('bottomRight', 1, A4)).toEqual({ page: 1, x: 595 - 230 - 36, y: 36 });
    expect(preset('bottomLeft', 2, A4)).toEqual({ page: 2, x: 36, y: 36 });
    expect(preset('topRight', 1, A4)).toEqual({ page: 1, x: 329, y: 842 - 64 - 36 });
    // A page narrower than the box: the box starts at the left edge.
    expect(preset('bottomRight', 1, { width: 200, height: 300 }).x).toBe(0);
  });

  it('keeps the box on the page and the page within the document', () => {
    expect(clampPlacement({ page: 7, x: 999, y: -5 }, 3, A4)).toEqual({ page: 3, x: 595 - STAMP_WIDTH, y: 0 });
    expect(clampPlacement({ page: 0, x: Number.NaN, y: Infinity }, 3, A4)).toEqual({ page: 1, x: 0, y: 0 });
    expect(clampPlacement({ page: 2.4, x: 10, y: 900 }, 3, A4)).toEqual({ page: 2, x: 10, y: 842 - STAMP_HEIGHT });
  });

  it('moves by arrow steps (Shift for big steps), stopping at the edges', () => {
    expect(arrowStep('ArrowRight', false)).toEqual([2, 0]);
    expect(arrowStep('ArrowRight', true)).toEqual([10, 0]);
    expect(arrowStep('ArrowUp', false)).toEqual([0, 2]);
    expect(arrowStep('ArrowDown', true)).toEqual([0, -10]);
    expect(arrowStep('Enter', false)).toBeNull();
    const start = preset('bottomLeft', 1, A4);
    expect(moveBy(start, 10, 0, 1, A4)).toEqual({ page: 1, x: 46, y: 36 });
    expect(moveBy(start, -100, -100, 1, A4)).toEqual({ page: 1, x: 0, y: 0 });
  });

  it('converts between points (y up) and preview pixels (y down)', () => {
    const box = toScreen({ page: 1, x: 36, y: 36 }, A4, 0.5);
    expect(box).toEqual({ left: 18, top: (842 - 36 - 64) * 0.5, width: 115, height: 32 });
    // Dragging 20 px right and 10 px down at half scale is 40 pt right and 20 pt down.
    expect(dragDelta(20, 10, 0.5)).toEqual([40, -20]);
    expect(dragDelta(20, 10, 0)).toEqual([0, 0]);
  });

  it('starts where the core puts the stamp by default', () => {
    expect(DEFAULT_PLACEMENT).toEqual({ page: 1, x: 330, y: 36 });
  });
});
