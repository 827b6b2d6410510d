/**
 * The curvature factor F of the SGD noise in the toy valleys, and the diffusion D = ηF/(2S) of
 * the SDE of SGD (ERRATA Eq. 6: Cov U = C ≈ F/S, D = ηC/2). F is Fisher-shaped: positive
 * everywhere and equal to the Hessian at minima and saddles, interpolated in the loss level in
 * between ({@link levelInterpolatedCurvature}); {@link doubleWellNoiseCurvature} and
 * {@link separableNoiseCurvature} apply it to the double well and to each coordinate of a
 * separable valley. Depends on stats/validate.ts and the landscapes' types.
 *
 * @module
 */
import { assertFinite, assertPositive } from "../stats/validate.ts";
import { assertFunction, assertObject } from "../stats/validate.ts";
import type { AsymmetricDoubleWell } from "./landscapes.ts";
import type { SeparableValley } from "./separable_valley.ts";

/**
 * A Fisher-shaped curvature factor for the SGN in a 1-D valley: F(x) =
 * h_a + (|h_b| − h_a)·u(x), u = clamp((L(x) − L_a)/ΔL, 0, 1), so that the SGN
 * covariance F/S equals H/S at the minimum and at the saddle (where the
 * Fisher matrix equals the Hessian) and stays positive in between.
 *
 * Why not |L''| itself: along any path from a minimum to a saddle the
 * curvature changes sign, so D ∝ |L''| vanishes at an inflection point and
 * ∫ L'/D diverges there: pure Hessian-shaped noise cannot carry a particle
 * over the barrier in 1-D. The SGN covariance is the (centred) Fisher of the
 * per-example gradients, which is positive semidefinite and matches H only
 * near critical points; the interpolation above is the simplest such model,
 * and with it the theorem's path parameter s is {@link pathParameter}.
 *
 * @param loss L(x)
 * @param p.lossMin L_a, p.deltaL ΔL, p.hA h_a, p.hB h_b (absolute value used)
 * @returns F(x)
 */
export function levelInterpolatedCurvature(
  loss: (x: number) => number,
  p: { lossMin: number; deltaL: number; hA: number; hB: number },
): (x: number) => number {
  assertFunction("loss", loss);
  assertObject("p", p);
  assertFinite("lossMin", p.lossMin);
  assertPositive("deltaL", p.deltaL);
  assertPositive("hA", p.hA);
  if (typeof p.hB !== "number" || !Number.isFinite(p.hB) || p.hB === 0) {
    throw new RangeError(`hB must be a finite number != 0, got ${p.hB}`);
  }
  const hb = Math.abs(p.hB);
  return (x: number) => {
    const l = loss(x);
    if (typeof l !== "number" || !Number.isFinite(l)) {
      throw new RangeError(`loss returned a non-finite value ${l} at x = ${x}`);
    }
    const u = Math.min(1, Math.max(0, (l - p.lossMin) / p.deltaL));
    return p.hA + (hb - p.hA) * u;
  };
}

/**
 * The noise curvature of an {@link AsymmetricDoubleWell}: {@link levelInterpolatedCurvature}
 * between h_a at the minimum a and |h_b| at the barrier left of the barrier top, and (with
 * `otherSide`, the default) between h_c at the other minimum c and |h_b| right of it, so that
 * F = L'' at a, b and c and F ≥ min(h_a, h_c, |h_b|) > 0 everywhere. Without `otherSide`, the
 * interpolation of a's side is used everywhere (enough for escapes from a that stop short of c).
 *
 * @param well the double well
 * @param options.otherSide interpolate towards h_c right of the barrier (default true)
 * @returns F(θ)
 * @example
 * ```ts
 * import { AsymmetricDoubleWell } from "./landscapes.ts";
 * import { doubleWellNoiseCurvature } from "./noise_curvature.ts";
 * const w = new AsymmetricDoubleWell({
 *   curvatureMin: 2, curvatureBarrier: 1, barrierHeight: 0.1, curvatureOther: 0.5,
 * });
 * const F = doubleWellNoiseCurvature(w);
 * if (Math.abs(F(w.xMin) - 2) > 1e-12 || Math.abs(F(w.xOther) - 0.5) > 1e-12) throw new Error();
 * ```
 */
