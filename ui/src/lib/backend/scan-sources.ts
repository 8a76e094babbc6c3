/**
 * The capture screen's scan sources beyond one import or scan: the office's scanner profile (Cài đặt →
 * Quét, `scan_profile`) the screen starts from, and the scan folder (`hot_folder_start` /
 * `hot_folder_stop` in `src-tauri/src/commands/hot_folder.rs`): while it is on, finished files written
 * there by a network scanner become pages of the selected document (`counter://page`, as an import), and
 * each file's fate arrives as `hot-folder://file`, the share's state as `hot-folder://folder`.
 */
import { listen } from '@tauri-apps/api/event';
import type { ScanMode } from './counter';

type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** The office's scanner profile; `hotFolder` is the scan folder when one is set. */
export interface ScanProfile {
  device: string | null;
  resolution: number;
  mode: ScanMode;
  feeder: boolean;
  hotFolder: string | null;
}

/** One file of the scan folder: taken (its pages stored in `docCode`) or refused with `reason`. */
export interface HotFolderFile {
  file: string;
  taken: boolean;
  pages: number;
  docCode: string | null;
  /** Where the file went (`da-nhap/` or `loi/` beside it), or null if it stayed. */
  movedTo: string | null;
  reason: string | null;
}

/** Whether the scan folder can be read; `problem` says why not. */
export interface HotFolderStatus {
  folder: string;
  problem: string | null;
}

/** The scan-source calls. Each rejects with a `BackendError`. */
export interface ScanSourcesApi {
  scanProfile(): Promise<ScanProfile>;
  /** Switches the scan folder on for `docCode` of dossier `code` (or points it there); answers the folder. */
  hotFolderStart(code: string, docCode: string): Promise<string>;
  hotFolderStop(): Promise<void>;
  /** Calls the handlers for the scan folder's events until the returned function is called. */
  onHotFolderEvents(handler: { file?: (f: HotFolderFile) => void; folder?: (s: HotFolderStatus) => void }): Promise<() => void>;
}

/** The scan-source calls over the shell's command bridge. */
export function scanSourcesBackend(call: Call): ScanSourcesApi {
  return {
    scanProfile: () => call('scan_profile'),
    hotFolderStart: (code, docCode) => call('hot_folder_start', { code, docCode }),
    hotFolderStop: () => call('hot_folder_stop'),
    onHotFolderEvents: async (handler) => {
      const stops = await Promise.all([
        listen<HotFolderFile>('hot-folder://file', (event) => handler.file?.(event.payload)),
        listen<HotFolderStatus>('hot-folder://folder', (event) => handler.folder?.(event.payload)),
      ]);
      return () => stops.forEach((stop) => stop());
    },
  };
}

/** Outside the shell the calls fail like the others. */
export function scanSourcesUnavailable(unavailable: () => Promise<never>): ScanSourcesApi {
  return { scanProfile: unavailable, hotFolderStart: unavailable, hotFolderStop: unavailable, onHotFolderEvents: unavailable };
}
