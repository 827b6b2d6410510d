/**
 * How Gaussian the SGN is across batches, per batch size S, measured on many scalar functionals
 * (coordinates, random projections) at once and compared with what the per-example gradients
 * predict. A linear functional f of the noise of a minibatch, f(U_b) = (1/S) Σ_{i∈b} f(g_i) −
 * f(ḡ), is the mean of S values drawn without replacement from the N per-example values f(g_i),
 * so its law is fixed by that finite population: its excess kurtosis exactly
 * (`batchMeanKurtosis`), and the departure from a Gaussian a normality test can see in B batches.
 * {@link batchMeanNormality} draws B minibatches per S from the per-example values (the draws of
 * `sampleSgnRows`, one batch shared by all functionals, as in a network) and tests each
 * functional's B values; {@link summariseBatchNormality} reduces the p functionals to the
 * distribution of the excess kurtosis, the rejection rates of Anderson–Darling and Jarque–Bera
 * against the test's size, and a verdict per S; {@link holdsFrom} finds the smallest S from which
 * a verdict holds at every larger S; {@link seriesNormality} applies the same statistics to given
 * series (a Gaussian reference, a heavy-tailed surrogate). Depends on stats/ and sgn.ts.
 *
 * @module
 */
import { sampleSgnRows } from "./sgn.ts";
import { assertRowMatrix, type RowMatrix } from "../stats/matrix.ts";
import { normalityTests } from "../stats/normality.ts";
import { type Prng } from "../stats/random.ts";
import { batchMeanKurtosis, centralMoments } from "../stats/sample_moments.ts";
import {
  assertFiniteArray,
  assertFunction,
  assertInInterval,
  assertInteger,
  assertIntegerInRange,
  assertObject,
} from "../stats/validate.ts";

/** Options of {@link batchMeanNormality}. */
export interface BatchMeanNormalityOptions {
  /** The batch sizes S, integers in [1, N − 1] (at S = N the mean has no spread). */
  batchSizes: readonly number[];
  /** Minibatches B per batch size (integer ≥ 8, the smallest sample the tests take). */
  batches: number;
  /** Uniform source of the minibatch draws (S uniforms per batch, batch sizes in order). */
  prng: Prng;
}

/** The p functionals across B batches at one batch size (see {@link batchMeanNormality}). */
export interface BatchMeanNormalityRow {
  /** The batch size S. */
  S: number;
  /** B × p, row-major: row b is the noise of the p functionals in minibatch b. */
  series: { rows: number; cols: number; data: Float64Array };
  /** Sample excess kurtosis g2 of each functional's B values (length p). */
  kurtosis: Float64Array;
  /** Exact excess kurtosis of each functional's batch mean, from its N per-example values. */
  predicted: Float64Array;
  /** Anderson–Darling p-value (estimated mean and variance) of each functional. */
  adPValues: Float64Array;
  /** Jarque–Bera p-value of each functional. */
  jbPValues: Float64Array;
}

/**
 * For each batch size S: B minibatches of S distinct examples (uniform without replacement,
 * independent across batches, one batch shared by every functional), the noise of each of the p
 * functionals (the column means of the batch minus the population means), and per functional its
 * sample excess kurtosis, Anderson–Darling and Jarque–Bera p-values, and the exact excess
 * kurtosis of a mean of S draws without replacement from its N values.
 *
 * @param population N × p matrix: row i holds the p functionals of example i's gradient (e.g.
 *   chosen coordinates and projections onto unit vectors); every column must vary
 * @param options {@link BatchMeanNormalityOptions}
 * @returns one {@link BatchMeanNormalityRow} per S, in the order given
 * @throws RangeError for a bad matrix, a constant column, N < 4, S ∉ [1, N − 1], B < 8
 * @example
 * ```ts
 * import { batchMeanNormality } from "./batch_normality.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * const g = { rows: 1000, cols: 3, data: sampleNormal(createPrng(1), 3000) };
 * const [r] = batchMeanNormality(g, { batchSizes: [10], batches: 200, prng: createPrng(2) });
 * if (r!.kurtosis.length !== 3 || r!.series.rows !== 200) throw new Error("3 functionals, 200 batches");
 * ```
 */
