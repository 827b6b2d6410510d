/**
 * A panel of {@link subplotGrid} described by {@link Series}, the compact form that
 * {@link lineFigure} takes, so that multi-panel figures need no hand-written Plotly traces.
 * Pure: returns a {@link Panel}.
 *
 * @module
 */
import { lineFigure, type Panel, type Series } from "./figures.ts";
import { assertArrayLike, assertObject, assertPositive } from "../stats/validate.ts";

/**
 * A {@link Series} with optional line width and marker size (lineFigure's: 2 and 6), and
 * `legend: false` to keep it out of a legend (a bound drawn for each of several series, say).
 */
export interface PanelSeries extends Series {
  width?: number;
  markerSize?: number;
  legend?: boolean;
}

/**
 * The traces {@link lineFigure} makes of `series` (colours by index from PALETTE unless given),
 * with the panel's title and axes.
 *
 * @param o the panel's title, axis titles, log axes, x range and series
 * @returns a {@link Panel}
 * @throws RangeError when a series' x and y differ in length
 * @example
 * ```ts
 * import { seriesPanel } from "./series_panel.ts";
 * const p = seriesPanel({ title: "a", xTitle: "x", series: [{ name: "s", x: [1, 2], y: [3, 4], markerSize: 8 }] });
 * if (p.traces.length !== 1 || (p.traces[0]!.marker as { size: number }).size !== 8) throw new Error();
 * ```
 */
export function seriesPanel(
  o: Omit<Panel, "traces"> & { series: PanelSeries[] },
): Panel {
  assertObject("o", o);
  const { series, ...panel } = o;
  assertArrayLike("series", series);
  Array.from(series).forEach((s, i) => {
    assertObject(`series[${i}]`, s);
    if (s.width !== undefined) assertPositive(`series[${i}].width`, s.width);
    if (s.markerSize !== undefined) assertPositive(`series[${i}].markerSize`, s.markerSize);
    if (s.legend !== undefined && typeof s.legend !== "boolean") {
      throw new TypeError(`series[${i}].legend must be true or false, got ${s.legend}`);
    }
  });
  const traces = lineFigure({ title: o.title, xTitle: "", yTitle: "", series }).data;
  Array.from(series).forEach((s, i) => {
    const t = traces[i]!;
    if (s.width !== undefined) (t.line as Record<string, unknown>).width = s.width;
    if (s.markerSize !== undefined) (t.marker as Record<string, unknown>).size = s.markerSize;
    if (s.legend === false) t.showlegend = false;
  });
  return { ...panel, traces };
}
