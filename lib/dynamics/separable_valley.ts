/**
 * A valley in any dimension with a chosen number of escape paths: the loss is
 * a sum of one-dimensional profiles, L(θ) = Σ_i B_i(θ_i), each coordinate
 * either walled (no exit), or with one barrier (exit on the + side), or with
 * two barriers (exits on both sides):
 *
 * - wall:       B(x) = ½ h x²;
 * - two-sided:  B(x) = ΔL (2u² − u⁴), u = x/w, w = √(4ΔL/h): B''(0) = h,
 *   barrier tops at x = ±w with B = ΔL and B'' = −2h (analytic);
 * - one-sided:  the same for x ≥ 0 and the wall 2ΔL u² = ½ h x² for x < 0
 *   (C³ at 0: third derivatives vanish on both sides).
 *
 * The minimum is θ = 0 with Hessian diag(h_i). For a separable loss and
 * noise that acts coordinate by coordinate, the coordinates move
 * independently, so the first exit is the first of independent exits and,
 * when each is exponential with mean τ_i, the mean escape time is
 * 1/Σ_i (k_i/τ_i) with k_i the number of exits of coordinate i: k equivalent
 * escape paths divide the escape time by k (the post's closing remark).
 *
 * @module
 */
import { CheckedLandscape, checkPoint } from "./landscape.ts";
import { assertFinite, assertOneOf, assertPositive } from "../stats/validate.ts";

/** One coordinate of a {@link SeparableValley}. */
export interface ValleyAxis {
  /** "wall" (no exit), "one-sided" (exit at x > w) or "two-sided" (exits at |x| > w). */
  kind: "wall" | "one-sided" | "two-sided";
  /** Curvature h > 0 at the minimum. */
  curvature: number;
  /** Barrier height ΔL > 0 (ignored for walls). */
  barrier: number;
}

function finiteResult(what: string, v: number, x: number): number {
  if (!Number.isFinite(v)) throw new RangeError(`the ${what} overflows (${v}) at x = ${x}`);
  return v;
}

/**
 * The separable valley (see the module doc).
 *
 * @example
 * ```ts
 * import { SeparableValley } from "./separable_valley.ts";
 * const v = new SeparableValley([
 *   { kind: "two-sided", curvature: 2, barrier: 0.5 },
 *   { kind: "wall", curvature: 1, barrier: 1 },
 * ]);
 * if (v.exits !== 2 || Math.abs(v.loss([v.barrierTop(0), 0]) - 0.5) > 1e-12) throw new Error();
 * ```
 */
export class SeparableValley extends CheckedLandscape {
  readonly dim: number;
  readonly constantHessian = false;
  readonly axes: readonly ValleyAxis[];
  /** Total number of escape paths Σ_i k_i. */
  readonly exits: number;
  readonly #w: Float64Array;

  constructor(axes: readonly ValleyAxis[]) {
    super();
    if (!Array.isArray(axes)) throw new TypeError(`axes must be an array of axes, got ${axes}`);
    if (axes.length < 1) throw new RangeError("axes must not be empty");
    axes.forEach((a, i) => {
      if (a === null || typeof a !== "object") {
        throw new TypeError(`axes[${i}] must be an object, got ${a}`);
      }
      assertOneOf(`axes[${i}].kind`, a.kind, ["wall", "one-sided", "two-sided"]);
      assertPositive(`axes[${i}].curvature`, a.curvature);
      if (a.kind !== "wall") assertPositive(`axes[${i}].barrier`, a.barrier);
    });
    this.axes = axes.map((a) => ({ ...a }));
    this.dim = axes.length;
    this.#w = Float64Array.from(
      axes,
      (a) => (a.kind === "wall" ? Infinity : Math.sqrt((4 * a.barrier) / a.curvature)),
    );
    this.exits = axes.reduce(
      (s, a) => s + (a.kind === "two-sided" ? 2 : a.kind === "one-sided" ? 1 : 0),
      0,
    );
  }

  /** Position w_i of the barrier top of coordinate i (Infinity for a wall). */
  barrierTop(i: number): number {
    this.#checkAxis(i);
    return this.#w[i]!;
  }

  /** B_i(x). */
  profile(i: number, x: number): number {
    this.#checkAxis(i);
    assertFinite("x", x);
    return finiteResult("profile", this.#profile(i, x), x);
  }

  #profile(i: number, x: number): number {
    const a = this.axes[i]!, w = this.#w[i]!;
    if (a.kind === "wall" || (a.kind === "one-sided" && x < 0)) return 0.5 * a.curvature * x * x;
    const u = x / w;
    return a.barrier * (2 * u * u - u ** 4);
  }

  /** B_i'(x). */
  slope(i: number, x: number): number {
    this.#checkAxis(i);
    assertFinite("x", x);
    return finiteResult("slope", this.#slope(i, x), x);
  }

  #slope(i: number, x: number): number {
    const a = this.axes[i]!, w = this.#w[i]!;
    if (a.kind === "wall" || (a.kind === "one-sided" && x < 0)) return a.curvature * x;
    const u = x / w;
    return (a.barrier * (4 * u - 4 * u ** 3)) / w;
  }

  /** B_i''(x). */
  curvature(i: number, x: number): number {
    this.#checkAxis(i);
    assertFinite("x", x);
    return finiteResult("curvature", this.#curvature(i, x), x);
  }

  #curvature(i: number, x: number): number {
    const a = this.axes[i]!, w = this.#w[i]!;
    if (a.kind === "wall" || (a.kind === "one-sided" && x < 0)) return a.curvature;
    const u = x / w;
    return (a.barrier * (4 - 12 * u * u)) / (w * w);
  }

  #checkAxis(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.dim) {
      throw new RangeError(`i must be an axis index in [0, ${this.dim}), got ${i}`);
    }
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    let s = 0;
    for (let i = 0; i < this.dim; i++) s += this.#profile(i, x[offset + i]!);
    return s;
  }

  derivatives(
    x: Float64Array,
    offset: number,
    grad: Float64Array,
    hess: Float64Array | null,
  ): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) grad[i] = this.#slope(i, x[offset + i]!);
    if (hess === null) return;
    hess.fill(0, 0, d * d);
    for (let i = 0; i < d; i++) hess[i * d + i] = this.#curvature(i, x[offset + i]!);
  }

  /**
   * Which exit a point has passed: the index of the first coordinate beyond
   * `margin` times its barrier top (on an exit side), or −1 when inside.
   */
  exitAxis(x: ArrayLike<number>, offset = 0, margin = 1.5): number {
    checkPoint(x, offset, this.dim);
    assertPositive("margin", margin);
    for (let i = 0; i < this.dim; i++) {
      const a = this.axes[i]!, v = x[offset + i]!, w = this.#w[i]!;
      if (a.kind === "two-sided" && Math.abs(v) > margin * w) return i;
      if (a.kind === "one-sided" && v > margin * w) return i;
    }
    return -1;
  }
}
