/**
 * The SGN covariance next to the Hessian at one θ, in two k-dimensional frames: the top-k Hessian
 * eigenvectors (Lanczos) and a uniformly random orthonormal frame. Per-example gradients are
 * projected once onto both frames; then, per batch size S, the empirical covariance Ĉ_S of
 * sampled minibatch noise, the Fisher form F_S of Eq. 9 and the exact C_S are formed in each frame,
 * the finite-population factor (N − S)/(N − 1) divided out of Ĉ_S and C_S so that all three
 * compare with H/S (the test of the post's "C ∝ H/S", Eq. 9–10). Depends on stats/, noise/ and the
 * sharpness and projected-Hessian routines of this folder.
 *
 * @module
 */
import {
  empiricalSgnCovariance,
  exactSgnCovariance,
  fisherCovariance,
} from "../noise/covariance.ts";
import type { GradientOracle } from "../noise/oracle.ts";
import { projectPerExampleGradients } from "../noise/per_example.ts";
import { sampleSgnRows } from "../noise/sgn.ts";
import { type DenseMatrix, diagonalMatrix, scaledMatrix } from "../stats/matrix.ts";
import { type Prng, randomOrthonormalBasis } from "../stats/random.ts";
import { assertInteger } from "../stats/validate.ts";
import type { EigenResult } from "./eigenpairs.ts";
import { makeHvp } from "./hessian_vector.ts";
import { projectedHessian } from "./projected_hessian.ts";
import { hessianSharpness } from "./sharpness.ts";
import { hutchinsonTrace, type TraceEstimate } from "./stochastic_spectrum.ts";

/** Where the randomness of {@link sgnCovarianceInHessianFrames} comes from. */
export interface HessianFramePrngs {
  /** Lanczos start vector (and restarts). */
  lanczos: Prng;
  /** Hutchinson probes of tr H. */
  trace: Prng;
  /** The random orthonormal frame. */
  basis: Prng;
  /**
   * A fresh stream for the minibatches of the j-th batch size, called once per frame and S (top-k
   * frame first): return equal streams for equal j to draw the same minibatches in both frames.
   */
  minibatches: (j: number) => Prng;
}

/** Options of {@link sgnCovarianceInHessianFrames}. */
export interface HessianFrameOptions {
  /** Dimension k of both frames, 1 ≤ k ≤ dim. */
  k: number;
  /** The batch sizes S (integers in [1, N − 1]). */
  batchSizes: readonly number[];
  /** Minibatches B ≥ 2 per batch size and frame. */
  batches: number;
  /** See {@link HessianFramePrngs}. */
  prngs: HessianFramePrngs;
  /** Relative precision of the oracle's gradients, for the HVP step (default `Number.EPSILON`). */
  precision?: number;
  /** The Hessian is of the mean loss over these examples (default all). */
  hessianIndices?: ArrayLike<number>;
  /** Lanczos tolerance and Krylov limit (see `topEigenpairs`). */
  tol?: number;
  maxIter?: number;
  /** Keep unconverged eigenpairs instead of throwing (default true). */
  allowUnconverged?: boolean;
  /** Hutchinson probes of tr H, 0 (no trace) or ≥ 2 (default 0). */
  traceProbes?: number;
  /** Per-example gradients per oracle call (default 256). */
  chunk?: number;
}

/** One k-dimensional frame V: its Hessian V H Vᵀ and the projected per-example gradients. */
export interface HessianFrame {
  /** "top-k Hessian" or "random". */
  name: string;
  /** k × dim, orthonormal rows. */
  basis: DenseMatrix;
  /** V H Vᵀ (diagonal of the Ritz values in the top-k frame). */
  hessian: DenseMatrix;
  /** N × k, row i = V g_i. */
  rows: DenseMatrix;
}

/** The three covariances of one frame at one batch size S, all k × k. */
export interface FrameCovariances {
  batchSize: number;
  /** Ĉ_S from `batches` sampled minibatches, times (N − 1)/(N − S). */
  empirical: DenseMatrix;
  /** F_S = (1/(S N)) Σ_i V g_i g_iᵀ Vᵀ (Eq. 9, uncentred). */
  fisher: DenseMatrix;
  /** The exact C_S times (N − 1)/(N − S), i.e. V Σ_pop Vᵀ / S. */
  exact: DenseMatrix;
}

/** Result of {@link sgnCovarianceInHessianFrames}. */
export interface SgnHessianFrames {
  /** The top-k eigenpairs of H (true residuals). */
  eigen: EigenResult;
  /** Hutchinson's tr H; absent when `traceProbes` is 0. */
  trace?: TraceEstimate;
  /** ‖∇L‖² over all N examples. */
  gradSq: number;
  /** tr Σ_pop in the full space. */
  traceSigma: number;
  /** The top-k Hessian frame, then the random frame. */
  frames: HessianFrame[];
  /** `perS[f][j]`: frame f, batch size `batchSizes[j]`. */
  perS: FrameCovariances[][];
}

