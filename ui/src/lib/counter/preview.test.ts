/** Tests of the large page preview's keys and position. */
import { describe, expect, it } from 'vitest';
import { PREVIEW_MODES, previewKey, previewPosition } from './preview';
import { en } from '../i18n/en';
import { vi } from '../i18n/vi';

const ids = [4, 9, 2];

describe('page preview keys', () => {
  it('closes on Esc and on Space', () => {
    expect(previewKey('Escape', ids, 9)).toEqual({ kind: 'close' });
    expect(previewKey(' ', ids, 9)).toEqual({ kind: 'close' });
  });

  it('moves between the pages in document order and stays at the ends', () => {
    expect(previewKey('ArrowRight', ids, 4)).toEqual({ kind: 'show', id: 9 });
    expect(previewKey('ArrowLeft', ids, 9)).toEqual({ kind: 'show', id: 4 });
    expect(previewKey('PageDown', ids, 9)).toEqual({ kind: 'show', id: 2 });
    expect(previewKey('ArrowRight', ids, 2)).toEqual({ kind: 'none' });
    expect(previewKey('ArrowLeft', ids, 4)).toEqual({ kind: 'none' });
    expect(previewKey('Home', ids, 2)).toEqual({ kind: 'show', id: 4 });
    expect(previewKey('End', ids, 4)).toEqual({ kind: 'show', id: 2 });
  });

  it('goes to the first page when the shown one was deleted meanwhile', () => {
    expect(previewKey('ArrowRight', ids, 77)).toEqual({ kind: 'show', id: 4 });
    expect(previewKey('ArrowLeft', [], 77)).toEqual({ kind: 'none' });
  });

  it('keeps the shown mode for the page on Enter', () => {
    expect(previewKey('Enter', ids, 9)).toEqual({ kind: 'apply' });
  });

  it('names every cleanup choice a page can keep (the wire names of PageCleanup)', () => {
    expect(PREVIEW_MODES.map((m) => m.mode).sort()).toEqual(['auto', 'bw', 'color', 'gray', 'original']);
  });

  it('picks the colour mode with the digits 1–5', () => {
    expect(previewKey('1', ids, 4)).toEqual({ kind: 'mode', mode: 'original' });
    expect(previewKey('5', ids, 4)).toEqual({ kind: 'mode', mode: 'bw' });
    expect(previewKey('6', ids, 4)).toEqual({ kind: 'none' });
    expect(previewKey('x', ids, 4)).toEqual({ kind: 'none' });
  });

  it('numbers the shown page', () => {
    expect(previewPosition(ids, 2)).toEqual({ n: 3, total: 3 });
  });

  it('has Vietnamese and English labels for every mode', () => {
    for (const { label } of PREVIEW_MODES) {
      expect(vi[label as keyof typeof vi], label).toBeTruthy();
      expect(en[label as keyof typeof en], label).toBeTruthy();
    }
  });
});
