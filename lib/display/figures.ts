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
import { wrapText } from "./wrap_text.ts";
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

/**
 * Visible characters per line: of a figure's title (Plotly draws it at 18 px, about 9 px a
 * character), of its note (the title's `<sub>`, about 6.5 px) and of an axis title (15 px). With
 * these a title and note fit a figure 900 px wide, and a y-axis title the height of a plot area
 * of about 250 px; longer ones are broken into lines by {@link wrapText}.
 */
export const WRAP = { title: 90, note: 130, axisTitle: 32 } as const;

/**
 * Pixels of the title block: its first line is 21 px high, each further line 23.4 px (Plotly:
 * 1.3 × the 18 px title font, note lines included); its top sits TITLE_TOP px below the top of
 * the figure, and TITLE_GAP px separate it from the plot area (room for the top tick label).
 */
const TITLE_FIRST = 21, TITLE_LINE = 23.4, TITLE_TOP = 10, TITLE_GAP = 18;

/**
 * The `title.pad.t` that puts the top of a title block of `lines` lines TITLE_TOP px below the
 * top of the figure: Plotly draws a top-anchored title 4.4 px above its pad, and one of several
 * lines 17 px above it (measured in Chromium, plotly.js 4.1).
 */
function titlePad(lines: number): number {
  return TITLE_TOP + (lines > 1 ? 17 : 4.4);
}

/**
 * The title block of a figure: the title and the note (in `<sub>`) wrapped to
 * {@link WRAP}, one `<br>` between lines, and the number of lines. A break keeps the space
 * before it, so that the text without its tags still reads as words.
 *
 * @example
 * ```ts
 * import { titleBlock } from "./figures.ts";
 * const b = titleBlock("The SGN shrinks like 1/√S", "slope −0.50");
 * if (b.text !== "The SGN shrinks like 1/√S<br><sub>slope −0.50</sub>" || b.lines !== 2) throw new Error();
 * ```
 */
export function titleBlock(title: string, note?: string): { text: string; lines: number } {
  const head = wrapText(title, WRAP.title);
  const sub = note ? wrapText(note, WRAP.note).map((l) => `<sub>${l}</sub>`) : [];
  const text = head.join(" <br>") + (sub.length ? `<br>${sub.join(" <br>")}` : "");
  return { text, lines: head.length + sub.length };
}

/**
 * The top margin, in pixels, that holds a title block of `lines` lines drawn from the top of the
 * figure, plus `extra` pixels (a grid's panel titles).
 */
export function titleMargin(lines: number, extra = 0): number {
  return Math.ceil(TITLE_TOP + TITLE_FIRST + TITLE_LINE * (lines - 1) + TITLE_GAP + extra);
}

/**
 * A y-axis title wrapped to {@link WRAP}.axisTitle characters a line (an x-axis title has the
 * figure's width and is left whole).
 */
export function axisTitle(text: string): { text: string } {
  return { text: wrapText(text, WRAP.axisTitle).join(" <br>") };
}

/**
 * Layout shared by every figure: white background, the title block ({@link titleBlock}) at the
 * top left with a top margin that holds it, y-axis titles wrapped ({@link axisTitle}), log axes,
 * axes that grow the margins to fit their tick labels and titles (`automargin`), and the legend
 * (when there is one) in a row below the x-axis title: anchored to the bottom of the figure, so
 * Plotly reserves its height in the bottom margin on top of what the axis needs.
 */
export function baseLayout(o: AxesOptions): Layout {
  checkAxes(o);
  const title = titleBlock(o.title, o.note);
  return {
    title: {
      text: title.text,
      x: 0.02,
      xanchor: "left",
      yref: "container",
      y: 1,
      yanchor: "top",
      pad: { t: titlePad(title.lines) },
    },
    xaxis: {
      title: { text: o.xTitle },
      type: o.logX ? "log" : "linear",
      zeroline: false,
      automargin: true,
    },
    yaxis: {
      title: axisTitle(o.yTitle),
      type: o.logY ? "log" : "linear",
      zeroline: false,
      automargin: true,
    },
    template: { layout: { font: { family: "Helvetica, Arial, sans-serif", size: 13 } } },
    plot_bgcolor: "white",
    paper_bgcolor: "white",
    height: o.height ?? 420,
    margin: { t: titleMargin(title.lines), l: 70, r: 20, b: 60 },
    legend: { orientation: "h", yref: "container", y: 0, yanchor: "bottom" },
  };
}

