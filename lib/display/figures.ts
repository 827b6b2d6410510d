/**
 * Pure Plotly figure builders: each returns a {@link FigureSpec}
 * (`{ data, layout }`) and touches nothing else, so tests can inspect them
 * and notebooks can tweak them before display.
 *
 * Every figure should say what it tests: a title naming the claim, axis
 * titles with units, and the statistic in `note` (printed under the title).
 *
 * @module
 */
import type { FigureSpec, Layout, Trace } from "./plotly.ts";
import {
  assertAllocation,
  assertArrayLike,
  assertFinite,
  assertFiniteArray,
  assertFiniteOrNaNArray,
  assertInteger,
  assertLength,
  assertNoOverflow,
  assertObject,
  assertOneOf,
  assertPositive,
  assertString,
} from "../stats/validate.ts";

/** Qualitative palette (Okabe–Ito, colour-blind safe). */
export const PALETTE = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#F0E442",
  "#000000",
];

/** Common options of the builders. */
export interface AxesOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  /** A line of statistics shown under the title. */
  note?: string;
  height?: number;
}

/** Layout shared by every figure: white background, titles, log axes, note. */
export function baseLayout(o: AxesOptions): Layout {
  checkAxes(o);
  const title = o.note ? `${o.title}<br><sub>${o.note}</sub>` : o.title;
  return {
    title: { text: title, x: 0.02, xanchor: "left" },
    xaxis: { title: { text: o.xTitle }, type: o.logX ? "log" : "linear", zeroline: false },
    yaxis: { title: { text: o.yTitle }, type: o.logY ? "log" : "linear", zeroline: false },
    template: { layout: { font: { family: "Helvetica, Arial, sans-serif", size: 13 } } },
    plot_bgcolor: "white",
    paper_bgcolor: "white",
    height: o.height ?? 420,
    margin: { t: o.note ? 90 : 60, l: 70, r: 20, b: 60 },
    legend: { orientation: "h", y: -0.2 },
  };
}

/** The checks of {@link AxesOptions}: titles and note strings, a height > 0. */
function checkAxes(o: AxesOptions): void {
  assertObject("o", o);
  assertString("title", o.title);
  assertString("xTitle", o.xTitle);
  assertString("yTitle", o.yTitle);
  if (o.note !== undefined) assertString("note", o.note);
  if (o.height !== undefined) assertPositive("height", o.height);
}

/** A [lower, upper] pair of finite numbers with lower < upper, named `name`. */
function checkRange(name: string, r: readonly number[]): void {
  assertLength(name, r, 2);
  assertFiniteArray(name, r);
  if (!(r[1]! > r[0]!)) {
    throw new RangeError(`${name} must have ${name}[0] < ${name}[1], got [${r[0]}, ${r[1]}]`);
  }
}

/**
 * The checks of a {@link Series} called `name`: a string name, x and y of equal length holding
 * finite numbers or NaN (a gap), errorY of the same length, known mode and dash.
 */
function checkSeries(name: string, s: Series): void {
  assertObject(name, s);
  assertString(`${name}.name`, s.name);
  assertFiniteOrNaNArray(`${name}.x`, s.x);
  assertFiniteOrNaNArray(`${name}.y`, s.y);
  const n = s.x.length;
  if (s.y.length !== n) {
    throw new RangeError(`series "${s.name}": x has ${n} points, y has ${s.y.length}`);
  }
  if (s.errorY !== undefined) {
    assertFiniteOrNaNArray(`${name}.errorY`, s.errorY);
    assertLength(`${name}.errorY`, s.errorY, n);
  }
  if (s.mode !== undefined) {
    assertOneOf(`${name}.mode`, s.mode, ["lines", "markers", "lines+markers"]);
  }
  if (s.dash !== undefined) assertOneOf(`${name}.dash`, s.dash, ["solid", "dash", "dot"]);
  if (s.color !== undefined) assertString(`${name}.color`, s.color);
}

/** Array.from of a checked array-like argument `name` (a TypeError naming it otherwise). */
function list<T>(name: string, v: ArrayLike<T>): T[] {
  assertArrayLike(name, v);
  return Array.from(v);
}

function toArray(x: ArrayLike<number>): number[] {
  return Array.from(x);
}

/** One line (or marker) series. */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** symmetric error bars */
  errorY?: ArrayLike<number>;
  mode?: "lines" | "markers" | "lines+markers";
  dash?: "solid" | "dash" | "dot";
  color?: string;
  /** put on the second y axis (right side) */
  secondary?: boolean;
}

