/**
 * SGD on the two-basin landscape of {@link sharpFlatLandscape2d} as a diffusion, the 2-D setting
 * where the Fokker–Planck picture of Eq. 8 is tested against particles. The noise curvature is the
 * positive-definite part of the soft-min Hessian, F(θ) = Σ_k w_k H_k = (w_s h_s + w_f h_f)·I
 * (w = softmax(−q/τ); the other part, −(1/τ)[Σ_k w_k g_k g_kᵀ − ḡḡᵀ], is negative semi-definite
 * and would not make a diffusion), so D(θ) = ηF(θ)/(2S) = F(θ)/(2·S/η)·I. Here: the model (drift,
 * diffusion tensor, which basin a point is in), its particles (`simulateGradientSde`) and its
 * Fokker–Planck solver (`FokkerPlanck2D`) with the mass in the sharp basin. Depends on
 * landscapes.ts, sde/, fokker_planck/, grid_density.ts and stats/.
 *
 * @module
 */
import { FokkerPlanck2D, type Tensor2 } from "./fokker_planck/mod.ts";
import { gridMask, regionMass } from "./grid_density.ts";
import {
  sharpFlatLandscape2d,
  type SharpFlatOptions,
  sharpFlatSettings,
  type SoftMinQuadratics,
} from "./landscapes.ts";
import { simulateGradientSde } from "./sde/gradient_sde.ts";
import { stepsAtTimes } from "./sde/particles.ts";
import { type Prng, sampleNormal } from "../stats/random.ts";
import { assertFiniteArray, assertPositive } from "../stats/validate.ts";
import { MAX_GRID_CELLS, MAX_PARTICLE_VALUES } from "./limits.ts";
import { assertFunction, assertIntegerInRange, assertObject } from "../stats/validate.ts";
import { assertInterval } from "./fokker_planck/grid.ts";

/** Throws unless `model` is what {@link sharpFlatSgd} returns. */
function checkModel(model: SharpFlatSgd): void {
  assertObject("model", model);
  for (const k of ["noiseCurvature", "inSharp", "drift", "diffusion"] as const) {
    assertFunction(`model.${k}`, model[k]);
  }
  assertPositive("model.ratio", model.ratio);
}

/** Options of {@link sharpFlatSgd}: the landscape's, and S/η. */
export interface SharpFlatSgdOptions extends SharpFlatOptions {
  /** S/η > 0: the diffusion is D = F/(2·ratio). */
  ratio: number;
}

/** The SGD diffusion on the sharp/flat landscape; points are (x, y) = (θ₁, θ₂). */
export interface SharpFlatSgd {
  /** The loss, {@link sharpFlatLandscape2d} with the same options. */
  landscape: SoftMinQuadratics;
  /** h_s, the curvature of the sharp bowl. */
  sharpCurvature: number;
  /** h_f, the curvature of the flat bowl. */
  flatCurvature: number;
  /** S/η. */
  ratio: number;
  /** F(θ) = w_s h_s + (1 − w_s) h_f, w_s = 1/(1 + exp((q_s − q_f)/τ)). */
  noiseCurvature(x: number, y: number): number;
  /** q_s(θ) < q_f(θ): the sharp bowl is the lower one. */
  inSharp(x: number, y: number): boolean;
  /** −∇L(θ) (not re-entrant: shares one buffer). */
  drift(x: number, y: number): [number, number];
  /** D(θ) = [d, 0, d], d = F(θ)/(2·ratio), for {@link FokkerPlanck2D}. */
  diffusion(x: number, y: number): Tensor2;
  /** The fraction of particles (x₀, y₀, x₁, y₁, …) in the sharp basin. */
  sharpFraction(positions: ArrayLike<number>): number;
}

/**
 * The SGD diffusion on {@link sharpFlatLandscape2d}: the isotropic bowls
 * q_k(θ) = ½ h_k ‖θ − μ_k‖² + d_k joined by the soft minimum with temperature τ, noise curvature
 * F = Σ_k w_k H_k and D = F/(2·S/η) (Xie, Sato & Sugiyama 2021, "A diffusion theory for deep
 * learning dynamics"). Near a bowl F is its curvature; on the ridge q_s = q_f it is (h_s + h_f)/2.
 *
 * @param options the landscape's {@link SharpFlatOptions} and `ratio` = S/η
 * @returns {@link SharpFlatSgd}
 * @throws RangeError for a non-positive ratio or curvature (and the landscape's checks)
 * @example
 * ```ts
 * import { sharpFlatSgd } from "./sharp_flat_sgd.ts";
 * const m = sharpFlatSgd({ ratio: 24 }); // h_s = 16 at (−1, 0), h_f = 1 at (1, 0)
 * if (Math.abs(m.noiseCurvature(-1, 0) - 16) > 1e-9 || !m.inSharp(-1, 0)) throw new Error("sharp bowl");
 * if (m.diffusion(1, 0)[0] !== 1 / 48) throw new Error("D = h_f/(2·24) at the flat minimum");
 * ```
 */
