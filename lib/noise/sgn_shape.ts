/**
 * The shape of the SGN distribution at fixed θ for a range of batch sizes S, the study of the
 * post's "Modelling the SGN" section: across parameters (all noisy coordinates of one SGN vector
 * pooled) and across batches (k chosen coordinates and m random projections followed over B
 * minibatches), the tail index (Mohammadi block-sum estimator with a subsampling interval valid
 * for α < 2) and normality tests, with the excess kurtosis across batches predicted from the
 * per-example gradients (finite-population CLT) and a verdict per S. Depends on stats/ (samplers,
 * tail index, normality, moments) and on sgn.ts, per_example.ts, batch_normality.ts.
 *
 * @module
 */
import {
  batchMeanNormality,
  type BatchMeanNormalityRow,
  type BatchNormalitySummary,
  type BatchNormalitySummaryOptions,
  holdsFrom,
  seriesNormality,
  summariseBatchNormality,
} from "./batch_normality.ts";
import { checkOracle, type GradientOracle } from "./oracle.ts";
import { perExampleCoordinates } from "./per_example.ts";
import { projectOntoRows, type RowMatrix } from "../stats/matrix.ts";
import { sampleSgn } from "./sgn.ts";
import { type NormalityTests, normalityTests } from "../stats/normality.ts";
import {
  type Prng,
  randomOrthonormalBasis,
  sampleNormal,
  samplePermutation,
  sampleStable,
} from "../stats/random.ts";
import { standardise } from "../stats/sample_moments.ts";
import {
  type SubsampledTailIndexInterval,
  subsampledTailIndexInterval,
} from "../stats/tail_index.ts";
import {
  assertFiniteArray,
  assertFunction,
  assertInteger,
  assertIntegerInRange,
  assertNoOverflow,
  assertObject,
} from "../stats/validate.ts";

/**
 * Subsampling interval of the tail index α̂ with block size K = ⌊√n⌋ on the first K·⌊n/K⌋ values
 * (`subsampledTailIndexInterval`: m = ⌈n^{2/3}⌉ of the n values per replicate, without
 * replacement, rescaled by the rate τ(n) = log K·√⌊n/K⌋; valid for α < 2, where resampling all n
 * values is not, Athreya 1987).
 *
 * @param z the sample (at least 101 finite values), in a random order
 * @param options `prng` for the subsamples, `resamples` (default 200)
 * @returns `subsampledTailIndexInterval` of the sample
 * @example
 * ```ts
 * import { trimmedTailIndexInterval } from "./sgn_shape.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * const r = trimmedTailIndexInterval(sampleNormal(createPrng(1), 1001), { prng: createPrng(2) });
 * if (r.blockSize !== 31 || r.subsample !== 101) throw new Error("K = ⌊√1001⌋ = 31, m = ⌈1001^{2/3}⌉");
 * ```
 */
export function trimmedTailIndexInterval(
  z: ArrayLike<number>,
  options: { prng: Prng; resamples?: number },
): SubsampledTailIndexInterval {
  assertFiniteArray("z", z, 101);
  assertObject("options", options);
  return subsampledTailIndexInterval(z, {
    prng: options.prng,
    resamples: options.resamples ?? 200,
  });
}
/** Options of {@link sgnShape}. */
export interface SgnShapeOptions {
  /** The batch sizes S, each an integer in [1, N − 1], increasing. */
  batchSizes: readonly number[];
  /** Minibatches B per batch size (integer ≥ 8). */
  batches: number;
  /** Number k of noisy coordinates followed across batches (integer ≥ 1). */
  coordinates: number;
  /**
   * Number m of random unit directions (rows of a random orthonormal basis of the parameter
   * space) whose projections of the SGN are followed across batches (integer ≥ 0, default 0).
   */
  projections?: number;
  /** Subsamples of each tail-index interval (default 200). */
  resamples?: number;
  /** Uniform source of every draw (coordinates, directions, minibatches, shuffles, subsamples). */
  prng: Prng;
  /** Examples per per-example-gradient call (default 256). */
  chunk?: number;
  /** Thresholds of the per-S verdicts across batches (`summariseBatchNormality`'s options). */
  summary?: Omit<BatchNormalitySummaryOptions, "columns">;
  /**
   * Source of the negative controls' draws (see `SgnShapeRow.param.control` and
   * `SgnShapeRow.batch.control`) and of the Gaussian reference; without it none is computed.
   * Separate from `prng`, so adding them leaves every other draw as it was.
   */
  controlPrng?: Prng;
}