export function doubleWellNoiseCurvature(
  well: AsymmetricDoubleWell,
  { otherSide = true }: { otherSide?: boolean } = {},
): (theta: number) => number {
  assertObject("well", well);
  assertFunction("well.value", well.value);
  const loss = (x: number) => well.value(x);
  const fa = levelInterpolatedCurvature(loss, {
    lossMin: 0,
    deltaL: well.barrierHeight,
    hA: well.curvatureMin,
    hB: well.curvatureBarrier,
  });
  if (!otherSide) return fa;
  const fc = levelInterpolatedCurvature(loss, {
    lossMin: well.lossOther,
    deltaL: well.barrierHeightOther,
    hA: well.curvatureOther,
    hB: well.curvatureBarrier,
  });
  const xb = well.xBarrier;
  return (x: number) => (x <= xb ? fa(x) : fc(x));
}

/**
 * The noise curvature of coordinate i of a {@link SeparableValley}: its curvature h_i for a
 * walled coordinate; otherwise {@link levelInterpolatedCurvature} of its profile B_i between h_i
 * at the minimum and the barrier's |B_i''| = 2h_i.
 *
 * @param valley the valley
 * @param i the coordinate (0 ≤ i < dim)
 * @returns F_i(θ_i)
 * @example
 * ```ts
 * import { SeparableValley } from "./separable_valley.ts";
 * import { separableNoiseCurvature } from "./noise_curvature.ts";
 * const v = new SeparableValley([{ kind: "one-sided", curvature: 4, barrier: 0.25 }]);
 * const F = separableNoiseCurvature(v, 0);
 * if (F(0) !== 4 || Math.abs(F(v.barrierTop(0)) - 8) > 1e-12) throw new Error();
 * ```
 */
export function separableNoiseCurvature(
  valley: SeparableValley,
  i: number,
): (theta: number) => number {
  assertObject("valley", valley);
  if (!Array.isArray(valley.axes)) {
    throw new TypeError(`valley must be a SeparableValley, got ${valley}`);
  }
  const a = Number.isInteger(i) ? valley.axes[i] : undefined;
  if (a === undefined) {
    throw new RangeError(`i must be an axis index in [0, ${valley.dim}), got ${i}`);
  }
  if (a.kind === "wall") return () => a.curvature;
  return levelInterpolatedCurvature((x) => valley.profile(i, x), {
    lossMin: 0,
    deltaL: a.barrier,
    hA: a.curvature,
    hB: 2 * a.curvature,
  });
}

/**
 * The diffusion of the SDE of SGD, D(θ) = η F(θ) / (2S) (ERRATA Eq. 6), for a constant or
 * state-dependent curvature factor F.
 *
 * @param curvature F > 0, a number or a function of θ
 * @param learningRate η > 0
 * @param batchSize S > 0
 * @returns D, of the same kind as `curvature`
 * @example
 * ```ts
 * import { sgdDiffusion } from "./noise_curvature.ts";
 * if (sgdDiffusion(4, 0.1, 2) !== 0.1) throw new Error(); // 0.1·4/(2·2)
 * ```
 */
export function sgdDiffusion(curvature: number, learningRate: number, batchSize: number): number;
export function sgdDiffusion(
  curvature: (theta: number) => number,
  learningRate: number,
  batchSize: number,
): (theta: number) => number;
export function sgdDiffusion(
  curvature: number | ((theta: number) => number),
  learningRate: number,
  batchSize: number,
): number | ((theta: number) => number) {
  assertPositive("learningRate", learningRate);
  assertPositive("batchSize", batchSize);
  if (typeof curvature === "number") {
    assertPositive("curvature", curvature);
    const d = (learningRate * curvature) / (2 * batchSize);
    if (!Number.isFinite(d)) {
      throw new RangeError(
        `the diffusion overflows for curvature = ${curvature}, learningRate = ${learningRate}, ` +
          `batchSize = ${batchSize}`,
      );
    }
    return d;
  }
  if (typeof curvature !== "function") {
    throw new TypeError(`curvature must be a number or a function, got ${curvature}`);
  }
  return (x: number) => (learningRate * curvature(x)) / (2 * batchSize);
}
