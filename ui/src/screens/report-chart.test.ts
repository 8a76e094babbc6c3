/** The trend chart's layout: bars scaled to the largest value, nice gridlines, one label per bucket. */
import { describe, expect, it } from 'vitest';
import { layoutChart, niceStep } from './report-chart';

describe('report chart', () => {
  it('chooses 1/2/5 steps', () => {
    expect(niceStep(3)).toBe(1);
    expect(niceStep(12)).toBe(5);
    expect(niceStep(37)).toBe(10);
    expect(niceStep(180)).toBe(50);
  });

  it('scales bars to the top gridline and keeps them inside the plot', () => {
    const chart = layoutChart(
      [
        { from: '2026-11-01', to: '2026-11-01', received: 10, onTime: 4, late: 1 },
        { from: '2026-11-02', to: '2026-11-02', received: 0, onTime: 0, late: 0 },
      ],
      200,
      100,
    );
    expect(chart.bars).toHaveLength(6);
    expect(chart.ticks.at(-1)).toEqual({ value: 10, y: 0 });
    const received = chart.bars[0];
    expect(received).toMatchObject({ series: 'received', value: 10, y: 0, height: 100 });
    expect(chart.bars[1].height).toBeCloseTo(40);
    for (const bar of chart.bars) {
      expect(bar.x).toBeGreaterThanOrEqual(0);
      expect(bar.x + bar.width).toBeLessThanOrEqual(200);
      expect(bar.y + bar.height).toBeCloseTo(100);
    }
    expect(chart.labels.map((l) => l.text)).toEqual(['01/11', '02/11']);
  });
});
