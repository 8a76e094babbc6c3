/**
 * The current UI language as reactive Svelte state, remembered in `localStorage` so the counter keeps the
 * clerk's choice across restarts. Components call `i18n.t(key)`; reading `i18n.locale` inside it makes
 * every translated text re-render when the language changes.
 */
import { DEFAULT_LOCALE, errorKey, isLocale, statusText, timelineText, translate, type Locale, type MessageKey } from './index';

const STORAGE_KEY = 'motcua.locale';

function remembered(): Locale {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE; // storage disabled: fall back silently, the choice just is not remembered
  }
}

class LocaleState {
  locale = $state<Locale>(remembered());

  /** Switches the language and remembers it. */
  set(locale: Locale): void {
    this.locale = locale;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // storage disabled: the switch still applies to this session
    }
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
  }

  /** The text for `key` in the current language. */
  t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.locale, key, params);

  /** The text for a backend error code in the current language. */
  error = (code: string): string => translate(this.locale, errorKey(code));

  /** The text for a dossier status machine name in the current language. */
  status = (status: string): string => statusText(this.locale, status);

  /** What a timeline entry says, in the current language. */
  timeline = (entry: { action: string; fromStatus: string | null; toStatus: string | null }): string =>
    timelineText(this.locale, entry);
}

/** The application's one language state. */
export const i18n = new LocaleState();
