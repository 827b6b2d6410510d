/**
 * Toy loss landscapes with analytic gradient and Hessian, the test beds of the
 * SDE / Fokker–Planck notebooks and of the escape-time work:
 *
 * - {@link Quadratic}: L(θ) = ½ (θ − c)ᵀ A (θ − c), any dimension;
 * - {@link AsymmetricDoubleWell}: a 1-D double well whose curvature at the
 *   minimum, curvature at the barrier top and barrier height are exact
 *   parameters (the three numbers of Kramers' law), with a second well of its
 *   own curvature and depth;
 * - {@link SoftMinQuadratics} and {@link sharpFlatLandscape2d}: wells built
 *   as a smooth minimum of quadratic bowls, e.g. a sharp and a flat basin in
 *   2-D;
 * - {@link StyblinskiTang}: k · ½ Σ_i (θ_i⁴ − 16θ_i² + 5θ_i).
 *
 * All of them extend {@link CheckedLandscape} (`landscape.ts`): each writes its
 * maths once, and the base class checks the arguments of `loss`, `gradient`
 * and `hessian` around it.
 *
 * @module
 */

import { CheckedLandscape } from "./landscape.ts";
import {
  assertFinite,
  assertFiniteArray,
  assertInteger,
  assertPositive,
} from "../stats/validate.ts";
import { assertArrayLike, assertObject } from "../stats/validate.ts";

/** `x`, a point of a 1-D landscape, checked finite. */
function checkedX(x: number): number {
  assertFinite("x", x);
  return x;
}

/** Checks that `m` is a finite symmetric `dim × dim` row-major matrix; returns a copy. */
function symmetricMatrix(name: string, m: ArrayLike<number>, dim: number): Float64Array {
  assertArrayLike(name, m);
  if (m.length !== dim * dim) {
    throw new RangeError(`${name} must have ${dim * dim} entries (row-major), got ${m.length}`);
  }
  const a = Float64Array.from(m);
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    if (!Number.isFinite(a[k]!)) throw new RangeError(`${name}[${k}] must be finite, got ${a[k]}`);
    scale = Math.max(scale, Math.abs(a[k]!));
  }
  for (let r = 0; r < dim; r++) {
    for (let c = r + 1; c < dim; c++) {
      const u = a[r * dim + c]!, l = a[c * dim + r]!;
      if (Math.abs(u - l) > 1e-12 * scale) {
        throw new RangeError(
          `${name} must be symmetric, got ${name}[${r},${c}] = ${u} but ${name}[${c},${r}] = ${l}`,
        );
      }
    }
  }
  return a;
}

/**
 * The quadratic L(θ) = ½ (θ − c)ᵀ A (θ − c) + L₀ with a symmetric matrix A
 * (any signature: positive definite for a bowl, indefinite for a saddle).
 * Gradient A(θ − c), Hessian A. The local model of every landscape near a
 * critical point, and the case where SGD's stationary covariance is known in
 * closed form (see `sde.ts`).
 *
 * @example
 * ```ts
 * import { Quadratic } from "./landscapes.ts";
 * const q = new Quadratic({ matrix: [2, 0, 0, 1] });
 * const g = q.gradient([1, 1]); // A θ = [2, 1]
 * if (g[0] !== 2 || g[1] !== 1 || q.loss([1, 1]) !== 1.5) throw new Error("quadratic");
 * ```
 */
export class Quadratic extends CheckedLandscape {
  readonly dim: number;
  readonly constantHessian = true;
  /** A, row-major. */
  readonly matrix: Float64Array;
  /** The centre c. */
  readonly center: Float64Array;
  /** L₀ = L(c), the loss at the minimum. */
  readonly minimumLoss: number;