export function batchMeanNormality(
  population: RowMatrix,
  options: BatchMeanNormalityOptions,
): BatchMeanNormalityRow[] {
  assertRowMatrix("population", population);
  assertObject("options", options);
  const { batchSizes, batches, prng } = options;
  const { rows: n, cols: p, data } = population;
  if (n < 4) throw new RangeError(`population must have at least 4 rows, got ${n}`);
  assertFiniteArray("population.data", data);
  assertFiniteArray("batchSizes", batchSizes, 1);
  batchSizes.forEach((s, i) => assertIntegerInRange(`batchSizes[${i}]`, s, 1, n - 1));
  assertInteger("batches", batches, 8);
  assertFunction("prng", prng);
  const moments = Array.from({ length: p }, (_, c) => {
    const m = centralMoments(Float64Array.from({ length: n }, (_, i) => data[i * p + c]!));
    if (!(m.m2 > 0)) {
      throw new RangeError(`population column ${c} must vary, got all values equal to ${data[c]}`);
    }
    return m;
  });
  return batchSizes.map((S) => {
    const series = sampleSgnRows(population, { batchSize: S, batches, prng });
    const predicted = Float64Array.from(moments, (m) => batchMeanKurtosis(S, n, m));
    return seriesNormality(S, series, predicted);
  });
}

/**
 * The statistics of {@link batchMeanNormality} for given series: each column's sample excess
 * kurtosis, Anderson–Darling and Jarque–Bera p-values, with the prediction supplied (for a
 * reference or surrogate: 0 for Gaussian draws, Infinity for an α-stable law with α < 2). A column
 * with no spread over its B values (a functional that is nonzero for a few examples, none of them
 * drawn: a point mass, not a Gaussian) gets κ̂ = +∞ and both p-values 0.
 *
 * @param S the batch size the series stand for (a label, integer ≥ 1)
 * @param series B × p, row-major, B ≥ 8 (column c is functional c across the B batches)
 * @param predicted the excess kurtosis predicted for each column (length p; ±Infinity allowed)
 * @returns a {@link BatchMeanNormalityRow} holding `series`
 * @throws RangeError for a bad matrix, B < 8, or `predicted` of another length
 * @example
 * ```ts
 * import { seriesNormality } from "./batch_normality.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * const z = { rows: 100, cols: 2, data: sampleNormal(createPrng(1), 200) };
 * const r = seriesNormality(16, z, [0, 0]);
 * if (r.kurtosis.length !== 2 || r.S !== 16) throw new Error();
 * ```
 */
export function seriesNormality(
  S: number,
  series: RowMatrix,
  predicted: ArrayLike<number>,
): BatchMeanNormalityRow {
  assertInteger("S", S, 1);
  assertRowMatrix("series", series);
  const { rows: batches, cols: p } = series;
  assertIntegerInRange("series.rows", batches, 8);
  if (predicted?.length !== p) {
    throw new RangeError(`predicted must have ${p} values, got ${predicted?.length}`);
  }
  for (let c = 0; c < p; c++) {
    if (Number.isNaN(predicted[c])) {
      throw new RangeError(`predicted[${c}] must be a number, got NaN`);
    }
  }
  const kurtosis = new Float64Array(p), adPValues = new Float64Array(p);
  const jbPValues = new Float64Array(p);
  const column = new Float64Array(batches);
  for (let c = 0; c < p; c++) {
    for (let b = 0; b < batches; b++) column[b] = series.data[b * p + c]!;
    let constant = true;
    for (let b = 1; b < batches && constant; b++) constant = column[b] === column[0];
    if (constant) {
      // no spread in B batches: a functional that is nonzero for a few examples, none drawn;
      // a point mass is no Gaussian, so it counts as the heaviest departure and a rejection
      kurtosis[c] = Infinity;
      adPValues[c] = 0;
      jbPValues[c] = 0;
      continue;
    }
    const t = normalityTests(column);
    kurtosis[c] = t.excessKurtosis;
    adPValues[c] = t.andersonDarling.pValue;
    jbPValues[c] = t.jarqueBera.pValue;
  }
  return {
    S,
    series: { rows: batches, cols: p, data: Float64Array.from(series.data) },
    kurtosis,
    predicted: Float64Array.from(predicted),
    adPValues,
    jbPValues,
  };
}

