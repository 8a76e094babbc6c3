import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import { cleanupBadge } from './cleanupBadge';

describe('cleanup badge', () => {
  it('shows no badge for the automatic cleanup', () => {
    expect(cleanupBadge('auto')).toBeNull();
  });

  it('labels every kept mode shortly, in both languages', () => {
    expect(cleanupBadge('bw')).toBe('capture.cleanup.bw');
    const vi = (['color', 'gray', 'bw', 'original'] as const).map((mode) => translate('vi', cleanupBadge(mode)!));
    expect(vi).toEqual(['Màu', 'Xám', 'Đen trắng', 'Gốc']);
    for (const mode of ['color', 'gray', 'bw', 'original'] as const) {
      const en = translate('en', cleanupBadge(mode)!);
      expect(en.length).toBeGreaterThan(0);
      expect(en.length).toBeLessThanOrEqual(10);
    }
  });
});