  /**
   * @param options.matrix A, row-major `dim × dim`, symmetric
   * @param options.center c (default 0)
   * @param options.minimumLoss L₀ (default 0)
   */
  constructor(
    { matrix, center, minimumLoss = 0 }: {
      matrix: ArrayLike<number>;
      center?: ArrayLike<number>;
      minimumLoss?: number;
    },
  ) {
    super();
    assertArrayLike("matrix", matrix);
    const dim = Math.round(Math.sqrt(matrix.length));
    if (dim < 1 || dim * dim !== matrix.length) {
      throw new RangeError(`matrix must have a square number of entries > 0, got ${matrix.length}`);
    }
    this.dim = dim;
    this.matrix = symmetricMatrix("matrix", matrix, dim);
    if (center !== undefined) assertArrayLike("center", center);
    this.center = center === undefined ? new Float64Array(dim) : Float64Array.from(center);
    if (this.center.length !== dim) {
      throw new RangeError(`center must have length ${dim}, got ${this.center.length}`);
    }
    for (let j = 0; j < dim; j++) assertFinite(`center[${j}]`, this.center[j]!);
    assertFinite("minimumLoss", minimumLoss);
    this.minimumLoss = minimumLoss;
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    const d = this.dim, a = this.matrix, c = this.center;
    let s = 0;
    for (let r = 0; r < d; r++) {
      let ar = 0;
      for (let k = 0; k < d; k++) ar += a[r * d + k]! * (x[offset + k]! - c[k]!);
      s += (x[offset + r]! - c[r]!) * ar;
    }
    return 0.5 * s + this.minimumLoss;
  }

  derivatives(
    x: Float64Array,
    offset: number,
    grad: Float64Array,
    hess: Float64Array | null,
  ): void {
    const d = this.dim, a = this.matrix, c = this.center;
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[r * d + k]! * (x[offset + k]! - c[k]!);
      grad[r] = s;
    }
    if (hess !== null) hess.set(a);
  }
}

/** Parameters of {@link AsymmetricDoubleWell}. */
export interface DoubleWellParams {
  /** h_a = L''(x_a) > 0, the curvature at the minimum a. */
  curvatureMin: number;
  /** |h_b| = −L''(x_b) > 0, the magnitude of the (negative) curvature at the barrier top b. */
  curvatureBarrier: number;
  /** ΔL = L(x_b) − L(x_a) > 0, the barrier height seen from a. */
  barrierHeight: number;
  /** h_c = L''(x_c) > 0 at the other minimum c (default h_a). */
  curvatureOther?: number;
  /** ΔL_c = L(x_b) − L(x_c) > 0, the barrier height seen from c (default ΔL). */
  barrierHeightOther?: number;
  /** Position x_a of the minimum a (default 0); b and c lie to its right. */
  xMin?: number;
}

/**
 * Shape constant of the double well: each side of the barrier is a quintic
 * Hermite segment of width w with (h_1 + h_2) w² / ΔL = SHAPE. Any value in
 * (0, 20] keeps the segment strictly monotone (see the class notes).
 */
const SHAPE = 10;

/** Coefficients (in t ∈ [0, 1]) of the quintic P with P(0) = P'(0) = 0, P''(0) = A, P(1) = 1, P'(1) = 0, P''(1) = −B. */
function quinticCoefficients(a: number, b: number): Float64Array {
  return Float64Array.of(
    0,
    0,
    a / 2,
    10 - 1.5 * a - 0.5 * b,
    -15 + 1.5 * a + b,
    6 - 0.5 * a - 0.5 * b,
  );
}