/** Tail index of the heavy-tailed surrogate behind the across-batch negative control. */
export const BATCH_CONTROL_ALPHA = 1.8;

/** Summaries across batches of the followed coordinates and projections at one S. */
export interface BatchSummaries {
  /** Over the k coordinates. */
  coordinates: BatchNormalitySummary;
  /** Over the m projections (when m > 0). */
  projections?: BatchNormalitySummary;
}

/** The SGN statistics at one batch size (see {@link sgnShape}). */
export interface SgnShapeRow {
  /** The batch size S. */
  S: number;
  /** Across parameters: the noisy coordinates of one SGN vector. */
  param: {
    /** The coordinates in random order, standardised by their own mean and sd. */
    z: Float64Array;
    /** α̂ of `z` ({@link trimmedTailIndexInterval}). */
    alpha: SubsampledTailIndexInterval;
    /** α̂ after dividing each coordinate by its predicted sd √((N−S)/(S(N−1))·Σ_jj). */
    alphaStd: SubsampledTailIndexInterval;
    /** Normality tests of `z`. */
    tests: NormalityTests;
    /**
     * Negative control for "heavy tailed across parameters": α̂ of Gaussian coordinates with the
     * same per-coordinate scales, N(0, (N−S)/(S(N−1))·Σ_jj), pooled and standardised the same way.
     * Finite variance by construction, so a statistic that says "heavy tailed" here cannot tell
     * heavy tails from unequal scales. Present when `controlPrng` is given.
     */
    control?: SubsampledTailIndexInterval;
  };
  /** Across batches: k coordinates and m projections over B minibatches. */
  batch: {
    /**
     * Each coordinate's B values standardised, pooled, in random order (k·B values, less B for
     * each coordinate with no spread over the B batches, whose κ̂ is +∞).
     */
    z: Float64Array;
    /** α̂ of `z`. */
    alpha: SubsampledTailIndexInterval;
    /** Sample excess kurtosis of each functional (k coordinates, then m projections). */
    kurtosis: Float64Array;
    /** Its exact finite-population prediction from the per-example values (`batchMeanKurtosis`). */
    predicted: Float64Array;
    /** Anderson–Darling p-value of each functional. */
    adPValues: Float64Array;
    /** Jarque–Bera p-value of each functional. */
    jbPValues: Float64Array;
    /** Kurtosis distribution, rejection rates and verdict, coordinates and projections apart. */
    summary: BatchSummaries;
    /**
     * Negative control for "Gaussian across batches": the same statistics of k + m series of B
     * symmetric α-stable draws (α = {@link BATCH_CONTROL_ALPHA}): noise that is heavy tailed across
     * batches at this S, the alternative the post argues against (Simsekli et al. 2019). Its
     * predicted excess kurtosis is infinite. Present with `controlPrng`.
     */
    control?: BatchSummaries;
    /**
     * Reference under the null: the same statistics of k + m series of B standard normal draws,
     * which measures the rejection rate and the median |κ̂| that B batches give when nothing
     * departs from a Gaussian. Present with `controlPrng`.
     */
    gaussian?: BatchSummaries;
  };
}

/** Result of {@link sgnShape}. */
export interface SgnShape {
  /** Indices of the coordinates with Σ_jj > 0 (the others carry no noise). */
  live: Int32Array;
  /** The k coordinates followed across batches (drawn among `live`). */
  coordinates: Int32Array;
  /** Number m of projections followed across batches. */
  projections: number;
  /** One row per batch size, in the order given. */
  rows: SgnShapeRow[];
}

/**
 * One streamed pass over the per-example gradients (chunks of consecutive indices): the population
 * variance Σ_jj of every coordinate, as `perExampleCoordinates` computes it (float64 sums in
 * example order, clamped at 0), and with a basis V (m × dim, orthonormal rows) every example's
 * projections V g_i (N × m, row-major).
 */
