/**
 * Stochastic estimates of spectral functions of a symmetric matrix seen through its matvec:
 * the trace by Hutchinson's estimator with Rademacher probes, the spectral density by stochastic
 * Lanczos quadrature, and its Gaussian broadening onto a grid. Depends on stats/ and the private
 * Lanczos engine (_lanczos.ts).
 *
 * @module
 */
import { fillRademacher, type Prng } from "../stats/random.ts";
import {
  assertAllocation,
  assertFunction,
  assertInteger,
  assertNoOverflow,
  assertPositive,
} from "../stats/validate.ts";
import type { MatVec } from "./hessian_vector.ts";
import { Lanczos, tridiagonalEigen } from "./_lanczos.ts";
import { checkVector, dot } from "./_vector.ts";

/** Options of {@link hutchinsonTrace}. */
export interface TraceOptions {
  /** Uniform source of the Rademacher probes. */
  prng: Prng;
  /** Number of probes m ≥ 2. */
  samples: number;
}

/** Result of {@link hutchinsonTrace}. */
export interface TraceEstimate {
  /** Mean of the probe values, an unbiased estimate of tr(A). */
  estimate: number;
  /** Sample standard deviation of the probe values over √m. */
  standardError: number;
  /** The m probe values zᵀ A z. */
  samples: Float64Array;
}

/**
 * Hutchinson's trace estimator (Hutchinson 1989) with Rademacher probes:
 * tr(A) ≈ (1/m) Σ_{s=1}^m z_sᵀ A z_s, z_s with independent ±1 entries
 * ({@link fillRademacher}). Each term is unbiased; for symmetric A its
 * variance is 2(‖A‖_F² − Σ_i A_ii²), the smallest among probes with i.i.d.
 * entries. The standard error is estimated from the probe values.
 *
 * @param matvec symmetric `v ↦ A v`
 * @param dim dimension of A
 * @param options prng and number of probes
 * @returns {@link TraceEstimate}
 * @example
 * ```ts
 * import { hutchinsonTrace } from "./stochastic_spectrum.ts";
 * import { createPrng } from "../stats/random.ts";
 * const matvec = (v: Float64Array) => v.map((x) => 3 * x); // A = 3 I, variance 0
 * const t = hutchinsonTrace(matvec, 10, { prng: createPrng(1), samples: 4 });
 * if (t.estimate !== 30 || t.standardError !== 0) throw new Error("tr(3 I₁₀) = 30");
 * ```
 */
export function hutchinsonTrace(matvec: MatVec, dim: number, options: TraceOptions): TraceEstimate {
  assertInteger("dim", dim, 1);
  const { prng, samples } = options;
  assertInteger("samples", samples, 2);
  assertAllocation("dim", dim);
  assertAllocation("samples", samples);
  assertFunction("matvec", matvec);
  const z = new Float64Array(dim), az = new Float64Array(dim), vals = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    fillRademacher(prng, z);
    const r = matvec(z, az);
    if (r.length !== dim) throw new RangeError(`matvec must return length ${dim}, got ${r.length}`);
    const q = dot(z, r);
    if (!Number.isFinite(q)) {
      throw new RangeError(`matvec gave a non-finite quadratic form at probe ${s}: ${q}`);
    }
    vals[s] = q;
  }
  let mean = 0;
  for (let s = 0; s < samples; s++) mean += vals[s]!;
  mean /= samples;
  let v = 0;
  for (let s = 0; s < samples; s++) v += (vals[s]! - mean) ** 2;
  assertNoOverflow("matvec", "the variance of the quadratic forms zᵀAz", v);
  return { estimate: mean, standardError: Math.sqrt(v / (samples - 1) / samples), samples: vals };
}

/** Options of {@link spectralDensity}. */
export interface SlqOptions {
  /** Uniform source of the Rademacher probes. */
  prng: Prng;
  /** Lanczos steps per probe, 1 ≤ steps ≤ dim. */
  steps: number;
  /** Number of probes ≥ 1. */
  probes: number;
}

/** Result of {@link spectralDensity}: a discrete measure Σ w_i δ(λ − λ_i). */
export interface SpectralDensity {
  /** Ritz values of all probes, concatenated. */
  nodes: Float64Array;
  /** Their weights (squared first components / probes); they sum to 1. */
  weights: Float64Array;
}

