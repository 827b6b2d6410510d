import assert from "node:assert/strict";
import {
  countBars,
  densityBars,
  densityCurve,
  display,
  formatDuration,
  heatmapFigure,
  histogramFigure,
  lineFigure,
  normalDensity,
  PlotlyFigure,
  Progress,
  seriesPanel,
  subplotGrid,
  symmetricGrid,
  tableDisplay,
  TextLines,
  timeSliderFigure,
} from "../../lib/display/mod.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const ax = { title: "t", xTitle: "x", yTitle: "y" };

Deno.test("lineFigure and histogramFigure name bad series, samples, bins and ranges", () => {
  assert.throws(() => lineFigure({ ...ax, series: null as Any }), {
    name: "TypeError",
    message: "series must be an array of numbers, got null",
  });
  assert.throws(() => lineFigure({ ...ax, series: [{ name: "a", x: [1, 2], y: [1, Infinity] }] }), {
    name: "RangeError",
    message: "series[0].y[1] must be finite or NaN (a gap), got Infinity",
  });
  assert.throws(
    () => lineFigure({ ...ax, series: [{ name: "a", x: [1, 2], y: [1, 2], errorY: [1] }] }),
    { name: "RangeError", message: "series[0].errorY must have length 2, got 1" },
  );
  assert.throws(() => lineFigure({ ...ax, title: 3 as Any, series: [] }), {
    name: "TypeError",
    message: "title must be a string, got 3",
  });
  assert.throws(() => lineFigure({ ...ax, height: NaN, series: [] }), /^RangeError: height must/);
  const samples = [{ name: "s", values: [1, 2] }];
  assert.throws(() => histogramFigure({ ...ax, samples: [{ name: "s", values: [1, NaN] }] }), {
    name: "RangeError",
    message: "samples[0].values[1] must be finite, got NaN",
  });
  assert.throws(() => histogramFigure({ ...ax, samples, bins: 0 }), {
    name: "RangeError",
    message: "bins must be an integer >= 1, got 0",
  });
  assert.throws(() => histogramFigure({ ...ax, samples, range: [NaN, 1] }), {
    name: "RangeError",
    message: "range[0] must be finite, got NaN",
  });
  assert.throws(() => histogramFigure({ ...ax, samples, range: [1, 0] }), {
    name: "RangeError",
    message: "range must have range[0] < range[1], got [1, 0]",
  });
  assert.throws(
    () => histogramFigure({ ...ax, samples, range: [-1e308, 1e308] }),
    /^RangeError: range overflows double precision/,
  );
});

Deno.test("heatmapFigure and subplotGrid name bad sizes, cells, axes and panels", () => {
  assert.throws(() => heatmapFigure({ ...ax, z: [], rows: 0, cols: 1 }), {
    name: "RangeError",
    message: "rows must be an integer >= 1, got 0",
  });
  assert.throws(() => heatmapFigure({ ...ax, z: [1, Infinity], rows: 1, cols: 2 }), {
    name: "RangeError",
    message: "z[1] must be finite or NaN (a gap), got Infinity",
  });
  // NaN stays a blank cell
  assert.deepEqual(heatmapFigure({ ...ax, z: [1, NaN], rows: 1, cols: 2 }).data[0]!.z, [[1, NaN]]);
  assert.throws(() => heatmapFigure({ ...ax, z: [1, 2], rows: 1, cols: 2, x: [1] }), {
    name: "RangeError",
    message: "x must have length 2, got 1",
  });
  assert.throws(() => heatmapFigure({ ...ax, z: [1], rows: 1, cols: 1, zmid: NaN }), {
    name: "RangeError",
    message: "zmid must be a finite number, got NaN",
  });
  assert.throws(() => subplotGrid({ title: "g", rows: NaN, cols: 1, panels: [] }), {
    name: "RangeError",
    message: "rows must be an integer >= 1, got NaN",
  });
  assert.throws(
    () => subplotGrid({ title: "g", rows: 2 ** 40, cols: 1, panels: [] }),
    /^RangeError: rows·cols = 1099511627776 values exceeds/,
  );
  assert.throws(
    () =>
      subplotGrid({ title: "g", rows: 1, cols: 1, panels: [{ title: "a", traces: null as Any }] }),
    { name: "TypeError", message: "panels[0].traces must be an array of traces, got null" },
  );
  assert.throws(
    () =>
      subplotGrid({
        title: "g",
        rows: 1,
        cols: 1,
        panels: [{ title: "a", traces: [], xRange: [0, NaN] }],
      }),
    { name: "RangeError", message: "panels[0].xRange[1] must be finite, got NaN" },
  );
});

