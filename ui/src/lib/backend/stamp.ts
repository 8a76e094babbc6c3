/**
 * The Ký số screen's stamp preview call: the assembled PDF of one document (`document_pdf` in
 * `src-tauri/src/commands/stamp.rs`) for pdf.js to draw. The placement itself is `StampPlacement`
 * (lib/counter/stamp.ts), sent with `signDossier`.
 */
export type { StampPlacement } from '../counter/stamp';

type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** The preview's calls. Each rejects with a `BackendError`. */
export interface StampApi {
  /** The bytes of the assembled PDF of `docCode` in dossier `code` (the file signing starts from). */
  documentPdf(code: string, docCode: string): Promise<Uint8Array>;
}

/** The preview's calls over the shell's command bridge. */
export function stampBackend(call: Call): StampApi {
  return {
    documentPdf: async (code, docCode) => new Uint8Array(await call<ArrayBuffer>('document_pdf', { code, docCode })),
  };
}

/** Outside the shell the call fails like the others. */
export function stampUnavailable(unavailable: () => Promise<never>): StampApi {
  return { documentPdf: unavailable };
}
