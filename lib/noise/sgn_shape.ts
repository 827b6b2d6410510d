/**
 * The shape of the SGN distribution at fixed θ for a range of batch sizes S, the study of the
 * post's "Modelling the SGN" section: across parameters (all noisy coordinates of one SGN vector
 * pooled) and across batches (chosen coordinates followed over B minibatches), the tail index
 * (Mohammadi block-sum estimator with a bootstrap interval) and normality tests, with the excess
 * kurtosis across batches predicted from the per-example gradients (finite-population CLT).
 * Depends on stats/ (samplers, tail index, normality, moments) and on sgn.ts, per_example.ts.
 *
 * @module
 */
import { checkOracle, type GradientOracle } from "./oracle.ts";
import { perExampleCoordinates } from "./per_example.ts";
import { sampleSgn } from "./sgn.ts";
import { type NormalityTests, normalityTests } from "../stats/normality.ts";
import { type Prng, sampleNormal, samplePermutation, sampleStable } from "../stats/random.ts";
import { batchMeanKurtosis, centralMoments, standardise } from "../stats/sample_moments.ts";
import { type TailIndexInterval, tailIndexInterval } from "../stats/tail_index.ts";
import {
  assertFiniteArray,
  assertFunction,
  assertInteger,
  assertIntegerInRange,
  assertObject,
} from "../stats/validate.ts";

/**
 * Bootstrap interval of the tail index α̂ with block size K = ⌊√n⌋ on the first K·⌊n/K⌋ values
 * (the block-sum estimator wants a block size dividing the sample; this trims a few values
 * instead of falling back to a small divisor of n, as `tailIndexInterval`'s default would).
 *
 * @param z the sample (at least 100 finite values), in a random order
 * @param options `prng` for the bootstrap, `resamples` (default 200)
 * @returns `tailIndexInterval` of the trimmed sample
 * @example
 * ```ts
 * import { trimmedTailIndexInterval } from "./sgn_shape.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * const r = trimmedTailIndexInterval(sampleNormal(createPrng(1), 1001), { prng: createPrng(2) });
 * if (r.blockSize !== 31) throw new Error("K = ⌊√1001⌋ = 31 on 31·32 = 992 values");
 * ```
 */
export function trimmedTailIndexInterval(
  z: ArrayLike<number>,
  options: { prng: Prng; resamples?: number },
): TailIndexInterval {
  assertFiniteArray("z", z, 100);
  assertObject("options", options);
  const k = Math.floor(Math.sqrt(z.length)), n = k * Math.floor(z.length / k);
  return tailIndexInterval(Array.from({ length: n }, (_, i) => z[i]!), {
    prng: options.prng,
    resamples: options.resamples ?? 200,
    blockSize: k,
  });
}

/** Options of {@link sgnShape}. */
export interface SgnShapeOptions {
  /** The batch sizes S, each an integer in [1, N]. */
  batchSizes: readonly number[];
  /** Minibatches B per batch size (integer ≥ 2). */
  batches: number;
  /** Number k of noisy coordinates followed across batches (integer ≥ 1). */
  coordinates: number;
  /** Bootstrap resamples of each tail-index interval (default 200). */
  resamples?: number;
  /** Uniform source of every draw (coordinates, minibatches, shuffles, bootstraps). */
  prng: Prng;
  /** Examples per per-example-gradient call (default 256). */
  chunk?: number;
  /**
   * Source of the negative control's draws (see `SgnShapeRow.param.control`); without it no
   * control is computed. Separate from `prng`, so adding the control leaves every other draw as it
   * was.
   */
  controlPrng?: Prng;
}

/** Tail index of the heavy-tailed surrogate behind the across-batch negative control. */
export const BATCH_CONTROL_ALPHA = 1.8;