/**
 * A 1-D asymmetric double well in which the three numbers of Kramers' escape
 * law are exact, independent parameters: the curvature h_a = L''(x_a) at the
 * minimum a, the curvature −|h_b| = L''(x_b) at the barrier top b, and the
 * barrier height ΔL = L(x_b) − L(x_a); the second minimum c has its own
 * curvature h_c and barrier height ΔL_c = L(x_b) − L(x_c). L(x_a) = 0.
 *
 * Construction (piecewise quintic, C² everywhere, analytic derivatives):
 * - x < x_a: L = ½ h_a (x − x_a)²;
 * - [x_a, x_b], t = (x − x_a)/w₁: L = ΔL · P(t) with the unique quintic
 *   P(0) = P'(0) = 0, P''(0) = A = h_a w₁²/ΔL, P(1) = 1, P'(1) = 0,
 *   P''(1) = −B = −|h_b| w₁²/ΔL, i.e.
 *   P(t) = 10t³ − 15t⁴ + 6t⁵ + (A/2) t²(1−t)³ − (B/2) t³(1−t)²;
 * - [x_b, x_c], t = (x_c − x)/w₂: L = L_c + ΔL_c · P_c(t) with the same
 *   construction from c (A = h_c w₂²/ΔL_c, B = |h_b| w₂²/ΔL_c);
 * - x > x_c: L = L_c + ½ h_c (x − x_c)², L_c = ΔL − ΔL_c.
 *
 * The widths are w₁ = √(10 ΔL/(h_a + |h_b|)) and w₂ = √(10 ΔL_c/(h_c + |h_b|)),
 * so A + B = 10 on each side. Then P'(t) = t(1−t) Q(t) with
 * Q(t) = A(1−t)² + B t² + (30 − 1.5(A + B)) t(1−t) > 0 on (0, 1), so L rises
 * strictly from a to b and falls strictly from b to c: a, b, c are the only
 * critical points. L''' jumps at the knots x_a, x_b, x_c (L'' is continuous).
 *
 * Kramers' law (Kramers 1940) for dX = −L'(X) dt + √(2T) dB from a:
 * τ ≈ 2π / √(h_a |h_b|) · exp(ΔL / T).
 *
 * @example
 * ```ts
 * import { AsymmetricDoubleWell } from "./landscapes.ts";
 * const w = new AsymmetricDoubleWell({ curvatureMin: 4, curvatureBarrier: 1, barrierHeight: 0.5 });
 * if (Math.abs(w.curvature(w.xBarrier) + 1) > 1e-12) throw new Error("barrier curvature");
 * if (Math.abs(w.value(w.xBarrier) - 0.5) > 1e-12) throw new Error("barrier height");
 * ```
 */
export class AsymmetricDoubleWell extends CheckedLandscape {
  readonly dim = 1;
  readonly constantHessian = false;
  /** h_a. */
  readonly curvatureMin: number;
  /** |h_b|. */
  readonly curvatureBarrier: number;
  /** ΔL. */
  readonly barrierHeight: number;
  /** h_c. */
  readonly curvatureOther: number;
  /** ΔL_c. */
  readonly barrierHeightOther: number;
  /** x_a, the minimum a (L = 0 there). */
  readonly xMin: number;
  /** x_b, the barrier top. */
  readonly xBarrier: number;
  /** x_c, the other minimum. */
  readonly xOther: number;
  /** L(x_c) = ΔL − ΔL_c (negative when c is the deeper well). */
  readonly lossOther: number;
  readonly #w1: number;
  readonly #w2: number;
  readonly #p1: Float64Array;
  readonly #p2: Float64Array;

