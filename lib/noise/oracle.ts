/**
 * The `GradientOracle` seam: every SGN, covariance and curvature estimator
 * works on this interface, so it runs on the analytic oracles below in tests
 * and on a TensorFlow.js network (`lib/models/tfjs_oracle.ts`) in notebooks.
 *
 * Conventions. The training loss is the mean over the `size` examples,
 * L(θ) = (1/N) Σ_i ℓ_i(θ). A batch gradient is the mean of the per-example
 * gradients over the given indices, ∇L̂_S = (1/S) Σ_{i∈batch} ∇ℓ_i.
 * Depends on stats/ (the matrix record and argument checks).
 *
 * @module
 */

import { assertRowMatrix, type RowMatrix } from "../stats/matrix.ts";
import {
  assertAllocation,
  assertArrayLike,
  assertFiniteArray,
  assertInteger,
} from "../stats/validate.ts";

export type { RowMatrix };

/** Access to the loss and gradients of a model on a fixed data set. */
export interface GradientOracle {
  /** Number of parameters. */
  readonly dim: number;
  /** Number of training examples N. */
  readonly size: number;
  /** A copy of the current parameters θ. */
  getParams(): Float64Array;
  /** Sets θ (length `dim`). */
  setParams(theta: ArrayLike<number>): void;
  /** Mean loss over the given examples (all examples when omitted). */
  loss(indices?: ArrayLike<number>): number;
  /** ∇L(θ) = (1/N) Σ_i ∇ℓ_i(θ). */
  fullGradient(): Float64Array;
  /** (1/S) Σ_{i ∈ indices} ∇ℓ_i(θ). */
  batchGradient(indices: ArrayLike<number>): Float64Array;
  /** One row ∇ℓ_i(θ) per index. */
  perExampleGradients(indices: ArrayLike<number>): RowMatrix;
}

/** Checks that every index is an integer in [0, size). */
export function checkIndices(indices: ArrayLike<number>, size: number): void {
  assertArrayLike("indices", indices);
  assertInteger("size", size, 1);
  if (indices.length === 0) throw new RangeError("indices must not be empty");
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= size) {
      throw new RangeError(`indices[${k}] must be an integer in [0, ${size}), got ${i}`);
    }
  }
}

function checkParams(theta: ArrayLike<number>, dim: number): void {
  if (theta.length !== dim) {
    throw new RangeError(`theta must have length ${dim}, got ${theta.length}`);
  }
  assertFiniteArray("theta", theta);
}

/**
 * Throws a TypeError naming `name` unless `oracle` looks like a {@link GradientOracle} (an object
 * with its methods), a RangeError unless its `dim` and `size` are integers ≥ 1.
 *
 * @example
 * ```ts
 * import { checkOracle, LeastSquaresOracle } from "./oracle.ts";
 * checkOracle("oracle", new LeastSquaresOracle({ rows: 1, cols: 1, data: new Float64Array([1]) }, [0]));
 * ```
 */
export function checkOracle(name: string, oracle: GradientOracle): void {
  const methods = ["loss", "fullGradient", "batchGradient", "perExampleGradients"] as const;
  if (
    oracle === null || typeof oracle !== "object" ||
    methods.some((m) => typeof oracle[m] !== "function")
  ) {
    throw new TypeError(
      `${name} must be a GradientOracle (dim, size, ${methods.join(", ")}), got ${oracle}`,
    );
  }
  assertInteger(`${name}.dim`, oracle.dim, 1);
  assertInteger(`${name}.size`, oracle.size, 1);
}

/** Throws a RangeError when a result computed from finite data overflowed. */
function finiteResult<T extends number | Float64Array>(what: string, value: T): T {
  const bad = typeof value === "number"
    ? !Number.isFinite(value)
    : value.find((v) => !Number.isFinite(v));
  if (bad !== false && bad !== undefined) {
    const shown = typeof value === "number" ? value : bad;
    throw new RangeError(
      `${what} is not finite: ${shown} (x, y or theta overflow double precision; rescale them)`,
    );
  }
  return value;
}

function allIndices(n: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx;
}

/** Shared plumbing of the analytic generalised-linear oracles. */
abstract class LinearModelOracle implements GradientOracle {
  readonly dim: number;
  readonly size: number;
  protected theta: Float64Array;
  /** Row-major design matrix, N × dim. */
  readonly x: Float64Array;
  readonly y: Float64Array;

  constructor(x: RowMatrix, y: ArrayLike<number>, theta?: ArrayLike<number>) {
    assertRowMatrix("x", x);
    assertFiniteArray("y", y);
    if (x.rows !== y.length) {
      throw new RangeError(`y must have length x.rows = ${x.rows}, got ${y.length}`);
    }
    if (x.rows < 1 || x.cols < 1) {
      throw new RangeError(`x must be non-empty, got ${x.rows}×${x.cols}`);
    }
    this.dim = x.cols;
    this.size = x.rows;
    this.x = Float64Array.from(x.data);
    this.y = Float64Array.from(y);
    this.theta = new Float64Array(this.dim);
    if (theta) this.setParams(theta);
  }