function variancesAndProjections(
  oracle: GradientOracle,
  basis: RowMatrix | undefined,
  chunk = 256,
): { variance: Float64Array; projected?: Float64Array } {
  assertInteger("chunk", chunk, 1);
  const d = oracle.dim, n = oracle.size, m = basis?.rows ?? 0;
  const sum = new Float64Array(d), sq = new Float64Array(d);
  const projected = basis ? new Float64Array(n * m) : undefined;
  for (let s = 0; s < n; s += chunk) {
    const g = oracle.perExampleGradients(
      Int32Array.from({ length: Math.min(chunk, n - s) }, (_, i) => s + i),
    );
    if (g.cols !== d || g.data.length !== g.rows * d) {
      throw new RangeError(
        `perExampleGradients returned ${g.rows}×${g.cols}, expected rows × ${d}`,
      );
    }
    for (let r = 0; r < g.rows; r++) {
      const off = r * d;
      for (let j = 0; j < d; j++) {
        const v = g.data[off + j]!;
        sum[j]! += v;
        sq[j]! += v * v;
      }
      if (basis) {
        const row = g.data.subarray(off, off + d);
        projectOntoRows(basis, row, projected!.subarray((s + r) * m, (s + r + 1) * m));
      }
    }
  }
  for (let j = 0; j < d; j++) {
    assertNoOverflow("oracle", `the second moment of per-example gradient coordinate ${j}`, sq[j]!);
  }
  const variance = sum.map((v, j) => Math.max(0, sq[j]! / n - (v / n) ** 2));
  return projected ? { variance, projected } : { variance };
}

/** What {@link shapeRow} needs besides S: the population and the generators. */
export interface ShapeContext {
  /** Population size N. */
  n: number;
  /** Minibatches B across batches. */
  batches: number;
  /** Followed coordinates k and projections m (columns of `population`: k, then m). */
  k: number;
  m: number;
  /** N × (k + m): every example's value of the followed coordinates, then projections. */
  population: RowMatrix;
  /** Coordinates with Σ_jj > 0. */
  live: Int32Array;
  /** Σ_jj of every coordinate. */
  variance: Float64Array;
  prng: Prng;
  resamples: number;
  summary: Omit<BatchNormalitySummaryOptions, "columns">;
  controlPrng?: Prng;
}

/**
 * One row of {@link sgnShape} (and of the streamed version in streamed_sgn.ts): across parameters
 * from one SGN vector U (all coordinates; `vector()` is called first, so that its draws come
 * first), across batches from B minibatches of the population's functionals, and the controls.
 */
export function shapeRow(
  S: number,
  ctx: ShapeContext,
  vector: () => ArrayLike<number>,
): SgnShapeRow {
  const { n, k, m, live, variance, prng, resamples } = ctx, p = k + m;
  const batches = ctx.batches;
  const summarise = (row: BatchMeanNormalityRow): BatchSummaries => ({
    coordinates: summariseBatchNormality(row, { ...ctx.summary, columns: [0, k] }),
    ...(m > 0
      ? { projections: summariseBatchNormality(row, { ...ctx.summary, columns: [k, p] }) }
      : {}),
  });
  const shuffle = (x: ArrayLike<number>) =>
    Float64Array.from(samplePermutation(prng, x.length), (i) => x[i]!);
  const alphaOf = (z: ArrayLike<number>) => trimmedTailIndexInterval(z, { prng, resamples });
  const c = ctx.controlPrng;
  const pooled = vector();
  const factor = (n - S) / (S * (n - 1));
  const u = Float64Array.from(live, (j) => pooled[j]!);
  const zParam = standardise(shuffle(u));
  const zStd = shuffle(
    Float64Array.from(live, (j) => pooled[j]! / Math.sqrt(factor * variance[j]!)),
  );
  const [across] = batchMeanNormality(ctx.population, { batchSizes: [S], batches, prng });
  const series = across!.series.data;
  const pooledSeries: number[] = [], one = new Float64Array(batches);
  for (let col = 0; col < k; col++) {
    if (across!.kurtosis[col] === Infinity) continue; // no spread in B batches: nothing to standardise
    for (let b = 0; b < batches; b++) one[b] = series[b * p + col]!;
    for (const v of standardise(one)) pooledSeries.push(v);
  }
  const zBatch = shuffle(pooledSeries);
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
    ? summarise(seriesNormality(S, {
      rows: batches,
      cols: p,
      data: sampleStable(c, batches * p, { alpha: BATCH_CONTROL_ALPHA }),
    }, new Float64Array(p).fill(Infinity)))
    : undefined;
  const gaussian = c
    ? summarise(
      seriesNormality(
        S,
        { rows: batches, cols: p, data: sampleNormal(c, batches * p) },
        new Float64Array(p),
      ),
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
      kurtosis: across!.kurtosis,
      predicted: across!.predicted,
      adPValues: across!.adPValues,
      jbPValues: across!.jbPValues,
      summary: summarise(across!),
      ...(batchControl ? { control: batchControl, gaussian: gaussian! } : {}),
    },
  };
}

