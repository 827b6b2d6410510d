/**
 * Generated bad and good input for every public function and class of lib/display: each call
 * returns a valid result (finite numbers where numbers are computed, a FigureSpec whose data is an
 * array) or throws a RangeError/TypeError naming the argument.
 */
import { allFinite, anyArray, anyNumber, fc, namedOrValid, PROPERTY_RUNS } from "../_property.ts";
import {
  baseLayout,
  densityBars,
  densityCurve,
  display,
  escapeHtml,
  type FigureSpec,
  formatDuration,
  heatmapFigure,
  histogramFigure,
  lineFigure,
  normalDensity,
  PlotlyFigure,
  Progress,
  seriesPanel,
  stableFitPanel,
  subplotGrid,
  symmetricGrid,
  tableDisplay,
  TextLines,
  thinnedQqPoints,
  timeSliderFigure,
} from "../../lib/display/mod.ts";
import { JUPYTER_DISPLAY } from "../../lib/display/mime.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const RUNS = { ...PROPERTY_RUNS, numRuns: 60 };

function check(
  arbs: fc.Arbitrary<unknown>[],
  call: (...a: Any[]) => unknown,
  names: string[],
  valid: (r: Any) => boolean = (r) => allFinite(r),
): void {
  fc.assert(
    fc.property(fc.tuple(...arbs), (args) => void namedOrValid(() => call(...args), names, valid)),
    RUNS,
  );
}

/** A figure spec: data an array of traces whose numbers are finite, layout an object. */
function validSpec(f: FigureSpec): boolean {
  return Array.isArray(f.data) && typeof f.layout === "object" && f.layout !== null &&
    f.data.every((t) => allFinite(t.x) && allFinite(t.error_y) && allFinite(t.xbins));
}

const anyString = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(3, null, undefined));
const anyTitle = fc.oneof(fc.constant("t"), anyString);
const anyValues = fc.oneof(
  anyArray,
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 12 }),
  fc.constantFrom(null, 7, "ab", { length: 2 }, [1, "2"], new Float64Array([1, 2])),
);
const anyMaybe = <T>(a: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), a);
const anySeries = fc.oneof(
  fc.record({
    name: anyTitle,
    x: anyValues,
    y: anyValues,
    errorY: anyMaybe(anyValues),
    mode: anyMaybe(fc.constantFrom("lines", "markers", "bars")),
    dash: anyMaybe(fc.constantFrom("solid", "dash", "wavy")),
    secondary: anyMaybe(fc.boolean()),
  }),
  fc.constantFrom(
    { name: "a", x: [1, 2], y: [3, NaN] },
    { name: "b", x: [1, 2, 3], y: [1, 2] },
    { name: "c", x: [1, 2], y: [3, Infinity] },
    null,
    5,
  ),
);
const anySeriesList = fc.oneof(
  fc.array(anySeries, { maxLength: 3 }),
  fc.constantFrom(null, "s", { length: 1 }),
);
const axes = { title: anyTitle, xTitle: anyTitle, yTitle: anyTitle };
const anyAxes = fc.record({
  ...axes,
  note: anyMaybe(anyString),
  height: anyMaybe(anyNumber),
  logX: anyMaybe(fc.boolean()),
});
const anyTrace = fc.oneof(
  fc.record({ type: fc.constant("scatter"), x: fc.constant([1, 2]), y: fc.constant([1, 2]) }),
  fc.constantFrom(null, 3 as unknown as object),
);
const anyTraces = fc.oneof(fc.array(anyTrace, { maxLength: 3 }), fc.constantFrom(null, "t"));
const anyRange = anyMaybe(
  fc.oneof(fc.tuple(anyNumber, anyNumber), fc.constantFrom([1], [0, 1], [1, 0], null)),
);