/**
 * Lines and markers on shared axes.
 * @example
 * ```ts
 * import { lineFigure } from "./figures.ts";
 * const f = lineFigure({ title: "t", xTitle: "x", yTitle: "y", series: [{ name: "a", x: [1, 2], y: [3, 4] }] });
 * if (f.data.length !== 1) throw new Error();
 * ```
 */
export function lineFigure(o: AxesOptions & { series: Series[]; y2Title?: string }): FigureSpec {
  checkAxes(o);
  const series = list("series", o.series);
  series.forEach((s, i) => checkSeries(`series[${i}]`, s));
  if (o.y2Title !== undefined) assertString("y2Title", o.y2Title);
  const data: Trace[] = series.map((s, i) => {
    const t: Trace = {
      type: "scatter",
      name: s.name,
      x: toArray(s.x),
      y: toArray(s.y),
      mode: s.mode ?? "lines+markers",
      line: { color: s.color ?? PALETTE[i % PALETTE.length], dash: s.dash ?? "solid", width: 2 },
      marker: { color: s.color ?? PALETTE[i % PALETTE.length], size: 6 },
    };
    if (s.errorY) t.error_y = { type: "data", array: toArray(s.errorY), visible: true };
    if (s.secondary) t.yaxis = "y2";
    return t;
  });
  const layout = baseLayout(o);
  if (series.some((s) => s.secondary)) {
    layout.yaxis2 = { title: { text: o.y2Title ?? "" }, overlaying: "y", side: "right" };
  }
  return { data, layout };
}

/**
 * Histograms normalised to probability density, with optional density
 * curves (e.g. a fitted Gaussian) overlaid.
 */
export function histogramFigure(
  o: AxesOptions & {
    samples: { name: string; values: ArrayLike<number> }[];
    curves?: Series[];
    bins?: number;
    range?: [number, number];
  },
): FigureSpec {
  checkAxes(o);
  const samples = list("samples", o.samples);
  samples.forEach((s, i) => {
    assertObject(`samples[${i}]`, s);
    assertString(`samples[${i}].name`, s.name);
    assertFiniteArray(`samples[${i}].values`, s.values);
  });
  const curves = list("curves", o.curves ?? []);
  curves.forEach((c, i) => checkSeries(`curves[${i}]`, c));
  if (o.bins !== undefined) assertInteger("bins", o.bins, 1);
  if (o.range !== undefined) {
    checkRange("range", o.range);
    assertNoOverflow("range", "range[1] − range[0]", o.range[1] - o.range[0]);
  }
  const data: Trace[] = samples.map((s, i) => {
    const t: Trace = {
      type: "histogram",
      name: s.name,
      x: toArray(s.values),
      histnorm: "probability density",
      opacity: 0.55,
      marker: { color: PALETTE[i % PALETTE.length] },
      nbinsx: o.bins ?? 60,
    };
    if (o.range) {
      t.xbins = {
        start: o.range[0],
        end: o.range[1],
        size: (o.range[1] - o.range[0]) / (o.bins ?? 60),
      };
    }
    return t;
  });
  for (const [i, c] of curves.entries()) {
    data.push({
      type: "scatter",
      mode: "lines",
      name: c.name,
      x: toArray(c.x),
      y: toArray(c.y),
      line: {
        color: c.color ?? PALETTE[(samples.length + i) % PALETTE.length],
        width: 2,
        dash: c.dash ?? "solid",
      },
    });
  }
  const layout = baseLayout(o);
  layout.barmode = "overlay";
  if (o.range) (layout.xaxis as Record<string, unknown>).range = o.range;
  return { data, layout };
}

