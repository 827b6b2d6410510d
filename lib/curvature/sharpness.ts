/**
 * Sharpness of a minimum: the top Hessian eigenvalue λ_max (Lanczos) and the Hessian trace
 * (Hutchinson) in one call, the two measures of flatness the notebooks compare across minima
 * (Keskar et al. 2017 use λ_max; the trace is the sum of all curvatures). Works on any symmetric
 * {@link MatVec}, e.g. `makeHvp(oracle, θ, { precision, indices })` for a network. Depends on
 * eigenpairs.ts and stochastic_spectrum.ts.
 *
 * @module
 */
import type { Prng } from "../stats/random.ts";
import { assertInteger } from "../stats/validate.ts";
import { type EigenResult, topEigenpairs } from "./eigenpairs.ts";
import type { MatVec } from "./hessian_vector.ts";
import { hutchinsonTrace, type TraceEstimate } from "./stochastic_spectrum.ts";

/** Options of {@link hessianSharpness}. */
export interface SharpnessOptions {
  /** Uniform source of the Lanczos start vector (and restarts). */
  prng: Prng;
  /** Number of top eigenpairs, 1 ≤ k ≤ dim (default 1). */
  k?: number;
  /** Relative residual tolerance of the eigenpairs (default 1e-6, see `topEigenpairs`). */
  tol?: number;
  /** Largest Krylov dimension (default as `topEigenpairs`). */
  maxIter?: number;
  /** Return unconverged eigenpairs (flagged in `eigen.converged`) instead of throwing. */
  allowUnconverged?: boolean;
  /** Number of Hutchinson probes m ≥ 2, or 0 for no trace (default 0). */
  traceProbes?: number;
  /** Uniform source of the Rademacher probes (default: `prng`, continued after Lanczos). */
  tracePrng?: Prng;
}

/** Result of {@link hessianSharpness}. */
export interface Sharpness {
  /** λ_max, the largest eigenvalue (`eigen.values[0]`). */
  lambdaMax: number;
  /** The top-k eigenpairs (values descending, unit eigenvectors as rows, true residuals). */
  eigen: EigenResult;
  /** Hutchinson's estimate of tr A with its standard error; absent when `traceProbes` is 0. */
  trace?: TraceEstimate;
}

/**
 * The sharpness of a symmetric matrix A (a Hessian) seen through its matvec: the top-k
 * eigenpairs by `topEigenpairs` (largest algebraic; λ_max = the first) and, with `traceProbes`,
 * tr A by `hutchinsonTrace`, in that order (first the Lanczos matvecs, then the probes). The
 * result equals calling those two functions with the same prngs.
 *
 * @param matvec symmetric `v ↦ A v`
 * @param dim dimension of A
 * @param options {@link SharpnessOptions}
 * @returns {@link Sharpness}
 * @example
 * ```ts
 * import { hessianSharpness } from "./sharpness.ts";
 * import { createPrng } from "../stats/random.ts";
 * const diag = new Float64Array([1, 5, 3, 2]); // λ_max = 5, tr = 11
 * const matvec = (v: Float64Array) => v.map((x, i) => diag[i]! * x);
 * const s = hessianSharpness(matvec, 4, { prng: createPrng(0), tol: 1e-10, traceProbes: 2 });
 * if (Math.abs(s.lambdaMax - 5) > 1e-9 || s.trace!.estimate !== 11) throw new Error("λ_max, tr");
 * ```
 */
export function hessianSharpness(
  matvec: MatVec,
  dim: number,
  options: SharpnessOptions,
): Sharpness {
  const { prng, k = 1, tol, maxIter, allowUnconverged, traceProbes = 0 } = options;
  assertInteger("traceProbes", traceProbes);
  if (traceProbes === 1) {
    throw new RangeError("traceProbes must be 0 (no trace) or an integer >= 2, got 1");
  }
  const eigen = topEigenpairs(matvec, dim, k, { prng, tol, maxIter, allowUnconverged });
  const out: Sharpness = { lambdaMax: eigen.values[0]!, eigen };
  if (traceProbes > 0) {
    out.trace = hutchinsonTrace(matvec, dim, {
      prng: options.tracePrng ?? prng,
      samples: traceProbes,
    });
  }
  return out;
}
