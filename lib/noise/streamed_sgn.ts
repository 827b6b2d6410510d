/**
 * {@link sgnShape} for networks too large to keep per-example gradients or to take many
 * minibatch gradients (ResNet-18: 11 M parameters, 45 MB per gradient): everything comes from
 * ONE streamed pass over the N per-example gradients of a population, fed by an asynchronous
 * source (e.g. a `GradientPool` of workers), keeping only
 *
 * - the float64 sums Σ_i g_i and Σ_i g_i² of every coordinate (ḡ and Σ_jj),
 * - every example's value of c candidate coordinates (drawn before the pass; the k followed ones
 *   are the first k candidates with Σ_jj > 0, a uniform draw among the noisy coordinates),
 * - every example's projections onto m random orthonormal directions,
 * - for each batch size S, the sum of the rows of one minibatch drawn before the pass (the SGN
 *   vector across parameters, U = (1/S) Σ_{i∈batch} g_i − ḡ, exact),
 * - the post's view: |U_j| over all coordinates of that vector, and every example's ‖g_i‖.
 *
 * Then each batch size's row is {@link shapeRow}, the same code as sgnShape's. Memory: about
 * (2 + |S| + m) · dim float64 numbers plus one chunk of rows; time: one per-example pass.
 *
 * @module
 */
import { type SgnShape, type SgnShapeOptions, type ShapeContext, shapeRow } from "./sgn_shape.ts";
import { holdsFrom } from "./batch_normality.ts";
import { projectOntoRows } from "../stats/matrix.ts";
import { randomOrthonormalBasis, samplePermutation } from "../stats/random.ts";
import {
  assertFiniteArray,
  assertFunction,
  assertInteger,
  assertIntegerInRange,
  assertObject,
} from "../stats/validate.ts";

/** Per-example gradients of a population of `size` examples, `dim` parameters each. */
export interface PerExampleSource {
  size: number;
  dim: number;
  /**
   * Rows g_lo … g_{hi−1}, row-major ((hi − lo) × dim); may be a view that the next call
   * overwrites.
   */
  rows(lo: number, hi: number): Promise<Float32Array>;
}

/** Options of {@link streamedSgnShape}: those of sgnShape, and the stream's. */
export interface StreamedSgnOptions extends SgnShapeOptions {
  /** Candidate coordinates kept during the pass (integer ≥ coordinates, default 4·coordinates). */
  candidates?: number;
  /** Called after each chunk with the examples done (for a progress bar). */
  onChunk?: (done: number) => void | Promise<void>;
}

/** Result of {@link streamedSgnShape}. */
export interface StreamedSgnShape extends SgnShape {
  /** ‖ḡ‖₂, the population gradient's norm. */
  meanNorm: number;
  /** tr Σ = Σ_j Σ_jj. */
  traceSigma: number;
  /** Every example's ‖g_i‖₂ (length N). */
  exampleNorms: Float64Array;
  /** Per batch size: |U_j| over all dim coordinates of its SGN vector (the post's "SGN norm"). */
  magnitudes: Float32Array[];
}

/**
 * The SGN statistics of {@link sgnShape} from one streamed per-example pass (module doc). Draws
 * from `prng`, in this order: the m·dim normals of the directions, the c candidate coordinates,
 * then per S the minibatch of the vector across parameters (S of N, without replacement); after
 * the pass, per S, the draws of {@link shapeRow}. Sums are float64, in example order.
 *
 * @param source the per-example gradients (e.g. a gradient pool over a data set)
 * @param options {@link StreamedSgnOptions}
 * @returns {@link StreamedSgnShape}
 * @throws RangeError for bad options, a non-finite gradient, or fewer noisy candidates than k
 * @example
 * ```ts
 * import { streamedSgnShape } from "./streamed_sgn.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * const g = Float32Array.from(sampleNormal(createPrng(1), 200 * 120)); // 200 examples, 120 parameters
 * const source = { size: 200, dim: 120, rows: (lo: number, hi: number) => Promise.resolve(g.slice(lo * 120, hi * 120)) };
 * const r = await streamedSgnShape(source, { batchSizes: [8], batches: 50, coordinates: 3, resamples: 20, prng: createPrng(2) });
 * if (r.rows[0]!.batch.kurtosis.length !== 3) throw new Error("three coordinates followed");
 * ```
 */
