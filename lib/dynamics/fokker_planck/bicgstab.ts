/**
 * BiCGSTAB, the Krylov solver of the 2-D Fokker–Planck systems: right-preconditioned, with fused
 * vector updates, restarts on breakdown and a check of the true residual. Depends on sparse.ts
 * (the operator contract) and milu.ts (the preconditioner contract).
 *
 * @module
 */
import type { Preconditioner } from "./milu.ts";
import type { LinearSolver, Operator } from "./sparse.ts";

/** Σ a_i b_i in index order. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * BiCGSTAB (van der Vorst 1992, "Bi-CGSTAB: a fast and smoothly converging
 * variant of Bi-CG", SIAM J. Sci. Stat. Comput. 13), right-preconditioned, with
 * fused vector updates; buffers reused across solves. Stops when the
 * recurrence residual is below `tolerance`·‖b‖, restarts (at most 3 times) from
 * the current iterate on breakdown, and throws a RangeError (naming maxIterations and tolerance) if the true residual
 * ‖b − A x‖ then exceeds 10·tolerance·‖b‖.
 *
 * @example
 * ```ts
 * import { BicgstabSolver } from "./bicgstab.ts";
 * // A = diag(1, 2, 4), identity preconditioner
 * const d = Float64Array.of(1, 2, 4);
 * const op = { n: 3, mul: (x: Float64Array, o: Float64Array) => x.forEach((v, i) => (o[i] = d[i]! * v)) };
 * const id = { apply: (r: Float64Array, o: Float64Array) => o.set(r) };
 * const x = new Float64Array(3);
 * new BicgstabSolver(op, id, 1e-12, 10).solve(Float64Array.of(1, 1, 1), x);
 * if (Math.abs(x[2]! - 0.25) > 1e-12) throw new Error("solve");
 * ```
 */
export class BicgstabSolver implements LinearSolver {
  readonly #a: Operator;
  readonly #pre: Preconditioner;
  readonly #tol: number;
  readonly #maxIter: number;
  readonly #r: Float64Array;
  readonly #r0: Float64Array;
  readonly #p: Float64Array;
  readonly #v: Float64Array;
  readonly #ph: Float64Array;
  readonly #s: Float64Array;
  readonly #sh: Float64Array;
  readonly #t: Float64Array;
  /** Iterations of the last solve. */
  iterations = 0;

  /**
   * @param a the operator A
   * @param preconditioner applies P⁻¹ ≈ A⁻¹ (right preconditioning)
   * @param tolerance relative residual ‖b − Ax‖/‖b‖ to reach
   * @param maxIterations iteration cap over all restarts
   */
  constructor(
    a: Operator,
    preconditioner: Preconditioner,
    tolerance: number,
    maxIterations: number,
  ) {
    this.#a = a;
    this.#pre = preconditioner;
    this.#tol = tolerance;
    this.#maxIter = maxIterations;
    const n = a.n;
    this.#r = new Float64Array(n);
    this.#r0 = new Float64Array(n);
    this.#p = new Float64Array(n);
    this.#v = new Float64Array(n);
    this.#ph = new Float64Array(n);
    this.#s = new Float64Array(n);
    this.#sh = new Float64Array(n);
    this.#t = new Float64Array(n);
  }

  /** Solves A x = b; x holds the initial guess on entry. */
  solve(b: Float64Array, x: Float64Array): void {
    const bnorm = Math.sqrt(dot(b, b));
    if (bnorm === 0) {
      x.fill(0);
      this.iterations = 0;
      return;
    }
    const target2 = (this.#tol * bnorm) ** 2;
    let total = 0;
    for (let restart = 0; restart < 3 && total < this.#maxIter; restart++) {
      const run = this.#iterate(b, x, target2, total);
      total = run.total;
      if (run.converged) break;
    }
    this.iterations = total;
    this.#confirm(b, x, target2, bnorm, total);
  }

  /**
   * One BiCGSTAB run from the current x until convergence, breakdown or the
   * iteration cap; returns the running iteration count.
   */
  #iterate(
    b: Float64Array,
    x: Float64Array,
    target2: number,
    start: number,
  ): { total: number; converged: boolean } {
    const n = b.length, a = this.#a, pre = this.#pre;
    const r = this.#r, r0 = this.#r0, p = this.#p, v = this.#v;
    const ph = this.#ph, s = this.#s, sh = this.#sh, t = this.#t;
    let total = start;
    a.mul(x, r);
    let rr = 0;
    for (let i = 0; i < n; i++) {
      const ri = b[i]! - r[i]!;
      r[i] = ri;
      r0[i] = ri;
      p[i] = 0;
      v[i] = 0;
      rr += ri * ri;
    }
    if (rr <= target2) return { total, converged: true };
    let rho = 1, alpha = 1, omega = 1, rho1 = rr;
    while (total < this.#maxIter) {
      total++;
      if (rho1 === 0 || !Number.isFinite(rho1)) break; // breakdown: restart from x
      const beta = (rho1 / rho) * (alpha / omega);
      for (let i = 0; i < n; i++) p[i] = r[i]! + beta * (p[i]! - omega * v[i]!);
      pre.apply(p, ph);
      a.mul(ph, v);
      const r0v = dot(r0, v);
      if (r0v === 0 || !Number.isFinite(r0v)) break;
      alpha = rho1 / r0v;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const si = r[i]! - alpha * v[i]!;
        s[i] = si;
        ss += si * si;
      }
      if (ss <= target2) {
        for (let i = 0; i < n; i++) x[i] = x[i]! + alpha * ph[i]!;
        return { total, converged: true };
      }
      pre.apply(s, sh);
      a.mul(sh, t);
      let tt = 0, ts = 0;
      for (let i = 0; i < n; i++) {
        const ti = t[i]!;
        tt += ti * ti;
        ts += ti * s[i]!;
      }
      omega = tt > 0 ? ts / tt : 0;
      rho = rho1;
      rr = 0;
      rho1 = 0;
      for (let i = 0; i < n; i++) {
        x[i] = x[i]! + alpha * ph[i]! + omega * sh[i]!;
        const ri = s[i]! - omega * t[i]!;
        r[i] = ri;
        rr += ri * ri;
        rho1 += r0[i]! * ri;
      }
      if (rr <= target2) return { total, converged: true };
      if (omega === 0) break;
    }
    return { total, converged: false };
  }

  /** Throws unless the true residual ‖b − A x‖² is within 100·target². */
  #confirm(b: Float64Array, x: Float64Array, target2: number, bnorm: number, total: number): void {
    const r = this.#r;
    this.#a.mul(x, r);
    let res = 0;
    for (let i = 0; i < b.length; i++) res += (b[i]! - r[i]!) ** 2;
    if (!(res <= 100 * target2)) {
      throw new RangeError(
        `BiCGSTAB did not converge in ${total} iterations (maxIterations = ${this.#maxIter}): ` +
          `relative residual ${Math.sqrt(res) / bnorm} > tolerance ${this.#tol}`,
      );
    }
  }
}