/**
 * Spectral density of a symmetric matrix by stochastic Lanczos quadrature
 * (Golub & Meurant 1994; Ubaru, Chen & Saad 2017; for Hessians of networks
 * Ghorbani, Krishnan & Xiao 2019). For each probe u = z/√dim, z Rademacher,
 * `steps` Lanczos steps with full reorthogonalisation give T with
 * eigenpairs (θ_i, s_i); the Gauss quadrature
 * uᵀ f(A) u ≈ Σ_i s_{1i}² f(θ_i) is exact for polynomials of degree
 * ≤ 2·steps − 1. Averaging over probes, the measure with nodes θ_i and
 * weights s_{1i}²/probes estimates the spectral density
 * φ(λ) = (1/dim) Σ_j δ(λ − λ_j): E[Σ w_i f(θ_i)] = tr f(A)/dim for such f
 * (because ‖z‖² = dim exactly). A probe whose Krylov space becomes invariant
 * earlier stops there (its quadrature is then exact for every f).
 *
 * @param matvec symmetric `v ↦ A v`
 * @param dim dimension of A
 * @param options prng, steps, probes
 * @returns {@link SpectralDensity}
 * @example
 * ```ts
 * import { spectralDensity } from "./stochastic_spectrum.ts";
 * import { createPrng } from "../stats/random.ts";
 * const diag = Float64Array.from({ length: 20 }, (_, i) => (i < 10 ? 1 : 4));
 * const matvec = (v: Float64Array) => v.map((x, i) => diag[i]! * x);
 * const d = spectralDensity(matvec, 20, { prng: createPrng(2), steps: 5, probes: 3 });
 * const mean = d.nodes.reduce((s, x, i) => s + x * d.weights[i]!, 0);
 * if (d.nodes.length !== 6) throw new Error("two distinct eigenvalues per probe");
 * if (mean < 1 || mean > 4) throw new Error("mean eigenvalue");
 * ```
 */
export function spectralDensity(
  matvec: MatVec,
  dim: number,
  options: SlqOptions,
): SpectralDensity {
  assertInteger("dim", dim, 1);
  assertAllocation("dim", dim);
  assertFunction("matvec", matvec);
  const { prng, steps, probes } = options;
  assertInteger("steps", steps, 1);
  if (steps > dim) throw new RangeError(`steps must be <= dim (${dim}), got ${steps}`);
  assertInteger("probes", probes, 1);
  const nodes: number[] = [], weights: number[] = [];
  for (let p = 0; p < probes; p++) {
    const lz = new Lanczos(matvec, dim, fillRademacher(prng, new Float64Array(dim)));
    while (lz.q.length < steps && lz.step());
    const m = lz.q.length;
    const eig = tridiagonalEigen(lz.alpha, lz.offdiag, m);
    for (let i = 0; i < m; i++) {
      nodes.push(eig.values[i]!);
      weights.push(eig.vectors.get(0, i) ** 2 / probes);
    }
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights) };
}

/**
 * Smooths a discrete spectral measure into a density on a grid by Gaussian
 * broadening: φ_σ(x) = Σ_i w_i exp(−(x − λ_i)²/(2σ²)) / (σ√(2π)). Its
 * integral is Σ w_i (1 for {@link spectralDensity}) when the grid covers
 * the nodes by a few σ. Ghorbani et al. (2019) smooth the same way; a width
 * of about 1% of the spectral range resolves the bulk without showing the
 * individual Ritz values.
 *
 * @param density nodes and weights
 * @param grid points x at which to evaluate (finite)
 * @param sigma broadening width σ > 0
 * @returns φ_σ on the grid
 * @example
 * ```ts
 * import { broadenedDensity } from "./stochastic_spectrum.ts";
 * const phi = broadenedDensity({ nodes: new Float64Array([0]), weights: new Float64Array([1]) }, [0], 1);
 * if (Math.abs(phi[0]! - 1 / Math.sqrt(2 * Math.PI)) > 1e-15) throw new Error("N(0, 1) at 0");
 * ```
 */
export function broadenedDensity(
  density: SpectralDensity,
  grid: ArrayLike<number>,
  sigma: number,
): Float64Array {
  assertPositive("sigma", sigma);
  const { nodes, weights } = density;
  if (nodes.length !== weights.length) {
    throw new RangeError(
      `weights must have length nodes.length = ${nodes.length}, got ${weights.length}`,
    );
  }
  checkVector("nodes", nodes, nodes.length);
  checkVector("weights", weights, weights.length);
  checkVector("grid", grid, grid.length);
  const out = new Float64Array(grid.length), c = 1 / (sigma * Math.sqrt(2 * Math.PI));
  const inv = 1 / (2 * sigma * sigma);
  for (let g = 0; g < grid.length; g++) {
    const x = grid[g]!;
    let s = 0;
    for (let i = 0; i < nodes.length; i++) {
      s += weights[i]! * Math.exp(-((x - nodes[i]!) ** 2) * inv);
    }
    out[g] = c * s;
  }
  return out;
}
