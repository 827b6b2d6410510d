/**
 * Sampling stochastic gradient noise (SGN) at fixed parameters θ, the object
 * of the post's section "Modelling the Stochastic Gradient Noise".
 *
 * For a batch size S, one SGN vector is U = ∇L̂_S(θ) − ∇L(θ): the mean
 * gradient over S examples drawn uniformly without replacement, minus the
 * full-data gradient (Eq. 5 of the post; its Eq. 3 has the opposite sign, see
 * ERRATA.md). Over the random batch, E[U] = 0 and
 *
 *   Cov(U) = (1/S) · (N − S)/(N − 1) · Σ,  Σ = (1/N) Σ_i (g_i − ḡ)(g_i − ḡ)ᵀ,
 *
 * with g_i = ∇ℓ_i(θ) the per-example gradients and ḡ = ∇L(θ) their mean (the
 * finite-population covariance of a mean sampled without replacement;
 * Cochran 1977, Thm 2.2). The post's two histograms are read here as two
 * different samples:
 * - "across the batch": the same scalar functional of U (its norm, one fixed
 *   coordinate, or one fixed unit projection) over B independent batches —
 *   B draws from the law of that scalar, which the central limit theorem
 *   pushes towards a Gaussian (or, for the norm, a generalised χ) as S grows;
 * - "across parameters": all `dim` coordinates of one SGN vector pooled into
 *   one sample — not i.i.d. draws of anything, but the spread of noise over
 *   the network's parameters, which is what Simsekli et al. (2019) feed to
 *   their tail-index estimator.
 *
 * {@link sampleSgn} draws the vectors from an oracle; {@link sampleSgnRows} from fixed
 * (e.g. projected) per-example gradients with the same draws. Depends on stats/ and the oracle.
 *
 * @module
 */
import { checkOracle, type GradientOracle } from "./oracle.ts";
import { assertRowMatrix, type DenseMatrix, type RowMatrix } from "../stats/matrix.ts";
import { fillNormal, partialShuffle, type Prng, samplePermutation } from "../stats/random.ts";
import {
  assertAllocation,
  assertFiniteArray,
  assertFunction,
  assertInteger,
  assertObject,
} from "../stats/validate.ts";

/** Options of {@link sampleSgn}. */
export interface SgnOptions {
  /** Batch size S, an integer in [1, N]. */
  batchSize: number;
  /** Number of independent minibatches B (integer ≥ 2). */
  batches: number;
  /** Uniform source for batches, coordinates and directions. */
  prng: Prng;
  /** ∇L(θ) if already computed (length `dim`, finite); computed once otherwise. */
  fullGradient?: ArrayLike<number>;
  /**
   * The coordinates followed across batches: a count k (integer in [0, dim],
   * chosen uniformly without replacement) or explicit indices in [0, dim).
   * Default 8 (or `dim` if smaller).
   */
  coordinates?: number | ArrayLike<number>;
  /** Number m of random unit directions followed across batches (integer ≥ 0, default 8). */
  projections?: number;
  /** Number P of SGN vectors kept whole for "across parameters" (integer in [0, B], default 1). */
  pooledVectors?: number;
  /** Keep every SGN vector (B × dim numbers; default false). */
  keepVectors?: boolean;
}

/** The SGN statistics returned by {@link sampleSgn}. */
export interface SgnSample {
  /** S. */
  batchSize: number;
  /** B. */
  batches: number;
  /** Number of parameters. */
  dim: number;
  /** Number of training examples N. */
  size: number;
  /** ∇L(θ) (the given one, copied, or the computed one). */
  fullGradient: Float64Array;
  /** ‖U_b‖₂ for b = 0..B−1 ("across the batch", the post's "SGN norm"). */
  norms: Float64Array;
  /** The k followed coordinate indices j_0..j_{k−1}. */
  coordinates: Int32Array;
  /**
   * k × B, series-major: `coordinateSeries[c·B + b]` = U_b[j_c], so
   * `subarray(c·B, (c+1)·B)` is coordinate j_c across the B batches.
   */
  coordinateSeries: Float64Array;
  /** m × dim, row-major: the unit directions v_0..v_{m−1} (Gaussian, normalised). */
  directions: Float64Array;
  /**
   * m × B, series-major: `projectionSeries[r·B + b]` = ⟨U_b, v_r⟩, so
   * `subarray(r·B, (r+1)·B)` is projection r across the B batches.
   */
  projectionSeries: Float64Array;
  /**
   * P × dim, row-major: all coordinates of the first P SGN vectors U_0..U_{P−1}.
   * Row p (`subarray(p·dim, (p+1)·dim)`) is the "across parameters" sample of
   * one minibatch.
   */
  pooled: Float64Array;
  /** B × dim, row-major: every U_b, only when `keepVectors` was set. */
  vectors?: Float64Array;
}

