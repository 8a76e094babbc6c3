/**
 * The `CounterApi` over Tauri: one `invoke` per command of `src-tauri/src/commands/counter.rs`, the
 * `counter://progress` / `counter://page` events, files dropped on the window, and the native file picker
 * (tauri-plugin-dialog).
 */
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open } from '@tauri-apps/plugin-dialog';
import type { CapturePage, CounterApi, CounterProgress, FileKind } from './counter';

type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

const FILTERS: Record<FileKind, { name: string; extensions: string[] }[]> = {
  scans: [{ name: 'Ảnh quét / PDF', extensions: ['jpg', 'jpeg', 'png', 'tif', 'tiff', 'bmp', 'webp', 'pdf'] }],
  image: [{ name: 'Ảnh', extensions: ['jpg', 'jpeg', 'png', 'tif', 'tiff', 'bmp', 'webp'] }],
  p12: [{ name: 'PKCS#12', extensions: ['p12', 'pfx'] }],
};

/** The counter calls over the shell's command bridge (`call` maps rejections to `BackendError`). */
export function counterBackend(call: Call): CounterApi {
  return {
    readCccd: (path) => call('read_cccd', { path }),
    captureState: (code) => call('capture_state', { code }),
    importPages: (code, docCode, paths) => call('import_pages', { code, docCode, paths }),
    scanners: () => call('scan_devices'),
    scanPages: (code, docCode, scan) => call('scan_pages', { code, docCode, scan }),
    pageThumbnail: (id) => call('page_thumbnail', { id }),
    pagePreview: (id, mode) => call('page_preview', { id, mode }),
    arrangePages: (code, docCode, ids) => call('arrange_pages', { code, docCode, ids }),
    rotatePage: (id, quarterTurns) => call('rotate_page', { id, quarterTurns }),
    setPageCleanup: (id, cleanup) => call('set_page_cleanup', { id, cleanup }),
    deletePage: (id) => call('delete_page', { id }),
    replacePage: (oldId, newIds) => call('replace_page', { oldId, newIds }),
    assembleDocuments: (code, docCodes) => call('assemble_documents', { code, docCodes }),
    cancelCounterWork: () => call('counter_cancel'),
    signingTokens: () => call('counter_tokens'),
    signDossier: (code, key, secret, stamp) => call('sign_dossier', { code, key, secret, stamp: stamp ?? null }),
    issueReceiptPdf: async (code) => new Uint8Array(await call<ArrayBuffer>('issue_receipt_pdf', { code })),
    submitDossier: (code) => call('counter_submit', { code }),
    pickFiles: async (kind, multiple) => {
      const chosen = await open({ multiple, directory: false, filters: FILTERS[kind] });
      if (chosen === null) return [];
      return Array.isArray(chosen) ? chosen : [chosen];
    },
    onFilesDropped: (handler) =>
      getCurrentWebview().onDragDropEvent((event) => {
        if (event.payload.type === 'drop' && event.payload.paths.length > 0) handler(event.payload.paths);
      }),
    onCounterEvents: async (handler) => {
      const stops = await Promise.all([
        listen<CounterProgress>('counter://progress', (event) => handler.progress?.(event.payload)),
        listen<CapturePage>('counter://page', (event) => handler.page?.(event.payload)),
      ]);
      return () => stops.forEach((stop) => stop());
    },
  };
}

/** Outside the shell every counter call fails like the others (`unavailable`). */
export function counterUnavailable(unavailable: () => Promise<never>): CounterApi {
  return {
    readCccd: unavailable,
    captureState: unavailable,
    importPages: unavailable,
    scanners: unavailable,
    scanPages: unavailable,
    pageThumbnail: unavailable,
    pagePreview: unavailable,
    arrangePages: unavailable,
    rotatePage: unavailable,
    setPageCleanup: unavailable,
    deletePage: unavailable,
    replacePage: unavailable,
    assembleDocuments: unavailable,
    cancelCounterWork: unavailable,
    signingTokens: unavailable,
    signDossier: unavailable,
    issueReceiptPdf: unavailable,
    submitDossier: unavailable,
    pickFiles: unavailable,
    onFilesDropped: unavailable,
    onCounterEvents: unavailable,
  };
}
