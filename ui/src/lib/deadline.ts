/**
 * Pure helpers of the Hồ sơ list's deadline column: the remaining working time as words ("còn 2 ngày 3 giờ",
 * "quá hạn 1 ngày"), sorting by time left, and the status / colour filters. The numbers come from the core
 * (`Desk::dossier_deadlines`); nothing here recomputes a deadline.
 */
import type { DeadlineColour, Dossier } from './backend';

/** The words for a remaining time; `unit` gives the localised pieces. */
export interface RemainingWords {
  day: (n: number) => string;
  hour: (n: number) => string;
  minute: (n: number) => string;
  left: (text: string) => string;
  late: (text: string) => string;
}

/** "2 ngày 3 giờ" style: days and hours, minutes only when less than a day is left. */
export function remainingText(minutes: number, dayMinutes: number, words: RemainingWords): string {
  const m = Math.abs(Math.trunc(minutes));
  const day = Math.max(1, dayMinutes);
  const d = Math.floor(m / day);
  const h = Math.floor((m % day) / 60);
  const mi = m % 60;
  const parts: string[] = [];
  if (d > 0) parts.push(words.day(d));
  if (h > 0) parts.push(words.hour(h));
  if (d === 0 && (mi > 0 || parts.length === 0)) parts.push(words.minute(mi));
  const text = parts.join(' ');
  return minutes < 0 ? words.late(text) : words.left(text);
}

export type SortOrder = 'newest' | 'remaining';

/**
 * The dossiers in the order asked: `newest` keeps the core's order; `remaining` puts the least time left
 * first (overdue first), dossiers without a running deadline last, ties by code. Does not mutate.
 */
export function sortDossiers(dossiers: readonly Dossier[], order: SortOrder): Dossier[] {
  if (order === 'newest') return [...dossiers];
  const key = (d: Dossier): number => {
    const dl = d.deadline;
    if (!dl) return Number.POSITIVE_INFINITY;
    // Finished dossiers (clock stopped) after every running one.
    return dl.stopped ? Number.MAX_SAFE_INTEGER / 2 + dl.remainingMinutes : dl.remainingMinutes;
  };
  return [...dossiers].sort((a, b) => key(a) - key(b) || a.code.localeCompare(b.code));
}

export interface ListFilter {
  /** A status machine name, or '' for all. */
  status: string;
  /** A colour, or '' for all. */
  colour: DeadlineColour | '';
}

/** The dossiers matching the status and colour filters. */
export function filterDossiers(dossiers: readonly Dossier[], filter: ListFilter): Dossier[] {
  return dossiers.filter(
    (d) => (filter.status === '' || d.status === filter.status) && (filter.colour === '' || d.deadline?.colour === filter.colour),
  );
}

/** The statuses present in the list, in first-seen order (for the status filter's options). */
export function statusesOf(dossiers: readonly Dossier[]): string[] {
  return [...new Set(dossiers.map((d) => d.status))];
}