  /** @param params see {@link DoubleWellParams} */
  constructor(params: DoubleWellParams) {
    super();
    const {
      curvatureMin,
      curvatureBarrier,
      barrierHeight,
      curvatureOther = curvatureMin,
      barrierHeightOther = barrierHeight,
      xMin = 0,
    } = params;
    assertPositive("curvatureMin", curvatureMin);
    assertPositive("curvatureBarrier", curvatureBarrier);
    assertPositive("barrierHeight", barrierHeight);
    assertPositive("curvatureOther", curvatureOther);
    assertPositive("barrierHeightOther", barrierHeightOther);
    assertFinite("xMin", xMin);
    this.curvatureMin = curvatureMin;
    this.curvatureBarrier = curvatureBarrier;
    this.barrierHeight = barrierHeight;
    this.curvatureOther = curvatureOther;
    this.barrierHeightOther = barrierHeightOther;
    const w1 = Math.sqrt((SHAPE * barrierHeight) / (curvatureMin + curvatureBarrier));
    const w2 = Math.sqrt((SHAPE * barrierHeightOther) / (curvatureOther + curvatureBarrier));
    this.#w1 = w1;
    this.#w2 = w2;
    this.xMin = xMin;
    this.xBarrier = xMin + w1;
    this.xOther = xMin + w1 + w2;
    this.lossOther = barrierHeight - barrierHeightOther;
    this.#p1 = quinticCoefficients(
      (curvatureMin * w1 * w1) / barrierHeight,
      (curvatureBarrier * w1 * w1) / barrierHeight,
    );
    this.#p2 = quinticCoefficients(
      (curvatureOther * w2 * w2) / barrierHeightOther,
      (curvatureBarrier * w2 * w2) / barrierHeightOther,
    );
  }

  /** L(x), scalar form. */
  value(x: number): number {
    return this.#scalar("value", this.#value(checkedX(x)), x);
  }

  /** `v`, the scalar `what` at x, unless it overflowed. */
  #scalar(what: string, v: number, x: number): number {
    if (!Number.isFinite(v)) throw new RangeError(`the ${what} overflows (${v}) at x = ${x}`);
    return v;
  }

  #value(x: number): number {
    if (x <= this.xMin) return 0.5 * this.curvatureMin * (x - this.xMin) ** 2;
    if (x >= this.xOther) {
      return this.lossOther + 0.5 * this.curvatureOther * (x - this.xOther) ** 2;
    }
    if (x <= this.xBarrier) {
      const t = (x - this.xMin) / this.#w1, c = this.#p1;
      return this.barrierHeight * (t * t * (c[2]! + t * (c[3]! + t * (c[4]! + t * c[5]!))));
    }
    const t = (this.xOther - x) / this.#w2, c = this.#p2;
    return this.lossOther +
      this.barrierHeightOther * (t * t * (c[2]! + t * (c[3]! + t * (c[4]! + t * c[5]!))));
  }

  /** L'(x), scalar form. */
  slope(x: number): number {
    return this.#scalar("slope", this.#slope(checkedX(x)), x);
  }

  /** L''(x), scalar form. */
  curvature(x: number): number {
    return this.#scalar("curvature", this.#curvature(checkedX(x)), x);
  }

  #slope(x: number): number {
    if (x <= this.xMin) return this.curvatureMin * (x - this.xMin);
    if (x >= this.xOther) return this.curvatureOther * (x - this.xOther);
    if (x <= this.xBarrier) {
      const t = (x - this.xMin) / this.#w1, c = this.#p1;
      const dp = t * (2 * c[2]! + t * (3 * c[3]! + t * (4 * c[4]! + t * 5 * c[5]!)));
      return (this.barrierHeight * dp) / this.#w1;
    }
    const t = (this.xOther - x) / this.#w2, c = this.#p2;
    const dp = t * (2 * c[2]! + t * (3 * c[3]! + t * (4 * c[4]! + t * 5 * c[5]!)));
    return -(this.barrierHeightOther * dp) / this.#w2;
  }

  #curvature(x: number): number {
    if (x <= this.xMin) return this.curvatureMin;
    if (x >= this.xOther) return this.curvatureOther;
    if (x <= this.xBarrier) {
      const t = (x - this.xMin) / this.#w1, c = this.#p1;
      const d2 = 2 * c[2]! + t * (6 * c[3]! + t * (12 * c[4]! + t * 20 * c[5]!));
      return (this.barrierHeight * d2) / (this.#w1 * this.#w1);
    }
    const t = (this.xOther - x) / this.#w2, c = this.#p2;
    const d2 = 2 * c[2]! + t * (6 * c[3]! + t * (12 * c[4]! + t * 20 * c[5]!));
    return (this.barrierHeightOther * d2) / (this.#w2 * this.#w2);
  }

  derivatives(
    x: Float64Array,
    offset: number,
    grad: Float64Array,
    hess: Float64Array | null,
  ): void {
    const v = x[offset]!;
    grad[0] = this.#slope(v);
    if (hess !== null) hess[0] = this.#curvature(v);
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    return this.#value(x[offset]!);
  }
}

