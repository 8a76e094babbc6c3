/**
 * The outbox (Hàng đợi) part of the backend contract: mirrors of `src-tauri/src/dto/queue.rs` (camelCase)
 * and the `QueueApi` methods. The queue runs in the shell's background threads; the UI reads pages of
 * jobs, the last status, and subscribes to the `queue://status` and `queue://job` events.
 */

/** Machine names of a job's state; the UI translates them (`queue.state.*`). */
export type JobState = 'queued' | 'uploading' | 'submitting' | 'accepted' | 'failed' | 'cancelled';
export const JOB_STATES: readonly JobState[] = ['queued', 'uploading', 'submitting', 'accepted', 'failed', 'cancelled'];

export interface QueueJob {
  id: number;
  dossierCode: string;
  state: JobState;
  attempts: number;
  /** Unix milliseconds of the next automatic attempt. */
  nextAttemptAtMs: number;
  /** The last error, or the portal's reasons for a refusal. */
  lastError: string | null;
  /** The portal's receipt number once accepted. */
  receipt: string | null;
  files: number;
  bytesSent: number;
  bytesTotal: number;
  /** Whether it has not reached the portal, so the clerk may cancel it. */
  cancellable: boolean;
  createdAt: string;
  updatedAt: string;
  /** Why the dossier's result PDF could not be downloaded yet (tried again at every poll). */
  resultError: string | null;
}

export interface QueueCounts {
  /** Dossiers not yet on the portal. */
  waiting: number;
  due: number;
  failed: number;
  accepted: number;
  cancelled: number;
}

export interface QueuePage {
  jobs: QueueJob[];
  total: number;
  counts: QueueCounts;
}

export type Connectivity = 'unknown' | 'online' | 'offline' | 'notConfigured';

export interface QueueProblem {
  kind: 'notConfigured' | 'tokenRejected' | 'store';
  message: string | null;
}

export interface QueueStatus {
  connectivity: Connectivity;
  paused: boolean;
  counts: QueueCounts;
  problem: QueueProblem | null;
}

/** One worker event (`queue://job`). */
export type QueueEvent =
  | { kind: 'progress'; job: number; dossier: string; sent: number; total: number; bytesPerSec: number; etaSecs: number | null }
  | { kind: 'accepted'; job: number; dossier: string; receipt: string }
  | { kind: 'failed'; job: number; dossier: string; reason: string }
  | { kind: 'retrying'; job: number; dossier: string; error: string; inMs: number }
  | { kind: 'tokenRejected' }
  | { kind: 'statusChanged'; dossier: string; nationalStatus: number }
  | { kind: 'resultDownloaded'; dossier: string }
  | { kind: 'resultFailed'; dossier: string; reason: string };

/** Stops a subscription. */
export type Unsubscribe = () => void;

export interface QueueApi {
  queuePage(offset: number, limit: number): Promise<QueuePage>;
  queueStatus(): Promise<QueueStatus>;
  retryJob(id: number): Promise<QueueJob>;
  cancelJob(id: number): Promise<QueueJob>;
  pauseQueue(): Promise<QueueStatus>;
  resumeQueue(): Promise<QueueStatus>;
  /** Calls `handler` on every status change; resolves to the unsubscribe function. */
  onQueueStatus(handler: (status: QueueStatus) => void): Promise<Unsubscribe>;
  /** Calls `handler` on every worker event. */
  onQueueEvent(handler: (event: QueueEvent) => void): Promise<Unsubscribe>;
}
