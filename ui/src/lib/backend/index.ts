/**
 * Entry point of the backend layer: re-exports the contract and picks the implementation. Inside the
 * Tauri window that is the command bridge; `isTauri()` is false in a plain browser (`npm run dev`), where
 * calls fail with an `internal` error instead of hanging.
 */
import { isTauri } from '@tauri-apps/api/core';
import { counterUnavailable } from './counter-tauri';
import { dossiersUnavailable } from './dossiers';
import { tauriBackend } from './tauri';
import { BackendError, type Backend } from './types';
import { supervisorUnavailable } from './supervisor';
import { scanSourcesUnavailable } from './scan-sources';
import { stampUnavailable } from './stamp';

export * from './types';
export * from './supervisor';
export * from './queue';
export * from './counter';
export * from './dossiers';
export * from './stamp';
export * from './scan-sources';

function unavailable(): Promise<never> {
  return Promise.reject(new BackendError({ code: 'internal', message: 'not running inside the MotCua Desk shell' }));
}

/** The backend for this environment. */
export function createBackend(): Backend {
  if (isTauri()) return tauriBackend();
  return {
    listProcedures: unavailable,
    listDossiers: unavailable,
    getDossier: unavailable,
    createDossier: unavailable,
    dossierTimeline: unavailable,
    uiReady: () => Promise.resolve(),
    launchDossier: () => Promise.resolve(null),
    ...supervisorUnavailable(unavailable),
    queuePage: unavailable,
    queueStatus: unavailable,
    retryJob: unavailable,
    cancelJob: unavailable,
    pauseQueue: unavailable,
    resumeQueue: unavailable,
    onQueueStatus: () => Promise.resolve(() => {}),
    onQueueEvent: () => Promise.resolve(() => {}),
    ...counterUnavailable(unavailable),
    ...dossiersUnavailable(unavailable),
    ...stampUnavailable(unavailable),
    ...scanSourcesUnavailable(unavailable),
  };
}
