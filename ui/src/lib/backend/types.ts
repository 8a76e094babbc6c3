/**
 * The backend contract as the UI sees it: the wire shapes of the Tauri commands (mirrors of
 * `src-tauri/src/dto/`, camelCase) and the `Backend` interface the components talk to. Components never
 * import `@tauri-apps/*`; they receive a `Backend`, which tests or a browser preview can replace.
 */
import type { SupervisorApi } from './supervisor';
import type { QueueApi } from './queue';
import type { CounterApi } from './counter';
import type { Deadline, DossiersApi } from './dossiers';
import type { ScanSourcesApi } from './scan-sources';
import type { StampApi } from './stamp';

export type ApplicantKind = 'citizen' | 'business' | 'agency' | 'organisation';
export type Channel = 'counter' | 'online' | 'postal';
export type ResultReturn = 'counter' | 'post';

export const APPLICANT_KINDS: readonly ApplicantKind[] = ['citizen', 'business', 'agency', 'organisation'];
export const CHANNELS: readonly Channel[] = ['counter', 'online', 'postal'];
export const RESULT_RETURNS: readonly ResultReturn[] = ['counter', 'post'];

/** How long a procedure takes: a number of working days, or the same day. */
export type ProcessingTime = { kind: 'workingDays'; days: number } | { kind: 'sameDay'; cutoff: string };

export interface RequiredDocument {
  code: string;
  name: string;
  originals: number;
  certifiedCopies: number;
  photocopies: number;
  mandatory: boolean;
}

export interface Fee {
  name: string;
  amountVnd: number;
}

/** A procedure (thủ tục hành chính) of the catalogue. */
export interface Procedure {
  code: string;
  name: string;
  level: string;
  field: string;
  processingTime: ProcessingTime;
  documents: RequiredDocument[];
  fees: Fee[];
}

export interface Applicant {
  fullName: string;
  citizenId: string;
  /** `yyyy-mm-dd` or null. */
  dateOfBirth: string | null;
  phone: string;
  address: string;
  email: string;
  kind: ApplicantKind;
}

/** A document the dossier must contain, copied from its procedure when the dossier opened. */
export interface DossierDocument {
  code: string;
  name: string;
  mandatory: boolean;
  originals: number;
  certifiedCopies: number;
  photocopies: number;
  /** Whether an assembled PDF is stored for it. */
  hasPdf: boolean;
}

/** What the form sends to open a dossier. */
export interface NewDossier {
  procedureCode: string;
  applicant: Applicant;
  channel: Channel;
  resultReturn: ResultReturn;
  notes: string;
}

/** A dossier as stored. Date-times are local Vietnam time, `yyyy-mm-ddTHH:MM:SS`. */
export interface Dossier {
  id: string;
  code: string;
  procedureCode: string;
  procedureName: string;
  applicant: Applicant;
  channel: Channel;
  resultReturn: ResultReturn;
  receivedAt: string;
  dueAt: string;
  /** Machine name, e.g. `draft`; the UI translates it. */
  status: string;
  /** The national TrangThaiHoSo code (1–10), null for local states. */
  nationalStatus: number | null;
  documents: DossierDocument[];
  fees: Fee[];
  notes: string;
  /** The traffic light; set in the list, null elsewhere. */
  deadline?: Deadline | null;
}

/** One entry of a dossier's timeline (an audit entry). `at` is UTC, RFC 3339. */
export interface TimelineEntry {
  seq: number;
  at: string;
  actor: string;
  /** Machine name, e.g. `dossier.create`, `dossier.status`; the UI translates it. */
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
}

/** The one error shape every command rejects with. */
export interface ErrorEnvelope {
  code: string;
  message: string;
}

/** A failed backend call, carrying the envelope's stable code for the i18n look-up. */
export class BackendError extends Error {
  readonly code: string;

  constructor(envelope: ErrorEnvelope) {
    super(envelope.message);
    this.name = 'BackendError';
    this.code = envelope.code;
  }

  /** Wraps whatever a call rejected with; anything that is not an envelope becomes `internal`. */
  static from(reason: unknown): BackendError {
    if (reason instanceof BackendError) return reason;
    if (typeof reason === 'object' && reason !== null && 'code' in reason && 'message' in reason) {
      const { code, message } = reason as Record<string, unknown>;
      if (typeof code === 'string' && typeof message === 'string') return new BackendError({ code, message });
    }
    return new BackendError({ code: 'internal', message: String(reason) });
  }
}

/** Everything the UI asks of the backend. Each method rejects with a `BackendError`. */
export interface Backend extends SupervisorApi, QueueApi, CounterApi, DossiersApi, StampApi, ScanSourcesApi {
  listProcedures(): Promise<Procedure[]>;
  listDossiers(): Promise<Dossier[]>;
  getDossier(code: string): Promise<Dossier>;
  createDossier(dossier: NewDossier): Promise<Dossier>;
  dossierTimeline(code: string): Promise<TimelineEntry[]>;
  /** Tells the shell the first screen shows data (the start-up benchmark times this). Never rejects. */
  uiReady(stage?: 'gate' | 'list' | 'capture' | 'import' | 'scroll', detail?: string): Promise<void>;
  /** The dossier the app was started to open (`motcua-desk --open CODE`), once; null otherwise. */
  launchDossier(): Promise<string | null>;
}
