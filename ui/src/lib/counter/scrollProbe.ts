/**
 * The capture grid's scroll measurement for the app benchmark (`scripts/bench-app.sh`): from the first
 * scroll event until the grid has been still for `quietMs`, it counts animation frames and keeps the
 * longest gap between two of them — a blocked main thread shows as a long gap — then reports once,
 * as `key=value` words: `frames=… worst_ms=… over_50ms=… scroll_ms=…` plus what the caller adds (e.g. the
 * thumbnails still loading). The shell prints it only when probing, so this costs a frame callback
 * during scrolls and nothing otherwise.
 */

/** The clock and frame source (the browser's, or a test's). */
export interface FrameClock {
  now(): number;
  frame(callback: (time: number) => void): void;
  later(callback: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

export const browserClock: FrameClock = {
  now: () => performance.now(),
  frame: (callback) => requestAnimationFrame(callback),
  later: (callback, ms) => setTimeout(callback, ms),
  cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Returns the handler to call on every scroll event; after the first scroll ends it calls `report` with
 * the measurement (and `extra()`'s words) and measures nothing more.
 */
export function scrollProbe(report: (detail: string) => void, extra: () => string = () => '', clock: FrameClock = browserClock, quietMs = 400): () => void {
  let state: 'idle' | 'watching' | 'done' = 'idle';
  let started = 0;
  let last = 0;
  let lastScroll = 0;
  let frames = 0;
  let worst = 0;
  let over50 = 0;
  let quiet: unknown = null;

  function tick(): void {
    if (state !== 'watching') return;
    const now = clock.now();
    const gap = now - last;
    worst = Math.max(worst, gap);
    if (gap > 50) over50 += 1;
    frames += 1;
    last = now;
    clock.frame(tick);
  }

  function finish(): void {
    state = 'done';
    const words = [`frames=${frames}`, `worst_ms=${Math.round(worst)}`, `over_50ms=${over50}`, `scroll_ms=${Math.round(lastScroll - started)}`];
    const more = extra().trim();
    report(more ? `${words.join(' ')} ${more}` : words.join(' '));
  }

  return () => {
    if (state === 'done') return;
    const now = clock.now();
    if (state === 'idle') {
      state = 'watching';
      started = now;
      last = now;
      clock.frame(tick);
    }
    lastScroll = now;
    if (quiet !== null) clock.cancel(quiet);
    quiet = clock.later(finish, quietMs);
  };
}
