/**
 * The supervisor's part of the backend contract (issue 9): sign-in and accounts, the verify run with its
 * progress events, file pickers and drops, the settings and the reports. Wire types mirror
 * `src-tauri/src/dto/{session,verify,settings,reports}.rs`. `Backend` extends `SupervisorApi`; the Tauri
 * implementation is `supervisor.tauri.ts`, the browser fallback `supervisorUnavailable`.
 */

export type Role = 'clerk' | 'supervisor';

/** A local account (never its password or hash). */
export interface User {
  login: string;
  displayName: string;
  role: Role;
  disabled: boolean;
}

/** Where the login gate starts: no accounts yet → first-run screen; else sign-in unless `user` is set. */
export interface Session {
  userCount: number;
  user: User | null;
}

export type Verdict = 'VALID' | 'VALID_WITH_WARNINGS' | 'INDETERMINATE' | 'INVALID';
export type TimeSource = 'timestamp' | 'document-timestamp' | 'claimed' | 'now';
export type Revocation = { status: 'good' } | { status: 'revoked'; subject: string; date: string } | { status: 'not-checked' };
export type ModificationLevel = 'none' | 'signatures' | 'form-filling' | 'annotations' | 'disallowed';

export interface VerifiedSignature {
  field: string | null;
  kind: string;
  verdict: Verdict;
  intact: boolean;
  valid: boolean;
  trusted: boolean;
  signer: string | null;
  chain: string[];
  /** RFC 3339, Vietnam time. */
  signingTime: string | null;
  timeSource: TimeSource;
  revocation: Revocation;
  wholeDocument: boolean;
  certification: number | null;
  modification: ModificationLevel;
  changes: string[];
  timestamp: { time: string | null; valid: boolean; trusted: boolean; tsa: string | null } | null;
  errors: string[];
  warnings: string[];
}

/** One verified file; `verdict` is null when the file could not be read (`errors` says why). */
export interface VerifiedFile {
  index: number;
  path: string;
  verdict: Verdict | null;
  size: number;
  sha256: string;
  signatures: VerifiedSignature[];
  errors: string[];
}

export interface VerifyRun {
  run: number;
  total: number;
  paths: string[];
}

export interface VerifyProgress {
  run: number;
  done: number;
  total: number;
  file: VerifiedFile;
}

export interface VerifyFinished {
  run: number;
  done: number;
  total: number;
  cancelled: boolean;
  error: { code: string; message: string } | null;
}

export interface Setting {
  key: string;
  value: string;
}

export interface SettingProblem {
  key: string;
  reason: string;
}

export interface TrustedCertificate {
  subject: string;
  file: string;
  imported: boolean;
}

export interface SettingsView {
  settings: Setting[];
  /** Whether the environment variable named by `portal.token-env` is set (its value never leaves the shell). */
  tokenPresent: boolean;
  trusted: TrustedCertificate[];
  dataDir: string;
}

/** One of the office's own calendar days (Cài đặt → Lịch làm việc); `date` is `YYYY-MM-DD`. */
export interface OfficeDay {
  kind: 'day_off' | 'working_day';
  date: string;
  /** The day off's name, or why a weekend day is worked. */
  label: string;
}

/** A weekday of the year on which the office does not work, from the calendar in force. */
export interface YearHoliday {
  date: string;
  name: string;
}

export interface ReportRow {
  code: string;
  name: string;
  values: number[];
}

export interface TrendPoint {
  from: string;
  to: string;
  received: number;
  onTime: number;
  late: number;
}

/** The figures of `motcua report` for a period; `headers` name the columns of `total` and each row. */
export interface ReportView {
  from: string;
  to: string;
  evaluatedAt: string;
  agencyCode: string;
  agencyName: string;
  headers: string[];
  total: number[];
  byProcedure: ReportRow[];
  trend: TrendPoint[];
}

export type ExportFormat = 'csv' | 'xlsx';

export interface PickOptions {
  directory?: boolean;
  multiple?: boolean;
  /** File-name extensions without the dot, e.g. `['pdf']`. */
  extensions?: string[];
  title?: string;
}

/** Stops listening. */
export type Unlisten = () => void;

export interface SupervisorApi {
  sessionStatus(): Promise<Session>;
  login(login: string, password: string): Promise<User>;
  logout(): Promise<void>;
  createFirstAccount(login: string, displayName: string, password: string): Promise<User>;
  listUsers(): Promise<User[]>;
  addUser(login: string, displayName: string, role: Role, password: string): Promise<User>;
  /** A new password and/or disabling for another account (supervisors). */
  updateUser(login: string, change: { password?: string; disabled?: boolean }): Promise<void>;
  changeOwnPassword(current: string, newPassword: string): Promise<void>;

  /** Starts run `run` (an id the caller picks first, so events arriving before the answer can be matched). */
  verifyStart(paths: string[], run: number): Promise<VerifyRun>;
  verifyCancel(): Promise<void>;
  verifySaveReport(path: string): Promise<string>;
  onVerifyProgress(handler: (progress: VerifyProgress) => void): Promise<Unlisten>;
  onVerifyFinished(handler: (finished: VerifyFinished) => void): Promise<Unlisten>;
  /** Files dropped on the window (`over` is true while dragging over it). */
  onFileDrop(handler: (paths: string[]) => void, hover?: (over: boolean) => void): Promise<Unlisten>;
  /** The system file picker; null when cancelled. */
  pickPaths(options: PickOptions): Promise<string[] | null>;
  /** The system save dialog; null when cancelled. */
  pickSavePath(defaultPath: string, extensions: string[]): Promise<string | null>;

  getSettings(): Promise<SettingsView>;
  checkSettings(values: Setting[]): Promise<SettingProblem[]>;
  saveSettings(values: Setting[]): Promise<number>;
  importTrustCertificate(path: string): Promise<TrustedCertificate[]>;
  officeDays(): Promise<OfficeDay[]>;
  /** Adds or replaces (same date) one of the office's days; answers the new list. */
  setOfficeDay(day: OfficeDay): Promise<OfficeDay[]>;
  removeOfficeDay(date: string): Promise<OfficeDay[]>;
  yearHolidays(year: number): Promise<YearHoliday[]>;

  reportFigures(from: string, to: string): Promise<ReportView>;
  exportReport(from: string, to: string, format: ExportFormat, path: string): Promise<string>;
}

/** The browser fallback: every call fails like the rest of the `unavailable` backend. */
export function supervisorUnavailable(unavailable: () => Promise<never>): SupervisorApi {
  return {
    sessionStatus: unavailable,
    login: unavailable,
    logout: unavailable,
    createFirstAccount: unavailable,
    listUsers: unavailable,
    addUser: unavailable,
    updateUser: unavailable,
    changeOwnPassword: unavailable,
    verifyStart: unavailable,
    verifyCancel: unavailable,
    verifySaveReport: unavailable,
    onVerifyProgress: unavailable,
    onVerifyFinished: unavailable,
    onFileDrop: unavailable,
    pickPaths: unavailable,
    pickSavePath: unavailable,
    getSettings: unavailable,
    checkSettings: unavailable,
    saveSettings: unavailable,
    importTrustCertificate: unavailable,
    officeDays: unavailable,
    setOfficeDay: unavailable,
    removeOfficeDay: unavailable,
    yearHolidays: unavailable,
    reportFigures: unavailable,
    exportReport: unavailable,
  };
}
