/** Tests for the date display helpers: no time-zone shift, unexpected input shown as is. */
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from './format';

describe('formatDateTime and formatDate', () => {
  it('rearrange local date-times without shifting them', () => {
    expect(formatDateTime('2026-11-27T08:05:00')).toBe('27/11/2026 08:05');
    expect(formatDateTime('2026-11-27T23:59:59.123')).toBe('27/11/2026 23:59');
    expect(formatDate('2026-12-04T17:00:00')).toBe('04/12/2026');
  });

  it('leave unexpected values unchanged', () => {
    expect(formatDateTime('soon')).toBe('soon');
    expect(formatDate('')).toBe('');
  });
});