/** The verdict of one batch size (see {@link summariseBatchNormality}). */
export type BatchGaussianity = "Gaussian" | "approximately Gaussian" | "not Gaussian";

/** Options of {@link summariseBatchNormality}. */
export interface BatchNormalitySummaryOptions {
  /** Largest median |excess kurtosis| called approximately Gaussian (default 0.5). */
  kurtosis?: number;
  /** Size of the normality tests (default 0.05). */
  level?: number;
  /**
   * Sampling allowance of the rejection rate, in binomial standard deviations of the size over p
   * tests (default 3; the tests of one batch size share their batches, so they are correlated and
   * the binomial sd is a lower bound).
   */
  allowance?: number;
  /** Which functionals to summarise: [start, end) of the columns (default all). */
  columns?: readonly [number, number];
}

/** Summary over functionals at one S, from {@link summariseBatchNormality}. */
export interface BatchNormalitySummary {
  S: number;
  /** Number p of functionals summarised. */
  count: number;
  /** Median over functionals of the sample excess kurtosis (signed). */
  medianKurtosis: number;
  /** Median over functionals of |sample excess kurtosis|: the size of the departure. */
  medianAbsKurtosis: number;
  /** Median over functionals of the predicted excess kurtosis (signed). */
  medianPredicted: number;
  /** Median over functionals of |predicted excess kurtosis|. */
  medianAbsPredicted: number;
  /** 10%, 25%, 50%, 75%, 90% quantiles of the sample excess kurtosis over functionals. */
  quantiles: [number, number, number, number, number];
  /** Share of functionals whose Anderson–Darling p-value is below `level`. */
  adRate: number;
  /** Share of functionals whose Jarque–Bera p-value is below `level`. */
  jbRate: number;
  /** The rejection rate expected under exact normality plus the allowance: level + a·√(level(1 − level)/p). */
  rateBound: number;
  /**
   * "Gaussian": median |κ̂| ≤ `kurtosis` and the AD rejection rate ≤ `rateBound` (no departure
   * that B batches detect more often than the test's size allows); "approximately Gaussian":
   * median |κ̂| ≤ `kurtosis` but AD rejects more often; "not Gaussian": median |κ̂| > `kurtosis`.
   */
  verdict: BatchGaussianity;
}