export async function streamedSgnShape(
  source: PerExampleSource,
  options: StreamedSgnOptions,
): Promise<StreamedSgnShape> {
  assertObject("source", source);
  assertFunction("source.rows", source.rows);
  assertInteger("source.size", source.size, 2);
  assertInteger("source.dim", source.dim, 1);
  assertObject("options", options);
  const { batchSizes, batches, coordinates: k, prng, projections: m = 0, chunk = 16 } = options;
  const n = source.size, d = source.dim;
  assertFiniteArray("batchSizes", batchSizes, 1);
  batchSizes.forEach((s, i) => assertIntegerInRange(`batchSizes[${i}]`, s, 1, n - 1));
  holdsFrom(batchSizes, batchSizes.map(() => true)); // increasing
  assertInteger("coordinates", k, 1);
  const cand = options.candidates ?? Math.min(d, 4 * k);
  assertIntegerInRange("candidates", cand, k, d);
  assertIntegerInRange("projections", m, 0, d);
  assertInteger("batches", batches, 8);
  assertInteger("chunk", chunk, 1);
  if (options.controlPrng !== undefined) assertFunction("controlPrng", options.controlPrng);
  const resamples = options.resamples ?? 200;

  // draws before the pass
  const basis = m > 0 ? randomOrthonormalBasis(prng, m, d) : undefined;
  const candidates = samplePermutation(prng, d, cand);
  const members = batchSizes.map((S) => samplePermutation(prng, n, S));
  // which batches each example belongs to
  const inBatches: number[][] = Array.from({ length: n }, () => []);
  members.forEach((idx, b) => idx.forEach((i) => inBatches[i]!.push(b)));

  const sum = new Float64Array(d), sq = new Float64Array(d);
  const batchSums = batchSizes.map(() => new Float64Array(d));
  const candValues = new Float64Array(n * cand);
  const projected = new Float64Array(n * m);
  const exampleNorms = new Float64Array(n);
  for (let lo = 0; lo < n; lo += chunk) {
    const hi = Math.min(n, lo + chunk);
    const rows = await source.rows(lo, hi);
    if (rows.length !== (hi - lo) * d) {
      throw new RangeError(
        `source.rows(${lo}, ${hi}) returned ${rows.length} numbers, expected ${(hi - lo) * d}`,
      );
    }
    for (let r = 0; r < hi - lo; r++) {
      const i = lo + r, g = rows.subarray(r * d, (r + 1) * d);
      let ss = 0;
      for (let j = 0; j < d; j++) {
        const v = g[j]!;
        sum[j]! += v;
        const v2 = v * v;
        sq[j]! += v2;
        ss += v2;
      }
      if (!Number.isFinite(ss)) {
        throw new RangeError(`the per-example gradient of example ${i} is not finite`);
      }
      exampleNorms[i] = Math.sqrt(ss);
      for (let c = 0; c < cand; c++) candValues[i * cand + c] = g[candidates[c]!]!;
      if (basis) projectOntoRows(basis, g, projected.subarray(i * m, (i + 1) * m));
      for (const b of inBatches[i]!) {
        const acc = batchSums[b]!;
        for (let j = 0; j < d; j++) acc[j]! += g[j]!;
      }
    }
    await options.onChunk?.(hi);
  }

  const mean = sum.map((v) => v / n);
  const variance = sum.map((v, j) => Math.max(0, sq[j]! / n - (v / n) ** 2));
  const live = Int32Array.from(variance.keys()).filter((j) => variance[j]! > 0);
  const chosen: number[] = [];
  for (let c = 0; c < cand && chosen.length < k; c++) {
    if (variance[candidates[c]!]! > 0) chosen.push(c);
  }
  if (chosen.length < k) {
    throw new RangeError(
      `coordinates: only ${chosen.length} of ${cand} candidates are noisy, need ${k} ` +
        "(raise candidates)",
    );
  }
  const p = k + m, population = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    chosen.forEach((c, q) => (population[i * p + q] = candValues[i * cand + c]!));
    for (let r = 0; r < m; r++) population[i * p + k + r] = projected[i * m + r]!;
  }
  const vectors = batchSizes.map((S, b) => {
    const acc = batchSums[b]!;
    for (let j = 0; j < d; j++) acc[j] = acc[j]! / S - mean[j]!;
    return acc;
  });
  const context: ShapeContext = {
    n,
    batches,
    k,
    m,
    population: { rows: n, cols: p, data: population },
    live,
    variance,
    prng,
    resamples,
    summary: options.summary ?? {},
    controlPrng: options.controlPrng,
  };
  const rows = batchSizes.map((S, b) => shapeRow(S, context, () => vectors[b]!));
  let meanSq = 0, trace = 0;
  for (let j = 0; j < d; j++) {
    meanSq += mean[j]! * mean[j]!;
    trace += variance[j]!;
  }
  return {
    live,
    coordinates: Int32Array.from(chosen, (c) => candidates[c]!),
    projections: m,
    rows,
    meanNorm: Math.sqrt(meanSq),
    traceSigma: trace,
    exampleNorms,
    magnitudes: vectors.map((u) => Float32Array.from(u, Math.abs)),
  };
}