function resolveCoordinates(
  spec: number | ArrayLike<number>,
  dim: number,
  prng: Prng,
): Int32Array {
  if (typeof spec === "number") {
    if (!Number.isInteger(spec) || spec < 0 || spec > dim) {
      throw new RangeError(`coordinates must be an integer in [0, ${dim}], got ${spec}`);
    }
    return samplePermutation(prng, dim, spec);
  }
  const out = new Int32Array(spec.length);
  for (let c = 0; c < spec.length; c++) {
    const j = spec[c]!;
    if (!Number.isInteger(j) || j < 0 || j >= dim) {
      throw new RangeError(`coordinates[${c}] must be an integer in [0, ${dim}), got ${j}`);
    }
    out[c] = j;
  }
  return out;
}

/**
 * Draws B minibatch gradient-noise vectors U_b = ∇L̂_{S,b}(θ) − ∇L(θ) at the
 * oracle's current parameters and returns the statistics the post plots (see
 * the module doc for what "across the batch" and "across parameters" mean
 * here, and {@link SgnSample} for the layout). Each batch is S distinct
 * examples drawn uniformly without replacement (a partial Fisher–Yates
 * shuffle of a reused index buffer); batches are independent of each other.
 *
 * Streaming: ∇L is computed once (or taken from `fullGradient`), then each
 * batch costs one `oracle.batchGradient` call and O((m + 1)·dim) work, and
 * memory is O((P + m)·dim + (k + m + 1)·B) unless `keepVectors` is set.
 *
 * Order of random draws (for reproducibility): the k random coordinates (if a
 * count was given), then the m·dim normals of the directions, then S
 * uniforms per batch.
 *
 * @param oracle gradients of the model at fixed θ
 * @param options see {@link SgnOptions}
 * @returns the {@link SgnSample}
 * @throws RangeError for S ∉ [1, N], B < 2, bad coordinates, projections,
 *   pooledVectors or fullGradient, or a non-finite batch gradient
 * @example
 * ```ts
 * import { LeastSquaresOracle } from "./oracle.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * import { sampleSgn } from "./sgn.ts";
 * const prng = createPrng(1);
 * const x = { rows: 100, cols: 5, data: sampleNormal(prng, 500) };
 * const oracle = new LeastSquaresOracle(x, sampleNormal(prng, 100));
 * const sgn = sampleSgn(oracle, { batchSize: 10, batches: 50, prng });
 * if (sgn.norms.length !== 50 || sgn.pooled.length !== 5) throw new Error("shape");
 * ```
 */
// About 95 lines: the argument checks, then one pass over the batches that fills every statistic
// (norms, projections, pooled coordinates) from the same U; split, the buffers would travel around.
export function sampleSgn(oracle: GradientOracle, options: SgnOptions): SgnSample {
  checkOracle("oracle", oracle);
  assertObject("options", options);
  const {
    batchSize: s,
    batches: b,
    prng,
    projections: m = 8,
    pooledVectors: p = 1,
    keepVectors = false,
  } = options;
  const { dim, size: n } = oracle;
  if (!Number.isInteger(s) || s < 1 || s > n) {
    throw new RangeError(`batchSize must be an integer in [1, ${n}], got ${s}`);
  }
  assertInteger("batches", b, 2);
  assertInteger("projections", m);
  if (!Number.isInteger(p) || p < 0 || p > b) {
    throw new RangeError(`pooledVectors must be an integer in [0, ${b}], got ${p}`);
  }
  assertFunction("prng", prng);
  assertAllocation("batches·dim", (keepVectors ? b : 1) * dim);
  assertAllocation("projections·dim", m * dim);
  assertAllocation("batches·projections", m * b);
  let full: Float64Array;
  if (options.fullGradient !== undefined) {
    const g = options.fullGradient;
    if (g.length !== dim) {
      throw new RangeError(`fullGradient must have length ${dim}, got ${g.length}`);
    }
    full = Float64Array.from(g);
  } else full = oracle.fullGradient();
  assertFiniteArray("fullGradient", full);
  const coords = resolveCoordinates(options.coordinates ?? Math.min(8, dim), dim, prng);
  const k = coords.length;

  const directions = fillNormal(prng, new Float64Array(m * dim));
  for (let r = 0; r < m; r++) {
    const v = directions.subarray(r * dim, (r + 1) * dim);
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += v[j]! * v[j]!;
    const inv = 1 / Math.sqrt(ss);
    for (let j = 0; j < dim; j++) v[j] = v[j]! * inv;
  }

  const norms = new Float64Array(b);
  const coordinateSeries = new Float64Array(k * b);
  const projectionSeries = new Float64Array(m * b);
  const pooled = new Float64Array(p * dim);
  const vectors = keepVectors ? new Float64Array(b * dim) : undefined;
  const u = new Float64Array(dim);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const batch = perm.subarray(0, s);

  for (let t = 0; t < b; t++) {
    // the first S slots become a uniform S-subset, whatever order earlier batches left
    partialShuffle(prng, perm, s);
    const g = oracle.batchGradient(batch);
    let ss = 0;
    for (let j = 0; j < dim; j++) {
      const v = g[j]! - full[j]!;
      if (!Number.isFinite(v)) {
        throw new RangeError(`batch ${t}: gradient[${j}] must be finite, got ${g[j]}`);
      }
      u[j] = v;
      ss += v * v;
    }
    norms[t] = Math.sqrt(ss);
    for (let c = 0; c < k; c++) coordinateSeries[c * b + t] = u[coords[c]!]!;
    for (let r = 0; r < m; r++) {
      const off = r * dim;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += u[j]! * directions[off + j]!;
      projectionSeries[r * b + t] = dot;
    }
    if (t < p) pooled.set(u, t * dim);
    if (vectors) vectors.set(u, t * dim);
  }

  const out: SgnSample = {
    batchSize: s,
    batches: b,
    dim,
    size: n,
    fullGradient: full,
    norms,
    coordinates: coords,
    coordinateSeries,
    directions,
    projectionSeries,
    pooled,
  };
  if (vectors) out.vectors = vectors;
  return out;
}