Deno.test("property: baseLayout, lineFigure, histogramFigure name bad input or give finite specs", () => {
  check([anyAxes], (o) => baseLayout(o), ["title", "xTitle", "yTitle", "note", "height", "o"], (
    l,
  ) => typeof l === "object");
  check(
    [anyAxes, anySeriesList, anyMaybe(anyString)],
    (a, series, y2Title) => lineFigure({ ...a, series, y2Title }),
    ["series", "title", "xTitle", "yTitle", "note", "height", "y2Title"],
    validSpec,
  );
  const anySamples = fc.oneof(
    fc.array(fc.record({ name: anyTitle, values: anyValues }), { maxLength: 3 }),
    fc.constantFrom(null, [null], "x"),
  );
  check(
    [anySamples, anyMaybe(anySeriesList), anyMaybe(anyNumber), anyRange],
    (samples, curves, bins, range) =>
      histogramFigure({ title: "t", xTitle: "x", yTitle: "y", samples, curves, bins, range }),
    ["samples", "curves", "bins", "range"],
    validSpec,
  );
});

Deno.test("property: heatmapFigure and subplotGrid name bad sizes, data and panels", () => {
  const anySize = fc.oneof(anyNumber, fc.integer({ min: 1, max: 3 }));
  check(
    [anySize, anySize, anyValues, anyMaybe(anyValues), anyMaybe(anyValues), anyMaybe(anyNumber)],
    (rows, cols, z, x, y, zmid) =>
      heatmapFigure({ title: "t", xTitle: "x", yTitle: "y", rows, cols, z, x, y, zmid }),
    ["rows", "cols", "z", "x", "y", "zmid"],
    (f) => validSpec(f) && allFinite(f.data[0].x) && allFinite(f.data[0].y),
  );
  const anyPanel = fc.oneof(
    fc.record({
      title: anyTitle,
      traces: anyTraces,
      xRange: anyRange,
      xTitle: anyMaybe(anyString),
    }),
    fc.constantFrom(null, 1),
  );
  check(
    [anyTitle, anySize, anySize, fc.oneof(fc.array(anyPanel, { maxLength: 4 }), fc.constant(null))],
    (title, rows, cols, panels) => subplotGrid({ title, rows, cols, panels }),
    ["title", "rows", "cols", "panels"],
    (f) => validSpec(f) && allFinite(f.layout.xaxis),
  );
});

Deno.test("property: distribution panels name bad limits, bins, samples and curves", () => {
  check([anyNumber, anyMaybe(anyNumber)], (l, p) => symmetricGrid(l, p), ["limit", "points"]);
  check([anyValues, anyMaybe(anyNumber)], (x, sd) => normalDensity(x, sd), ["x", "sd"]);
  check(
    [anyValues, anyNumber, anyNumber, anyString],
    (v, limit, bins, color) => densityBars(v, { limit, bins, color }),
    ["values", "limit", "bins", "color"],
  );
  check(
    [anyValues, anyValues, anyNumber, anyString],
    (x, y, floor, name) => densityCurve({ name, x, y, floor, color: "#000" }),
    ["x", "y", "floor", "name", "curve"],
  );
  check([anyValues, anyMaybe(anyNumber)], (z, keep) => thinnedQqPoints(z, keep), [
    "z",
    "x",
    "keep",
  ]);
  const z = Array.from({ length: 200 }, (_, i) => Math.tan(Math.PI * ((i + 0.5) / 200 - 0.5)));
  fc.assert(
    fc.property(
      fc.oneof(fc.constant(z), anyValues),
      anyNumber,
      anyTitle,
      (zz, limit, title) =>
        void namedOrValid(
          () => stableFitPanel(zz as Any, { title: title as Any, limit, color: "#000", bins: 20 }),
          ["z", "x", "values", "limit", "title"],
          (p) => allFinite(p.xRange) && p.traces.every((t) => allFinite(t.x) && allFinite(t.y)),
        ),
    ),
    { ...PROPERTY_RUNS, numRuns: 15 },
  );
});