/** A heat map of a matrix given row-major. */
export function heatmapFigure(
  o: AxesOptions & {
    z: ArrayLike<number>;
    rows: number;
    cols: number;
    x?: ArrayLike<number>;
    y?: ArrayLike<number>;
    colorscale?: string;
    zTitle?: string;
    zmid?: number;
  },
): FigureSpec {
  checkAxes(o);
  assertInteger("rows", o.rows, 1);
  assertInteger("cols", o.cols, 1);
  assertAllocation("rows·cols", o.rows * o.cols);
  assertFiniteOrNaNArray("z", o.z);
  if (o.x !== undefined) {
    assertFiniteArray("x", o.x);
    assertLength("x", o.x, o.cols);
  }
  if (o.y !== undefined) {
    assertFiniteArray("y", o.y);
    assertLength("y", o.y, o.rows);
  }
  if (o.colorscale !== undefined) assertString("colorscale", o.colorscale);
  if (o.zTitle !== undefined) assertString("zTitle", o.zTitle);
  if (o.zmid !== undefined) assertFinite("zmid", o.zmid);
  if (o.z.length !== o.rows * o.cols) {
    throw new RangeError(`z must have rows*cols = ${o.rows * o.cols} entries, got ${o.z.length}`);
  }
  const z: number[][] = [];
  for (let r = 0; r < o.rows; r++) {
    z.push(Array.from({ length: o.cols }, (_, c) => o.z[r * o.cols + c]!));
  }
  const t: Trace = {
    type: "heatmap",
    z,
    colorscale: o.colorscale ?? "Viridis",
    colorbar: { title: { text: o.zTitle ?? "" } },
  };
  if (o.x) t.x = toArray(o.x);
  if (o.y) t.y = toArray(o.y);
  if (o.zmid !== undefined) t.zmid = o.zmid;
  return { data: [t], layout: baseLayout(o) };
}

/** One panel of a {@link subplotGrid}. */
export interface Panel {
  title: string;
  traces: Trace[];
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  xRange?: [number, number];
}

/**
 * Panels on a rows × cols grid (row-major order), each with its own axes.
 */
export function subplotGrid(
  o: { title: string; note?: string; rows: number; cols: number; panels: Panel[]; height?: number },
): FigureSpec {
  assertObject("o", o);
  assertString("title", o.title);
  if (o.note !== undefined) assertString("note", o.note);
  assertInteger("rows", o.rows, 1);
  assertInteger("cols", o.cols, 1);
  assertAllocation("rows·cols", o.rows * o.cols);
  if (o.height !== undefined) assertPositive("height", o.height);
  const panels = list("panels", o.panels);
  panels.forEach((p, k) => {
    assertObject(`panels[${k}]`, p);
    assertString(`panels[${k}].title`, p.title);
    if (!Array.isArray(p.traces)) {
      throw new TypeError(`panels[${k}].traces must be an array of traces, got ${p.traces}`);
    }
    p.traces.forEach((t, j) => assertObject(`panels[${k}].traces[${j}]`, t));
    if (p.xTitle !== undefined) assertString(`panels[${k}].xTitle`, p.xTitle);
    if (p.yTitle !== undefined) assertString(`panels[${k}].yTitle`, p.yTitle);
    if (p.xRange !== undefined) checkRange(`panels[${k}].xRange`, p.xRange);
  });
  if (panels.length > o.rows * o.cols) {
    throw new RangeError(`${panels.length} panels do not fit a ${o.rows}×${o.cols} grid`);
  }
  const gapX = 0.08, gapY = 0.32 / o.rows;
  const w = (1 - gapX * (o.cols - 1)) / o.cols, h = (1 - gapY * (o.rows - 1)) / o.rows;
  const layout: Layout = baseLayout({
    title: o.title,
    note: o.note,
    xTitle: "",
    yTitle: "",
    height: o.height ?? 260 * o.rows,
  });
  delete layout.xaxis;
  delete layout.yaxis;
  const annotations: unknown[] = [];
  const data: Trace[] = [];
  panels.forEach((p, k) => {
    const r = Math.floor(k / o.cols), c = k % o.cols;
    const ax = k === 0 ? "" : `${k + 1}`;
    const x0 = c * (w + gapX), y1 = 1 - r * (h + gapY);
    layout[`xaxis${ax}`] = {
      domain: [x0, x0 + w],
      anchor: `y${ax}`,
      title: { text: p.xTitle ?? "" },
      type: p.logX ? "log" : "linear",
      ...(p.xRange ? { range: p.xRange } : {}),
    };
    layout[`yaxis${ax}`] = {
      domain: [y1 - h, y1],
      anchor: `x${ax}`,
      title: { text: p.yTitle ?? "" },
      type: p.logY ? "log" : "linear",
    };
    annotations.push({
      text: p.title,
      x: x0 + w / 2,
      y: y1,
      xref: "paper",
      yref: "paper",
      xanchor: "center",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 12 },
    });
    for (const t of p.traces) data.push({ ...t, xaxis: `x${ax}`, yaxis: `y${ax}` });
  });
  layout.annotations = annotations;
  layout.showlegend = false;
  return { data, layout };
}