/** One bowl of {@link SoftMinQuadratics}: q(θ) = ½ (θ − μ)ᵀ H (θ − μ) + depth. */
export interface Bowl {
  /** μ, the bottom of the bowl. */
  center: ArrayLike<number>;
  /** H, symmetric positive definite, row-major `dim × dim`. */
  hessian: ArrayLike<number>;
  /** The value at the bottom (default 0). */
  depth?: number;
}

/**
 * A multi-well landscape made of quadratic bowls joined by a smooth minimum:
 *
 *   L(θ) = −τ log Σ_k exp(−q_k(θ)/τ),  q_k(θ) = ½ (θ − μ_k)ᵀ H_k (θ − μ_k) + d_k.
 *
 * With weights w_k = softmax(−q/τ) and g_k = H_k (θ − μ_k):
 * ∇L = Σ_k w_k g_k and ∇²L = Σ_k w_k H_k − (1/τ) [Σ_k w_k g_k g_kᵀ − ḡ ḡᵀ],
 * ḡ = ∇L. Near μ_k, far from the other bowls, L ≈ q_k (the weights of the
 * others are exp(−Δq/τ) small), so each well has minimum ≈ d_k at ≈ μ_k and
 * Hessian ≈ H_k; the saddles sit where two bowls cross, their sharpness set by
 * τ (smaller τ: a sharper ridge). L grows quadratically at infinity (confining).
 */
export class SoftMinQuadratics extends CheckedLandscape {
  readonly dim: number;
  readonly constantHessian = false;
  /** τ. */
  readonly temperature: number;
  readonly #centers: Float64Array;
  readonly #hessians: Float64Array;
  readonly #depths: Float64Array;
  readonly #q: Float64Array;
  readonly #g: Float64Array;

  /**
   * @param options.bowls the quadratic bowls (at least one, equal dimensions)
   * @param options.temperature τ > 0, the smoothing of the minimum
   */
  constructor({ bowls, temperature }: { bowls: readonly Bowl[]; temperature: number }) {
    super();
    if (!Array.isArray(bowls)) throw new TypeError(`bowls must be an array of bowls, got ${bowls}`);
    if (bowls.length < 1) throw new RangeError(`bowls must not be empty, got ${bowls.length}`);
    assertPositive("temperature", temperature);
    bowls.forEach((b, i) => {
      assertObject(`bowls[${i}]`, b);
      assertArrayLike(`bowls[${i}].center`, b.center);
    });
    const dim = bowls[0]!.center.length;
    if (dim < 1) throw new RangeError(`bowls[0].center must not be empty`);
    const k = bowls.length;
    this.dim = dim;
    this.temperature = temperature;
    this.#centers = new Float64Array(k * dim);
    this.#hessians = new Float64Array(k * dim * dim);
    this.#depths = new Float64Array(k);
    bowls.forEach((b, i) => {
      if (b.center.length !== dim) {
        throw new RangeError(`bowls[${i}].center must have length ${dim}, got ${b.center.length}`);
      }
      for (let j = 0; j < dim; j++) assertFinite(`bowls[${i}].center[${j}]`, b.center[j]!);
      this.#centers.set(Float64Array.from(b.center), i * dim);
      const h = symmetricMatrix(`bowls[${i}].hessian`, b.hessian, dim);
      if (!isPositiveDefinite(h, dim)) {
        throw new RangeError(
          `bowls[${i}].hessian must be positive definite, got [${Array.from(h).join(", ")}]`,
        );
      }
      this.#hessians.set(h, i * dim * dim);
      const depth = b.depth ?? 0;
      assertFinite(`bowls[${i}].depth`, depth);
      this.#depths[i] = depth;
    });
    this.#q = new Float64Array(k);
    this.#g = new Float64Array(k * dim);
  }

