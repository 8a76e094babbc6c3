import { describe, expect, it } from 'vitest';
import { ThumbProbe } from './thumbProbe';

describe('thumbnail probe', () => {
  it('reports "capture" once every thumbnail asked so far is painted, and only once', () => {
    const probe = new ThumbProbe();
    probe.ask(1);
    probe.ask(2);
    probe.paint(1);
    expect(probe.due(1)).toBeNull();
    probe.paint(2);
    expect(probe.due(2)).toBe('capture');
    probe.ask(3);
    probe.paint(3);
    expect(probe.due(3)).toBeNull();
  });

  it('reports "import" for the first imported page painted, then waits for the screenful', () => {
    const probe = new ThumbProbe();
    probe.ask(1);
    probe.ask(5);
    probe.arrive(5);
    probe.paint(5);
    expect(probe.due(5)).toBe('import');
    probe.arrive(6);
    probe.ask(6);
    probe.paint(6);
    expect(probe.due(6)).toBeNull();
    probe.paint(1);
    expect(probe.due(1)).toBe('capture');
  });
});
