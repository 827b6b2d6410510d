/**
 * The curvature matrices of a softmax classifier in a k-dimensional frame V, from its logits:
 * the Gauss–Newton matrix G, the true Fisher (labels drawn from the model's own predictive
 * distribution) and the empirical Fisher (the observed labels), the matrices that the post's chain
 * C ≈ F/S ≈ H/S passes through (Kunstner et al. 2019; Thomas et al. 2020).
 *
 * For softmax cross-entropy ℓ = −log p_y, p = softmax(z(θ)), with J_x = ∂z/∂θ (classes × dim),
 * every per-example gradient is g_{x,y} = J_xᵀ (p_x − e_y), so in the frame
 * V g_{x,y} = A_x (p_x − e_y) with A_x = V J_xᵀ (k × classes). Then
 *
 * - G_V = (1/n) Σ_x A_x (diag p_x − p_x p_xᵀ) A_xᵀ (Gauss–Newton; the loss's Hessian in z is
 *   diag p − p pᵀ);
 * - the true Fisher E_x E_{y∼p_x}[g gᵀ] equals G exactly (an exponential-family identity); its
 *   sampled estimate (1/(n s)) Σ_x Σ_{r ≤ s} A_x (p_x − e_{ỹ_r})(…)ᵀ with ỹ_r ∼ p_x;
 * - the empirical Fisher (1/n) Σ_x A_x (p_x − e_{y_x})(…)ᵀ with the data's labels;
 * - H = G + (1/n) Σ_x Σ_c (p_x − e_{y_x})_c ∇²z_c, so H = G for a model linear in θ.
 *
 * A_x is formed column by column from central differences of the logits along each row v of V,
 * J_x v ≈ (z(θ + h v) − z(θ − h v)) / (2h): 2k forward passes, no per-example backward pass.
 * Depends on stats/ and noise/ (the {@link LogitOracle} seam).
 *
 * @module
 */
import { checkIndices } from "../noise/oracle.ts";
import { checkLogitOracle, type LogitOracle } from "../noise/logit_oracle.ts";
import {
  assertOrthonormalRows,
  type DenseMatrix,
  type RowMatrix,
  symmetrise,
} from "../stats/matrix.ts";
import type { Prng } from "../stats/random.ts";
import { assertFinite, assertInteger, assertPositive } from "../stats/validate.ts";

/** Options of {@link logitJacobianInFrame}. */
export interface LogitJacobianOptions {
  /** The examples (default all N). */
  indices?: ArrayLike<number>;
  /**
   * Relative precision ε of the logits, for the default difference step
   * h = cbrt(ε) · (1 + ‖θ‖) (default `Number.EPSILON`; 2⁻²³ for float32 networks).
   */
  precision?: number;
  /** Difference step h along each (unit) row of V, replaces the default. */
  step?: number;
}

/** Result of {@link logitJacobianInFrame}: per example, A_x = V J_xᵀ, p_x and y_x. */
export interface LogitJacobian {
  /** Number of examples n. */
  count: number;
  /** Frame dimension k. */
  k: number;
  /** Classes c. */
  classes: number;
  /** n blocks of k × c, row-major: data[(x·k + a)·c + j] = v_aᵀ ∇z_j(θ; x). */
  data: Float64Array;
  /** n × c predicted probabilities softmax(z). */
  probs: Float64Array;
  /** The n observed labels. */
  labels: Int32Array;
  /** The examples' indices into the oracle. */
  indices: Int32Array;
  /** The difference step used. */
  step: number;
}

function softmaxRows(z: RowMatrix): Float64Array {
  const n = z.rows, c = z.cols, out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, z.data[i * c + j]!);
    let s = 0;
    for (let j = 0; j < c; j++) s += out[i * c + j] = Math.exp(z.data[i * c + j]! - m);
    for (let j = 0; j < c; j++) out[i * c + j] = out[i * c + j]! / s;
  }
  return out;
}

/**
 * Per example x, the k × c matrix A_x = V J_xᵀ of logit directional derivatives along the rows of
 * V (central differences of the logits, 2k calls of `oracle.logits`), with the predicted
 * probabilities and the labels at θ. The oracle's parameters are restored to θ afterwards (also
 * when it throws). Truncation error O(h²) in the logits' third derivative, roundoff
 * O(ε · |z| / h); across a ReLU kink the difference mixes the two sides.
 *
 * @param oracle a {@link LogitOracle}
 * @param theta the point (length `oracle.dim`)
 * @param basis V, k × dim with orthonormal rows
 * @param options {@link LogitJacobianOptions}
 * @returns {@link LogitJacobian}
 * @throws TypeError for an oracle without logits or labels; RangeError for a bad basis, step,
 *   precision or index
 * @example
 * ```ts
 * import { logitJacobianInFrame } from "./gauss_newton.ts";
 * // one example x = 1, logits z = (θ₀, θ₁): J = I, so A = V
 * const o = {
 *   dim: 2, size: 1, classes: 2, labels: [0], th: new Float64Array(2),
 *   getParams() { return this.th.slice(); }, setParams(t: ArrayLike<number>) { this.th = Float64Array.from(t); },
 *   loss: () => 0, fullGradient: () => new Float64Array(2), batchGradient: () => new Float64Array(2),
 *   perExampleGradients: () => ({ rows: 1, cols: 2, data: new Float64Array(2) }),
 *   logits() { return { rows: 1, cols: 2, data: this.th.slice() }; },
 * };
 * const v = { rows: 1, cols: 2, data: new Float64Array([0.6, 0.8]) };
 * const a = logitJacobianInFrame(o, [0, 0], v, { step: 1e-3 });
 * if (Math.abs(a.data[1]! - 0.8) > 1e-9) throw new Error("A = V for the identity model");
 * ```
 */