Deno.test("property: seriesPanel and timeSliderFigure name bad series and frames", () => {
  check(
    [anySeriesList, anyMaybe(anyNumber), anyMaybe(anyNumber)],
    (series, width, markerSize) =>
      seriesPanel({
        title: "p",
        series: Array.isArray(series)
          ? series.map((s) => s && typeof s === "object" ? { ...s, width, markerSize } : s)
          : series,
      }),
    ["series", "width", "markerSize"],
    (p) => Array.isArray(p.traces) && p.traces.every((t: Any) => allFinite(t.x)),
  );
  const anyFrames = fc.oneof(
    fc.array(fc.record({ label: anyTitle, traces: anyTraces }), { maxLength: 3 }),
    fc.constantFrom(null, [null], "f"),
  );
  check(
    [anyFrames, anyNumber, anyMaybe(anyString)],
    (frames, active, prefix) =>
      timeSliderFigure({ title: "t", xTitle: "x", yTitle: "y", frames, active, prefix }),
    ["frames", "active", "prefix"],
    validSpec,
  );
});

Deno.test("property: tables, text, MIME, PlotlyFigure, Progress and formatDuration", async () => {
  const anyCell = fc.oneof(anyNumber, fc.string({ maxLength: 3 }), fc.constantFrom(null, {}, [1]));
  const anyRows = fc.oneof(
    fc.array(fc.record({ a: anyCell, b: anyCell }), { maxLength: 3 }),
    fc.array(fc.dictionary(fc.constantFrom("a", "b"), anyCell), { maxLength: 3 }),
    fc.constantFrom(null, [null], "r", { length: 1 }),
  );
  check(
    [anyString, anyRows],
    (caption, rows) => tableDisplay(caption, rows)[JUPYTER_DISPLAY](),
    ["caption", "rows"],
    (b) => typeof b["text/plain"] === "string" && typeof b["text/html"] === "string",
  );
  check(
    [fc.oneof(fc.array(anyCell, { maxLength: 3 }), fc.constantFrom(null, 3, "ab"))],
    (lines) => new TextLines(lines).text,
    ["lines"],
    (t) => typeof t === "string",
  );
  check([anyString], (s) => escapeHtml(s), ["s"], (t) => typeof t === "string");
  await Promise.all(
    [null, 3, {}, { [JUPYTER_DISPLAY]: 1 }].map((obj) =>
      display(obj as Any).then(
        () => {
          throw new Error(`display accepted ${String(obj)}`);
        },
        (e) =>
          void namedOrValid(() => {
            throw e;
          }, ["obj"]),
      )
    ),
  );
  const anySpec = fc.oneof(
    fc.record({ data: anyTraces, layout: fc.constantFrom({}, { title: "t" }, null, 3) }),
    fc.constantFrom(null, 4, "spec"),
  );
  check(
    [anySpec],
    (spec) => {
      const f = new PlotlyFigure(spec);
      return [f.title, f.toString(), f.toHtml()];
    },
    ["spec"],
    (r) => r.every((s: unknown) => typeof s === "string"),
  );
  check(
    [fc.oneof(anyNumber, fc.constantFrom("1", null))],
    (s) => formatDuration(s),
    ["seconds"],
    (t) => typeof t === "string" && !t.includes("NaN"),
  );
  const anyFn = fc.constantFrom(undefined, () => 0, 3, "f");
  check(
    [anyString, anyNumber, anyMaybe(anyNumber), anyFn, fc.oneof(anyNumber, fc.constant(undefined))],
    (label, total, intervalMs, now, n) => {
      const lines: string[] = [];
      const p = new Progress(label, total, {
        intervalMs,
        now: now as Any,
        print: (l) => lines.push(l),
        broadcast: null,
      });
      p.tick(n);
      return p.text();
    },
    ["label", "total", "intervalMs", "now", "n"],
    (t) => typeof t === "string" && !t.includes("NaN"),
  );
});