Deno.test("distribution panels name non-finite points, overflowing limits and bad curves", () => {
  assert.throws(() => symmetricGrid(1e308), /^RangeError: limit overflows double precision/);
  assert.throws(() => normalDensity([0, NaN]), {
    name: "RangeError",
    message: "x[1] must be finite, got NaN",
  });
  assert.throws(
    () => densityBars([0], { limit: 1e308, bins: 2, color: "#000" }),
    /^RangeError: limit overflows double precision/,
  );
  assert.throws(() => densityBars(null as Any, { limit: 1, bins: 2, color: "#000" }), {
    name: "TypeError",
    message: "values must be an array of numbers, got null",
  });
  const c = { name: "c", x: [0, 1], y: [1, 2], color: "#000" };
  assert.throws(() => densityCurve({ ...c, floor: NaN }), {
    name: "RangeError",
    message: "floor must be a finite number, got NaN",
  });
  assert.throws(() => densityCurve({ ...c, y: [1, NaN], floor: 0 }), {
    name: "RangeError",
    message: "y[1] must be finite, got NaN",
  });
});

Deno.test("seriesPanel, timeSliderFigure, tableDisplay, TextLines and PlotlyFigure name bad input", () => {
  assert.throws(
    () => seriesPanel({ title: "p", series: [{ name: "s", x: [1], y: [1], width: -1 }] }),
    { name: "RangeError", message: "series[0].width must be a finite number > 0, got -1" },
  );
  assert.throws(() => timeSliderFigure({ ...ax, frames: null as Any, active: 0 }), {
    name: "TypeError",
    message: "frames must be an array of frames, got null",
  });
  assert.throws(
    () => timeSliderFigure({ ...ax, frames: [{ label: 1 as Any, traces: [] }], active: 0 }),
    { name: "TypeError", message: "frames[0].label must be a string, got 1" },
  );
  assert.throws(() => tableDisplay("c", [{ a: null as Any }]), {
    name: "TypeError",
    message: 'rows[0]["a"] must be a string or a number, got null',
  });
  assert.throws(() => tableDisplay("c", "r" as Any), {
    name: "TypeError",
    message: 'rows must be an array of numbers, got "r"',
  });
  assert.throws(() => new TextLines(null as Any), {
    name: "TypeError",
    message: "lines must be an array of numbers, got null",
  });
  assert.throws(() => new PlotlyFigure(null as Any), {
    name: "TypeError",
    message: "spec must be an object, got null",
  });
  assert.throws(() => new PlotlyFigure({ data: [], layout: null as Any }), {
    name: "TypeError",
    message: "spec.layout must be an object, got null",
  });
});

Deno.test("display, Progress and formatDuration name bad objects, totals, intervals and steps", async () => {
  await assert.rejects(() => display({} as Any), {
    name: "TypeError",
    message: 'obj must have a [Symbol.for("Jupyter.display")]() method, got [object Object]',
  });
  assert.throws(() => new Progress("x", NaN), {
    name: "RangeError",
    message: "total must be an integer >= 1, got NaN",
  });
  assert.throws(() => new Progress("x", 2, { intervalMs: NaN, broadcast: null }), {
    name: "RangeError",
    message: "intervalMs must be in [0, Infinity), got NaN",
  });
  assert.throws(() => new Progress("x", 2, { now: 3 as Any, broadcast: null }), {
    name: "TypeError",
    message: "now must be a function, got 3",
  });
  const p = new Progress("x", 2, { broadcast: null, print: () => {} });
  assert.throws(() => p.tick(NaN), {
    name: "RangeError",
    message: "n must be an integer >= 0, got NaN",
  });
  assert.equal(p.count, 0);
  assert.throws(() => formatDuration(NaN), {
    name: "RangeError",
    message: "seconds must be in [0, Infinity), got NaN",
  });
  assert.throws(() => formatDuration(-1), /^RangeError: seconds must be in \[0, Infinity\)/);
});

Deno.test("countBars: counts per bin on [0, max), the rest outside; bad input named", () => {
  const h = countBars([0, 0.24, 0.25, 0.99, 1, 7], { max: 1, bins: 4, color: "#000" });
  assert.deepEqual(h.trace.y, [2, 1, 0, 1]);
  assert.deepEqual(h.trace.x, [0.125, 0.375, 0.625, 0.875]);
  assert.equal(h.outside, 2);
  assert.throws(
    () => countBars([0.5, -1], { max: 1, bins: 2, color: "#000" }),
    /values\[1\] must be finite and >= 0/,
  );
  assert.throws(() => countBars([NaN], { max: 1, bins: 2, color: "#000" }), /values\[0\]/);
  assert.throws(() => countBars([], { max: 1, bins: 2, color: "#000" }), /at least one value/);
  assert.throws(() => countBars([1], { max: 0, bins: 2, color: "#000" }), /max/);
  assert.throws(() => countBars([1], { max: 1, bins: 1.5, color: "#000" }), /bins/);
});