export function logitJacobianInFrame(
  oracle: LogitOracle,
  theta: ArrayLike<number>,
  basis: RowMatrix,
  options: LogitJacobianOptions = {},
): LogitJacobian {
  checkLogitOracle("oracle", oracle);
  const dim = oracle.dim, classes = oracle.classes;
  if (theta === null || typeof theta !== "object" || theta.length !== dim) {
    throw new RangeError(`theta must have length ${dim}, got ${theta?.length}`);
  }
  const th = Float64Array.from(theta);
  th.forEach((t, i) => {
    if (!Number.isFinite(t)) throw new RangeError(`theta[${i}] must be finite, got ${t}`);
  });
  assertOrthonormalRows(basis, dim);
  const { precision = Number.EPSILON } = options;
  assertFinite("precision", precision);
  if (precision <= 0 || precision >= 1) {
    throw new RangeError(`precision must be in (0, 1), got ${precision}`);
  }
  let step = options.step;
  if (step !== undefined) assertPositive("step", step);
  step ??= Math.cbrt(precision) * (1 + Math.hypot(...th));
  const idx = options.indices === undefined
    ? Int32Array.from({ length: oracle.size }, (_, i) => i)
    : (checkIndices(options.indices, oracle.size), Int32Array.from(options.indices));
  const n = idx.length, k = basis.rows;
  const labels = Int32Array.from(idx, (i) => oracle.labels[i]!);
  labels.forEach((y, t) => {
    if (!(y >= 0 && y < classes)) {
      throw new RangeError(`oracle.labels[${idx[t]}] must be in [0, ${classes}), got ${y}`);
    }
  });
  const saved = oracle.getParams();
  const data = new Float64Array(n * k * classes);
  let probs: Float64Array;
  try {
    oracle.setParams(th);
    const z0 = oracle.logits(idx);
    if (z0.rows !== n || z0.cols !== classes) {
      throw new RangeError(
        `oracle.logits returned ${z0.rows}×${z0.cols}, expected ${n}×${classes}`,
      );
    }
    probs = softmaxRows(z0);
    const shifted = new Float64Array(dim);
    for (let a = 0; a < k; a++) {
      const v = basis.data.subarray(a * dim, (a + 1) * dim);
      for (let j = 0; j < dim; j++) shifted[j] = th[j]! + step * v[j]!;
      oracle.setParams(shifted);
      const zp = oracle.logits(idx).data;
      for (let j = 0; j < dim; j++) shifted[j] = th[j]! - step * v[j]!;
      oracle.setParams(shifted);
      const zm = oracle.logits(idx).data;
      for (let x = 0; x < n; x++) {
        for (let c = 0; c < classes; c++) {
          const d = (zp[x * classes + c]! - zm[x * classes + c]!) / (2 * step);
          if (!Number.isFinite(d)) {
            throw new RangeError(
              `logit derivative of example ${idx[x]}, class ${c} along row ${a} is ${d}`,
            );
          }
          data[(x * k + a) * classes + c] = d;
        }
      }
    }
  } finally {
    oracle.setParams(saved);
  }
  return { count: n, k, classes, data, probs, labels, indices: idx, step };
}

/** Options of {@link fisherFormsInFrame}. */
export interface FisherFormOptions {
  /** Reduce over these positions of the jacobian's examples (0 … count − 1; default all). */
  subset?: ArrayLike<number>;
  /** Source of the labels of the sampled true Fisher; omitted: no sampled Fisher. */
  prng?: Prng;
  /** Labels drawn per example for the sampled true Fisher (default 1). */
  samples?: number;
}

/** Result of {@link fisherFormsInFrame}: k × k matrices, means over the examples. */
export interface FisherForms {
  /** V G Vᵀ, the Gauss–Newton matrix (= the true Fisher, exactly, for softmax cross-entropy). */
  gaussNewton: DenseMatrix;
  /** (1/n) Σ V g_x g_xᵀ Vᵀ with the observed labels: the empirical Fisher (uncentred). */
  empiricalFisher: DenseMatrix;
  /** The empirical Fisher centred at the mean gradient: V Σ_pop Vᵀ, the SGN covariance times S. */
  gradientCovariance: DenseMatrix;
  /** The true Fisher from labels ỹ ∼ p_x (`samples` per example); absent without `prng`. */
  sampledFisher?: DenseMatrix;
  /** V ∇L = (1/n) Σ V g_x, length k. */
  meanGradient: Float64Array;
  /** Per example V g_x = A_x (p_x − e_{y_x}), n × k (to check against backpropagated gradients). */
  gradients: DenseMatrix;
  /** Examples reduced over. */
  count: number;
}