/**
 * At θ: the top-k Hessian eigenpairs and tr H (`hessianSharpness` on `makeHvp`), a random
 * orthonormal frame and its V H Vᵀ (`projectedHessian`), every example's gradient projected onto
 * both frames (`projectPerExampleGradients`), then per frame and S the empirical SGN covariance
 * of `batches` minibatches (`sampleSgnRows` → `empiricalSgnCovariance`), the Fisher form
 * (`fisherCovariance`) and the exact covariance (`exactSgnCovariance`), the last two and Ĉ_S
 * compared in the same frame. The finite-population factor (N − S)/(N − 1) of sampling S of N
 * without replacement is divided out of Ĉ_S and C_S, so E Ĉ_S = C_S = V Σ_pop Vᵀ / S.
 * Draws, in order: Lanczos, Hutchinson, the random frame, then `minibatches(j)` per frame and S.
 * The oracle is left at θ.
 *
 * @param oracle per-example gradients of N examples
 * @param theta the point (length `oracle.dim`)
 * @param options {@link HessianFrameOptions}
 * @returns {@link SgnHessianFrames}
 * @throws RangeError for a batch size outside [1, N − 1] or fewer than 2 batches
 * @example
 * ```ts
 * import { sgnCovarianceInHessianFrames } from "./sgn_hessian_frames.ts";
 * import { LeastSquaresOracle } from "../noise/oracle.ts";
 * import { createPrng, sampleNormal } from "../stats/random.ts";
 * const prng = createPrng(1);
 * const o = new LeastSquaresOracle({ rows: 50, cols: 4, data: sampleNormal(prng, 200) }, sampleNormal(prng, 50));
 * const r = sgnCovarianceInHessianFrames(o, new Float64Array(4), {
 *   k: 2, batchSizes: [5], batches: 10, tol: 1e-8,
 *   prngs: { lanczos: createPrng(2), trace: createPrng(3), basis: createPrng(4), minibatches: (j) => createPrng(5 + j) },
 * });
 * if (r.perS[1]![0]!.exact.rows !== 2) throw new Error("k × k in the random frame");
 * ```
 */
export function sgnCovarianceInHessianFrames(
  oracle: GradientOracle,
  theta: ArrayLike<number>,
  options: HessianFrameOptions,
): SgnHessianFrames {
  const { k, batchSizes, batches, prngs, precision, hessianIndices, chunk } = options;
  const n = oracle.size, dim = oracle.dim;
  assertInteger("batches", batches, 2);
  batchSizes.forEach((s, j) => {
    if (!Number.isInteger(s) || s < 1 || s >= n) {
      throw new RangeError(`batchSizes[${j}] must be an integer in [1, ${n - 1}], got ${s}`);
    }
  });
  oracle.setParams(theta);
  const hvp = makeHvp(oracle, theta, { precision, indices: hessianIndices });
  const { eigen, trace } = hessianSharpness(hvp, dim, {
    prng: prngs.lanczos,
    k,
    tol: options.tol,
    maxIter: options.maxIter,
    allowUnconverged: options.allowUnconverged ?? true,
    traceProbes: options.traceProbes,
    tracePrng: prngs.trace,
  });
  const rand = randomOrthonormalBasis(prngs.basis, k, dim);
  const pg = projectPerExampleGradients(oracle, [eigen.vectors, rand], { chunk });
  const frames: HessianFrame[] = [
    {
      name: "top-k Hessian",
      basis: eigen.vectors,
      hessian: diagonalMatrix(eigen.values),
      rows: pg.rows[0]!,
    },
    { name: "random", basis: rand, hessian: projectedHessian(hvp, rand), rows: pg.rows[1]! },
  ];
  const perS = frames.map((fr) =>
    batchSizes.map((batchSize, j) => {
      const fpc = (n - batchSize) / (n - 1);
      const u = sampleSgnRows(fr.rows, { batchSize, batches, prng: prngs.minibatches(j) });
      return {
        batchSize,
        empirical: scaledMatrix(empiricalSgnCovariance(u), 1 / fpc),
        fisher: fisherCovariance(fr.rows, batchSize),
        exact: scaledMatrix(exactSgnCovariance(fr.rows, batchSize), 1 / fpc),
      };
    })
  );
  return {
    eigen,
    trace,
    gradSq: pg.mean.reduce((a, g) => a + g * g, 0),
    traceSigma: pg.traceSigma,
    frames,
    perS,
  };
}

