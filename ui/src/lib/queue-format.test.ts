/** Tests for the outbox's display formats (bytes, speed, time left, progress share). */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatEta, formatSpeed, percent } from './queue-format';

describe('formatBytes', () => {
  it('uses binary units and the locale decimal separator', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(1536, 'vi')).toBe('1,5 KB');
    expect(formatBytes(5 * 1024 * 1024, 'en')).toBe('5.0 MB');
    expect(formatBytes(300 * 1024 * 1024, 'en')).toBe('300 MB');
  });
  it('shows a dash for nonsense', () => {
    expect(formatBytes(-1, 'en')).toBe('—');
    expect(formatBytes(Number.NaN, 'en')).toBe('—');
  });
});

describe('formatSpeed', () => {
  it('appends per second, dash while unknown', () => {
    expect(formatSpeed(128 * 1024, 'en')).toBe('128 KB/s');
    expect(formatSpeed(0, 'en')).toBe('—');
  });
});

describe('formatEta', () => {
  it('picks seconds, minutes or hours', () => {
    expect(formatEta(44.6)).toBe('45 s');
    expect(formatEta(185)).toBe('3 min 05 s');
    expect(formatEta(3720)).toBe('1 h 02 min');
    expect(formatEta(null)).toBe('—');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('percent', () => {
  it('is clamped and rounded', () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(5, 3)).toBe(100);
    expect(percent(0, 0)).toBe(100);
  });
});