function quantileSorted(s: Float64Array, q: number): number {
  const h = (s.length - 1) * q, lo = Math.floor(h), hi = Math.min(lo + 1, s.length - 1);
  // no interpolation at a node or between equal neighbours (infinite values included: 0·∞ and
  // ∞ − ∞ are NaN)
  return h === lo || s[hi] === s[lo] ? s[lo]! : s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/**
 * Reduces one {@link BatchMeanNormalityRow} (or a range of its columns) to the distribution of
 * the excess kurtosis over functionals, the rejection rates of the two tests at `level`, and a
 * verdict (see {@link BatchNormalitySummary.verdict}). The sample excess kurtosis of B Gaussian
 * values has sd √(24/B) (0.24 at B = 400), so the median |κ̂| of exactly Gaussian functionals is
 * about 0.67·√(24/B) (0.16 at B = 400, 0.33 at B = 100), below the default threshold 0.5.
 *
 * @param row a row of {@link batchMeanNormality}
 * @param options {@link BatchNormalitySummaryOptions}
 * @returns {@link BatchNormalitySummary}
 * @throws RangeError for a threshold, level, allowance or column range out of range
 * @example
 * ```ts
 * import { batchMeanNormality, summariseBatchNormality } from "./batch_normality.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * const g = { rows: 2000, cols: 50, data: sampleNormal(createPrng(1), 100_000) };
 * const [row] = batchMeanNormality(g, { batchSizes: [20], batches: 400, prng: createPrng(2) });
 * if (summariseBatchNormality(row!).verdict !== "Gaussian") throw new Error("means of Gaussians");
 * ```
 */
export function summariseBatchNormality(
  row: BatchMeanNormalityRow,
  options: BatchNormalitySummaryOptions = {},
): BatchNormalitySummary {
  assertObject("row", row);
  assertObject("options", options);
  const { kurtosis: threshold = 0.5, level = 0.05, allowance = 3 } = options;
  assertInInterval("kurtosis", threshold, 0, Infinity, "()");
  assertInInterval("level", level, 0, 1, "()");
  assertInInterval("allowance", allowance, 0, Infinity, "[)");
  const p = row.kurtosis.length;
  const [start, end] = options.columns ?? [0, p];
  assertIntegerInRange("columns[0]", start, 0, p - 1);
  assertIntegerInRange("columns[1]", end, start + 1, p);
  const count = end - start;
  const med = (x: Float64Array) => quantileSorted(Float64Array.from(x).sort(), 0.5);
  const k = row.kurtosis.subarray(start, end), pr = row.predicted.subarray(start, end);
  const sorted = Float64Array.from(k).sort();
  const share = (pv: Float64Array) =>
    pv.subarray(start, end).filter((v) => v < level).length / count;
  const medianAbsKurtosis = med(k.map(Math.abs));
  const adRate = share(row.adPValues);
  const rateBound = level + allowance * Math.sqrt((level * (1 - level)) / count);
  return {
    S: row.S,
    count,
    medianKurtosis: med(k),
    medianAbsKurtosis,
    medianPredicted: med(pr),
    medianAbsPredicted: med(pr.map(Math.abs)),
    quantiles: [0.1, 0.25, 0.5, 0.75, 0.9].map((q) => quantileSorted(sorted, q)) as [
      number,
      number,
      number,
      number,
      number,
    ],
    adRate,
    jbRate: share(row.jbPValues),
    rateBound,
    verdict: medianAbsKurtosis > threshold
      ? "not Gaussian"
      : adRate > rateBound
      ? "approximately Gaussian"
      : "Gaussian",
  };
}

/**
 * The smallest batch size from which a condition holds at every larger one: scanning `sizes`
 * (increasing) with `holds`, the first S such that `holds` is true for it and every S after it;
 * undefined when it fails at the largest.
 *
 * @param sizes increasing batch sizes
 * @param holds whether the condition holds at each (same length)
 * @returns the smallest such S, or undefined
 * @example
 * ```ts
 * import { holdsFrom } from "./batch_normality.ts";
 * if (holdsFrom([16, 32, 64, 128], [false, true, false, true]) !== 128) throw new Error();
 * if (holdsFrom([16, 32], [true, false]) !== undefined) throw new Error();
 * ```
 */
export function holdsFrom(sizes: readonly number[], holds: readonly boolean[]): number | undefined {
  assertFiniteArray("sizes", sizes, 1);
  if (!Array.isArray(holds) || holds.length !== sizes.length) {
    throw new RangeError(`holds must be an array of ${sizes.length} booleans, got ${holds}`);
  }
  for (let i = 1; i < sizes.length; i++) {
    if (!(sizes[i]! > sizes[i - 1]!)) {
      throw new RangeError(`sizes must increase, got ${sizes[i - 1]} then ${sizes[i]}`);
    }
  }
  let from: number | undefined;
  for (let i = sizes.length - 1; i >= 0 && holds[i]; i--) from = sizes[i];
  return from;
}