/** Pixels of one row of a legend (Plotly: 13 px font, about 19 px a row). */
const LEGEND_ROW = 19;

/**
 * How many rows a horizontal legend of these entries takes in a figure about 900 px wide: Plotly
 * lines the entries up in columns as wide as the widest entry (about 40 px of symbol and gap and
 * 6.5 px a character of its 13 px font).
 *
 * @example
 * ```ts
 * import { legendRows } from "./figures.ts";
 * if (legendRows(["a", "b"]) !== 1 || legendRows(Array(4).fill("x".repeat(60))) !== 2) throw new Error();
 * ```
 */
export function legendRows(names: string[]): number {
  if (names.length === 0) return 0;
  const widest = 40 + 6.5 * Math.max(...names.map((n) => n.replace(/<[^>]*>/g, "").length));
  return Math.ceil(names.length / Math.max(1, Math.floor(900 / widest)));
}

/**
 * The default height of a single-plot figure: 420 px for a title block of up to two lines and
 * a legend of one row, plus the lines and rows beyond those, so that the plot area keeps its
 * size (about 250 px).
 */
function defaultHeight(titleLines: number, legend: number): number {
  return 420 + Math.ceil(TITLE_LINE * Math.max(0, titleLines - 2)) +
    LEGEND_ROW * Math.max(0, legend - 1);
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

/** Throws a TypeError naming `name` unless `v` is a boolean. */
function checkFlag(name: string, v: unknown): void {
  if (typeof v !== "boolean") throw new TypeError(`${name} must be true or false, got ${v}`);
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
  if (o.height === undefined) {
    const named = series.length > 1 ? series.map((s) => s.name) : [];
    layout.height = defaultHeight(titleBlock(o.title, o.note).lines, legendRows(named));
  }
  if (series.some((s) => s.secondary)) {
    layout.yaxis2 = {
      title: axisTitle(o.y2Title ?? ""),
      overlaying: "y",
      side: "right",
      automargin: true,
    };
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
  if (o.height === undefined) {
    const names = [...samples.map((s) => s.name), ...curves.map((c) => c.name)];
    layout.height = defaultHeight(
      titleBlock(o.title, o.note).lines,
      legendRows(names.length > 1 ? names : []),
    );
  }
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
  const layout = baseLayout(o);
  if (o.height === undefined) layout.height = defaultHeight(titleBlock(o.title, o.note).lines, 0);
  return { data: [t], layout };
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
  /**
   * Give this panel a legend of its own (its traces, less those with `showlegend: false`),
   * stacked below the grid under the panel's column; at most one such panel per column.
   */
  legend?: boolean;
}

/**
 * Pixels between the title block and the top row of a grid, for a panel title of one line, and
 * for each further line (Plotly: 12 px font); a panel title is wrapped to about 6.5 px a
 * character of its column's width in a figure 900 px wide.
 */
const PANEL_TITLE = 18, PANEL_TITLE_LINE = 14;

/** The characters a panel title may hold on one line in a grid of `cols` columns. */
function panelTitleChars(cols: number): number {
  return Math.max(12, Math.floor(110 / cols));
}

/**
 * Panels on a rows × cols grid (row-major order), each with its own axes and its title above it
 * (wrapped to its column's width; the top margin grows with the top row's title lines, the gap
 * between rows with the lower rows' ones).
 * Without `legend` the figure has no legend (the note says what the marks are), unless panels ask
 * for their own ({@link Panel.legend}); `legend: true` gives the whole figure one legend below the
 * panels (the traces' `showlegend` flags choose its entries, e.g. one panel's only). The default
 * height is 260 px a row, plus room for title lines beyond two and for the legends.
 */
export function subplotGrid(
  o: {
    title: string;
    note?: string;
    rows: number;
    cols: number;
    panels: Panel[];
    height?: number;
    legend?: boolean;
  },
): FigureSpec {
  assertObject("o", o);
  assertString("title", o.title);
  if (o.note !== undefined) assertString("note", o.note);
  assertInteger("rows", o.rows, 1);
  assertInteger("cols", o.cols, 1);
  assertAllocation("rows·cols", o.rows * o.cols);
  if (o.height !== undefined) assertPositive("height", o.height);
  if (o.legend !== undefined) checkFlag("legend", o.legend);
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
    if (p.legend !== undefined) checkFlag(`panels[${k}].legend`, p.legend);
  });
  if (panels.length > o.rows * o.cols) {
    throw new RangeError(`${panels.length} panels do not fit a ${o.rows}×${o.cols} grid`);
  }
  const owners = panels.flatMap((p, k) => (p.legend ? [k] : []));
  owners.forEach((k, i) => {
    const other = owners.slice(0, i).find((j) => j % o.cols === k % o.cols);
    if (other !== undefined) {
      throw new RangeError(
        `panels[${other}] and panels[${k}] both have a legend in column ${k % o.cols}: ` +
          "a grid holds one panel legend per column",
      );
    }
  });
  const inLegend = (t: Trace) => t.showlegend !== false;
  const panelRows = Math.max(0, ...owners.map((k) => panels[k]!.traces.filter(inLegend).length));
  const shared = o.legend
    ? legendRows(panels.flatMap((p) => p.traces.filter(inLegend).map((t) => String(t.name ?? ""))))
    : 0;
  const block = titleBlock(o.title, o.note);
  const panelTitles = panels.map((p) => wrapText(p.title, panelTitleChars(o.cols)));
  const topLines = Math.max(1, ...panelTitles.slice(0, o.cols).map((l) => l.length));
  const lowerLines = Math.max(1, ...panelTitles.slice(o.cols).map((l) => l.length));
  const layout: Layout = baseLayout({
    title: o.title,
    note: o.note,
    xTitle: "",
    yTitle: "",
    height: o.height ??
      260 * o.rows + Math.ceil(TITLE_LINE * Math.max(0, block.lines - 2)) +
        LEGEND_ROW * (panelRows + shared),
  });
  (layout.margin as Record<string, number>).t = titleMargin(
    block.lines,
    PANEL_TITLE + PANEL_TITLE_LINE * (topLines - 1),
  );
  // rows are 0.32/rows of the plot area apart, plus the extra lines of the lower panel titles
  // and as much again to spare (in pixels of a plot area estimated as the height less the top
  // margin and 80 px below)
  const area = (layout.height as number) - (layout.margin as { t: number }).t - 80;
  const gapX = 0.08;
  const gapY = 0.32 / o.rows + 2 * PANEL_TITLE_LINE * (lowerLines - 1) / Math.max(area, 100);
  const w = (1 - gapX * (o.cols - 1)) / o.cols, h = (1 - gapY * (o.rows - 1)) / o.rows;
  delete layout.xaxis;
  delete layout.yaxis;
  const annotations: unknown[] = [];
  const data: Trace[] = [];
  let legends = o.legend ? 1 : 0;
  panels.forEach((p, k) => {
    const r = Math.floor(k / o.cols), c = k % o.cols;
    const ax = k === 0 ? "" : `${k + 1}`;
    const x0 = c * (w + gapX), y1 = 1 - r * (h + gapY);
    layout[`xaxis${ax}`] = {
      domain: [x0, x0 + w],
      anchor: `y${ax}`,
      title: { text: p.xTitle ?? "" },
      type: p.logX ? "log" : "linear",
      automargin: true,
      ...(p.xRange ? { range: p.xRange } : {}),
    };
    layout[`yaxis${ax}`] = {
      domain: [y1 - h, y1],
      anchor: `x${ax}`,
      title: axisTitle(p.yTitle ?? ""),
      type: p.logY ? "log" : "linear",
      automargin: true,
    };
    annotations.push({
      text: panelTitles[k]!.join(" <br>"),
      x: x0 + w / 2,
      y: y1,
      xref: "paper",
      yref: "paper",
      xanchor: "center",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 12 },
    });
    // with panel legends only, a trace of a panel without one must stay out of all legends
    let legend: Trace = o.legend || owners.length === 0 ? {} : { showlegend: false };
    if (p.legend) {
      const id = legends === 0 ? "legend" : `legend${legends + 1}`;
      legends++;
      layout[id] = {
        orientation: "v",
        xref: "paper",
        x: x0,
        xanchor: "left",
        yref: "container",
        y: 0,
        yanchor: "bottom",
      };
      legend = { legend: id };
    }
    for (const t of p.traces) {
      data.push(
        p.legend || o.legend
          ? { ...legend, ...t, xaxis: `x${ax}`, yaxis: `y${ax}` }
          : { ...t, ...legend, xaxis: `x${ax}`, yaxis: `y${ax}` },
      );
    }
  });
  layout.annotations = annotations;
  layout.showlegend = legends > 0;
  return { data, layout };
}
