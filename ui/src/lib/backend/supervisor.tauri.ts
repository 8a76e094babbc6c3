/**
 * `SupervisorApi` over the Tauri shell: commands by `invoke` (through the shared `call`, which turns the
 * `{code, message}` envelope into a `BackendError`), progress by `listen`, drops by the webview's
 * drag-drop event, pickers by the dialog plugin.
 */
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open, save } from '@tauri-apps/plugin-dialog';
import type { OfficeDay, ReportView, SettingProblem, SettingsView, SupervisorApi, TrustedCertificate, User, VerifyFinished, VerifyProgress, VerifyRun, Session, YearHoliday } from './supervisor';

type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

export function supervisorTauri(call: Call): SupervisorApi {
  return {
    sessionStatus: () => call<Session>('session_status'),
    login: (login, password) => call<User>('login', { login, password }),
    logout: () => call<void>('logout'),
    createFirstAccount: (login, displayName, password) => call<User>('create_first_account', { login, displayName, password }),
    listUsers: () => call<User[]>('list_users'),
    addUser: (login, displayName, role, password) => call<User>('add_user', { login, displayName, role, password }),
    updateUser: (login, change) => call<void>('update_user', { login, password: change.password ?? null, disabled: change.disabled ?? null }),
    changeOwnPassword: (current, newPassword) => call<void>('change_own_password', { current, newPassword }),

    verifyStart: (paths, run) => call<VerifyRun>('verify_start', { paths, run }),
    verifyCancel: () => call<void>('verify_cancel'),
    verifySaveReport: (path) => call<string>('verify_save_report', { path }),
    onVerifyProgress: (handler) => listen<VerifyProgress>('verify://progress', (event) => handler(event.payload)),
    onVerifyFinished: (handler) => listen<VerifyFinished>('verify://finished', (event) => handler(event.payload)),
    onFileDrop: (handler, hover) =>
      getCurrentWebview().onDragDropEvent((event) => {
        const payload = event.payload;
        if (payload.type === 'drop') {
          hover?.(false);
          handler(payload.paths);
        } else if (payload.type === 'enter' || payload.type === 'over') {
          hover?.(true);
        } else {
          hover?.(false);
        }
      }),
    pickPaths: async (options) => {
      const picked = await open({
        directory: options.directory ?? false,
        multiple: options.multiple ?? false,
        title: options.title,
        filters: options.extensions ? [{ name: options.extensions.join(', ').toUpperCase(), extensions: options.extensions }] : undefined,
      });
      if (picked === null) return null;
      return Array.isArray(picked) ? picked : [picked];
    },
    pickSavePath: (defaultPath, extensions) =>
      save({ defaultPath, filters: [{ name: extensions.join(', ').toUpperCase(), extensions }] }),

    getSettings: () => call<SettingsView>('get_settings'),
    checkSettings: (values) => call<SettingProblem[]>('check_settings', { values }),
    saveSettings: (values) => call<number>('save_settings', { values }),
    importTrustCertificate: (path) => call<TrustedCertificate[]>('import_trust_certificate', { path }),
    officeDays: () => call<OfficeDay[]>('office_days'),
    setOfficeDay: (day) => call<OfficeDay[]>('set_office_day', { day }),
    removeOfficeDay: (date) => call<OfficeDay[]>('remove_office_day', { date }),
    yearHolidays: (year) => call<YearHoliday[]>('year_holidays', { year }),

    reportFigures: (from, to) => call<ReportView>('report_figures', { from, to }),
    exportReport: (from, to, format, path) => call<string>('export_report', { from, to, format, path }),
  };
}
