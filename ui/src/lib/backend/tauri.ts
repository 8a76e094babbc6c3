/**
 * The `Backend` over Tauri commands. This folder is the only place that imports `@tauri-apps/*`; each
 * method is one `invoke` whose rejection (the shell's `{code, message}` envelope) becomes a `BackendError`.
 */
import { invoke } from '@tauri-apps/api/core';
import { supervisorTauri } from './supervisor.tauri';
import { listen } from '@tauri-apps/api/event';
import type { QueueEvent, QueueJob, QueuePage, QueueStatus } from './queue';
import { counterBackend } from './counter-tauri';
import { dossiersBackend } from './dossiers';
import { scanSourcesBackend } from './scan-sources';
import { stampBackend } from './stamp';
import { BackendError, type Backend, type Dossier, type NewDossier, type Procedure, type TimelineEntry } from './types';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw BackendError.from(reason);
  }
}

/** Creates the backend that talks to the running MotCua Desk shell. */
export function tauriBackend(): Backend {
  return {
    listProcedures: () => call<Procedure[]>('list_procedures'),
    listDossiers: () => call<Dossier[]>('list_dossiers'),
    getDossier: (code) => call<Dossier>('get_dossier', { code }),
    createDossier: (dossier: NewDossier) => call<Dossier>('create_dossier', { dossier }),
    dossierTimeline: (code) => call<TimelineEntry[]>('dossier_timeline', { code }),
    uiReady: (stage, detail) => call<void>('ui_ready', { stage: stage ?? 'list', detail: detail ?? null }).catch(() => undefined),
    launchDossier: () => call<string | null>('launch_dossier'),
    ...supervisorTauri(call),
    queuePage: (offset, limit) => call<QueuePage>('queue_page', { offset, limit }),
    queueStatus: () => call<QueueStatus>('queue_status'),
    retryJob: (id) => call<QueueJob>('retry_job', { id }),
    cancelJob: (id) => call<QueueJob>('cancel_job', { id }),
    pauseQueue: () => call<QueueStatus>('pause_queue'),
    resumeQueue: () => call<QueueStatus>('resume_queue'),
    onQueueStatus: (handler) => listen<QueueStatus>('queue://status', (event) => handler(event.payload)),
    onQueueEvent: (handler) => listen<QueueEvent>('queue://job', (event) => handler(event.payload)),
    ...counterBackend(call),
    ...dossiersBackend(call),
    ...stampBackend(call),
    ...scanSourcesBackend(call),
  };
}
