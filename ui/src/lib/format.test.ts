/** Tests for the date display helpers: no time-zone shift, unexpected input shown as is. */
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatUtcInVietnam } from './format';

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

describe('formatUtcInVietnam', () => {
  it('shifts UTC audit times to UTC+7, across midnight and year end', () => {
    expect(formatUtcInVietnam('2026-11-27T03:04:05.123Z')).toBe('27/11/2026 10:04:05');
    expect(formatUtcInVietnam('2025-12-31T18:30:00Z')).toBe('01/01/2026 01:30:00');
  });

  it('leaves unexpected values unchanged', () => {
    expect(formatUtcInVietnam('not a time')).toBe('not a time');
  });
});
