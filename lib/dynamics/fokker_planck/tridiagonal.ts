/**
 * Direct solver for (cyclic) tridiagonal systems, the 1-D Fokker–Planck matrices: a twisted
 * ("burn at both ends") LU factorisation with a Sherman–Morrison correction for the corners of a
 * periodic matrix. Depends on sparse.ts.
 *
 * @module
 */
import type { CsrMatrix, LinearSolver } from "./sparse.ts";

/** The bands of a cyclic tridiagonal matrix: lower a, diagonal b, upper c and the corners. */
interface Bands {
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  /** M[0][n−1]. */
  alpha: number;
  /** M[n−1][0]. */
  beta: number;
}

/** Reads the bands of a CSR matrix; throws if an entry lies off the (cyclic) tridiagonal. */
function readBands(mat: CsrMatrix): Bands {
  const n = mat.rows;
  const a = new Float64Array(n), b = new Float64Array(n), c = new Float64Array(n);
  let alpha = 0, beta = 0;
  for (let i = 0; i < n; i++) {
    for (let k = mat.rowPtr[i]!; k < mat.rowPtr[i + 1]!; k++) {
      const j = mat.colIndex[k]!, v = mat.values[k]!;
      if (j === i) b[i] = v;
      else if (j === i - 1) a[i] = v;
      else if (j === i + 1) c[i] = v;
      else if (i === 0 && j === n - 1) alpha = v;
      else if (i === n - 1 && j === 0) beta = v;
      else if (v !== 0) throw new Error(`internal: entry (${i}, ${j}) is not tridiagonal`);
    }
  }
  return { a, b, c, alpha, beta };
}

function pivot(den: number, row: number): number {
  if (!(Math.abs(den) > 0) || !Number.isFinite(den)) {
    throw new RangeError(`tridiagonal solve: zero or non-finite pivot ${den} at row ${row}`);
  }
  return 1 / den;
}

/**
 * Direct solver for a (cyclic) tridiagonal matrix: a twisted ("burn at both
 * ends") LU factorisation, eliminating from the top and from the bottom
 * towards the middle row in one loop, which halves the length of the
 * dependent chain of the Thomas algorithm (two independent chains run
 * interleaved); the corners of a periodic matrix are handled by a
 * Sherman–Morrison correction (the corners go into a rank-one term u vᵀ with
 * u = (γ, 0, …, 0, β), v = (1, 0, …, 0, α/γ), γ = −b_0). No pivoting: the
 * matrices here (I − cA, A with an absorbing side, grounded −A) are
 * diagonally dominant by columns or M-matrices, for which the elimination is
 * stable. Throws a RangeError on a zero or non-finite pivot.
 *
 * @example
 * ```ts
 * import { CsrBuilder } from "./sparse.ts";
 * import { TridiagonalSolver } from "./tridiagonal.ts";
 * const b = new CsrBuilder(3, 3); // [[2, −1, 0], [−1, 2, −1], [0, −1, 2]]
 * for (let i = 0; i < 3; i++) b.add(i, i, 2);
 * for (let i = 0; i < 2; i++) { b.add(i, i + 1, -1); b.add(i + 1, i, -1); }
 * const x = new Float64Array(3);
 * new TridiagonalSolver(b.toCsr()).solve(Float64Array.of(1, 0, 1), x);
 * if (x.some((v) => Math.abs(v - 1) > 1e-15)) throw new Error("solve");
 * ```
 */
export class TridiagonalSolver implements LinearSolver {
  readonly #n: number;
  readonly #m: number;
  /** Top part (rows < m): x_i = dTop_i − up_i x_{i+1}, dTop_i = (d_i − lo_i dTop_{i−1}) inv_i. */
  readonly #loInv: Float64Array;
  readonly #inv: Float64Array;
  readonly #up: Float64Array;
  /** Bottom part (rows > m): x_i = dBot_i − down_i x_{i−1}. */
  readonly #hiInv: Float64Array;
  readonly #down: Float64Array;
  readonly #lowerM: number;
  readonly #upperM: number;
  readonly #invM: number;
  readonly #dTop: Float64Array;
  readonly #dBot: Float64Array;
  readonly #z: Float64Array | null;
  readonly #ratio: number;
  readonly #denominator: number;