/** One axis v of a frame: its curvature vᵀHv against the noise variance S·vᵀĈ_S v. */
export interface AxisNoise {
  /** Index of the frame in {@link SgnHessianFrames.frames}. */
  frame: number;
  /** vᵀ H v, the diagonal of V H Vᵀ. */
  curvature: number;
  /** S · vᵀ Ĉ_S v (factor divided out): equals c · vᵀHv when C = c·H/S. */
  noise: number;
}

/**
 * The test of the shape C ∝ H along single directions: for every axis v of every frame (top-k
 * frame first), the curvature vᵀHv and the noise variance S·vᵀĈ_S v at the j-th batch size.
 * If C = c·H/S the points lie on the line noise = c · curvature (log–log slope 1); isotropic
 * noise gives slope 0.
 *
 * @param result a result of {@link sgnCovarianceInHessianFrames}
 * @param j index into its batch sizes
 * @returns one {@link AxisNoise} per axis and frame
 * @throws RangeError for j outside the batch sizes
 * @example
 * ```ts
 * import { axisNoise, type SgnHessianFrames } from "./sgn_hessian_frames.ts";
 * const m = (d: number[]) => ({ rows: 2, cols: 2, data: Float64Array.from(d) });
 * const r = {
 *   frames: [{ hessian: m([3, 0, 0, 1]) }],
 *   perS: [[{ batchSize: 4, empirical: m([0.75, 0, 0, 0.25]) }]],
 * } as unknown as SgnHessianFrames; // C = H/S
 * if (axisNoise(r, 0).some((a) => a.noise !== a.curvature)) throw new Error("c = 1");
 * ```
 */
export function axisNoise(result: SgnHessianFrames, j: number): AxisNoise[] {
  const count = result.perS[0]?.length ?? 0;
  if (!Number.isInteger(j) || j < 0 || j >= count) {
    throw new RangeError(`j must be an integer in [0, ${count - 1}], got ${j}`);
  }
  const out: AxisNoise[] = [];
  result.frames.forEach((fr, f) => {
    const { batchSize, empirical } = result.perS[f]![j]!, k = fr.hessian.rows;
    for (let a = 0; a < k; a++) {
      out.push({
        frame: f,
        curvature: fr.hessian.data[a * k + a]!,
        noise: batchSize * empirical.data[a * k + a]!,
      });
    }
  });
  return out;
}

/** Options of {@link noiseToCurvatureTrace}. */
export interface TraceRatioOptions {
  /** Uniform source of the Hutchinson probes. */
  prng: Prng;
  /** Hutchinson probes m ≥ 2. */
  traceProbes: number;
  /** Relative precision of the oracle's gradients, for the HVP step (default `Number.EPSILON`). */
  precision?: number;
  /** The Hessian is of the mean loss over these examples (default all). */
  hessianIndices?: ArrayLike<number>;
  /** Per-example gradients per oracle call (default 256). */
  chunk?: number;
}

/**
 * The full-space constant of C ≈ c·H/S, c_tr = tr Σ_pop / tr H (= S · tr C̃_S / tr H for every S):
 * tr H by Hutchinson on `makeHvp`, then tr Σ_pop from all per-example gradients
 * (`projectPerExampleGradients` with no basis). The oracle is left at θ.
 *
 * @param oracle per-example gradients of N examples
 * @param theta the point (length `oracle.dim`)
 * @param options {@link TraceRatioOptions}
 * @returns tr Σ_pop, Hutchinson's tr H and their ratio
 * @example
 * ```ts
 * import { noiseToCurvatureTrace } from "./sgn_hessian_frames.ts";
 * import { LeastSquaresOracle } from "../noise/oracle.ts";
 * import { createPrng } from "../stats/random.ts";
 * const x = { rows: 2, cols: 1, data: new Float64Array([1, 1]) }; // H = 1
 * const r = noiseToCurvatureTrace(new LeastSquaresOracle(x, [1, -1]), [0], { prng: createPrng(1), traceProbes: 2 });
 * if (Math.abs(r.ratio - 1) > 1e-6) throw new Error("Σ_pop = 1: g_i = ∓1"); // ℓ_i = (x_i θ − y_i)²/2
 * ```
 */
export function noiseToCurvatureTrace(
  oracle: GradientOracle,
  theta: ArrayLike<number>,
  options: TraceRatioOptions,
): { traceSigma: number; trace: TraceEstimate; ratio: number } {
  const { prng, traceProbes, precision, hessianIndices, chunk } = options;
  oracle.setParams(theta);
  const hvp = makeHvp(oracle, theta, { precision, indices: hessianIndices });
  const trace = hutchinsonTrace(hvp, oracle.dim, { prng, samples: traceProbes });
  const traceSigma = projectPerExampleGradients(oracle, [], { chunk }).traceSigma;
  return { traceSigma, trace, ratio: traceSigma / trace.estimate };
}