/**
 * The SGN of an oracle at its current θ for each batch size S, across parameters and across
 * batches (the post's two histograms; see sgn.ts for the two readings). First one pass over the
 * per-example gradients gives Σ_jj of every coordinate (`live`: those with Σ_jj > 0) and the
 * projections onto m random orthonormal directions; a second gives every example's value of k
 * coordinates drawn uniformly among the live ones. Then for each S: across parameters, one SGN vector
 * (`sampleSgn`), its live coordinates standardised, raw and divided by their predicted sd, each
 * with a subsampling interval of α̂ and normality tests; across batches, B minibatches drawn from
 * the per-example values of the k + m functionals (`batchMeanNormality`: a minibatch's noise in a
 * linear functional is the mean of its examples' values minus the population mean, exactly), each
 * functional's excess kurtosis against its finite-population prediction and its normality tests,
 * summarised per S (`summariseBatchNormality`). Every draw comes from `prng`, in this order: the
 * m·dim normals of the directions, the k coordinates, then per S the pooled vector's two
 * minibatches, two shuffles (pooled, predicted-sd), the B minibatches across batches, one shuffle
 * (across-batch sample) and three subsample sets (pooled, predicted-sd, across-batch). The
 * controls draw from `controlPrng`, per S: the Gaussian coordinates and their subsamples, then the
 * B·(k + m) stable and the B·(k + m) normal draws.
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
 * const r = sgnShape(o, { batchSizes: [8], batches: 120, coordinates: 2, projections: 3, resamples: 20, prng });
 * if (r.rows[0]!.batch.kurtosis.length !== 5) throw new Error("two coordinates and three projections followed");
 * ```
 */
export function sgnShape(oracle: GradientOracle, options: SgnShapeOptions): SgnShape {
  checkOracle("oracle", oracle);
  assertObject("options", options);
  const { batchSizes, batches, coordinates: k, prng, chunk, projections: m = 0 } = options;
  assertFiniteArray("batchSizes", batchSizes, 1);
  batchSizes.forEach((s, i) => assertIntegerInRange(`batchSizes[${i}]`, s, 1, oracle.size - 1));
  holdsFrom(batchSizes, batchSizes.map(() => true)); // increasing
  const resamples = options.resamples ?? 200;
  assertInteger("coordinates", k, 1);
  assertIntegerInRange("projections", m, 0, oracle.dim);
  assertInteger("batches", batches, 8);
  if (options.controlPrng !== undefined) assertFunction("controlPrng", options.controlPrng);
  const n = oracle.size, p = k + m, summaryOptions = options.summary ?? {};
  // one pass for Σ_jj and the projections (an oracle without cached per-example gradients pays
  // a full per-example pass each time), a second for the values of the k coordinates drawn
  const basis = m > 0 ? randomOrthonormalBasis(prng, m, oracle.dim) : undefined;
  const { variance, projected } = variancesAndProjections(oracle, basis, chunk);
  const live = Int32Array.from(variance.keys()).filter((j) => variance[j]! > 0);
  if (live.length < k) {
    throw new RangeError(`coordinates must be <= the ${live.length} noisy coordinates, got ${k}`);
  }
  const coords = Int32Array.from(samplePermutation(prng, live.length, k), (i) => live[i]!);
  const values = perExampleCoordinates(oracle, { coordinates: coords, chunk }).values!;
  const population = new Float64Array(n * p);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) population[i * p + c] = values[c * n + i]!;
  }
  if (projected) {
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < m; r++) population[i * p + k + r] = projected[i * m + r]!;
    }
  }
  const pop = { rows: n, cols: p, data: population };
  const full = oracle.fullGradient();
  const context: ShapeContext = {
    n,
    batches,
    k,
    m,
    population: pop,
    live,
    variance,
    prng,
    resamples,
    summary: summaryOptions,
    controlPrng: options.controlPrng,
  };
  const rows = batchSizes.map((S) =>
    shapeRow(S, context, () =>
      sampleSgn(oracle, {
        batchSize: S,
        batches: 2,
        prng,
        fullGradient: full,
        coordinates: 0,
        projections: 0,
        pooledVectors: 1,
      }).pooled)
  );
  return { live, coordinates: coords, projections: m, rows };
}
