/**
 * Euler–Maruyama for a general Itô SDE dX = b(X) dt + σ(X) dB with user drift and diffusion
 * matrix, on the particle skeleton of particles.ts (first-passage times, snapshots). Depends on
 * stats/validate.ts and particles.ts.
 *
 * @module
 */
import {
  assertFinite,
  assertFiniteArray,
  assertInteger,
  assertPositive,
} from "../../stats/validate.ts";
import { MAX_PARTICLE_VALUES } from "../limits.ts";
import { assertAllocation, assertArrayLike, assertObject } from "../../stats/validate.ts";
import {
  outputError,
  type ParticleOptions,
  type ParticleRun,
  runParticleSteps,
} from "./particles.ts";

/** Options of {@link eulerMaruyama}. */
export interface EulerMaruyamaOptions extends ParticleOptions {
  /** State dimension. */
  dim: number;
  /** Number of independent Brownian motions m (default dim). */
  noiseDim?: number;
  /** Time step dt > 0. */
  dt: number;
  /** Drift: writes b(x) for the point at `x[offset ..)` into `out[outOffset .. outOffset + dim)`. */
  drift: (x: Float64Array, out: Float64Array, offset: number, outOffset: number) => void;
  /**
   * Diffusion matrix σ (dim × m, row-major; D = ½σσᵀ): a number s (σ = sI,
   * needs m = dim), a constant matrix, or a function writing σ(x) into
   * `out[outOffset .. outOffset + dim·m)`.
   */
  sigma:
    | number
    | ArrayLike<number>
    | ((x: Float64Array, out: Float64Array, offset: number, outOffset: number) => void);
}

/**
 * Euler–Maruyama (Maruyama 1955; Kloeden & Platen 1992, §9.1) for the Itô SDE
 * dX = b(X) dt + σ(X) dB:
 *
 *   X_{k+1} = X_k + b(X_k) dt + σ(X_k) √dt z_k,  z_k ~ N(0, I_m).
 *
 * Strong order ½, weak order 1. For the Ornstein–Uhlenbeck process
 * b = −θX, σ = s the scheme is linear: E X_k = (1 − θ dt)^k X_0 and
 * Var X_k = s² dt [1 − (1 − θ dt)^{2k}] / [1 − (1 − θ dt)²].
 *
 * @param options see {@link EulerMaruyamaOptions}
 * @returns the run
 * @example
 * ```ts
 * import { createPrng } from "../../stats/random.ts";
 * import { eulerMaruyama } from "./euler_maruyama.ts";
 * const run = eulerMaruyama({
 *   dim: 1, dt: 0.01, steps: 100, initial: [1], count: 2000, prng: createPrng(3),
 *   drift: (x, out, o, oo) => { out[oo] = -x[o]!; }, sigma: 1,
 * });
 * let m = 0;
 * for (const x of run.positions) m += x / run.count;
 * if (Math.abs(m - 0.99 ** 100) > 0.05) throw new Error(`mean ${m}`);
 * ```
 */
export function eulerMaruyama(options: EulerMaruyamaOptions): ParticleRun {
  assertObject("options", options);
  const { dim, dt, drift, sigma } = options;
  assertInteger("dim", dim, 1);
  const m = options.noiseDim ?? dim;
  assertInteger("noiseDim", m, 1);
  assertAllocation("dim·noiseDim", dim * m, MAX_PARTICLE_VALUES);
  assertPositive("dt", dt);
  if (typeof drift !== "function") throw new TypeError(`drift must be a function, got ${drift}`);
  let sigmaFn:
    | ((x: Float64Array, out: Float64Array, offset: number, outOffset: number) => void)
    | null = null;
  const sig = new Float64Array(dim * m);
  if (typeof sigma === "number") {
    assertFinite("sigma", sigma);
    if (m !== dim) {
      throw new RangeError(`a scalar sigma needs noiseDim = dim = ${dim}, got noiseDim ${m}`);
    }
    for (let i = 0; i < dim; i++) sig[i * m + i] = sigma;
  } else if (typeof sigma === "function") {
    sigmaFn = sigma;
  } else {
    assertArrayLike("sigma", sigma);
    if (sigma.length !== dim * m) {
      throw new RangeError(
        `sigma must have dim·noiseDim = ${dim * m} entries, got ${sigma.length}`,
      );
    }
    assertFiniteArray("sigma", sigma);
    sig.set(sigma);
  }
  const b = new Float64Array(dim), sq = Math.sqrt(dt);
  const scalar = dim === 1 && m === 1 && sigmaFn === null, s0 = sig[0]! * Math.sqrt(dt);
  return runParticleSteps(dim, options, dt, m, () => {
    if (scalar) {
      return (x, running, n, z, step) => {
        let finite = true;
        for (let r = 0; r < n; r++) {
          const p = running[r]!;
          drift(x, b, p, 0);
          const bp = b[0]!;
          if (bp - bp !== 0) throw outputError("drift", b, 1, x, p, 1, step);
          const v = x[p]! + bp * dt + s0 * z[r]!;
          x[p] = v;
          if (v - v !== 0) finite = false;
        }
        return finite;
      };
    }
    return (x, running, n, z, step) => {
      let finite = true;
      for (let r = 0; r < n; r++) {
        const off = running[r]! * dim, zo = r * m;
        drift(x, b, off, 0);
        let bad = 0;
        for (let i = 0; i < dim; i++) bad += b[i]! - b[i]!;
        if (bad !== 0) throw outputError("drift", b, dim, x, off, dim, step);
        if (sigmaFn !== null) {
          sigmaFn(x, sig, off, 0);
          for (let k = 0; k < dim * m; k++) bad += sig[k]! - sig[k]!;
          if (bad !== 0) throw outputError("sigma", sig, dim * m, x, off, dim, step);
        }
        for (let i = 0; i < dim; i++) {
          let v = 0;
          for (let j = 0; j < m; j++) v += sig[i * m + j]! * z[zo + j]!;
          b[i] = b[i]! * dt + sq * v;
        }
        for (let i = 0; i < dim; i++) {
          const v = x[off + i]! + b[i]!;
          x[off + i] = v;
          if (v - v !== 0) finite = false;
        }
      }
      return finite;
    };
  });
}
