/**
 * The {@link Landscape} interface of the toy losses (a loss with analytic gradient and Hessian)
 * and {@link CheckedLandscape}, the base class that every landscape of lib/dynamics extends: a
 * subclass writes its maths once, unchecked ({@link CheckedLandscape.evaluate} and
 * {@link CheckedLandscape.derivatives}), and the base checks the arguments of the public `loss`,
 * `gradient` and `hessian` once around it.
 *
 * Points are read from `x[offset .. offset + dim)`, so a whole cloud of particles can live in one
 * `Float64Array` (particle-major, `x[p * dim + j]`) and be evaluated without allocation by passing
 * `out` buffers. Hessians are row-major `dim × dim`.
 *
 * @module
 */

/** A loss L: ℝ^dim → ℝ with analytic first and second derivatives. */
export interface Landscape {
  /** Dimension of θ. */
  readonly dim: number;
  /** True when the Hessian does not depend on θ (quadratics), so callers may cache it. */
  readonly constantHessian: boolean;
  /**
   * L(θ) for θ = `x[offset .. offset + dim)`.
   * @throws RangeError when `x` is too short or θ is not finite
   */
  loss(x: ArrayLike<number>, offset?: number): number;
  /**
   * ∇L(θ) written to `out[outOffset .. outOffset + dim)`.
   * @returns `out` (a new array when omitted)
   */
  gradient(
    x: ArrayLike<number>,
    out?: Float64Array,
    offset?: number,
    outOffset?: number,
  ): Float64Array;
  /**
   * ∇²L(θ), row-major `dim × dim`, written to `out[outOffset ..)`.
   * @returns `out` (a new array when omitted)
   */
  hessian(
    x: ArrayLike<number>,
    out?: Float64Array,
    offset?: number,
    outOffset?: number,
  ): Float64Array;
  /**
   * Optional fast path for the particle simulators: writes ∇L(θ) to
   * `grad[0 .. dim)` and, when `hess` is not null, ∇²L(θ) to
   * `hess[0 .. dim²)`, for θ = `x[offset .. offset + dim)`, in one
   * evaluation. No argument checks: the caller guarantees a finite θ and
   * large enough buffers (the simulators check every particle for finiteness
   * after every step). Simulators fall back to {@link gradient} and
   * {@link hessian} when it is absent.
   */
  derivatives?(
    x: Float64Array,
    offset: number,
    grad: Float64Array,
    hess: Float64Array | null,
  ): void;
}

/** Throws a RangeError unless `x[offset .. offset + dim)` exists and is finite. */
export function checkPoint(x: ArrayLike<number>, offset: number, dim: number): void {
  if (x === null || typeof x !== "object" || typeof x.length !== "number") {
    throw new TypeError(`x must be an array of numbers, got ${x}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + dim > x.length) {
    throw new RangeError(
      `x must hold ${dim} values from offset ${offset}, got length ${x.length}`,
    );
  }
  for (let j = 0; j < dim; j++) {
    const v = x[offset + j]!;
    if (!Number.isFinite(v)) throw new RangeError(`x[${offset + j}] must be finite, got ${v}`);
  }
}

function checkOut(out: Float64Array, outOffset: number, size: number): void {
  if (!(out instanceof Float64Array)) {
    throw new TypeError(`out must be a Float64Array, got ${out}`);
  }
  if (!Number.isInteger(outOffset) || outOffset < 0 || outOffset + size > out.length) {
    throw new RangeError(
      `out must hold ${size} values from outOffset ${outOffset}, got length ${out.length}`,
    );
  }
}

/**
 * Base of the landscapes: the public, checked `loss`, `gradient` and `hessian` of
 * {@link Landscape} around one unchecked implementation of the maths. Subclasses implement
 * {@link evaluate} (the loss) and {@link derivatives} (gradient and, when asked, Hessian, the
 * simulators' fast path), so each formula is written once.
 *
 * @example
 * ```ts
 * import { CheckedLandscape } from "./landscape.ts";
 * class Parabola extends CheckedLandscape {
 *   readonly dim = 1;
 *   readonly constantHessian = true;
 *   protected evaluate(x: ArrayLike<number>, offset: number): number {
 *     return 0.5 * x[offset]! ** 2;
 *   }
 *   derivatives(x: Float64Array, offset: number, grad: Float64Array, hess: Float64Array | null) {
 *     grad[0] = x[offset]!;
 *     if (hess !== null) hess[0] = 1;
 *   }
 * }
 * const p = new Parabola();
 * if (p.gradient([3])[0] !== 3 || p.loss([2]) !== 2) throw new Error("parabola");
 * let named = false;
 * try { p.loss([NaN]); } catch (e) { named = /x\[0\] must be finite/.test(String(e)); }
 * if (!named) throw new Error("unchecked input");
 * ```
 */
export abstract class CheckedLandscape implements Landscape {
  abstract readonly dim: number;
  abstract readonly constantHessian: boolean;
  #grad: Float64Array | null = null;

  /** L(θ) for θ = `x[offset .. offset + dim)`, with no argument checks. */
  protected abstract evaluate(x: ArrayLike<number>, offset: number): number;

  /** See {@link Landscape.derivatives}: no argument checks. */
  abstract derivatives(
    x: Float64Array,
    offset: number,
    grad: Float64Array,
    hess: Float64Array | null,
  ): void;

  loss(x: ArrayLike<number>, offset = 0): number {
    checkPoint(x, offset, this.dim);
    const v = this.evaluate(x, offset);
    if (!Number.isFinite(v)) this.#overflow("loss", v, x, offset);
    return v;
  }

  /** Throws a RangeError naming the point where a finite θ gave a non-finite `what`. */
  #overflow(what: string, v: number, x: ArrayLike<number>, offset: number): never {
    const point = Array.from({ length: this.dim }, (_, j) => x[offset + j]).join(", ");
    throw new RangeError(`the ${what} overflows (${v}) at x = [${point}]`);
  }

  #checkOut(what: string, out: Float64Array, x: ArrayLike<number>, offset: number): void {
    for (let k = 0; k < out.length; k++) {
      if (!Number.isFinite(out[k]!)) this.#overflow(what, out[k]!, x, offset);
    }
  }

  gradient(
    x: ArrayLike<number>,
    out: Float64Array = new Float64Array(this.dim),
    offset = 0,
    outOffset = 0,
  ): Float64Array {
    const d = this.dim;
    checkPoint(x, offset, d);
    checkOut(out, outOffset, d);
    const g = out.subarray(outOffset, outOffset + d);
    this.derivatives(asFloat64(x), offset, g, null);
    this.#checkOut("gradient", g, x, offset);
    return out;
  }

  hessian(
    x: ArrayLike<number>,
    out: Float64Array = new Float64Array(this.dim * this.dim),
    offset = 0,
    outOffset = 0,
  ): Float64Array {
    const d = this.dim;
    checkPoint(x, offset, d);
    checkOut(out, outOffset, d * d);
    this.#grad ??= new Float64Array(d);
    const h = out.subarray(outOffset, outOffset + d * d);
    this.derivatives(asFloat64(x), offset, this.#grad, h);
    this.#checkOut("hessian", h, x, offset);
    return out;
  }
}

function asFloat64(x: ArrayLike<number>): Float64Array {
  return x instanceof Float64Array ? x : Float64Array.from(x);
}
