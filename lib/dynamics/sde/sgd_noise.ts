/**
 * The Gaussian noise of SGD from the curvature: a factor F with F Fᵀ = r(H)/S for a Hessian H
 * that need not be positive semidefinite (near saddles and barrier tops), where r maps each
 * eigenvalue λ to |λ| ("abs") or max(λ, 0) ("clip"). Closed forms in 1-D and 2-D, a cyclic Jacobi
 * eigen-decomposition above. Used by `simulateSgd`; {@link sgdNoiseCovariance} is the public
 * view. Depends on stats/validate.ts only.
 *
 * @module
 */
import { assertOneOf, assertPositive } from "../../stats/validate.ts";

/** How a Hessian that is not positive semidefinite becomes a noise covariance. */
export type CurvatureRule = "abs" | "clip";

/** Checks a {@link CurvatureRule} argument. */
export function checkRule(rule: string): CurvatureRule {
  return assertOneOf("curvature", rule, ["abs", "clip"] as const);
}

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric d × d matrix (row-major,
 * destroyed): eigenvalues to `vals`, eigenvectors as columns of `vecs`.
 */
function jacobiEigen(a: Float64Array, d: number, vals: Float64Array, vecs: Float64Array): void {
  vecs.fill(0);
  for (let i = 0; i < d; i++) vecs[i * d + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0, diag = 0;
    for (let p = 0; p < d; p++) {
      diag += a[p * d + p]! * a[p * d + p]!;
      for (let q = p + 1; q < d; q++) off += a[p * d + q]! * a[p * d + q]!;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!, akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!, aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = vecs[k * d + p]!, vkq = vecs[k * d + q]!;
          vecs[k * d + p] = c * vkp - s * vkq;
          vecs[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < d; i++) vals[i] = a[i * d + i]!;
}

/**
 * Writes into `f` (row-major d × d) a factor F with F Fᵀ = r(H)·scale, where
 * r maps each eigenvalue λ of H to |λ| ("abs") or max(λ, 0) ("clip").
 * Work arrays: `a` (d²), `vals` (d), `vecs` (d²).
 */
export function noiseFactor(
  h: Float64Array,
  hOff: number,
  d: number,
  rule: CurvatureRule,
  scale: number,
  f: Float64Array,
  a: Float64Array,
  vals: Float64Array,
  vecs: Float64Array,
): void {
  if (d === 1) {
    const l = h[hOff]!;
    f[0] = Math.sqrt((rule === "abs" ? Math.abs(l) : Math.max(l, 0)) * scale);
    return;
  }
  if (d === 2) {
    // r(H) in closed form, then its Cholesky factor
    const h00 = h[hOff]!, h01 = 0.5 * (h[hOff + 1]! + h[hOff + 2]!), h11 = h[hOff + 3]!;
    // √(a² + b²) directly (Math.hypot, which guards against overflow of the squares, took a
    // sixth of a 2-D SGD step); Math.hypot only when the squares overflow
    const hd = 0.5 * (h00 - h11), r2 = hd * hd + h01 * h01;
    const m = 0.5 * (h00 + h11), r = r2 < Infinity ? Math.sqrt(r2) : Math.hypot(hd, h01);
    const l1 = m + r, l2 = m - r;
    let a00 = h00, a01 = h01, a11 = h11;
    if (l2 < 0) {
      if (l1 <= 0) {
        if (rule === "abs") {
          a00 = -h00;
          a01 = -h01;
          a11 = -h11;
        } else a00 = a01 = a11 = 0;
      } else if (rule === "abs") {
        // |H| = [(λ1 + λ2) H − 2 λ1 λ2 I] / (λ1 − λ2)
        const c = 1 / (l1 - l2);
        a00 = ((l1 + l2) * h00 - 2 * l1 * l2) * c;
        a01 = (l1 + l2) * h01 * c;
        a11 = ((l1 + l2) * h11 - 2 * l1 * l2) * c;
      } else {
        // λ1 P1 = λ1 (H − λ2 I) / (λ1 − λ2)
        const c = l1 / (l1 - l2);
        a00 = (h00 - l2) * c;
        a01 = h01 * c;
        a11 = (h11 - l2) * c;
      }
    }
    a00 *= scale;
    a01 *= scale;
    a11 *= scale;
    const f00 = a00 > 0 ? Math.sqrt(a00) : 0;
    const f10 = f00 > 0 ? a01 / f00 : 0;
    f[0] = f00;
    f[1] = 0;
    f[2] = f10;
    f[3] = Math.sqrt(Math.max(0, a11 - f10 * f10));
    return;
  }
  for (let k = 0; k < d * d; k++) a[k] = h[hOff + k]!;
  for (let r = 0; r < d; r++) {
    for (let c = r + 1; c < d; c++) {
      const v = 0.5 * (a[r * d + c]! + a[c * d + r]!);
      a[r * d + c] = v;
      a[c * d + r] = v;
    }
  }
  jacobiEigen(a, d, vals, vecs);
  // F = V diag(√(r(λ)·scale))
  for (let c = 0; c < d; c++) {
    const l = vals[c]!;
    const sc = Math.sqrt((rule === "abs" ? Math.abs(l) : Math.max(l, 0)) * scale);
    for (let r = 0; r < d; r++) f[r * d + c] = vecs[r * d + c]! * sc;
  }
}

/**
 * The noise covariance r(H)/S of {@link simulateSgd} for one Hessian, where
 * r maps every eigenvalue λ to |λ| ("abs") or max(λ, 0) ("clip"); multiply by
 * η/2 for the diffusion tensor D = η r(H)/(2S) of the SDE (ERRATA Eq. 6).
 *
 * @param hessian symmetric d × d, row-major
 * @param batchSize S > 0
 * @param rule "abs" (default) or "clip"
 * @returns a new d × d row-major matrix
 * @example
 * ```ts
 * import { sgdNoiseCovariance } from "./sgd_noise.ts";
 * const c = sgdNoiseCovariance([2, 0, 0, -4], 2); // |H|/S = diag(1, 2)
 * if (Math.abs(c[0]! - 1) > 1e-12 || Math.abs(c[3]! - 2) > 1e-12) throw new Error("abs rule");
 * ```
 */
export function sgdNoiseCovariance(
  hessian: ArrayLike<number>,
  batchSize: number,
  rule: CurvatureRule = "abs",
): Float64Array {
  const d = Math.round(Math.sqrt(hessian.length));
  if (d < 1 || d * d !== hessian.length) {
    throw new RangeError(`hessian must have a square number of entries > 0, got ${hessian.length}`);
  }
  assertPositive("batchSize", batchSize);
  checkRule(rule);
  const h = Float64Array.from(hessian);
  for (let k = 0; k < h.length; k++) {
    if (!Number.isFinite(h[k]!)) throw new RangeError(`hessian[${k}] must be finite, got ${h[k]}`);
  }
  const f = new Float64Array(d * d);
  noiseFactor(
    h,
    0,
    d,
    rule,
    1 / batchSize,
    f,
    new Float64Array(d * d),
    new Float64Array(d),
    new Float64Array(d * d),
  );
  const c = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let s = 0; s < d; s++) {
      let v = 0;
      for (let k = 0; k < d; k++) v += f[r * d + k]! * f[s * d + k]!;
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `the noise covariance overflows (${v} at [${r}, ${s}]) for batchSize = ${batchSize} ` +
            `and hessian entries up to ${Math.max(...Array.from(h, Math.abs))}`,
        );
      }
      c[r * d + s] = v;
    }
  }
  return c;
}
