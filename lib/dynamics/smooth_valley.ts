/**
 * A 1-D valley that is C^∞ (an entire function) and whose three Kramers numbers are exact,
 * independent parameters: curvature h_a at the minimum, curvature −|h_b| at the barrier top,
 * barrier height ΔL. {@link AsymmetricDoubleWell} has the same three parameters but is only C²
 * (L''' jumps at its knots), so its finite-temperature corrections to Kramers' prefactor fall
 * only like √(D/ΔL); here they fall like D/ΔL, as in Kramers' smooth setting (Hänggi, Talkner &
 * Borkovec 1990, §IV). Depends on landscape.ts and stats/validate.ts.
 *
 * @module
 */
import { CheckedLandscape } from "./landscape.ts";
import { assertFinite, assertObject, assertPositive } from "../stats/validate.ts";

function checkedX(x: number): number {
  assertFinite("x", x);
  return x;
}

function scalar(what: string, v: number, x: number): number {
  if (!Number.isFinite(v)) throw new RangeError(`the ${what} overflows (${v}) at x = ${x}`);
  return v;
}

/** Parameters of {@link SmoothValley}. */
export interface SmoothValleyParams {
  /** h_a = L''(0) > 0, the curvature at the minimum x_a = 0. */
  curvatureMin: number;
  /** |h_b| = −L''(x_b) > 0 at the barrier top x_b > 0. */
  curvatureBarrier: number;
  /** ΔL = L(x_b) − L(0) > 0. */
  barrierHeight: number;
}

/**
 * E_n(z) = ∫_0^1 s^n e^{z s} ds for n = 1, 2, stable for every z: the power series where
 * |z| < 1 (terms ≤ 1/k!), the recurrence E_0 = (e^z − 1)/z, E_n = (e^z − n E_{n−1})/z elsewhere
 * (each step amplifies the error of the previous by n/|z| ≤ 2).
 */
export function expMoments(z: number): [number, number] {
  if (Math.abs(z) < 1) {
    let e1 = 0, e2 = 0, term = 1; // term = z^k / k!
    for (let k = 0; k < 30; k++) {
      e1 += term / (k + 2);
      e2 += term / (k + 3);
      term *= z / (k + 1);
    }
    return [e1, e2];
  }
  const ez = Math.exp(z);
  const e0 = Math.expm1(z) / z;
  const e1 = (ez - e0) / z;
  return [e1, (ez - 2 * e1) / z];
}

/**
 * A C^∞ 1-D valley with exact Kramers numbers:
 *
 *   L'(x) = h_a · x · (1 − x/x_b) · e^{γ x},   γ = ln(|h_b|/h_a) / x_b,
 *
 * so that L''(0) = h_a, L''(x_b) = −h_a e^{γ x_b} = −|h_b|, and
 * L(x) = h_a x_b² [v² E_1(c v) − v³ E_2(c v)] with v = x/x_b, c = ln(|h_b|/h_a) and
 * E_n of {@link expMoments}. The barrier top is placed where ΔL = L(x_b) = h_a x_b² I(c),
 * I(c) = E_1(c) − E_2(c) = ∫_0^1 t(1 − t) e^{ct} dt: x_b = √(ΔL / (h_a I(c))).
 *
 * The minimum x_a = 0 and the barrier top x_b are the only critical points; L rises on
 * (−∞, 0)'s side towards the far wall (which flattens like x² e^{γx} when |h_b| > h_a: put a
 * reflecting wall within a few x_b of the minimum) and falls without bound past x_b (escape).
 *
 * @example
 * ```ts
 * import { SmoothValley } from "./smooth_valley.ts";
 * const v = new SmoothValley({ curvatureMin: 4, curvatureBarrier: 1, barrierHeight: 0.25 });
 * if (Math.abs(v.value(v.xBarrier) - 0.25) > 1e-14) throw new Error("barrier height");
 * if (Math.abs(v.curvature(v.xBarrier) + 1) > 1e-13) throw new Error("barrier curvature");
 * ```
 */
export class SmoothValley extends CheckedLandscape {
  readonly dim = 1;
  readonly constantHessian = false;
  /** h_a. */
  readonly curvatureMin: number;
  /** |h_b|. */
  readonly curvatureBarrier: number;
  /** ΔL. */
  readonly barrierHeight: number;
  /** x_a = 0, the minimum (L = 0 there). */
  readonly xMin = 0;
  /** x_b, the barrier top. */
  readonly xBarrier: number;
  readonly #gamma: number;
  readonly #c: number;

  /** @param params see {@link SmoothValleyParams} */
  constructor(params: SmoothValleyParams) {
    super();
    assertObject("params", params);
    const { curvatureMin, curvatureBarrier, barrierHeight } = params;
    assertPositive("curvatureMin", curvatureMin);
    assertPositive("curvatureBarrier", curvatureBarrier);
    assertPositive("barrierHeight", barrierHeight);
    this.curvatureMin = curvatureMin;
    this.curvatureBarrier = curvatureBarrier;
    this.barrierHeight = barrierHeight;
    const c = Math.log(curvatureBarrier / curvatureMin);
    const [e1, e2] = expMoments(c);
    this.xBarrier = Math.sqrt(barrierHeight / (curvatureMin * (e1 - e2)));
    this.#c = c;
    this.#gamma = c / this.xBarrier;
    if (!Number.isFinite(this.xBarrier) || !Number.isFinite(this.#gamma)) {
      throw new RangeError(
        `curvatureMin, curvatureBarrier and barrierHeight (${curvatureMin}, ${curvatureBarrier}, ` +
          `${barrierHeight}) give a barrier position ${this.xBarrier} that is not finite`,
      );
    }
  }

  /** L(x), scalar form (x finite; throws if L overflows). */
  value(x: number): number {
    return scalar("value", this.#value(checkedX(x)), x);
  }

  /** L'(x), scalar form. */
  slope(x: number): number {
    return scalar("slope", this.#slope(checkedX(x)), x);
  }

  /** L''(x), scalar form. */
  curvature(x: number): number {
    return scalar("curvature", this.#curvature(checkedX(x)), x);
  }

  #value(x: number): number {
    const v = x / this.xBarrier;
    const [e1, e2] = expMoments(this.#c * v);
    return this.curvatureMin * this.xBarrier * this.xBarrier * v * v * (e1 - v * e2);
  }

  #slope(x: number): number {
    return this.curvatureMin * x * (1 - x / this.xBarrier) * Math.exp(this.#gamma * x);
  }

  #curvature(x: number): number {
    const b = this.xBarrier, g = this.#gamma;
    return this.curvatureMin * ((1 - 2 * x / b) + g * x * (1 - x / b)) * Math.exp(g * x);
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    return this.#value(x[offset]!);
  }

  derivatives(x: Float64Array, offset: number, grad: Float64Array, hess: Float64Array | null) {
    const t = x[offset]!;
    grad[0] = this.#slope(t);
    if (hess !== null) hess[0] = this.#curvature(t);
  }
}
