/**
 * A sparse matrix on an n_x × n_y grid in stencil layout: interior rows as 9 coefficients of the
 * 3×3 neighbourhood, multiplied without index loads; the perimeter rows keep the CSR form (periodic
 * wrap-around can put their entries anywhere). The storage behind BiCGSTAB's operator and the
 * MILU(0) triangular solves. Depends on sparse.ts.
 *
 * @module
 */
import type { CsrMatrix, Operator } from "./sparse.ts";

/**
 * A matrix on an n_x × n_y grid (row index j·n_x + i) with at most the 3×3
 * neighbourhood per row: interior rows are stored as 9 stencil coefficients
 * (offsets −n_x−1, −n_x, −n_x+1, −1, 0, 1, n_x−1, n_x, n_x+1) and multiplied
 * without index loads; perimeter rows keep the CSR form. An optional rank-one
 * term u 1ᵀ is added to the product.
 *
 * @example
 * ```ts
 * import { CsrBuilder } from "./sparse.ts";
 * import { GridMatrix } from "./grid_matrix.ts";
 * const b = new CsrBuilder(9, 9);
 * for (let r = 0; r < 9; r++) b.add(r, r, 2);
 * const m = new GridMatrix(b.toCsr(), 3, 3);
 * const y = new Float64Array(9);
 * m.mul(new Float64Array(9).fill(1), y);
 * if (y[4] !== 2) throw new Error("diagonal");
 * ```
 */
export class GridMatrix implements Operator {
  readonly n: number;
  readonly nx: number;
  readonly ny: number;
  readonly csr: CsrMatrix;
  /** Interior rows: coef[9 r + s] for offset s. */
  readonly coef: Float64Array;
  /** Extra rank-one term u 1ᵀ (null: none). */
  readonly u: Float64Array | null;

  /**
   * @param csr the matrix (n_x·n_y rows, entries within the 3×3 neighbourhood in interior rows)
   * @param u optional vector of the rank-one term u 1ᵀ
   */
  constructor(csr: CsrMatrix, nx: number, ny: number, u: Float64Array | null = null) {
    this.n = csr.rows;
    this.nx = nx;
    this.ny = ny;
    this.csr = csr;
    this.u = u;
    this.coef = stencilCoefficients(csr, nx, ny);
  }

  /** out = (M + u 1ᵀ) x (out ≠ x). */
  mul(x: Float64Array, out: Float64Array): void {
    const nx = this.nx, ny = this.ny, c = this.coef;
    const { rowPtr: rp, colIndex: ci, values: v } = this.csr;
    for (let j = 0; j < ny; j++) {
      const base = j * nx, edge = j === 0 || j === ny - 1;
      if (!edge) {
        for (let r = base + 1, e = base + nx - 1; r < e; r++) {
          const o = 9 * r;
          out[r] = c[o]! * x[r - nx - 1]! + c[o + 1]! * x[r - nx]! + c[o + 2]! * x[r - nx + 1]! +
            c[o + 3]! * x[r - 1]! + c[o + 4]! * x[r]! + c[o + 5]! * x[r + 1]! +
            c[o + 6]! * x[r + nx - 1]! + c[o + 7]! * x[r + nx]! + c[o + 8]! * x[r + nx + 1]!;
        }
      }
      // CSR rows: the whole first and last grid rows, else the two end cells
      const step = edge ? 1 : nx - 1;
      for (let r = base; r < base + nx; r += step) {
        let s = 0;
        for (let k = rp[r]!, e = rp[r + 1]!; k < e; k++) s += v[k]! * x[ci[k]!]!;
        out[r] = s;
      }
    }
    const u = this.u;
    if (u !== null) {
      let sx = 0;
      for (let i = 0; i < x.length; i++) sx += x[i]!;
      for (let i = 0; i < x.length; i++) out[i] = out[i]! + u[i]! * sx;
    }
  }
}

/** Stencil coefficients of the interior rows of a grid matrix (9 per row, 0 elsewhere). */
export function stencilCoefficients(csr: CsrMatrix, nx: number, ny: number): Float64Array {
  const n = csr.rows, coef = new Float64Array(9 * n);
  for (let j = 1; j < ny - 1; j++) {
    for (let i = 1; i < nx - 1; i++) {
      const r = j * nx + i;
      for (let k = csr.rowPtr[r]!; k < csr.rowPtr[r + 1]!; k++) {
        // offset d = col − r ∈ {−n_x−1, −n_x, −n_x+1, −1, 0, 1, n_x−1, n_x, n_x+1} → s = 0..8
        const t = csr.colIndex[k]! - r + nx + 1;
        const row = t < 3 ? 0 : t < nx + 3 ? 1 : 2, col = t - row * nx;
        if (t < 0 || col < 0 || col > 2) {
          throw new Error(`internal: entry (${r}, ${csr.colIndex[k]}) outside the stencil`);
        }
        coef[9 * r + 3 * row + col] = csr.values[k]!;
      }
    }
  }
  return coef;
}
