/**
 * The working-calendar panel's logic (Cài đặt → Lịch làm việc), kept out of the component so it is
 * tested without a window: what the form may send (a day off is a weekday with a name; a make-up
 * working day is a Saturday or Sunday), how a date is shown (dd/MM/yyyy with the weekday), and the
 * order of the list. The core checks the same rules against the full calendar (holidays included).
 */
import type { OfficeDay } from './backend';
import type { MessageKey } from './i18n';

/** `YYYY-MM-DD` → the weekday, 0 = Sunday … 6 = Saturday; null when the text is not a real date. */
export function weekdayOf(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return null;
  return utc.getUTCDay();
}

/** The first problem of the form, as a message key, or null when it may be sent. */
export function officeDayProblem(day: OfficeDay): MessageKey | null {
  const weekday = weekdayOf(day.date);
  if (weekday === null) return 'calendar.problem.date';
  const weekend = weekday === 0 || weekday === 6;
  if (day.kind === 'day_off') {
    if (weekend) return 'calendar.problem.dayOffOnWeekend';
    if (day.label.trim() === '') return 'calendar.problem.name';
  } else if (!weekend) {
    return 'calendar.problem.workingDayOnWeekday';
  }
  return null;
}

const WEEKDAY_KEYS: MessageKey[] = [
  'calendar.weekday.0',
  'calendar.weekday.1',
  'calendar.weekday.2',
  'calendar.weekday.3',
  'calendar.weekday.4',
  'calendar.weekday.5',
  'calendar.weekday.6',
];

/** `YYYY-MM-DD` → `dd/MM/yyyy` and the weekday's message key (the text as typed when not a date). */
export function displayDate(date: string): { text: string; weekday: MessageKey | null } {
  const weekday = weekdayOf(date);
  if (weekday === null) return { text: date, weekday: null };
  const [year, month, day] = date.trim().split('-');
  return { text: `${day}/${month}/${year}`, weekday: WEEKDAY_KEYS[weekday] };
}

/** The office's days of `year`, by date. */
export function daysOfYear(days: OfficeDay[], year: number): OfficeDay[] {
  return days.filter((d) => d.date.startsWith(`${year}-`)).sort((a, b) => a.date.localeCompare(b.date));
}
