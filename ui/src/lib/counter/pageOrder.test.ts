/** Tests of the capture screen's page-order operations. */
import { describe, expect, it } from 'vitest';
import { changedDocuments, movePage, moveToDocument, neighbourAfterRemoval, orderOf, removePage, restoreOrder, turned } from './pageOrder';

const pages = [
  { id: 3, docCode: 'TP1', position: 1 },
  { id: 1, docCode: 'TP1', position: 0 },
  { id: 7, docCode: 'TP2', position: 0 },
  { id: 4, docCode: 'TP1', position: 2 },
];

describe('page order', () => {
  it('groups pages by document in position order, listing empty documents', () => {
    expect(orderOf(pages, ['TP1', 'TP2', 'TP3'])).toEqual({ TP1: [1, 3, 4], TP2: [7], TP3: [] });
  });

  it('moves a page earlier and later, clamped at the ends', () => {
    const order = orderOf(pages, ['TP1', 'TP2']);
    expect(movePage(order, 4, -1).TP1).toEqual([1, 4, 3]);
    expect(movePage(order, 4, -5).TP1).toEqual([4, 1, 3]);
    expect(movePage(order, 1, 1).TP1).toEqual([3, 1, 4]);
    expect(movePage(order, 4, 1)).toBe(order);
    expect(movePage(order, 99, 1)).toBe(order);
  });

  it('moves a page to the end of another document and reports both as changed', () => {
    const order = orderOf(pages, ['TP1', 'TP2']);
    const moved = moveToDocument(order, 3, 'TP2');
    expect(moved).toEqual({ TP1: [1, 4], TP2: [7, 3] });
    expect(changedDocuments(order, moved)).toEqual(['TP1', 'TP2']);
    expect(moveToDocument(order, 3, 'TP1')).toBe(order);
    expect(moveToDocument(order, 3, 'TP9')).toBe(order);
  });

  it('removes a page and picks its neighbour', () => {
    const order = orderOf(pages, ['TP1', 'TP2']);
    expect(removePage(order, 3).TP1).toEqual([1, 4]);
    expect(neighbourAfterRemoval([1, 3, 4], 3)).toBe(4);
    expect(neighbourAfterRemoval([1, 3, 4], 4)).toBe(3);
    expect(neighbourAfterRemoval([4], 4)).toBeNull();
  });

  it('turns by quarter turns both ways within 0…270', () => {
    expect(turned(0, 1)).toBe(90);
    expect(turned(270, 1)).toBe(0);
    expect(turned(0, -1)).toBe(270);
    expect(turned(90, 6)).toBe(270);
  });

  it('undoes a reorder or move without resurrecting deleted pages or losing new ones', () => {
    const before = { TP1: [1, 3, 4], TP2: [7] };
    const now = { TP1: [4, 1], TP2: [7, 11] }; // 3 deleted, 11 imported since
    expect(restoreOrder(before, now)).toEqual({ TP1: [1, 4], TP2: [7, 11] });
    expect(restoreOrder(before, before)).toEqual(before);
  });
});