  /** Fills #q with q_k(θ) and #g with g_k; turns #q into the weights w_k; returns L. */
  #softMin(x: ArrayLike<number>, offset: number): number {
    const d = this.dim, k = this.#q.length, q = this.#q, g = this.#g;
    const mu = this.#centers, hs = this.#hessians, tau = this.temperature;
    let qmin = Infinity;
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let r = 0; r < d; r++) {
        let gr = 0;
        for (let c = 0; c < d; c++) {
          gr += hs[b * d * d + r * d + c]! * (x[offset + c]! - mu[b * d + c]!);
        }
        g[b * d + r] = gr;
        s += (x[offset + r]! - mu[b * d + r]!) * gr;
      }
      const qb = 0.5 * s + this.#depths[b]!;
      q[b] = qb;
      if (qb < qmin) qmin = qb;
    }
    let z = 0;
    for (let b = 0; b < k; b++) {
      const e = Math.exp(-(q[b]! - qmin) / tau);
      q[b] = e;
      z += e;
    }
    for (let b = 0; b < k; b++) q[b] = q[b]! / z;
    return qmin - tau * Math.log(z);
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    return this.#softMin(x, offset);
  }

  derivatives(
    x: Float64Array,
    offset: number,
    grad: Float64Array,
    hess: Float64Array | null,
  ): void {
    const d = this.dim, k = this.#q.length, hs = this.#hessians, tau = this.temperature;
    this.#softMin(x, offset);
    const w = this.#q, g = this.#g;
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += w[b]! * g[b * d + r]!;
      grad[r] = s;
    }
    if (hess === null) return;
    for (let r = 0; r < d; r++) {
      for (let c = 0; c <= r; c++) {
        let h = 0, gg = 0;
        for (let b = 0; b < k; b++) {
          const wb = w[b]!;
          h += wb * hs[b * d * d + r * d + c]!;
          gg += wb * g[b * d + r]! * g[b * d + c]!;
        }
        const v = h - (gg - grad[r]! * grad[c]!) / tau;
        hess[r * d + c] = v;
        hess[c * d + r] = v;
      }
    }
  }
}

/** Cholesky test for positive definiteness of a small symmetric matrix. */
function isPositiveDefinite(a: Float64Array, d: number): boolean {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j]!;
      }
    }
  }
  return true;
}

/** Options of {@link sharpFlatLandscape2d}. */
export interface SharpFlatOptions {
  /** Curvature of the sharp basin (both eigenvalues; default 16). */
  sharpCurvature?: number;
  /** Curvature of the flat basin (both eigenvalues; default 1). */
  flatCurvature?: number;
  /** Centre of the sharp basin (default [−1, 0]). */
  sharpCenter?: readonly [number, number];
  /** Centre of the flat basin (default [1, 0]). */
  flatCenter?: readonly [number, number];
  /** Depth (loss at the bottom) of the sharp basin (default 0). */
  sharpDepth?: number;
  /** Depth of the flat basin (default 0: equally deep). */
  flatDepth?: number;
  /** τ of the smooth minimum (default 0.05). */
  temperature?: number;
}

/**
 * The settings of {@link sharpFlatLandscape2d}: `options` with every default filled in, checked
 * (curvatures and temperature > 0, centres [x, y] finite, depths finite) so that errors name the
 * option as the caller wrote it.
 */
export function sharpFlatSettings(options: SharpFlatOptions = {}): Required<SharpFlatOptions> {
  assertObject("options", options);
  const {
    sharpCurvature = 16,
    flatCurvature = 1,
    sharpCenter = [-1, 0],
    flatCenter = [1, 0],
    sharpDepth = 0,
    flatDepth = 0,
    temperature = 0.05,
  } = options;
  assertPositive("sharpCurvature", sharpCurvature);
  assertPositive("flatCurvature", flatCurvature);
  for (const [name, c] of [["sharpCenter", sharpCenter], ["flatCenter", flatCenter]] as const) {
    assertFiniteArray(name, c, 2);
    if (c.length !== 2) throw new RangeError(`${name} must be [x, y], got ${c.length} values`);
  }
  assertFinite("sharpDepth", sharpDepth);
  assertFinite("flatDepth", flatDepth);
  assertPositive("temperature", temperature);
  return {
    sharpCurvature,
    flatCurvature,
    sharpCenter,
    flatCenter,
    sharpDepth,
    flatDepth,
    temperature,
  };
}

