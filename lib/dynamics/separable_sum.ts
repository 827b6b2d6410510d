/**
 * A separable landscape built from 1-D landscapes, L(θ) = Σ_j L_j(θ_j): one coordinate per
 * valley, diagonal Hessian. With diagonal noise its coordinates move independently, so the
 * first exit from a minimum is the first of independent exits. Depends on landscape.ts.
 *
 * @module
 */
import { CheckedLandscape, type Landscape } from "./landscape.ts";

/**
 * L(θ) = Σ_j L_j(θ_j) for 1-D landscapes L_j.
 *
 * @example
 * ```ts
 * import { SeparableSum } from "./separable_sum.ts";
 * import { Quadratic } from "./landscapes.ts";
 * const l = new SeparableSum([new Quadratic({ matrix: [1] }), new Quadratic({ matrix: [4] })]);
 * if (l.loss([1, 1]) !== 2.5 || l.gradient([1, 1])[1] !== 4) throw new Error();
 * ```
 */
export class SeparableSum extends CheckedLandscape {
  readonly dim: number;
  readonly constantHessian: boolean;
  readonly #parts: readonly Landscape[];
  readonly #g = new Float64Array(1);
  readonly #h = new Float64Array(1);
  readonly #x = new Float64Array(1);

  /** @param parts the 1-D landscapes, one per coordinate (at least one) */
  constructor(parts: readonly Landscape[]) {
    super();
    if (!Array.isArray(parts) || parts.length === 0) {
      throw new RangeError(`parts must be a non-empty array of 1-D landscapes, got ${parts}`);
    }
    parts.forEach((p, j) => {
      if (p === null || typeof p !== "object" || p.dim !== 1 || typeof p.gradient !== "function") {
        throw new TypeError(
          `parts[${j}] must be a 1-D landscape, got ${p?.dim === undefined ? p : `dim ${p.dim}`}`,
        );
      }
    });
    this.#parts = [...parts];
    this.dim = parts.length;
    this.constantHessian = parts.every((p) => p.constantHessian);
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    let s = 0;
    for (let j = 0; j < this.dim; j++) s += this.#parts[j]!.loss(x, offset + j);
    return s;
  }

  derivatives(x: Float64Array, offset: number, grad: Float64Array, hess: Float64Array | null) {
    const d = this.dim;
    if (hess !== null) hess.fill(0, 0, d * d);
    for (let j = 0; j < d; j++) {
      const p = this.#parts[j]!;
      if (p.derivatives) {
        p.derivatives(x, offset + j, this.#g, hess === null ? null : this.#h);
      } else {
        this.#x[0] = x[offset + j]!;
        p.gradient(this.#x, this.#g);
        if (hess !== null) p.hessian(this.#x, this.#h);
      }
      grad[j] = this.#g[0]!;
      if (hess !== null) hess[j * d + j] = this.#h[0]!;
    }
  }
}