export function sharpFlatSgd(options: SharpFlatSgdOptions): SharpFlatSgd {
  assertObject("options", options);
  const landscape = sharpFlatLandscape2d(options);
  const { ratio } = options;
  const {
    sharpCurvature: hs,
    flatCurvature: hf,
    sharpCenter: cs,
    flatCenter: cf,
    sharpDepth,
    flatDepth,
    temperature: tau,
  } = sharpFlatSettings(options);
  assertPositive("ratio", ratio);
  const qs = (x: number, y: number) =>
    0.5 * hs * ((x - cs[0]) ** 2 + (y - cs[1]) ** 2) + sharpDepth;
  const qf = (x: number, y: number) => 0.5 * hf * ((x - cf[0]) ** 2 + (y - cf[1]) ** 2) + flatDepth;
  const noiseCurvature = (x: number, y: number) => {
    const ws = 1 / (1 + Math.exp((qs(x, y) - qf(x, y)) / tau)); // soft-min weight of the sharp bowl
    return ws * hs + (1 - ws) * hf;
  };
  const inSharp = (x: number, y: number) => qs(x, y) < qf(x, y);
  const pt = new Float64Array(2), g = new Float64Array(2);
  return {
    landscape,
    sharpCurvature: hs,
    flatCurvature: hf,
    ratio,
    noiseCurvature,
    inSharp,
    drift: (x, y) => {
      pt[0] = x;
      pt[1] = y;
      landscape.gradient(pt, g);
      return [-g[0]!, -g[1]!];
    },
    diffusion: (x, y) => {
      const d = noiseCurvature(x, y) / (2 * ratio);
      return [d, 0, d];
    },
    sharpFraction: (pos) => {
      let c = 0;
      for (let i = 0; i < pos.length; i += 2) if (inSharp(pos[i]!, pos[i + 1]!)) c++;
      return c / (pos.length / 2);
    },
  };
}

/** Options of {@link sharpFlatParticles}. */
export interface SharpFlatParticleOptions {
  /** Step dt > 0 (dt = η: discrete SGD). */
  dt: number;
  /** Number of particles ≥ 1. */
  count: number;
  /** Snapshot times (each rounded to a whole number of steps by `stepsAtTimes`). */
  times: readonly number[];
  /** Centre of the initial Gaussian N(start, sd²·I). */
  start: readonly [number, number];
  /** Its standard deviation sd > 0. */
  sd: number;
  /** Uniform source: the initial x's, then the y's, then the steps. */
  prng: Prng;
}

/**
 * Particles of the SGD diffusion from N(start, sd²·I): Euler–Maruyama with step dt,
 * θ ← θ − ∇L(θ) dt + √(2D(θ) dt) z, D = F/(2·S/η) (`simulateGradientSde`; with dt = η this
 * is discrete SGD with gradient noise N(0, F/S)).
 *
 * @param model a {@link SharpFlatSgd}
 * @param options {@link SharpFlatParticleOptions}
 * @returns the positions (x₀, y₀, x₁, y₁, …) at each snapshot time
 * @throws RangeError for a bad count, sd or start
 * @example
 * ```ts
 * import { sharpFlatParticles, sharpFlatSgd } from "./sharp_flat_sgd.ts";
 * import { createPrng } from "../stats/random.ts";
 * const m = sharpFlatSgd({ ratio: 24 });
 * const [p] = sharpFlatParticles(m, { dt: 0.01, count: 100, times: [0.5], start: [-1, 0], sd: 0.1, prng: createPrng(1) });
 * if (p!.length !== 200 || m.sharpFraction(p!) < 0.5) throw new Error("most still in the sharp basin at t = 0.5");
 * ```
 */