/** Options of {@link sampleSgnRows}. */
export interface SgnRowsSampling {
  /** Minibatch size S, 1 ≤ S ≤ N. */
  batchSize: number;
  /** Number of minibatches B ≥ 2. */
  batches: number;
  /** Uniform source for the minibatch draws (S uniforms per batch). */
  prng: Prng;
}

/**
 * SGN vectors from fixed per-example gradients, the post's Eq. 5 verbatim:
 *
 *   U_b = (1/S) Σ_{i ∈ b} g_i − ḡ,  ḡ = (1/N) Σ_i g_i,
 *
 * for B minibatches b of S distinct rows each (uniform without replacement
 * within a batch, independent across batches). A minibatch gradient is the
 * mean of its examples' gradients, so with g_i = ∇ℓ_i(θ) these are the SGN
 * vectors of SGD at θ; because the map is linear, rows projected onto a
 * basis first (`projectRows`, k × dim) give V U_b at O(B·S·k) cost, which is
 * how thousands of minibatches of a large network are affordable. The draws
 * are those of {@link sampleSgn} (a partial Fisher–Yates shuffle, S
 * uniforms per batch), so on the same prng stream the vectors equal
 * `sampleSgn(oracle, { coordinates: 0, projections: 0, pooledVectors: 0,
 * keepVectors: true }).vectors` for an oracle with these per-example
 * gradients.
 *
 * @param perExampleRows N × p rows g_i (Float32 or Float64, finite)
 * @param options batch size, number of batches, prng
 * @returns B × p {@link DenseMatrix}, row b = U_b (pass it to
 *   {@link empiricalSgnCovariance})
 * @example
 * ```ts
 * import { sampleSgnRows } from "./sgn.ts";
 * import { createPrng } from "../stats/random.ts";
 * const g = { rows: 4, cols: 1, data: new Float64Array([0, 1, 2, 3]) };
 * const u = sampleSgnRows(g, { batchSize: 4, batches: 2, prng: createPrng(1) });
 * if (u.data.some((x) => Math.abs(x) > 1e-15)) throw new Error("S = N: no noise");
 * ```
 */
export function sampleSgnRows(perExampleRows: RowMatrix, options: SgnRowsSampling): DenseMatrix {
  assertRowMatrix("perExampleRows", perExampleRows);
  assertObject("options", options);
  const { batchSize: s, batches: b, prng } = options;
  const { rows: n, cols: p, data } = perExampleRows;
  if (!Number.isInteger(s) || s < 1 || s > n) {
    throw new RangeError(`batchSize must be an integer in [1, ${n}], got ${s}`);
  }
  assertInteger("batches", b, 2);
  assertAllocation("batches·cols", b * p);
  assertFunction("prng", prng);
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const off = i * p;
    for (let a = 0; a < p; a++) mean[a] = mean[a]! + data[off + a]!;
  }
  for (let a = 0; a < p; a++) mean[a] = mean[a]! / n;
  const out = new Float64Array(b * p), perm = new Int32Array(n), acc = new Float64Array(p);
  for (let i = 0; i < n; i++) perm[i] = i;
  const inv = 1 / s;
  for (let t = 0; t < b; t++) {
    partialShuffle(prng, perm, s);
    acc.fill(0);
    for (let i = 0; i < s; i++) {
      const off = perm[i]! * p;
      for (let a = 0; a < p; a++) acc[a] = acc[a]! + data[off + a]!;
    }
    const row = t * p;
    for (let a = 0; a < p; a++) out[row + a] = acc[a]! * inv - mean[a]!;
  }
  return { rows: b, cols: p, data: out };
}
