/**
 * SGD-type particle simulators on a {@link Landscape}, each one update on the shared skeleton of
 * particles.ts (`x[p * dim + j]`, first-passage times, snapshots):
 *
 * - {@link simulateSgd}: discrete SGD with Gaussian gradient noise of covariance H(θ)/S,
 *   θ ← θ − η∇L(θ) + η ξ, ξ ~ N(0, H̃(θ)/S) (the "SGD noise" of Zhu et al. 2019 and Xie et al.
 *   2021; ERRATA Eq. 6: the step is θ − η∇L − ηU with Cov U = C ≈ H/S);
 * - {@link simulateLangevin}: isotropic Gaussian noise, θ ← θ − η∇L(θ) + √(2Dη) z
 *   (Euler–Maruyama for dθ = −∇L dt + √(2D) dB, dt = η).
 *
 * Depends on stats/validate.ts, sgd_noise.ts and particles.ts.
 *
 * @module
 */
import type { Landscape } from "../landscape.ts";
import { assertObject, assertPositive } from "../../stats/validate.ts";
import {
  checkLandscape,
  derivativesOf,
  outputError,
  type ParticleOptions,
  type ParticleRun,
  type ParticleStep,
  runParticleSteps,
} from "./particles.ts";
import { checkRule, type CurvatureRule, noiseFactor } from "./sgd_noise.ts";

/** A landscape's gradient is finite at finite points: a non-finite one means the state blew up. */
const BLOWUP = { blewUp: true } as const;

/** Options of {@link simulateSgd}. */
export interface SgdOptions extends ParticleOptions {
  /** η > 0. */
  learningRate: number;
  /** S > 0 (the noise covariance is H/S). */
  batchSize: number;
  /**
   * Rule for a Hessian that is not positive semidefinite (near saddles and
   * barrier tops): "abs" (default) uses |H| = V|Λ|Vᵀ, as Xie et al. (2021)
   * do for the escape direction at a saddle (their D ∝ |H_be|); "clip" uses
   * V max(Λ, 0) Vᵀ, no noise along negative curvature.
   */
  curvature?: CurvatureRule;
}

/**
 * Discrete SGD with Gaussian gradient noise of covariance H(θ)/S:
 *
 *   θ_{k+1} = θ_k − η ∇L(θ_k) + η ξ_k,  ξ_k ~ N(0, r(H(θ_k))/S),
 *
 * with r = |·| or clip at 0 on the eigenvalues (see {@link SgdOptions}). Its
 * small-η limit is the Itô SDE dθ = −∇L dt + √(η r(H)/S) dB (dt = η), i.e.
 * D = η H/(2S) (Eq. 7–8, ERRATA Eq. 6). For a quadratic L = ½θᵀHθ the
 * recursion is linear and its stationary covariance solves the discrete
 * Lyapunov equation Σ = (I − ηH) Σ (I − ηH) + η² H/S, i.e.
 * Σ = (η/S)(2I − ηH)⁻¹ (→ ηI/(2S) as η → 0).
 *
 * Noise factors: 1-D √(r(h)/S); 2-D the Cholesky factor of r(H)/S in closed
 * form; higher dimensions a Jacobi eigen-decomposition per particle and step
 * (once per run when `landscape.constantHessian`).
 *
 * @param landscape the loss
 * @param options see {@link SgdOptions}
 * @returns the run, with dt = η
 * @example
 * ```ts
 * import { Quadratic } from "../landscapes.ts";
 * import { createPrng } from "../../stats/random.ts";
 * import { simulateSgd } from "./simulators.ts";
 * const q = new Quadratic({ matrix: [1] });
 * const run = simulateSgd(q, {
 *   learningRate: 0.1, batchSize: 4, initial: [0], count: 1000, steps: 200, prng: createPrng(1),
 * });
 * let v = 0;
 * for (const x of run.positions) v += x * x / run.count;
 * // stationary variance (η/S)/(2 − ηh) = 0.025/1.9 ≈ 0.0132
 * if (Math.abs(v - 0.0132) > 0.003) throw new Error(`variance ${v}`);
 * ```
 */