  getParams(): Float64Array {
    return this.theta.slice();
  }

  setParams(theta: ArrayLike<number>): void {
    checkParams(theta, this.dim);
    this.theta = Float64Array.from(theta);
  }

  /** x_i · θ */
  protected margin(i: number): number {
    const d = this.dim, off = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += this.x[off + j]! * this.theta[j]!;
    return s;
  }

  /** ℓ_i as a function of the margin. */
  protected abstract lossOf(margin: number, y: number): number;
  /** dℓ_i/dmargin. */
  protected abstract slopeOf(margin: number, y: number): number;
  /** d²ℓ_i/dmargin². */
  protected abstract curvatureOf(margin: number, y: number): number;

  loss(indices?: ArrayLike<number>): number {
    const idx = indices ?? allIndices(this.size);
    checkIndices(idx, this.size);
    let s = 0;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      s += this.lossOf(this.margin(i), this.y[i]!);
    }
    return finiteResult("loss", s / idx.length);
  }

  fullGradient(): Float64Array {
    return this.batchGradient(allIndices(this.size));
  }

  batchGradient(indices: ArrayLike<number>): Float64Array {
    checkIndices(indices, this.size);
    const d = this.dim, g = new Float64Array(d);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!, off = i * d;
      const r = this.slopeOf(this.margin(i), this.y[i]!);
      for (let j = 0; j < d; j++) g[j] = g[j]! + r * this.x[off + j]!;
    }
    for (let j = 0; j < d; j++) g[j] = g[j]! / indices.length;
    return finiteResult("the batch gradient", g);
  }

  perExampleGradients(indices: ArrayLike<number>): RowMatrix {
    checkIndices(indices, this.size);
    assertAllocation("indices.length·dim", indices.length * this.dim);
    const d = this.dim, out = new Float64Array(indices.length * d);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!, off = i * d;
      const r = this.slopeOf(this.margin(i), this.y[i]!);
      for (let j = 0; j < d; j++) out[k * d + j] = r * this.x[off + j]!;
    }
    return { rows: indices.length, cols: d, data: finiteResult("a per-example gradient", out) };
  }

  /** Exact Hessian of the mean loss, (1/N) Σ_i ℓ''_i x_i x_iᵀ, row-major dim × dim. */
  hessian(): Float64Array {
    assertAllocation("dim²", this.dim * this.dim);
    const d = this.dim, h = new Float64Array(d * d);
    for (let i = 0; i < this.size; i++) {
      const off = i * d, c = this.curvatureOf(this.margin(i), this.y[i]!) / this.size;
      for (let a = 0; a < d; a++) {
        const xa = c * this.x[off + a]!;
        for (let b = 0; b < d; b++) h[a * d + b] = h[a * d + b]! + xa * this.x[off + b]!;
      }
    }
    return finiteResult("the Hessian", h);
  }
}

/**
 * Least squares, ℓ_i(θ) = ½ (x_iᵀθ − y_i)². Gradient (x_iᵀθ − y_i) x_i,
 * Hessian XᵀX / N (constant).
 *
 * @example
 * ```ts
 * import { LeastSquaresOracle } from "./oracle.ts";
 * const o = new LeastSquaresOracle({ rows: 2, cols: 1, data: new Float64Array([1, 2]) }, [1, 2]);
 * o.setParams([1]);
 * if (o.loss() !== 0) throw new Error("θ = 1 fits exactly");
 * ```
 */
export class LeastSquaresOracle extends LinearModelOracle {
  protected lossOf(m: number, y: number): number {
    return 0.5 * (m - y) ** 2;
  }
  protected slopeOf(m: number, y: number): number {
    return m - y;
  }
  protected curvatureOf(): number {
    return 1;
  }
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Logistic regression with labels y ∈ {0, 1}: ℓ_i(θ) = softplus(z) − y z,
 * z = x_iᵀθ (the negative log-likelihood). Gradient (σ(z) − y) x_i; Hessian
 * (1/N) Σ σ(z)(1 − σ(z)) x_i x_iᵀ, which equals the Fisher information of
 * the model; at the MLE the empirical Fisher approaches it.
 */
export class LogisticRegressionOracle extends LinearModelOracle {
  constructor(x: RowMatrix, y: ArrayLike<number>, theta?: ArrayLike<number>) {
    super(x, y, theta);
    for (let i = 0; i < this.size; i++) {
      const v = this.y[i]!;
      if (v !== 0 && v !== 1) throw new RangeError(`y[${i}] must be 0 or 1, got ${v}`);
    }
  }
  protected lossOf(m: number, y: number): number {
    return softplus(m) - y * m;
  }
  protected slopeOf(m: number, y: number): number {
    return sigmoid(m) - y;
  }
  protected curvatureOf(m: number): number {
    const s = sigmoid(m);
    return s * (1 - s);
  }
}
