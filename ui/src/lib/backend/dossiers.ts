/**
 * Wire types and calls of the Hồ sơ screen (mirrors of `src-tauri/src/dto/dossiers.rs`): each listed
 * dossier's traffic light, a dossier's fees / payment / postal return / result, and the Mẫu 04 prompt.
 * Date-times are local Vietnam time, `yyyy-mm-ddTHH:MM:SS`.
 */
import type { Fee, ResultReturn } from './types';

export type DeadlineColour = 'green' | 'yellow' | 'orange' | 'red';
export const DEADLINE_COLOURS: readonly DeadlineColour[] = ['green', 'yellow', 'orange', 'red'];

/** Where a dossier stands against its (pause-adjusted, re-appointed) due time. */
export interface Deadline {
  colour: DeadlineColour;
  /** Working minutes left; negative when overdue. */
  remainingMinutes: number;
  /** Minutes in a working day (480), to show days and hours. */
  dayMinutes: number;
  effectiveDue: string;
  paused: boolean;
  stopped: boolean;
}

export type PaymentMethod = 'cash' | 'online' | 'transfer' | 'exempt';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['cash', 'online', 'transfer', 'exempt'];

export interface Payment {
  method: PaymentMethod;
  receiptNo: string;
  /** Absent when recording: now. */
  paidAt?: string | null;
}

export interface Postal {
  address: string;
  trackingNo: string;
  sentAt: string | null;
  deliveredAt: string | null;
}

export interface Settlement {
  code: string;
  fees: Fee[];
  feesTotalVnd: number;
  payment: Payment | null;
  /** The payment came from the portal's payment status (paid online through the portal). */
  paymentViaPortal: boolean;
  resultReturn: ResultReturn;
  postal: Postal | null;
  result: { source: 'portal' | 'scan'; attachedAt: string | null } | null;
}

export interface ApologyCandidate {
  code: string;
  applicantName: string;
  procedureName: string;
  dueAt: string;
  remainingMinutes: number;
  colour: DeadlineColour;
}

export interface ApologyIssued {
  newDue: string;
  /** The slip in the data folder. */
  file: string;
}

/** The Hồ sơ screen's calls. */
export interface DossiersApi {
  dossierSettlement(code: string): Promise<Settlement>;
  recordPayment(code: string, payment: Payment): Promise<Settlement>;
  recordPostal(code: string, postal: Postal): Promise<Settlement>;
  attachResult(code: string, path: string): Promise<Settlement>;
  /** Writes the result PDF to `path`; resolves to its size. */
  saveResult(code: string, path: string): Promise<number>;
  apologyCandidates(): Promise<ApologyCandidate[]>;
  issueApology(code: string, reason: string, extraDays: number): Promise<ApologyIssued>;
  saveSlipCopy(file: string, path: string): Promise<void>;
}

type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** The calls over the shell's command bridge. */
export function dossiersBackend(call: Call): DossiersApi {
  return {
    dossierSettlement: (code) => call('dossier_settlement', { code }),
    recordPayment: (code, payment) => call('record_payment', { code, payment }),
    recordPostal: (code, postal) => call('record_postal', { code, postal }),
    attachResult: (code, path) => call('attach_result', { code, path }),
    saveResult: (code, path) => call('save_result', { code, path }),
    apologyCandidates: () => call('apology_candidates'),
    issueApology: (code, reason, extraDays) => call('issue_apology', { code, reason, extraDays }),
    saveSlipCopy: (file, path) => call('save_slip_copy', { file, path }),
  };
}

/** Outside the shell every call fails like the others. */
export function dossiersUnavailable(unavailable: () => Promise<never>): DossiersApi {
  return {
    dossierSettlement: unavailable,
    recordPayment: unavailable,
    recordPostal: unavailable,
    attachResult: unavailable,
    saveResult: unavailable,
    apologyCandidates: unavailable,
    issueApology: unavailable,
    saveSlipCopy: unavailable,
  };
}
