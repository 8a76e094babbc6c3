/**
 * Client-side checks of the new-dossier form, mirroring the core's rules (`motcua::dossier`) so the clerk
 * sees a message next to the field before anything is sent. The core validates again; these functions only
 * return message keys, the text comes from the i18n tables. Dates are typed as dd/mm/yyyy because that is
 * what is printed on Vietnamese ID cards and it is faster than a date picker at the counter.
 */
import type { MessageKey } from '../i18n/vi';

/**
 * Province codes that may prefix a citizen ID (Circular 07/2016/TT-BCA, annex); the same list as the core's
 * `dossier::citizen_id::PROVINCE_CODES`.
 */
export const PROVINCE_CODES: ReadonlySet<number> = new Set([
  1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42,
  44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86,
  87, 89, 91, 92, 93, 94, 95, 96,
]);

/** A calendar date without time zone, as the core's `NaiveDate` expects it on the wire (`yyyy-mm-dd`). */
export interface PlainDate {
  year: number;
  month: number;
  day: number;
}

/** The `yyyy-mm-dd` form of `date`. */
export function isoDate(date: PlainDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** Vietnam's offset from UTC (UTC+7 all year: no daylight saving). */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * Today's date in Vietnam, as the counter and the core (`vietnam_now`) see it — not the PC's time zone,
 * which on a machine left on UTC would still say yesterday until 07:00 and put new dossiers outside
 * "this month" in the evening.
 */
export function todayInVietnam(now: Date = new Date()): PlainDate {
  const shifted = new Date(now.getTime() + VIETNAM_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Parses `d/m/yyyy` or `dd/mm/yyyy` (also with `-` or `.`) into a real calendar date, or `null`. */
export function parseDayMonthYear(text: string): PlainDate | null {
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return { year, month, day };
}

/**
 * Checks a citizen ID: 12 digits, a known province prefix and, when the date of birth is known, the
 * century/sex digit and two year digits agreeing with it. Surrounding spaces are ignored, inner ones are not.
 */
export function validateCitizenId(text: string, birth: PlainDate | null = null): MessageKey | null {
  const id = text.trim();
  if (id.length === 0) return 'validation.required';
  if (!/^\d{12}$/.test(id)) return 'validation.citizenIdLength';
  if (!PROVINCE_CODES.has(Number(id.slice(0, 3)))) return 'validation.citizenIdProvince';
  if (birth) {
    const centuryDigit = Number(id[3]);
    const year = 1900 + Math.floor(centuryDigit / 2) * 100 + Number(id.slice(4, 6));
    if (year !== birth.year) return 'validation.citizenIdBirthYear';
  }
  return null;
}

/** Checks an optional phone number: 10 digits starting with 0, `+84` accepted; spaces, dots and dashes ignored. */
export function validatePhone(text: string): MessageKey | null {
  const compact = text.replace(/[\s.-]/g, '');
  if (compact.length === 0) return null;
  const national = compact.startsWith('+84') ? `0${compact.slice(3)}` : compact;
  return /^0\d{9}$/.test(national) ? null : 'validation.phone';
}

/** Checks an optional email address with the same loose rule as the core (local@domain.tld, no spaces). */
export function validateEmail(text: string): MessageKey | null {
  const email = text.trim();
  if (email.length === 0) return null;
  const at = email.indexOf('@');
  if (at <= 0) return 'validation.email';
  const domain = email.slice(at + 1);
  const ok =
    domain.includes('.') &&
    !domain.startsWith('.') &&
    !domain.endsWith('.') &&
    !domain.includes('@') &&
    !/\s/.test(email);
  return ok ? null : 'validation.email';
}

/** Checks a required text field. */
export function validateRequired(text: string): MessageKey | null {
  return text.trim().length === 0 ? 'validation.required' : null;
}

/** Checks an optional date of birth typed as dd/mm/yyyy; it may not be after `today`. */
export function validateDateOfBirth(text: string, today: PlainDate): MessageKey | null {
  if (text.trim().length === 0) return null;
  const date = parseDayMonthYear(text);
  if (!date) return 'validation.date';
  return isoDate(date) > isoDate(today) ? 'validation.birthInFuture' : null;
}

/** The form's fields as the clerk typed them. */
export interface NewDossierInput {
  procedureCode: string;
  fullName: string;
  citizenId: string;
  dateOfBirth: string;
  phone: string;
  address: string;
  email: string;
}

/** A message key per field that failed; empty when the form may be sent. */
export type FieldErrors = Partial<Record<keyof NewDossierInput, MessageKey>>;

/** Runs every rule of the new-dossier form and collects one message per failing field. */
export function validateNewDossier(input: NewDossierInput, today: PlainDate): FieldErrors {
  const errors: FieldErrors = {};
  if (input.procedureCode.trim().length === 0) errors.procedureCode = 'validation.procedureRequired';
  const fullName = validateRequired(input.fullName);
  if (fullName) errors.fullName = fullName;
  const dateOfBirth = validateDateOfBirth(input.dateOfBirth, today);
  if (dateOfBirth) errors.dateOfBirth = dateOfBirth;
  const birth = dateOfBirth ? null : parseDayMonthYear(input.dateOfBirth);
  const citizenId = validateCitizenId(input.citizenId, birth);
  if (citizenId) errors.citizenId = citizenId;
  const phone = validatePhone(input.phone);
  if (phone) errors.phone = phone;
  const email = validateEmail(input.email);
  if (email) errors.email = email;
  return errors;
}
