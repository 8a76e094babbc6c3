/**
 * The outbox's live state shared by the header indicator and the Hàng đợi screen: the last
 * `QueueStatus` (online/offline, paused, counts, problem) and the latest upload progress per job, fed by
 * the shell's `queue://status` and `queue://job` events. `connect` subscribes once for the app's lifetime
 * and reads the current status without waiting on the network (the shell answers from memory).
 */
import { BackendError, type Backend, type QueueEvent, type QueueStatus } from './backend';

/** Upload progress of one job as last reported. */
export interface JobProgress {
  sent: number;
  total: number;
  bytesPerSec: number;
  etaSecs: number | null;
}

class QueueLive {
  status = $state<QueueStatus | null>(null);
  error = $state<BackendError | null>(null);
  progress = $state<Record<number, JobProgress>>({});
  /** Bumped on every event that changes the job list (accepted, failed, retrying…), for reloads. */
  revision = $state(0);
  #connected = false;
  #listeners = new Set<(event: QueueEvent) => void>();

  /** Subscribes to the shell's events (once) and loads the current status. */
  async connect(backend: Backend): Promise<void> {
    if (this.#connected) return;
    this.#connected = true;
    await backend.onQueueStatus((status) => {
      const countsChanged = JSON.stringify(status.counts) !== JSON.stringify(this.status?.counts);
      this.status = status;
      this.error = null;
      if (countsChanged) this.revision += 1;
    });
    await backend.onQueueEvent((event) => this.#onEvent(event));
    try {
      this.status = await backend.queueStatus();
    } catch (reason) {
      this.error = BackendError.from(reason);
    }
  }

  /** Calls `listener` on every worker event; returns the function that stops it. */
  subscribe(listener: (event: QueueEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #onEvent(event: QueueEvent): void {
    if (event.kind === 'progress') {
      this.progress[event.job] = {
        sent: event.sent,
        total: event.total,
        bytesPerSec: event.bytesPerSec,
        etaSecs: event.etaSecs,
      };
    } else {
      if ('job' in event) delete this.progress[event.job];
      this.revision += 1;
    }
    for (const listener of this.#listeners) listener(event);
  }
}

export const queueLive = new QueueLive();
