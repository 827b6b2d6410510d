/**
 * Pieces of figures that hold a sample against a law: density histograms as
 * bar traces on a symmetric range, density curves cut where a log axis would
 * show nothing but noise, a histogram panel of a standardised sample with
 * its fitted Gaussian and fitted symmetric stable law (notebook 02's test of
 * "Gaussian or heavy tailed"), and thinned normal QQ points. All pure: they
 * return traces and panels for {@link subplotGrid} and touch nothing else.
 *
 * @module
 */
import { qqPoints } from "../stats/normality.ts";
import { fitSymmetricStable, symmetricStablePdf } from "../stats/stable_density.ts";
import { PALETTE, type Panel } from "./figures.ts";
import type { Trace } from "./plotly.ts";
import {
  assertAllocation,
  assertFinite,
  assertFiniteArray,
  assertNoOverflow,
  assertObject,
  assertPositive,
  assertString,
} from "../stats/validate.ts";

/**
 * `points` equally spaced values from −limit to limit (both included), the
 * x grid of the density curves.
 *
 * @param limit half-width (finite, > 0)
 * @param points number of points (integer ≥ 2), default 241
 * @returns the grid as a plain array
 * @throws RangeError for a bad limit or point count
 */
export function symmetricGrid(limit: number, points = 241): number[] {
  assertPositive("limit", limit);
  if (!Number.isInteger(points) || points < 2) {
    throw new RangeError(`points must be an integer >= 2, got ${points}`);
  }
  assertAllocation("points", points);
  assertNoOverflow("limit", "2·limit", 2 * limit);
  return Array.from({ length: points }, (_, i) => -limit + (2 * limit * i) / (points - 1));
}

/**
 * The N(0, sd²) density at each x, φ(x) = exp(−x²/(2 sd²)) / (sd √(2π)),
 * for overlays.
 *
 * @param x points
 * @param sd standard deviation (finite, > 0), default 1
 * @returns the densities
 * @throws RangeError for a bad sd
 */
export function normalDensity(x: number[], sd = 1): number[] {
  assertPositive("sd", sd);
  assertFiniteArray("x", x);
  return Array.from(x, (v) => Math.exp(-0.5 * (v / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI)));
}

/** A density histogram as a bar trace, see {@link densityBars}. */
export interface DensityBars {
  /** A Plotly `bar` trace of the densities at the bin centres. */
  trace: Trace;
  /** Half a count in density units, 0.5/(n w): a curve below it is not drawn. */
  floor: number;
  /** How many values fell outside [−limit, limit) (report them in the title). */
  outside: number;
}

/**
 * Histogram of a sample on [−limit, limit) as probability densities: `bins`
 * bins of width w = 2·limit/bins, height count/(n w) with n the whole sample
 * (values outside the range are counted in `outside`, not dropped from n).
 * Computed here rather than by Plotly, so that the densities and the
 * `floor` of the log axis are known.
 *
 * @param values the sample (finite, at least one value)
 * @param o `limit` (finite, > 0), `bins` (integer ≥ 1), `color` of the bars
 * @returns `{ trace, floor, outside }`
 * @throws RangeError for an empty or non-finite sample, a bad limit or bin count
 * @example
 * ```ts
 * import { densityBars } from "./distribution_panels.ts";
 * const h = densityBars([-0.5, 0.5, 0.7, 3], { limit: 1, bins: 2, color: "#000" });
 * // w = 1, n = 4: one value in [−1, 0), two in [0, 1), one outside
 * if (h.outside !== 1 || (h.trace.y as number[])[1] !== 0.5) throw new Error();
 * ```
 */
export function densityBars(
  values: ArrayLike<number>,
  o: { limit: number; bins: number; color: string },
): DensityBars {
  assertObject("o", o);
  const { limit: lim, bins, color } = o;
  assertPositive("limit", lim);
  assertNoOverflow("limit", "2·limit", 2 * lim);
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`bins must be an integer >= 1, got ${bins}`);
  }
  assertAllocation("bins", bins);
  assertString("color", color);
  assertFiniteArray("values", values);
  if (values.length === 0) throw new RangeError("values must hold at least one value, got 0");
  const w = (2 * lim) / bins, counts = new Float64Array(bins);
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const b = Math.floor((v + lim) / w);
    if (b >= 0 && b < bins) counts[b]!++;
    else outside++;
  }
  const x = Array.from({ length: bins }, (_, b) => -lim + (b + 0.5) * w);
  const y = Array.from(counts, (c) => c / (values.length * w));
  return {
    trace: { type: "bar", name: "histogram", x, y, width: w, marker: { color }, opacity: 0.55 },
    floor: 0.5 / (values.length * w),
    outside,
  };
}

/**
 * Histogram of non-negative values as counts on [0, max) with `bins` bins (the post's view of
 * "SGN norms": counts on linear axes). Values ≥ max are counted in `outside`.
 *
 * @param values the sample (finite, ≥ 0, at least one value)
 * @param o `max` (finite, > 0), `bins` (integer ≥ 1), `color` of the bars
 * @returns a Plotly `bar` trace of the counts at the bin centres, and `outside`
 * @throws RangeError for an empty, negative or non-finite sample, a bad max or bin count
 * @example
 * ```ts
 * import { countBars } from "./distribution_panels.ts";
 * const h = countBars([0.1, 0.2, 0.7, 3], { max: 1, bins: 2, color: "#000" });
 * if (h.outside !== 1 || (h.trace.y as number[]).join() !== "2,1") throw new Error();
 * ```
 */
