/**
 * The checks and corrections applied to every Fokker–Planck step: the positivity / finiteness
 * check of a new density (which throws a RangeError naming the step, time and cell), the
 * discrete mass balance restored after each implicit solve, and the M-matrix (monotonicity) test
 * of a generator. Depends on sparse.ts.
 *
 * @module
 */
import type { CsrMatrix } from "./sparse.ts";

/** A number for messages: integers as they are, others with 6 significant digits. */
export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

/** Where a density is being checked, for the error message. */
export interface StepContext {
  /** Step number (1-based) of the density. */
  step: number;
  /** Time of the density. */
  time: number;
  /** Step size that produced it (named in the message when given). */
  dt?: number;
  /** Values below −negativeTolerance · max are rejected. */
  negativeTolerance: number;
  /** Whether the operator is an M-matrix (changes the advice in the message). */
  monotone: boolean;
  /** Describes cell i, e.g. "x = 0.5". */
  describeCell: (i: number) => string;
}

/**
 * Throws a RangeError if q has a non-finite value, or a value below
 * −negativeTolerance · max q, naming the step, the time, the first bad cell and
 * what to change; returns silently otherwise (a single pass when q is fine).
 *
 * @example
 * ```ts
 * import { assertStepDensity } from "./density_checks.ts";
 * const ctx = { step: 1, time: 0.1, negativeTolerance: 1e-5, monotone: true, describeCell: String };
 * assertStepDensity(Float64Array.of(1, 0, -1e-9), ctx); // within tolerance
 * ```
 */
export function assertStepDensity(q: Float64Array, ctx: StepContext): void {
  let max = 0, min = 0, bad = false;
  for (let i = 0; i < q.length; i++) {
    const v = q[i]!;
    if (v > max) max = v;
    else if (v < min) min = v;
    else if (v !== v) bad = true; // NaN
  }
  if (!bad && max !== Infinity && min >= -ctx.negativeTolerance * max) return;
  const where = `at step ${ctx.step} (t = ${formatNumber(ctx.time)}${
    ctx.dt === undefined ? "" : `, dt = ${formatNumber(ctx.dt)}`
  })`;
  for (let i = 0; i < q.length; i++) {
    const v = q[i]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `density became non-finite ${where}: p = ${v} at ${ctx.describeCell(i)}`,
      );
    }
  }
  const floor = -ctx.negativeTolerance * max;
  for (let i = 0; i < q.length; i++) {
    if (q[i]! < floor) {
      throw new RangeError(
        `density became negative ${where}: p = ${q[i]!.toExponential(3)} at ${
          ctx.describeCell(i)
        } (max p = ${max.toExponential(3)}); ` +
          (ctx.monotone
            ? `reduce dt or use scheme "backward-euler"`
            : `the operator is not monotone (cross diffusion |D_xy| exceeds the fitted axial ` +
              `coefficients where the drift is strong): refine the grid, reduce dt or use ` +
              `scheme "backward-euler"`),
      );
    }
  }
}

/**
 * Rescales x, the solution of (I − c A) x = b, so that the discrete mass balance
 * 1ᵀ(I − cA)x = Σ x_i (1 + c o_i) = 1ᵀb holds to round-off (o_i: outflow rate per
 * unit density of cell i). The factor differs from 1 by the solver's error
 * (Krylov tolerance in 2-D, a few ulps in 1-D); without it round-off biases the
 * mass by ~1e-16 per step. Nothing is done unless both masses are positive.
 *
 * @example
 * ```ts
 * import { restoreMassBalance } from "./density_checks.ts";
 * const x = Float64Array.of(1, 1);
 * restoreMassBalance(Float64Array.of(1, 2), x, 0.5, Float64Array.of(0, 2));
 * // Σ x_i (1 + c o_i) = 1 + 2 = 3 = Σ b: unchanged
 * if (x[0] !== 1) throw new Error("balance");
 * ```
 */
export function restoreMassBalance(
  b: Float64Array,
  x: Float64Array,
  c: number,
  cellOutflow: Float64Array,
): void {
  let mb = 0, mx = 0;
  for (let i = 0; i < x.length; i++) {
    mb += b[i]!;
    mx += x[i]! * (1 + c * cellOutflow[i]!);
  }
  if (mb > 0 && mx > 0) {
    const f = mb / mx;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! * f;
  }
}

/**
 * Whether every off-diagonal entry of A is ≥ −1e-12·|A_ii| (A is then an
 * M-matrix and backward Euler keeps p ≥ 0 for any dt).
 * @param diag diagonal positions of A
 */
export function isMonotone(a: CsrMatrix, diag: Int32Array): boolean {
  for (let i = 0; i < a.rows; i++) {
    for (let e = a.rowPtr[i]!; e < a.rowPtr[i + 1]!; e++) {
      const v = a.values[e]!;
      if (a.colIndex[e] !== i && v < -1e-12 * Math.abs(a.values[diag[i]!]!)) return false;
    }
  }
  return true;
}