export function sharpFlatParticles(
  model: SharpFlatSgd,
  options: SharpFlatParticleOptions,
): Float64Array[] {
  checkModel(model);
  assertObject("options", options);
  const { dt, count, times, start, sd, prng } = options;
  assertIntegerInRange("count", count, 1, MAX_PARTICLE_VALUES / 2);
  assertFiniteArray("start", start, 2);
  if (start.length !== 2) throw new RangeError(`start must be [x, y], got ${start.length} values`);
  if (typeof sd !== "number" || !Number.isFinite(sd) || sd < 0) {
    throw new RangeError(`sd must be a finite number >= 0, got ${sd}`);
  }
  assertFunction("prng", prng);
  const zx = sampleNormal(prng, count, start[0], sd), zy = sampleNormal(prng, count, start[1], sd);
  const initial = new Float64Array(2 * count), steps = stepsAtTimes(times, dt);
  for (let i = 0; i < count; i++) {
    initial[2 * i] = zx[i]!;
    initial[2 * i + 1] = zy[i]!;
  }
  const twoRatio = 2 * model.ratio;
  return simulateGradientSde(model.landscape, {
    dt,
    initial,
    prng,
    steps: steps.at(-1)!,
    recordAt: steps,
    diffusion: (x, o, out) => {
      out[0] = out[1] = model.noiseCurvature(x[o]!, x[o + 1]!) / twoRatio;
    },
  }).snapshots!;
}

/** Options of {@link sharpFlatFokkerPlanck}. */
export interface SharpFlatGridOptions {
  /** [x lower, x upper]. */
  xDomain: readonly [number, number];
  /** [y lower, y upper]. */
  yDomain: readonly [number, number];
  /** Cell width h > 0: round(width/h) cells along each axis. */
  cell: number;
  /** Initial density (normalised by the solver). */
  initial: (x: number, y: number) => number;
}

/**
 * The Fokker–Planck equation of the SGD diffusion (drift −∇L, diffusion D = F/(2·S/η)·I) on a
 * rectangle, by {@link FokkerPlanck2D} (TR-BDF2, reflecting walls), with the mass in the sharp
 * basin: the cells whose centre is {@link SharpFlatSgd.inSharp}.
 *
 * @param model a {@link SharpFlatSgd}
 * @param options domain, cell width and initial density
 * @returns the solver, the sharp-basin mask and `sharpMass(density)`
 * @example
 * ```ts
 * import { sharpFlatFokkerPlanck, sharpFlatSgd } from "./sharp_flat_sgd.ts";
 * const s = sharpFlatFokkerPlanck(sharpFlatSgd({ ratio: 24 }), {
 *   xDomain: [-2, 2], yDomain: [-1, 1], cell: 0.05, initial: (x, y) => Math.exp(-50 * ((x + 1) ** 2 + y * y)),
 * });
 * if (s.fp.nx !== 80 || s.sharpMass(s.fp.density) < 0.99) throw new Error("starts in the sharp basin");
 * ```
 */
export function sharpFlatFokkerPlanck(model: SharpFlatSgd, options: SharpFlatGridOptions): {
  fp: FokkerPlanck2D;
  sharpCells: Uint8Array;
  sharpMass: (density: ArrayLike<number>) => number;
} {
  checkModel(model);
  assertObject("options", options);
  const { xDomain, yDomain, cell, initial } = options;
  assertInterval("xDomain", xDomain);
  assertInterval("yDomain", yDomain);
  assertPositive("cell", cell);
  assertFunction("initial", initial);
  for (const [name, d] of [["xDomain", xDomain], ["yDomain", yDomain]] as const) {
    const n = Math.round((d[1] - d[0]) / cell);
    if (!(n >= 3 && n <= MAX_GRID_CELLS)) {
      throw new RangeError(
        `cell = ${cell} gives ${n} cells across ${name} [${d}]; it must give 3 to ${MAX_GRID_CELLS}`,
      );
    }
  }
  const cells = [
    Math.round((xDomain[1] - xDomain[0]) / cell),
    Math.round((yDomain[1] - yDomain[0]) / cell),
  ] as const;
  const fp = new FokkerPlanck2D({
    xDomain,
    yDomain,
    cells,
    drift: model.drift,
    diffusion: model.diffusion,
    scheme: "tr-bdf2",
    initial,
  });
  const sharpCells = gridMask(fp.xCenters, fp.yCenters, model.inSharp);
  return { fp, sharpCells, sharpMass: (p) => regionMass(p, fp.cellVolume, sharpCells) };
}
