/**
 * The capture screen's timing probe for the app benchmark (scripts/bench-app.sh reads `backend.uiReady`):
 * "capture" once every thumbnail asked for so far is painted (the first screenful after opening), "import"
 * once the first page that arrived by a `counter://page` event is painted. Each stage is reported once per
 * screen. Pure bookkeeping: the grid tells it what was asked and painted, and reports what it returns.
 */

export type ProbeStage = 'capture' | 'import';

export class ThumbProbe {
  private readonly asked = new Set<number>();
  private readonly painted = new Set<number>();
  private readonly imported = new Set<number>();
  private readonly reported = { capture: false, import: false };

  /** The thumbnail of page `id` was asked of the core. */
  ask(id: number): void {
    this.asked.add(id);
  }

  /** Page `id` arrived while importing or scanning (a `counter://page` event). */
  arrive(id: number): void {
    this.imported.add(id);
  }

  /** How many thumbnails asked for are not painted yet (still on their way at the end of a scroll). */
  pending(): number {
    return [...this.asked].filter((id) => !this.painted.has(id)).length;
  }

  /** The thumbnail of page `id` was painted (its image loaded). */
  paint(id: number): void {
    this.painted.add(id);
  }

  /**
   * The stage to report after page `id` was painted (called a frame later, when it is on screen), or
   * `null`: "import" for the first imported page painted, else "capture" once every asked thumbnail is.
   */
  due(id: number): ProbeStage | null {
    if (!this.reported.import && this.imported.has(id)) {
      this.reported.import = true;
      return 'import';
    }
    if (!this.reported.capture && [...this.asked].every((asked) => this.painted.has(asked))) {
      this.reported.capture = true;
      return 'capture';
    }
    return null;
  }
}