export function simulateSgd(landscape: Landscape, options: SgdOptions): ParticleRun {
  checkLandscape(landscape);
  assertObject("options", options);
  const eta = options.learningRate, S = options.batchSize, rule = options.curvature ?? "abs";
  assertPositive("learningRate", eta);
  assertPositive("batchSize", S);
  checkRule(rule);
  const d = landscape.dim, deriv = derivativesOf(landscape);
  const g = new Float64Array(d), h = new Float64Array(d * d), f = new Float64Array(d * d);
  const a = new Float64Array(d * d), vals = new Float64Array(d), vecs = new Float64Array(d * d);
  const constant = landscape.constantHessian, invS = 1 / S, abs = rule === "abs";
  return runParticleSteps(d, options, eta, d, (x0) => {
    if (constant) {
      landscape.hessian(x0, h, 0, 0);
      noiseFactor(h, 0, d, rule, invS, f, a, vals, vecs);
    }
    if (d === 1 && constant) {
      // scalar fast paths
      const fp = f[0]!;
      return (x, running, n, z, step) => {
        let finite = true;
        for (let r = 0; r < n; r++) {
          const p = running[r]!;
          deriv(x, p, g, null);
          const gp = g[0]!;
          if (gp - gp !== 0) throw outputError("gradient", g, 1, x, p, 1, step, BLOWUP);
          const v = x[p]! - eta * gp + eta * fp * z[r]!;
          x[p] = v;
          if (v - v !== 0) finite = false;
        }
        return finite;
      };
    }
    if (d === 1) {
      return (x, running, n, z, step) => {
        let finite = true;
        for (let r = 0; r < n; r++) {
          const p = running[r]!;
          deriv(x, p, g, h);
          const c = h[0]!, fp = Math.sqrt((abs ? Math.abs(c) : c > 0 ? c : 0) * invS);
          const gp = g[0]!;
          if (gp - gp !== 0) throw outputError("gradient", g, 1, x, p, 1, step, BLOWUP);
          const v = x[p]! - eta * gp + eta * fp * z[r]!;
          x[p] = v;
          if (v - v !== 0) finite = false;
        }
        return finite;
      };
    }
    return (x, running, n, z, step) => {
      let finite = true;
      for (let k = 0; k < n; k++) {
        const off = running[k]! * d, zo = k * d;
        if (constant) deriv(x, off, g, null);
        else {
          deriv(x, off, g, h);
          noiseFactor(h, 0, d, rule, invS, f, a, vals, vecs);
        }
        let bad = 0;
        for (let r = 0; r < d; r++) bad += g[r]! - g[r]!;
        if (bad !== 0) throw outputError("gradient", g, d, x, off, d, step, BLOWUP);
        for (let r = 0; r < d; r++) {
          let xi = 0;
          for (let c = 0; c <= (d === 2 ? r : d - 1); c++) xi += f[r * d + c]! * z[zo + c]!;
          g[r] = g[r]! - xi; // reuse g: ∇L − ξ
        }
        for (let r = 0; r < d; r++) {
          const v = x[off + r]! - eta * g[r]!;
          x[off + r] = v;
          if (v - v !== 0) finite = false;
        }
      }
      return finite;
    };
  });
}

/** Options of {@link simulateLangevin}. */
export interface LangevinOptions extends ParticleOptions {
  /** η > 0 (the time step). */
  learningRate: number;
  /** Isotropic diffusion constant D ≥ 0 (temperature). */
  diffusion: number;
}

/**
 * Gradient descent with isotropic Gaussian noise (unadjusted Langevin):
 *
 *   θ_{k+1} = θ_k − η ∇L(θ_k) + √(2Dη) z_k,  z_k ~ N(0, I),
 *
 * the Euler–Maruyama scheme of dθ = −∇L dt + √(2D) dB with dt = η, whose
 * stationary law is the Gibbs density ∝ exp(−L/D). The isotropic baseline
 * against which SGD's H-shaped noise is compared (Zhu et al. 2019; Xie et al.
 * 2021).
 *
 * @param landscape the loss
 * @param options see {@link LangevinOptions}
 * @returns the run, with dt = η
 * @example
 * ```ts
 * import { Quadratic } from "../landscapes.ts";
 * import { createPrng } from "../../stats/random.ts";
 * import { simulateLangevin } from "./simulators.ts";
 * const run = simulateLangevin(new Quadratic({ matrix: [2] }), {
 *   learningRate: 0.1, diffusion: 0.5, initial: [0], count: 2000, steps: 100, prng: createPrng(2),
 * });
 * let v = 0;
 * for (const x of run.positions) v += x * x / run.count;
 * // stationary variance 2D/(h(2 − ηh)) = 1/3.6 ≈ 0.278 (the SDE's D/h = 0.25)
 * if (Math.abs(v - 1 / 3.6) > 0.05) throw new Error(`variance ${v}`);
 * ```
 */
export function simulateLangevin(landscape: Landscape, options: LangevinOptions): ParticleRun {
  checkLandscape(landscape);
  assertObject("options", options);
  const eta = options.learningRate, D = options.diffusion;
  assertPositive("learningRate", eta);
  if (typeof D !== "number" || !Number.isFinite(D) || D < 0) {
    throw new RangeError(`diffusion must be a finite number >= 0, got ${D}`);
  }
  const d = landscape.dim, deriv = derivativesOf(landscape);
  const g = new Float64Array(d), sd = Math.sqrt(2 * D * eta);
  return runParticleSteps(d, options, eta, d, (): ParticleStep => {
    if (d === 1) {
      return (x, running, n, z, step) => {
        let finite = true;
        for (let r = 0; r < n; r++) {
          const p = running[r]!;
          deriv(x, p, g, null);
          const gp = g[0]!;
          if (gp - gp !== 0) throw outputError("gradient", g, 1, x, p, 1, step, BLOWUP);
          const v = x[p]! - eta * gp + sd * z[r]!;
          x[p] = v;
          if (v - v !== 0) finite = false;
        }
        return finite;
      };
    }
    return (x, running, n, z, step) => {
      let finite = true;
      for (let r = 0; r < n; r++) {
        const off = running[r]! * d, zo = r * d;
        deriv(x, off, g, null);
        let bad = 0;
        for (let j = 0; j < d; j++) bad += g[j]! - g[j]!;
        if (bad !== 0) throw outputError("gradient", g, d, x, off, d, step, BLOWUP);
        for (let j = 0; j < d; j++) {
          const v = x[off + j]! - eta * g[j]! + sd * z[zo + j]!;
          x[off + j] = v;
          if (v - v !== 0) finite = false;
        }
      }
      return finite;
    };
  });
}