/** The SGN statistics at one batch size (see {@link sgnShape}). */
export interface SgnShapeRow {
  /** The batch size S. */
  S: number;
  /** Across parameters: the noisy coordinates of one SGN vector. */
  param: {
    /** The coordinates in random order, standardised by their own mean and sd. */
    z: Float64Array;
    /** α̂ of `z` ({@link trimmedTailIndexInterval}). */
    alpha: TailIndexInterval;
    /** α̂ after dividing each coordinate by its predicted sd √((N−S)/(S(N−1))·Σ_jj). */
    alphaStd: TailIndexInterval;
    /** Normality tests of `z`. */
    tests: NormalityTests;
    /**
     * Negative control for "heavy tailed across parameters": α̂ of Gaussian coordinates with the
     * same per-coordinate scales, N(0, (N−S)/(S(N−1))·Σ_jj), pooled and standardised the same way.
     * Finite variance by construction, so a statistic that says "heavy tailed" here cannot tell
     * heavy tails from unequal scales. Present when `controlPrng` is given.
     */
    control?: TailIndexInterval;
  };
  /** Across batches: k coordinates over B minibatches. */
  batch: {
    /** Each coordinate's B values standardised, pooled, in random order. */
    z: Float64Array;
    /** α̂ of `z`. */
    alpha: TailIndexInterval;
    /** Normality tests of each coordinate's B values. */
    tests: NormalityTests[];
    /** Median over coordinates of the measured excess kurtosis. */
    kurtosis: number;
    /** Median over coordinates of the exact excess kurtosis of a batch mean (`batchMeanKurtosis`). */
    predicted: number;
    /** Coordinates whose Anderson–Darling p-value is below 0.05. */
    adRejected: number;
    /** Bonferroni-adjusted smallest p-value over coordinates, min(1, k·min p), per test. */
    adjusted: { jb: number; ad: number; ks: number };
    /**
     * Negative control for "Gaussian across batches": the median over k coordinates of the excess
     * kurtosis of B symmetric α-stable draws with α = {@link BATCH_CONTROL_ALPHA} (the heavy-tailed
     * alternative), the same statistic on data of the same shape. Present with `controlPrng`.
     */
    control?: number;
  };
}