export function countBars(
  values: ArrayLike<number>,
  o: { max: number; bins: number; color: string },
): { trace: Trace; outside: number } {
  assertObject("o", o);
  const { max, bins, color } = o;
  assertPositive("max", max);
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`bins must be an integer >= 1, got ${bins}`);
  }
  assertAllocation("bins", bins);
  assertString("color", color);
  if (values.length === 0) throw new RangeError("values must hold at least one value, got 0");
  const w = max / bins, counts = new Array<number>(bins).fill(0);
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new RangeError(`values[${i}] must be finite and >= 0, got ${v}`);
    }
    const b = Math.floor(v / w);
    if (b < bins) counts[b]!++;
    else outside++;
  }
  const x = Array.from({ length: bins }, (_, b) => (b + 0.5) * w);
  return {
    trace: { type: "bar", name: "counts", x, y: counts, width: w, marker: { color }, opacity: 0.7 },
    outside,
  };
}

/**
 * A density curve as a line trace, keeping only the points where the
 * density is at least `floor` (e.g. {@link DensityBars.floor}, half a
 * histogram count), so that a log axis is not stretched by a tail no sample
 * could show.
 *
 * @param o `name`, points `x` and densities `y` (same length), `floor`, `color`, `dash` (default "solid")
 * @returns a Plotly `scatter` trace in lines mode
 * @throws RangeError when x and y differ in length
 */
export function densityCurve(
  o: {
    name: string;
    x: number[];
    y: ArrayLike<number>;
    floor: number;
    color: string;
    dash?: string;
  },
): Trace {
  assertObject("o", o);
  const { name, x, y, floor, color, dash = "solid" } = o;
  assertString("name", name);
  assertFiniteArray("x", x);
  assertFiniteArray("y", y);
  assertFinite("floor", floor);
  assertString("color", color);
  assertString("dash", dash);
  if (x.length !== y.length) {
    throw new RangeError(`curve "${name}": x has ${x.length} points, y has ${y.length}`);
  }
  const keep = Array.from(x, (_, i) => i).filter((i) => y[i]! >= floor);
  return {
    type: "scatter",
    mode: "lines",
    name,
    x: keep.map((i) => x[i]),
    y: keep.map((i) => y[i]),
    line: { color, dash, width: 2 },
  };
}

/**
 * A histogram panel (log density axis) of a standardised sample z on
 * [−limit, limit], with N(0, 1) (the fitted Gaussian once z is standardised)
 * and the symmetric stable law fitted by {@link fitSymmetricStable} (α̂ from
 * the block-sum estimator clipped to [0.5, 2], scale matched to the median
 * of |z|) overlaid. The title gains "(k beyond ±limit)" when values fall
 * outside.
 *
 * @param z the standardised sample (≥ 100 finite values, median |z| > 0)
 * @param o `title`, `limit` (finite, > 0), `color` of the bars, `bins` (default 80), `xTitle` (default "")
 * @returns a {@link Panel} for {@link subplotGrid}
 * @throws RangeError from {@link densityBars} or {@link fitSymmetricStable}
 */
export function stableFitPanel(
  z: ArrayLike<number>,
  o: { title: string; limit: number; color: string; bins?: number; xTitle?: string },
): Panel {
  assertObject("o", o);
  assertString("title", o.title);
  if (o.xTitle !== undefined) assertString("xTitle", o.xTitle);
  const lim = o.limit, xs = symmetricGrid(lim);
  const h = densityBars(z, { limit: lim, bins: o.bins ?? 80, color: o.color });
  const fit = fitSymmetricStable(z);
  return {
    title: `${o.title}${h.outside ? ` (${h.outside} beyond ±${lim})` : ""}`,
    xTitle: o.xTitle ?? "",
    yTitle: "density",
    logY: true,
    xRange: [-lim, lim],
    traces: [
      h.trace,
      densityCurve({
        name: "fitted Gaussian",
        x: xs,
        y: normalDensity(xs),
        floor: h.floor,
        color: PALETTE[7]!,
      }),
      densityCurve({
        name: `fitted stable, α̂ = ${fit.alpha.toFixed(2)}`,
        x: xs,
        y: symmetricStablePdf(xs, fit),
        floor: h.floor,
        color: PALETTE[1]!,
        dash: "dash",
      }),
    ],
  };
}

/**
 * At most `keep` points of the normal QQ plot of z ({@link qqPoints}: sorted
 * standardised sample against Filliben's normal quantiles), taken at
 * equally spaced ranks round(i (n − 1)/(m − 1)), i = 0…m − 1, m = min(keep, n),
 * so both extremes are kept: enough to draw the curve without n markers.
 *
 * @param z the sample (≥ 3 finite values, not all equal)
 * @param keep largest number of points (integer ≥ 2), default 300
 * @returns `{ x: theoretical quantiles, y: sample quantiles }`
 * @throws RangeError for a bad keep or sample
 * @example
 * ```ts
 * import { thinnedQqPoints } from "./distribution_panels.ts";
 * const q = thinnedQqPoints([3, 1, 2, 5, 4], 3);
 * if (q.x.length !== 3 || q.x[1] !== 0 || q.y[1] !== 0) throw new Error();
 * ```
 */
export function thinnedQqPoints(z: ArrayLike<number>, keep = 300): { x: number[]; y: number[] } {
  if (!Number.isInteger(keep) || keep < 2) {
    throw new RangeError(`keep must be an integer >= 2, got ${keep}`);
  }
  const { theoretical, sample } = qqPoints(z);
  const n = sample.length, m = Math.min(keep, n);
  const idx = Array.from({ length: m }, (_, i) => Math.round((i * (n - 1)) / (m - 1)));
  return { x: idx.map((i) => theoretical[i]!), y: idx.map((i) => sample[i]!) };
}
