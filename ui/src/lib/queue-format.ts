/**
 * Display formats for the outbox: byte counts, upload speed and time left, in the clerk's terms
 * (Vietnamese decimal comma through `Intl`, binary units as the core counts bytes). Pure functions, tested
 * in `queue-format.test.ts`.
 */

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** `1536` → `1,5 KB` (vi) / `1.5 KB` (en); whole bytes below 1 KB. */
export function formatBytes(bytes: number, locale: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const text = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  return `${text} ${UNITS[unit]}`;
}

/** Bytes per second → `128 KB/s`. */
export function formatSpeed(bytesPerSec: number, locale: string): string {
  if (!Number.isFinite(bytesPerSec) || bytesPerSec <= 0) return '—';
  return `${formatBytes(bytesPerSec, locale)}/s`;
}

/** Seconds left → `45 s`, `3 min 05 s`, `1 h 02 min`; unknown (null, infinite) → `—`. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (total < 3600) return `${Math.floor(total / 60)} min ${pad(total % 60)} s`;
  return `${Math.floor(total / 3600)} h ${pad(Math.floor((total % 3600) / 60))} min`;
}

/** Share done, 0–100, for a progress bar; an empty job counts as done. */
export function percent(sent: number, total: number): number {
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round((sent / total) * 100)));
}