/**
 * The Gauss–Newton matrix, the empirical Fisher, the gradient covariance and (with a `prng`) the
 * sampled true Fisher in the frame of a {@link LogitJacobian}, as means over its examples (or a
 * `subset` of them). Labels are sampled by inversion of p_x with one uniform each, example by
 * example.
 *
 * @param jac a {@link logitJacobianInFrame} result
 * @param options {@link FisherFormOptions}
 * @returns {@link FisherForms}
 * @throws RangeError for a bad subset or sample count
 * @example
 * ```ts
 * import { fisherFormsInFrame, type LogitJacobian } from "./gauss_newton.ts";
 * // one example, two classes, A = [1, 0], p = (0.5, 0.5): G = 1/4, g = ±1/2
 * const jac = { count: 1, k: 1, classes: 2, data: new Float64Array([1, 0]), probs: new Float64Array([0.5, 0.5]),
 *   labels: new Int32Array([0]), indices: new Int32Array([0]), step: 1e-3 } as LogitJacobian;
 * const f = fisherFormsInFrame(jac);
 * if (f.gaussNewton.data[0] !== 0.25 || f.empiricalFisher.data[0] !== 0.25) throw new Error("p(1 − p) = 1/4");
 * ```
 */
export function fisherFormsInFrame(
  jac: LogitJacobian,
  options: FisherFormOptions = {},
): FisherForms {
  if (jac === null || typeof jac !== "object" || !(jac.data instanceof Float64Array)) {
    throw new TypeError(`jac must be a LogitJacobian, got ${jac}`);
  }
  const { k, classes: c, count } = jac;
  const { prng, samples = 1 } = options;
  assertInteger("samples", samples, 1);
  if (prng !== undefined && typeof prng !== "function") {
    throw new TypeError(`prng must be a Prng function, got ${prng}`);
  }
  let sub: Int32Array;
  if (options.subset === undefined) sub = Int32Array.from({ length: count }, (_, i) => i);
  else {
    checkIndices(options.subset, count);
    sub = Int32Array.from(options.subset);
  }
  const n = sub.length;
  const gn = new Float64Array(k * k), ef = new Float64Array(k * k);
  const tf = prng ? new Float64Array(k * k) : undefined;
  const mean = new Float64Array(k), grads = new Float64Array(n * k);
  const ap = new Float64Array(k), g = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    const x = sub[t]!, a0 = x * k * c, p0 = x * c;
    // A p
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let j = 0; j < c; j++) s += jac.data[a0 + a * c + j]! * jac.probs[p0 + j]!;
      ap[a] = s;
    }
    // G_x = A diag(p) Aᵀ − (A p)(A p)ᵀ
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let s = 0;
        for (let j = 0; j < c; j++) {
          s += jac.data[a0 + a * c + j]! * jac.probs[p0 + j]! * jac.data[a0 + b * c + j]!;
        }
        gn[a * k + b] = gn[a * k + b]! + s - ap[a]! * ap[b]!;
      }
    }
    // observed label: g = A p − A e_y
    const y = jac.labels[x]!;
    for (let a = 0; a < k; a++) {
      g[a] = ap[a]! - jac.data[a0 + a * c + y]!;
      grads[t * k + a] = g[a]!;
      mean[a] = mean[a]! + g[a]!;
    }
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) ef[a * k + b] = ef[a * k + b]! + g[a]! * g[b]!;
    }
    if (tf && prng) {
      for (let r = 0; r < samples; r++) {
        const u = prng();
        let ys = c - 1, acc = 0;
        for (let j = 0; j < c; j++) {
          acc += jac.probs[p0 + j]!;
          if (u < acc) {
            ys = j;
            break;
          }
        }
        for (let a = 0; a < k; a++) g[a] = ap[a]! - jac.data[a0 + a * c + ys]!;
        for (let a = 0; a < k; a++) {
          for (let b = a; b < k; b++) tf[a * k + b] = tf[a * k + b]! + g[a]! * g[b]! / samples;
        }
      }
    }
  }
  for (let a = 0; a < k; a++) mean[a] = mean[a]! / n;
  const finish = (m: Float64Array): DenseMatrix => {
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) m[b * k + a] = m[a * k + b] = m[a * k + b]! / n;
    }
    return { rows: k, cols: k, data: symmetrise(m, k) };
  };
  const empiricalFisher = finish(ef);
  const cov = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      cov[a * k + b] = empiricalFisher.data[a * k + b]! - mean[a]! * mean[b]!;
    }
  }
  return {
    gaussNewton: finish(gn),
    empiricalFisher,
    gradientCovariance: { rows: k, cols: k, data: cov },
    ...(tf ? { sampledFisher: finish(tf) } : {}),
    meanGradient: mean,
    gradients: { rows: n, cols: k, data: grads },
    count: n,
  };
}
