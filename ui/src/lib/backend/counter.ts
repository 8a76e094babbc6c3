/**
 * Wire types and methods of the counter screens (reception, capture, sign, receipt): mirrors of
 * `src-tauri/src/dto/counter.rs` (camelCase), and the `CounterApi` part of the `Backend`.
 */
import type { StampPlacement } from '../counter/stamp';
import type { Dossier } from './types';

/** What the QR code of a citizen ID card says. Dates are `yyyy-mm-dd`. */
export interface CccdCard {
  citizenId: string;
  oldId: string | null;
  fullName: string;
  dateOfBirth: string;
  sex: string;
  address: string;
  issuedOn: string | null;
}

/** What the large preview shows (`src-tauri/src/commands/capture.rs`). */
export type PreviewMode = 'original' | 'auto' | 'color' | 'gray' | 'bw';

/** A rendered large preview; `mode`/`skewDegrees` say what cleanup did (null for the original). */
export interface PagePreview {
  url: string;
  width: number;
  height: number;
  mode: 'color' | 'gray' | 'bw' | null;
  skewDegrees: number | null;
  deskewed: boolean;
}

/** One captured page; `rotation` is clockwise degrees. */
export interface CapturePage {
  id: number;
  docCode: string;
  position: number;
  mediaType: string;
  pageInBlob: number;
  rotation: number;
  hasThumbnail: boolean;
  sourceName: string;
  /** How assembly cleans the page; `original` is the page as scanned (the cleanup undone). */
  cleanup: PageCleanup;
}

export type PageCleanup = 'auto' | 'color' | 'gray' | 'bw' | 'original';

export interface CaptureDocument {
  docCode: string;
  assembled: boolean;
  signed: boolean;
}

export interface CaptureState {
  pages: CapturePage[];
  documents: CaptureDocument[];
}

export interface ImportOutcome {
  pages: CapturePage[];
  failures: { path: string; message: string }[];
}

export interface AssembledDocument {
  docCode: string;
  pages: number;
  bytes: number;
}

/** Progress of a long counter task (`counter://progress`). `total` is 0 when unknown (import). */
export interface CounterProgress {
  task: 'import' | 'assemble' | 'sign';
  done: number;
  total: number;
  docCode: string;
}

export type SignKey = { kind: 'p12'; path: string } | { kind: 'pkcs11'; module: string; token: string; keyLabel?: string };

export interface Token {
  module: string;
  label: string;
  manufacturer: string;
  model: string;
  serialNumber: string;
}

export interface SignSummary {
  signer: string;
  documents: string[];
  dossier: Dossier;
  /** The signatures carry a time-stamp from the authority set in Cài đặt (`sign.tsa-url`). */
  timestamped: boolean;
  /** Why that authority gave none: the documents are signed without a trusted signing time. */
  timestampError: string | null;
}

export interface Submitted {
  jobId: number;
  dossier: Dossier;
}

/** A scanner SANE can see. */
export interface Scanner {
  name: string;
  vendor: string;
  model: string;
  kind: string;
}

export type ScanMode = 'colour' | 'grey' | 'lineart';

export interface ScanSettings {
  device: string;
  resolution: number;
  mode: ScanMode;
  /** Every sheet of the document feeder; otherwise one page from the glass. */
  feeder: boolean;
}

/** Which files the native picker should offer. */
export type FileKind = 'scans' | 'image' | 'p12';

/** The counter screens' calls. Each rejects with a `BackendError`. */
export interface CounterApi {
  readCccd(path: string): Promise<CccdCard>;
  captureState(code: string): Promise<CaptureState>;
  importPages(code: string, docCode: string, paths: string[]): Promise<ImportOutcome>;
  scanners(): Promise<Scanner[]>;
  scanPages(code: string, docCode: string, scan: ScanSettings): Promise<ImportOutcome>;
  pageThumbnail(id: number): Promise<string | null>;
  /** Page `id` rendered big, as scanned or through cleanup in a colour mode; null for a PDF page. */
  pagePreview(id: number, mode: PreviewMode): Promise<PagePreview | null>;
  arrangePages(code: string, docCode: string, ids: number[]): Promise<void>;
  rotatePage(id: number, quarterTurns: number): Promise<CapturePage>;
  /** Sets how assembly cleans the page (the preview's "Dùng cho trang này"). */
  setPageCleanup(id: number, cleanup: PageCleanup): Promise<CapturePage>;
  deletePage(id: number): Promise<void>;
  /** Re-scan: pages `newIds` take the place of page `oldId` (one core transaction); resolves to the documents
   *  whose page list changed (to assemble again). */
  replacePage(oldId: number, newIds: number[]): Promise<string[]>;
  assembleDocuments(code: string, docCodes: string[]): Promise<AssembledDocument[]>;
  cancelCounterWork(): Promise<void>;
  signingTokens(): Promise<Token[]>;
  /** `stamp`: where the visible stamp goes (the core's default place when absent). */
  signDossier(code: string, key: SignKey, secret: string, stamp?: StampPlacement): Promise<SignSummary>;
  issueReceiptPdf(code: string): Promise<Uint8Array>;
  submitDossier(code: string): Promise<Submitted>;
  /** Shows the system's file picker; resolves to the chosen paths (empty when cancelled). */
  pickFiles(kind: FileKind, multiple: boolean): Promise<string[]>;
  /** Calls `handler` with the paths of files dropped on the window, until the returned function is called. */
  onFilesDropped(handler: (paths: string[]) => void): Promise<() => void>;
  /** Calls `handler` for each progress event and each imported page until the returned function is called. */
  onCounterEvents(handler: { progress?: (p: CounterProgress) => void; page?: (p: CapturePage) => void }): Promise<() => void>;
}