/**
 * A 2-D landscape with a sharp and a flat basin of equal depth (by default):
 * {@link SoftMinQuadratics} with two isotropic bowls, H = 16·I at (−1, 0) and
 * H = I at (1, 0), τ = 0.05. Along y = 0 the bowls cross at x = −0.6, where
 * q = 1.28, so the barrier is about 1.28 − τ log 2 ≈ 1.25 above both minima.
 * The setting of Xie et al. (2021, "A diffusion theory for deep learning
 * dynamics", ICLR): under SGD noise D = ηH/(2S) the sharp basin is escaped
 * much faster than under isotropic noise of the same mean size.
 *
 * @param options see {@link SharpFlatOptions}
 * @returns the landscape
 * @example
 * ```ts
 * import { sharpFlatLandscape2d } from "./landscapes.ts";
 * const l = sharpFlatLandscape2d();
 * const h = l.hessian([-1, 0]);
 * if (Math.abs(h[0]! - 16) > 1e-6) throw new Error("sharp basin curvature");
 * ```
 */
export function sharpFlatLandscape2d(options: SharpFlatOptions = {}): SoftMinQuadratics {
  const o = sharpFlatSettings(options);
  assertPositive("sharpCurvature", o.sharpCurvature);
  assertPositive("flatCurvature", o.flatCurvature);
  const hs = o.sharpCurvature, hf = o.flatCurvature;
  return new SoftMinQuadratics({
    bowls: [
      { center: o.sharpCenter, hessian: [hs, 0, 0, hs], depth: o.sharpDepth },
      { center: o.flatCenter, hessian: [hf, 0, 0, hf], depth: o.flatDepth },
    ],
    temperature: o.temperature,
  });
}

/**
 * The Styblinski–Tang function scaled by k:
 *
 *   L(θ) = k · ½ Σ_i (θ_i⁴ − 16 θ_i² + 5 θ_i),
 *
 * ∂L/∂θ_i = (k/2)(4θ_i³ − 32θ_i + 5), ∂²L/∂θ_i² = (k/2)(12θ_i² − 32), off-diagonal
 * Hessian zero. Each coordinate has a deep minimum near −2.9035 and a shallow
 * one near 2.7468 (2^dim minima in all); k scales every curvature and barrier
 * together (Styblinski & Tang 1990; used as a multi-minimum test by
 * Xie et al. 2021).
 */
export class StyblinskiTang extends CheckedLandscape {
  readonly dim: number;
  readonly constantHessian = false;
  /** k. */
  readonly scale: number;

  /**
   * @param options.dim dimension (integer ≥ 1)
   * @param options.scale k > 0 (default 1)
   */
  constructor({ dim, scale = 1 }: { dim: number; scale?: number }) {
    super();
    assertInteger("dim", dim, 1);
    assertPositive("scale", scale);
    this.dim = dim;
    this.scale = scale;
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    let s = 0;
    for (let j = 0; j < this.dim; j++) {
      const t = x[offset + j]!, t2 = t * t;
      s += t2 * t2 - 16 * t2 + 5 * t;
    }
    return 0.5 * this.scale * s;
  }

  derivatives(
    x: Float64Array,
    offset: number,
    grad: Float64Array,
    hess: Float64Array | null,
  ): void {
    const d = this.dim, h = 0.5 * this.scale;
    if (hess !== null) hess.fill(0, 0, d * d);
    for (let j = 0; j < d; j++) {
      const t = x[offset + j]!;
      grad[j] = h * (4 * t * t * t - 32 * t + 5);
      if (hess !== null) hess[j * d + j] = h * (12 * t * t - 32);
    }
  }
}
