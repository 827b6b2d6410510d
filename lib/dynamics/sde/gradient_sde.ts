/**
 * Particles of the gradient SDE with a diagonal, state-dependent diffusion,
 *
 *   dθ = −∇L(θ) dt + √(2D(θ)) dB,  D(θ) = diag(D_1(θ), …, D_d(θ)),
 *
 * by Euler–Maruyama on the particle skeleton of particles.ts. This is the SDE of SGD in the post
 * (Eq. 7, ERRATA Eq. 6) once D = ηF/(2S) for a curvature factor F (noise_curvature.ts), and with
 * dt = η it is discrete SGD itself. Depends on stats/validate.ts, the Landscape interface and
 * particles.ts.
 *
 * @module
 */
import type { Landscape } from "../landscape.ts";
import { assertFinite, assertPositive } from "../../stats/validate.ts";
import { assertObject } from "../../stats/validate.ts";
import {
  checkLandscape,
  derivativesOf,
  outputError,
  type ParticleOptions,
  type ParticleRun,
  runParticleSteps,
} from "./particles.ts";

/**
 * A diagonal diffusion D(θ): one constant for every coordinate; one entry per coordinate, a
 * constant or a function of that coordinate alone (separable noise); or a function writing
 * D_1(θ) … D_d(θ) for θ = `x[offset .. offset + dim)` into `out[0 .. dim)`.
 */
export type DiagonalDiffusion =
  | number
  | readonly (number | ((theta: number) => number))[]
  | ((x: Float64Array, offset: number, out: Float64Array) => void);

/** Options of {@link simulateGradientSde}. */
export interface GradientSdeOptions extends ParticleOptions {
  /** Time step dt > 0 (dt = η: discrete SGD). */
  dt: number;
  /** D(θ) ≥ 0, see {@link DiagonalDiffusion}. */
  diffusion: DiagonalDiffusion;
}

/**
 * Euler–Maruyama particles of dθ = −∇L(θ) dt + √(2D(θ)) dB with diagonal D:
 *
 *   θ_{k+1,i} = θ_{k,i} + (−∂_iL(θ_k) dt + √dt · √(2D_i(θ_k)) z_{k,i}),  z_k ~ N(0, I).
 *
 * With D = ηF/(2S) and dt = η the noise term is √η·√(ηF/S) z = η·√(F/S) z, so the scheme is
 * discrete SGD with gradient noise N(0, F/S): the particles of SGD and of its SDE differ only in
 * the step. Same update, to the last bit, as `eulerMaruyama` with drift −∇L and the diagonal
 * matrix σ = √(2D), without its dim × dim product. A negative D makes the particle non-finite,
 * which throws.
 *
 * @param landscape the loss L (its unchecked `derivatives` when it has them)
 * @param options see {@link GradientSdeOptions}
 * @returns the run
 * @example
 * ```ts
 * import { Quadratic } from "../landscapes.ts";
 * import { createPrng } from "../../stats/random.ts";
 * import { simulateGradientSde } from "./gradient_sde.ts";
 * // Ornstein–Uhlenbeck: L = θ²/2, D = 0.5: stationary variance D/h = 0.5 (the scheme's 0.5/(1 − dt/2))
 * const run = simulateGradientSde(new Quadratic({ matrix: [1] }), {
 *   dt: 0.01, diffusion: 0.5, initial: [0], count: 4000, steps: 1000, prng: createPrng(1),
 * });
 * let v = 0;
 * for (const x of run.positions) v += x * x / run.count;
 * if (Math.abs(v - 0.5) > 0.06) throw new Error(`variance ${v}`);
 * ```
 */
export function simulateGradientSde(
  landscape: Landscape,
  options: GradientSdeOptions,
): ParticleRun {
  checkLandscape(landscape);
  assertObject("options", options);
  const { dt, diffusion } = options;
  assertPositive("dt", dt);
  const d = landscape.dim, deriv = derivativesOf(landscape), write = diffusionWriter(diffusion, d);
  const g = new Float64Array(d), dv = new Float64Array(d), sq = Math.sqrt(dt);
  return runParticleSteps(d, options, dt, d, () => (x, running, n, z, step) => {
    let finite = true;
    for (let r = 0; r < n; r++) {
      const off = running[r]! * d, zo = r * d;
      deriv(x, off, g, null);
      let bad = 0;
      for (let i = 0; i < d; i++) bad += g[i]! - g[i]!;
      if (bad !== 0) throw outputError("gradient", g, d, x, off, d, step, BLOWUP);
      write(x, off, dv);
      let negative = false;
      for (let i = 0; i < d; i++) {
        const v = dv[i]!;
        bad += v - v;
        negative ||= v < 0;
      }
      if (bad !== 0 || negative) {
        throw outputError("diffusion", dv, d, x, off, d, step, NON_NEGATIVE);
      }
      for (let i = 0; i < d; i++) {
        const v = x[off + i]! + (-g[i]! * dt + sq * (Math.sqrt(2 * dv[i]!) * z[zo + i]!));
        x[off + i] = v;
        if (v - v !== 0) finite = false;
      }
    }
    return finite;
  });
}

/** Checks a {@link DiagonalDiffusion} and turns it into its writer form. */
const BLOWUP = { blewUp: true } as const, NON_NEGATIVE = { nonNegative: true } as const;

function diffusionWriter(
  diffusion: DiagonalDiffusion,
  dim: number,
): (x: Float64Array, offset: number, out: Float64Array) => void {
  if (typeof diffusion === "function") return diffusion;
  if (typeof diffusion === "number") {
    checkConstant("diffusion", diffusion);
    return (_x, _offset, out) => out.fill(diffusion);
  }
  if (!Array.isArray(diffusion) || diffusion.length !== dim) {
    throw new RangeError(
      `diffusion must be a number, a function or ${dim} entries (one per coordinate), got ${
        Array.isArray(diffusion) ? `${diffusion.length} entries` : String(diffusion)
      }`,
    );
  }
  const fns = diffusion.map((e, i) => {
    if (typeof e === "number") {
      checkConstant(`diffusion[${i}]`, e);
      return () => e;
    }
    if (typeof e !== "function") {
      throw new TypeError(`diffusion[${i}] must be a number or a function, got ${e}`);
    }
    return e;
  });
  if (dim === 1) {
    const f = fns[0]!;
    return (x, offset, out) => {
      out[0] = f(x[offset]!);
    };
  }
  return (x, offset, out) => {
    for (let i = 0; i < dim; i++) out[i] = fns[i]!(x[offset + i]!);
  };
}

function checkConstant(name: string, v: number): void {
  assertFinite(name, v);
  if (v < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
}
