import { describe, expect, it } from 'vitest';
import { scrollProbe, type FrameClock } from './scrollProbe';

/** A clock the test advances by hand: frames run when `advance` passes them, timers likewise. */
function fakeClock() {
  let time = 0;
  let frames: ((t: number) => void)[] = [];
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: FrameClock = {
    now: () => time,
    frame: (callback) => void frames.push(callback),
    later: (callback, ms) => {
      const id = nextId++;
      timers.push({ at: time + ms, callback, id });
      return id;
    },
    cancel: (handle) => void (timers = timers.filter((t) => t.id !== handle)),
  };
  /** Moves time on by `ms`, one frame every `frameMs` (frames due run, then due timers). */
  function advance(ms: number, frameMs: number) {
    const end = time + ms;
    while (time < end) {
      time = Math.min(end, time + frameMs);
      const due = frames;
      frames = [];
      due.forEach((f) => f(time));
      const fire = timers.filter((t) => t.at <= time);
      timers = timers.filter((t) => t.at > time);
      fire.forEach((t) => t.callback());
    }
  }
  return { clock, advance };
}

describe('scrollProbe', () => {
  it('counts frames and the longest gap during one scroll, then reports once', () => {
    const { clock, advance } = fakeClock();
    const reports: string[] = [];
    const onScroll = scrollProbe((d) => reports.push(d), () => 'pending=3', clock, 400);
    onScroll();
    advance(100, 16);
    onScroll();
    advance(80, 80); // one long frame: the main thread was busy
    advance(500, 16);
    expect(reports).toHaveLength(1);
    const words = Object.fromEntries(reports[0].split(' ').map((w) => w.split('=')));
    expect(Number(words.worst_ms)).toBe(80);
    expect(Number(words.over_50ms)).toBe(1);
    expect(Number(words.scroll_ms)).toBe(100);
    expect(Number(words.frames)).toBeGreaterThan(20);
    expect(words.pending).toBe('3');

    onScroll();
    advance(1000, 16);
    expect(reports).toHaveLength(1);
  });
});