  /** @param mat a square matrix whose entries lie on the cyclic tridiagonal */
  constructor(mat: CsrMatrix) {
    const n = mat.rows;
    this.#n = n;
    const { a, b, c, alpha, beta } = readBands(mat);
    const cyclic = alpha !== 0 || beta !== 0;
    let gamma = 0;
    if (cyclic) {
      gamma = -b[0]!;
      b[0] = b[0]! - gamma;
      b[n - 1] = b[n - 1]! - (alpha * beta) / gamma;
    }
    const m = n >> 1;
    this.#m = m;
    this.#inv = new Float64Array(n);
    this.#loInv = new Float64Array(n);
    this.#up = new Float64Array(n);
    this.#hiInv = new Float64Array(n);
    this.#down = new Float64Array(n);
    // top: rows 0..m−1 eliminate downwards
    for (let i = 0; i < m; i++) {
      const inv = pivot(b[i]! - (i > 0 ? a[i]! * this.#up[i - 1]! : 0), i);
      this.#inv[i] = inv;
      this.#loInv[i] = a[i]! * inv;
      this.#up[i] = c[i]! * inv;
    }
    // bottom: rows n−1..m+1 eliminate upwards
    for (let i = n - 1; i > m; i--) {
      const inv = pivot(b[i]! - (i < n - 1 ? c[i]! * this.#down[i + 1]! : 0), i);
      this.#inv[i] = inv;
      this.#hiInv[i] = c[i]! * inv;
      this.#down[i] = a[i]! * inv;
    }
    this.#lowerM = a[m]!;
    this.#upperM = c[m]!;
    this.#invM = pivot(
      b[m]! - (m > 0 ? a[m]! * this.#up[m - 1]! : 0) -
        (m < n - 1 ? c[m]! * this.#down[m + 1]! : 0),
      m,
    );
    this.#dTop = new Float64Array(n);
    this.#dBot = new Float64Array(n);
    if (cyclic) {
      const u = new Float64Array(n);
      u[0] = gamma;
      u[n - 1] = beta;
      const z = new Float64Array(n);
      this.#twisted(u, z);
      this.#z = z;
      this.#ratio = alpha / gamma;
      this.#denominator = 1 + z[0]! + this.#ratio * z[n - 1]!;
    } else {
      this.#z = null;
      this.#ratio = 0;
      this.#denominator = 1;
    }
  }

  /** Solves the (non-cyclic part of the) system T x = d with the twisted factors. */
  #twisted(d: Float64Array, x: Float64Array): void {
    const n = this.#n, m = this.#m, inv = this.#inv, loInv = this.#loInv, up = this.#up;
    const hiInv = this.#hiInv, down = this.#down, t = this.#dTop, bt = this.#dBot;
    // forward from both ends: t_i = d_i inv_i − loInv_i t_{i−1}, bt_j = d_j inv_j − hiInv_j bt_{j+1}
    let top = 0, bot = 0;
    const half = Math.min(m, n - 1 - m);
    for (let k = 0; k < half; k++) {
      const j = n - 1 - k;
      top = d[k]! * inv[k]! - loInv[k]! * top;
      bot = d[j]! * inv[j]! - hiInv[j]! * bot;
      t[k] = top;
      bt[j] = bot;
    }
    for (let k = half; k < m; k++) {
      top = d[k]! * inv[k]! - loInv[k]! * top;
      t[k] = top;
    }
    // middle row
    const xm = (d[m]! - (m > 0 ? this.#lowerM * top : 0) - (m < n - 1 ? this.#upperM * bot : 0)) *
      this.#invM;
    x[m] = xm;
    // back-substitution outwards from the middle
    let xu = xm, xd = xm;
    const lenUp = m, lenDown = n - 1 - m, both = Math.min(lenUp, lenDown);
    for (let k = 1; k <= both; k++) {
      const i = m - k, j = m + k;
      xu = t[i]! - up[i]! * xu;
      xd = bt[j]! - down[j]! * xd;
      x[i] = xu;
      x[j] = xd;
    }
    for (let k = both + 1; k <= lenUp; k++) {
      const i = m - k;
      xu = t[i]! - up[i]! * xu;
      x[i] = xu;
    }
    for (let k = both + 1; k <= lenDown; k++) {
      const j = m + k;
      xd = bt[j]! - down[j]! * xd;
      x[j] = xd;
    }
  }

  /** Solves M out = rhs (the initial content of `out` is ignored). */
  solve(rhs: Float64Array, out: Float64Array): void {
    this.#twisted(rhs, out);
    const z = this.#z;
    if (z !== null) {
      const n = this.#n;
      const f = (out[0]! + this.#ratio * out[n - 1]!) / this.#denominator;
      for (let i = 0; i < n; i++) out[i] = out[i]! - f * z[i]!;
    }
  }
}
