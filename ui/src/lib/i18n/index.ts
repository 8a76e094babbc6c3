/**
 * Translation look-up: the vi (default) and en tables, placeholder filling, and the mapping from a
 * backend error code to its text. Pure functions, so they are unit-tested without a DOM; the reactive
 * current-language state lives in `locale.svelte.ts`.
 */
import { en } from './en';
import { vi, type MessageKey } from './vi';
import { KNOWN_ERROR_CODES, type ErrorCode } from './errors';

export type { MessageKey } from './vi';
export { KNOWN_ERROR_CODES, type ErrorCode } from './errors';

/** The languages the UI speaks; Vietnamese is the default. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

/** Every table by language, for look-ups and for the key-parity test. */
export const TABLES: Record<Locale, Record<MessageKey, string>> = { vi, en };

/** Whether `value` names a supported language (used when reading a remembered choice). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The text for `key` in `locale`, with `{name}` placeholders replaced from `params`. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = TABLES[locale][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Whether `key` exists in the tables (codes from the backend are checked before use as keys). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(vi, key);
}

/** The message key for a backend error code; unknown codes fall back to a generic text. */
export function errorKey(code: string): MessageKey {
  const key = `error.${code}`;
  if ((KNOWN_ERROR_CODES as readonly string[]).includes(code) && isMessageKey(key)) return key;
  return 'error.unknown';
}

/** The text for a dossier status machine name; unknown names are shown as they are. */
export function statusText(locale: Locale, status: string): string {
  const key = `status.${status}`;
  return isMessageKey(key) ? translate(locale, key) : status;
}

export type { ErrorCode as BackendErrorCode };

/** What a timeline entry says, e.g. "Chuyển trạng thái: Đang tiếp nhận → Sẵn sàng ký". */
export function timelineText(
  locale: Locale,
  entry: { action: string; fromStatus: string | null; toStatus: string | null },
): string {
  const key = `timeline.${entry.action}`;
  if (!isMessageKey(key)) return translate(locale, 'timeline.other', { action: entry.action });
  return translate(locale, key, {
    from: statusText(locale, entry.fromStatus ?? ''),
    to: statusText(locale, entry.toStatus ?? ''),
  });
}
