/**
 * The Lanczos recurrence with full reorthogonalisation, private to curvature/: the engine of
 * {@link topEigenpairs} (eigenpairs.ts) and of the stochastic Lanczos quadrature of
 * stochastic_spectrum.ts, and the eigen-decomposition of its tridiagonal matrix (ml-matrix).
 * Depends on stats/random.ts.
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { fillNormal, type Prng } from "../stats/random.ts";
import type { MatVec } from "./hessian_vector.ts";
import { dot, norm } from "./_vector.ts";

/** Relative size of the residual below which the Krylov space counts as invariant. */
const BREAKDOWN = 1e-10;

/**
 * Lanczos recurrence with full reorthogonalisation (two passes of modified
 * Gram–Schmidt against every stored vector, "twice is enough").
 * After m steps, A Q_m = Q_m T_m + β_m q_{m+1} e_mᵀ with T_m tridiagonal
 * (diagonal `alpha`, off-diagonal `offdiag`).
 */
export class Lanczos {
  readonly q: Float64Array[] = [];
  readonly alpha: number[] = [];
  /** Coupling between q_j and q_{j+1} in T (0 after a restart). */
  readonly offdiag: number[] = [];
  /** Norm of the residual vector after step j. */
  readonly beta: number[] = [];
  /** Index of the first vector of each Krylov block (a new block starts at each restart). */
  readonly blocks: number[] = [0];
  matvecs = 0;
  #anorm = 0;
  #next: Float64Array | null;
  readonly #w: Float64Array;
  readonly #matvec: MatVec;
  readonly #dim: number;

  constructor(matvec: MatVec, dim: number, start: Float64Array) {
    this.#matvec = matvec;
    this.#dim = dim;
    this.#w = new Float64Array(dim);
    const n = norm(start);
    for (let i = 0; i < dim; i++) start[i] = start[i]! / n;
    this.#next = start;
  }

  /** One step; false when no next vector exists (invariant subspace or dim reached). */
  step(): boolean {
    const dim = this.#dim, q = this.q, w = this.#w;
    const j = q.length, qj = this.#next!;
    q.push(qj);
    const r = this.#matvec(qj, w);
    this.matvecs++;
    if (r.length !== dim) throw new RangeError(`matvec must return length ${dim}, got ${r.length}`);
    if (r !== w) w.set(r);
    for (let i = 0; i < dim; i++) {
      if (!Number.isFinite(w[i]!)) {
        throw new RangeError(`matvec returned a non-finite value at Lanczos step ${j}: ${w[i]}`);
      }
    }
    const a = dot(qj, w);
    const bPrev = j > 0 ? this.offdiag[j - 1]! : 0;
    const qPrev = j > 0 ? q[j - 1]! : null;
    for (let i = 0; i < dim; i++) {
      w[i] = w[i]! - a * qj[i]! - (qPrev ? bPrev * qPrev[i]! : 0);
    }
    for (let pass = 0; pass < 2; pass++) {
      for (const qi of q) {
        const c = dot(qi, w);
        for (let i = 0; i < dim; i++) w[i] = w[i]! - c * qi[i]!;
      }
    }
    const b = norm(w);
    this.alpha.push(a);
    this.beta.push(b);
    this.#anorm = Math.max(this.#anorm, Math.abs(a) + b + bPrev);
    if (j + 1 >= dim || b <= BREAKDOWN * this.#anorm) {
      this.offdiag.push(0);
      this.#next = null;
      return false;
    }
    this.offdiag.push(b);
    const nx = new Float64Array(dim);
    for (let i = 0; i < dim; i++) nx[i] = w[i]! / b;
    this.#next = nx;
    return true;
  }

  /** After a breakdown: continue from a random vector orthogonal to all stored ones. */
  restart(prng: Prng): boolean {
    const dim = this.#dim, q = this.q;
    if (q.length >= dim) return false;
    for (let attempt = 0; attempt < 10; attempt++) {
      const v = fillNormal(prng, new Float64Array(dim));
      const n0 = norm(v);
      for (let pass = 0; pass < 2; pass++) {
        for (const qi of q) {
          const c = dot(qi, v);
          for (let i = 0; i < dim; i++) v[i] = v[i]! - c * qi[i]!;
        }
      }
      const n = norm(v);
      if (n > 1e-8 * n0) {
        for (let i = 0; i < dim; i++) v[i] = v[i]! / n;
        this.#next = v;
        this.blocks.push(q.length);
        return true;
      }
    }
    return false;
  }
}

/** Eigen-decomposition of the tridiagonal T_m: values ascending, vectors as columns. */
export function tridiagonalEigen(alpha: number[], offdiag: number[], m: number) {
  const t = new Matrix(m, m);
  for (let i = 0; i < m; i++) {
    t.set(i, i, alpha[i]!);
    if (i + 1 < m) {
      t.set(i, i + 1, offdiag[i]!);
      t.set(i + 1, i, offdiag[i]!);
    }
  }
  const e = new EigenvalueDecomposition(t, { assumeSymmetric: true });
  return { values: e.realEigenvalues, vectors: e.eigenvectorMatrix };
}
