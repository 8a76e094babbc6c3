import { describe, expect, it } from 'vitest';
import { dropIndex, moveToIndex, type Box } from './dragReorder';

/** Thumbnails 100 × 140 with 10 px gaps, `perRow` to a row. */
function grid(count: number, perRow: number): Box[] {
  return Array.from({ length: count }, (_, i) => ({
    left: (i % perRow) * 110,
    top: Math.floor(i / perRow) * 150,
    width: 100,
    height: 140,
  }));
}

describe('dropIndex', () => {
  const boxes = grid(7, 3); // rows: 0 1 2 / 3 4 5 / 6

  it('inserts before the box whose centre is right of the pointer, in the row under it', () => {
    expect(dropIndex(boxes, 10, 20)).toBe(0);
    expect(dropIndex(boxes, 60, 20)).toBe(1);
    expect(dropIndex(boxes, 150, 200)).toBe(4);
    expect(dropIndex(boxes, 170, 200)).toBe(5);
  });

  it('goes after the last box of a row when the pointer is right of it', () => {
    expect(dropIndex(boxes, 400, 20)).toBe(3);
    expect(dropIndex(boxes, 400, 310)).toBe(7);
  });

  it('takes the nearest row above the first or below the last', () => {
    expect(dropIndex(boxes, 60, -50)).toBe(1);
    expect(dropIndex(boxes, 10, 900)).toBe(6);
  });

  it('is 0 for an empty grid', () => {
    expect(dropIndex([], 5, 5)).toBe(0);
  });
});

describe('moveToIndex', () => {
  const order = { TP1: [11, 12, 13, 14], TP2: [21] };

  it('moves a page forward and back by insertion index', () => {
    expect(moveToIndex(order, 14, 0).TP1).toEqual([14, 11, 12, 13]);
    expect(moveToIndex(order, 11, 3).TP1).toEqual([12, 13, 11, 14]);
    expect(moveToIndex(order, 11, 4).TP1).toEqual([12, 13, 14, 11]);
  });

  it('leaves the order as it is for its own place or an unknown page', () => {
    expect(moveToIndex(order, 12, 1)).toBe(order);
    expect(moveToIndex(order, 12, 2)).toBe(order);
    expect(moveToIndex(order, 99, 0)).toBe(order);
  });

  it('keeps the other documents', () => {
    expect(moveToIndex(order, 13, 0).TP2).toEqual([21]);
  });
});