/** Result of {@link sgnShape}. */
export interface SgnShape {
  /** Indices of the coordinates with Σ_jj > 0 (the others carry no noise). */
  live: Int32Array;
  /** The k coordinates followed across batches (drawn among `live`). */
  coordinates: Int32Array;
  /** One row per batch size, in the order given. */
  rows: SgnShapeRow[];
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * The SGN of an oracle at its current θ for each batch size S, across parameters and across
 * batches (the post's two histograms; see sgn.ts for the two readings). First the per-example
 * gradients give Σ_jj of every coordinate (`live`: those with Σ_jj > 0) and the population of
 * k coordinates drawn uniformly among the live ones; then for each S, B minibatches
 * (`sampleSgn`, one SGN vector pooled) give: across parameters, the live coordinates of U_0
 * standardised, raw and divided by their predicted sd; across batches, the k coordinates' B
 * values. Each gets a tail-index interval and normality tests; the across-batch excess
 * kurtosis is compared with its exact finite-population prediction κ from the per-example
 * values. Every draw comes from `prng`, in this order: the k coordinates, then per S the
 * minibatches, three shuffles (pooled, predicted-sd, across-batch samples) and three
 * bootstraps (pooled, predicted-sd, across-batch).
 *
 * @param oracle gradients at fixed θ (call it with per-example gradients cached if slow)
 * @param options {@link SgnShapeOptions}
 * @returns {@link SgnShape}
 * @example
 * ```ts
 * import { sgnShape } from "./sgn_shape.ts";
 * import { LeastSquaresOracle } from "./oracle.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * const prng = createPrng(1);
 * const o = new LeastSquaresOracle({ rows: 200, cols: 150, data: sampleNormal(prng, 30000) }, sampleNormal(prng, 200));
 * const r = sgnShape(o, { batchSizes: [8], batches: 120, coordinates: 2, resamples: 20, prng });
 * if (r.rows[0]!.batch.tests.length !== 2) throw new Error("two coordinates followed");
 * ```
 */
export function sgnShape(oracle: GradientOracle, options: SgnShapeOptions): SgnShape {
  checkOracle("oracle", oracle);
  assertObject("options", options);
  const { batchSizes, batches, coordinates: k, prng, chunk } = options;
  assertFiniteArray("batchSizes", batchSizes, 1);
  batchSizes.forEach((s, i) => assertIntegerInRange(`batchSizes[${i}]`, s, 1, oracle.size));
  const resamples = options.resamples ?? 200;
  assertInteger("coordinates", k, 1);
  assertInteger("batches", batches, 2);
  if (options.controlPrng !== undefined) assertFunction("controlPrng", options.controlPrng);
  const n = oracle.size;
  const { variance } = perExampleCoordinates(oracle, { chunk });
  const live = Int32Array.from(variance.keys()).filter((j) => variance[j]! > 0);
  if (live.length < k) {
    throw new RangeError(`coordinates must be <= the ${live.length} noisy coordinates, got ${k}`);
  }
  const coords = Int32Array.from(samplePermutation(prng, live.length, k), (i) => live[i]!);
  const perExample = perExampleCoordinates(oracle, { coordinates: coords, chunk }).values!;
  const perCoordinate = Array.from(
    coords,
    (_, c) => centralMoments(perExample.subarray(c * n, (c + 1) * n)),
  );
  const full = oracle.fullGradient();
  const shuffle = (x: ArrayLike<number>) =>
    Float64Array.from(samplePermutation(prng, x.length), (i) => x[i]!);
  const alphaOf = (z: ArrayLike<number>) => trimmedTailIndexInterval(z, { prng, resamples });
  const rows = batchSizes.map((S): SgnShapeRow => {
    const sgn = sampleSgn(oracle, {
      batchSize: S,
      batches,
      prng,
      fullGradient: full,
      coordinates: coords,
      projections: 0,
      pooledVectors: 1,
    });
    const factor = (n - S) / (S * (n - 1));
    const u = Float64Array.from(live, (j) => sgn.pooled[j]!);
    const zParam = standardise(shuffle(u));
    const zStd = shuffle(
      Float64Array.from(live, (j) => sgn.pooled[j]! / Math.sqrt(factor * variance[j]!)),
    );
    const series = Array.from(
      coords,
      (_, c) => sgn.coordinateSeries.subarray(c * batches, (c + 1) * batches),
    );
    const tests = series.map((s) => normalityTests(s));
    const zBatch = shuffle(series.flatMap((s) => Array.from(standardise(s))));
    const adjust = (p: number[]) => Math.min(1, k * Math.min(...p));
    const c = options.controlPrng;
    const control = c
      ? (() => {
        const g = sampleNormal(c, live.length);
        const scaled = Float64Array.from(live, (j, i) => g[i]! * Math.sqrt(factor * variance[j]!));
        const zc = standardise(
          Float64Array.from(samplePermutation(c, scaled.length), (i) => scaled[i]!),
        );
        return trimmedTailIndexInterval(zc, { prng: c, resamples });
      })()
      : undefined;
    const batchControl = c
      ? median(
        Array.from(coords, () =>
          normalityTests(sampleStable(c, batches, { alpha: BATCH_CONTROL_ALPHA })).excessKurtosis),
      )
      : undefined;
    return {
      S,
      param: {
        z: zParam,
        alpha: alphaOf(zParam),
        alphaStd: alphaOf(zStd),
        tests: normalityTests(zParam),
        ...(control ? { control } : {}),
      },
      batch: {
        z: zBatch,
        alpha: alphaOf(zBatch),
        tests,
        kurtosis: median(tests.map((r) => r.excessKurtosis)),
        predicted: median(perCoordinate.map((m) => batchMeanKurtosis(S, n, m))),
        adRejected: tests.filter((r) => r.andersonDarling.pValue < 0.05).length,
        adjusted: {
          jb: adjust(tests.map((r) => r.jarqueBera.pValue)),
          ad: adjust(tests.map((r) => r.andersonDarling.pValue)),
          ks: adjust(tests.map((r) => r.lilliefors.pValue)),
        },
        ...(batchControl !== undefined ? { control: batchControl } : {}),
      },
    };
  });
  return { live, coordinates: coords, rows };
}
