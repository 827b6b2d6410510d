/**
 * Compressed sparse row (CSR) matrices for the Fokker–Planck generators: a row-by-row builder,
 * products with A and Aᵀ, the transpose, diagonal positions and the shifted matrix I − cA, plus
 * the two small contracts the solvers share (a linear operator and a linear solver).
 * No dependencies.
 *
 * @module
 */

/** A sparse matrix in compressed sparse row form (column indices sorted within a row). */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row r occupies entries rowPtr[r] .. rowPtr[r + 1] − 1. */
  readonly rowPtr: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

/** A linear solver for one fixed matrix; `out` holds the initial guess on entry. */
export interface LinearSolver {
  solve(rhs: Float64Array, out: Float64Array): void;
}

/** y = M x for a fixed square matrix M of size n. */
export interface Operator {
  readonly n: number;
  mul(x: Float64Array, out: Float64Array): void;
}

/**
 * Accumulates the entries of a square matrix row by row (at most `width` distinct columns per
 * row; repeated (row, column) pairs are summed in the order they arrive), then compresses them
 * to CSR with sorted columns. The diagonal is always present.
 *
 * @example
 * ```ts
 * import { CsrBuilder } from "./sparse.ts";
 * const b = new CsrBuilder(2, 2);
 * b.add(0, 1, 3);
 * b.add(0, 1, 1);
 * const a = b.toCsr(); // [[0, 4], [0, 0]]
 * if (a.values[1] !== 4) throw new Error("sum");
 * ```
 */
export class CsrBuilder {
  readonly n: number;
  readonly width: number;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
  readonly counts: Int32Array;

  /**
   * @param n number of rows and columns
   * @param width most distinct columns in one row
   */
  constructor(n: number, width: number) {
    this.n = n;
    this.width = width;
    this.cols = new Int32Array(n * width);
    this.vals = new Float64Array(n * width);
    this.counts = new Int32Array(n);
    for (let i = 0; i < n; i++) this.add(i, i, 0); // diagonal always present
  }

  /** Adds v to entry (r, c). */
  add(r: number, c: number, v: number): void {
    const base = r * this.width, cnt = this.counts[r]!;
    for (let k = 0; k < cnt; k++) {
      if (this.cols[base + k] === c) {
        this.vals[base + k] = this.vals[base + k]! + v;
        return;
      }
    }
    if (cnt === this.width) {
      throw new Error(`internal: row ${r} has more than ${this.width} entries`);
    }
    this.cols[base + cnt] = c;
    this.vals[base + cnt] = v;
    this.counts[r] = cnt + 1;
  }

  /** The accumulated matrix in CSR form, columns sorted within each row. */
  toCsr(): CsrMatrix {
    const n = this.n, w = this.width;
    const rowPtr = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i]! + this.counts[i]!;
    const colIndex = new Int32Array(rowPtr[n]!), values = new Float64Array(rowPtr[n]!);
    for (let i = 0; i < n; i++) {
      const cnt = this.counts[i]!, base = i * w, out = rowPtr[i]!;
      // insertion sort of the (at most `width`) entries by column
      for (let k = 0; k < cnt; k++) {
        const c = this.cols[base + k]!, v = this.vals[base + k]!;
        let q = out + k;
        while (q > out && colIndex[q - 1]! > c) {
          colIndex[q] = colIndex[q - 1]!;
          values[q] = values[q - 1]!;
          q--;
        }
        colIndex[q] = c;
        values[q] = v;
      }
    }
    return { rows: n, cols: n, rowPtr, colIndex, values };
  }
}

/** A deep copy of `a`. */
export function copyCsr(a: CsrMatrix): CsrMatrix {
  return {
    rows: a.rows,
    cols: a.cols,
    rowPtr: a.rowPtr.slice(),
    colIndex: a.colIndex.slice(),
    values: a.values.slice(),
  };
}

/** out = A x (out ≠ x), each row summed in column order. */
export function csrMul(a: CsrMatrix, x: Float64Array, out: Float64Array): void {
  const rp = a.rowPtr, ci = a.colIndex, v = a.values;
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let k = rp[i]!, e = rp[i + 1]!; k < e; k++) s += v[k]! * x[ci[k]!]!;
    out[i] = s;
  }
}

/** out = Aᵀ x (out ≠ x), without forming Aᵀ. */
export function csrMulTranspose(a: CsrMatrix, x: Float64Array, out: Float64Array): void {
  const rp = a.rowPtr, ci = a.colIndex, v = a.values;
  out.fill(0);
  for (let i = 0; i < a.rows; i++) {
    const xi = x[i]!;
    for (let k = rp[i]!, e = rp[i + 1]!; k < e; k++) out[ci[k]!] = out[ci[k]!]! + v[k]! * xi;
  }
}

/** Aᵀ of a square matrix, in CSR form with sorted columns. */
export function csrTranspose(a: CsrMatrix): CsrMatrix {
  const n = a.rows, nnz = a.values.length;
  const rowPtr = new Int32Array(n + 1);
  for (let k = 0; k < nnz; k++) rowPtr[a.colIndex[k]! + 1]!++;
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i + 1]! + rowPtr[i]!;
  const next = rowPtr.slice(0, n), colIndex = new Int32Array(nnz), values = new Float64Array(nnz);
  for (let i = 0; i < n; i++) {
    for (let k = a.rowPtr[i]!; k < a.rowPtr[i + 1]!; k++) {
      const c = a.colIndex[k]!, dst = next[c]!++;
      colIndex[dst] = i;
      values[dst] = a.values[k]!;
    }
  }
  return { rows: n, cols: n, rowPtr, colIndex, values };
}

/** Position of the diagonal entry in each row (throws if a row has none). */
export function diagonalPositions(a: CsrMatrix): Int32Array {
  const d = new Int32Array(a.rows).fill(-1);
  for (let i = 0; i < a.rows; i++) {
    for (let k = a.rowPtr[i]!; k < a.rowPtr[i + 1]!; k++) if (a.colIndex[k] === i) d[i] = k;
    if (d[i]! < 0) throw new Error(`internal: row ${i} has no diagonal entry`);
  }
  return d;
}

/**
 * I − c·A with the pattern of A (which contains the diagonal).
 * @param diag diagonal positions of A ({@link diagonalPositions})
 */
export function shiftedIdentity(a: CsrMatrix, c: number, diag: Int32Array): CsrMatrix {
  const m = copyCsr(a);
  for (let k = 0; k < m.values.length; k++) m.values[k] = -c * m.values[k]!;
  for (let i = 0; i < m.rows; i++) m.values[diag[i]!] = m.values[diag[i]!]! + 1;
  return m;
}
