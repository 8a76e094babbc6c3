/**
 * Geometry of the Báo cáo screen's trend chart, drawn as plain SVG (no chart library): for each bucket
 * of the period three bars side by side (received, finished on time, late), scaled to the largest
 * value, with "nice" gridline values. Pure, so it is unit-tested.
 */
import type { TrendPoint } from '../lib/backend/supervisor';

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
  series: 'received' | 'onTime' | 'late';
}

export interface Chart {
  bars: Bar[];
  /** Gridline values from 0 up to the top of the scale, with their y. */
  ticks: { value: number; y: number }[];
  /** Bucket labels with the x of their centre. */
  labels: { text: string; x: number }[];
}

/** The smallest 1/2/5×10ⁿ step giving at most 5 gridlines up to `max`. */
export function niceStep(max: number): number {
  if (max <= 5) return 1;
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

/** Lays out `points` in a `width`×`height` plot area (origin top-left, y downwards). */
export function layoutChart(points: readonly TrendPoint[], width: number, height: number): Chart {
  const max = Math.max(1, ...points.flatMap((p) => [p.received, p.onTime, p.late]));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const scale = (v: number) => (v / top) * height;
  const slot = points.length > 0 ? width / points.length : width;
  const barWidth = Math.max(1, (slot * 0.8) / 3);
  const bars: Bar[] = [];
  const labels: Chart['labels'] = [];
  points.forEach((p, i) => {
    const left = i * slot + slot * 0.1;
    (['received', 'onTime', 'late'] as const).forEach((series, k) => {
      const value = p[series];
      const h = scale(value);
      bars.push({ x: left + k * barWidth, y: height - h, width: barWidth, height: h, value, series });
    });
    const day = p.from.slice(8, 10) + '/' + p.from.slice(5, 7);
    labels.push({ text: day, x: i * slot + slot / 2 });
  });
  const ticks = [];
  for (let v = 0; v <= top; v += step) ticks.push({ value: v, y: height - scale(v) });
  return { bars, ticks, labels };
}
