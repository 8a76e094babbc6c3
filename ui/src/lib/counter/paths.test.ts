import { describe, expect, it } from 'vitest';
import { splitPaths } from './paths';

describe('typed import paths', () => {
  it('splits on semicolons and new lines, trimming and dropping empty entries', () => {
    expect(splitPaths('/scans/a.jpg; /scans/b c.tif\n\n /scans/d.pdf ;')).toEqual(['/scans/a.jpg', '/scans/b c.tif', '/scans/d.pdf']);
    expect(splitPaths('   ')).toEqual([]);
    expect(splitPaths('C:\\Quét\\hồ sơ 1.jpg')).toEqual(['C:\\Quét\\hồ sơ 1.jpg']);
  });
});
