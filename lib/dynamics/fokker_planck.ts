/**
 * Fokker–Planck equation of an Itô SDE on a uniform cell-centred grid, in one
 * and two dimensions: the density picture of SGD (Eq. 6–8 of the post), and
 * the engine of the escape-time estimators.
 *
 * ## Equation and convention
 *
 * For the Itô SDE dX = b(X) dt + σ(X) dB with diffusion tensor D = ½ σσᵀ
 * (for SGD, b = −∇L and D = (η/2) C ≈ ηH/(2S), see ERRATA Eq. 6), the
 * density obeys (Itô convention: D stays inside both derivatives)
 *
 *   ∂p/∂t = −∇·(b p) + Σ_ij ∂_i ∂_j (D_ij p) = −∇·J,
 *   J_i = b_i p − Σ_j ∂_j (D_ij p)                     (probability current).
 *
 * Derivation: for a test function f, Itô's formula gives
 * d E f(X) = E[b·∇f + Σ_ij D_ij ∂_i∂_j f] dt; integrating by parts once for the
 * drift term and twice for the diffusion term moves the derivatives onto p.
 * With b = −∇L this is Eq. 8 of the post, ∂p/∂t = ∇·(p∇L) + ∇·∇·(D p).
 * (A Stratonovich SDE would add the drift ½ Σ_jk σ_kj ∂_k σ_ij.)
 *
 * ## Discretisation (conservative finite volumes)
 *
 * Cells of width h (h_x, h_y) carry cell averages p_i; the scheme is
 * dp_i/dt = −(1/|cell|) Σ_faces J·n |face|, so mass changes only through the
 * boundary. The normal flux on a face is exponentially fitted
 * (Scharfetter & Gummel 1969): writing u = D_nn p (D at the cell centres) and
 * v = b_n / D_nn (at the face), J_n = v u − ∂_n u is integrated exactly for
 * constant v across the face,
 *
 *   J_{i+½} = (1/h) [B(−z) u_i − B(z) u_{i+1}],  z = v h,  B(z) = z/(eᶻ − 1),
 *
 * which is second order (B(±z) = 1 ∓ z/2 + z²/12 + …: central differences
 * plus an O(h²) artificial diffusion), keeps every off-diagonal coefficient
 * positive for any cell Péclet number Pe = |b| h / D (an M-matrix, so backward
 * Euler keeps p ≥ 0), and, in 1-D, has the discrete stationary state
 * u_{i+1}/u_i = e^{z_{i+½}}, i.e. the exact p ∝ (1/D) exp(∫ b/D) with the
 * integral taken by the midpoint rule.
 *
 * Cross diffusion in 2-D. Σ_ij ∂_i∂_j(D_ij p) is linear in D, so D is split
 * into lattice directions (cf. Weickert's non-negative stencils for
 * anisotropic diffusion):
 *
 *   D = a_x e_x e_xᵀ + a_y e_y e_yᵀ + a_d d dᵀ + D_r (e_x e_yᵀ + e_y e_xᵀ),
 *
 * with d = (h_x, ±h_y) the cell diagonal of the sign of D_xy,
 * a_d = min(|D_xy|, D_xx h_y/h_x, D_yy h_x/h_y)/(h_x h_y),
 * a_x = D_xx − a_d h_x², a_y = D_yy − a_d h_y² (both ≥ 0) and the remainder
 * D_r = D_xy ∓ a_d h_x h_y (zero whenever |D_xy| ≤ min(D_xx h_y/h_x,
 * D_yy h_x/h_y)). The axial parts get the fitted fluxes above with a_x, a_y in
 * place of D_xx, D_yy; the diagonal part is the second difference
 * (d·∇)²(a_d p) ≈ u(c + d) − 2u(c) + u(c − d) with u = a_d p, a transfer
 * between diagonal neighbours with positive coefficients (reported as face
 * currents by routing half of it along each of the two L-shaped paths); the
 * remainder uses w = D_r p and the sign-dependent 7-point stencil in flux
 * form: on the x-face between (i, j) and (i+1, j),
 * ∂_y w ≈ ½[(w_{i+1,j+1} − w_{i+1,j}) + (w_{i,j} − w_{i,j−1})]/h_y for D_r ≥ 0
 * (½(δ⁺_xδ⁺_y + δ⁻_xδ⁻_y)) and ½[(w_{i+1,j} − w_{i+1,j−1}) + (w_{i,j+1} −
 * w_{i,j})]/h_y for D_r < 0 (x and y swapped on y-faces). All parts are
 * second order and conservative, and with D_r = 0 the matrix is an M-matrix
 * (checked: `monotone`). The price is accuracy: fitting against the smaller
 * a_x, a_y adds more O(h²) error; `crossDiffusion: "central"` puts all of
 * D_xy in the 7-point stencil instead (about 4× smaller error in the
 * anisotropic OU test, but negative coefficients on coarse grids where the
 * drift is strong). Across a wall, diagonal partners and tangential
 * neighbours are mirrored (reflecting; the mirrored tensor has D_xy of the
 * opposite sign), mirrored and negated (absorbing: p = 0 on the wall) or
 * wrapped (periodic). Every step's positivity is checked either way.
 *
 * Boundaries per side: reflecting (J·n = 0), absorbing (p = 0 on the wall,
 * fitted flux over the half cell, z = v h/2, and no remainder cross flux since
 * p ≡ 0 along the wall), periodic (both sides of an axis; the wrapped face uses b
 * and D at the lower end). Drift and diffusion are evaluated once, at cell
 * centres (D) and face centres (b, D).
 *
 * ## Time stepping and solvers
 *
 * The semi-discrete system is dp/dt = A p with A the assembled generator
 * (CSR via {@link FokkerPlanck1D.generator}). Schemes: backward Euler (first
 * order; keeps p ≥ 0 whenever A is an M-matrix, see `monotone`; the
 * default), TR-BDF2 (Bank et al. 1985, "Transient simulation of silicon
 * devices and circuits", IEEE TCAD 4; second order, L-stable, one
 * factorisation for both stages, γ = 2 − √2; recommended for accuracy on
 * smooth data) and Crank–Nicolson (second order but only A-stable: it rings
 * on non-smooth data). Second-order schemes are not positivity preserving:
 * steep initial data can make them undershoot, which the check below
 * reports. 1-D systems are solved directly by a twisted Thomas algorithm
 * (Sherman–Morrison for periodic), factorised once per step size; 2-D systems
 * by BiCGSTAB (van der Vorst 1992) preconditioned by relaxed MILU(0),
 * factorised once per step size and warm-started from an extrapolation of the
 * previous steps (relative residual `tolerance`, default 1e-8). After every
 * solve the solution is rescaled so that the discrete mass balance
 * 1ᵀ(I − cA)x = 1ᵀb holds to round-off, and explicit parts are evaluated in
 * flux form: mass (plus outflow) is conserved to ~1e-13 over 10⁴ steps.
 *
 * Every step is checked: a non-finite density, or one below −`negativeTolerance`
 * × max p, throws a RangeError naming the step, time and place (the state is
 * left at the previous step).
 *
 * The adjoint: with cell volume V, d/dt Σ_i V f_i p_i = V fᵀ A p, so Aᵀ acts on
 * functions as the backward (Kolmogorov) generator; the mean first passage
 * time to the absorbing sides solves Aᵀ τ = −1
 * ({@link FokkerPlanck1D.solveGenerator} with `transpose: true`).
 *
 * @module
 */

/** Boundary condition of one side. */
export type Boundary = "reflecting" | "absorbing" | "periodic";

/** Time-stepping scheme. */
export type TimeScheme = "backward-euler" | "tr-bdf2" | "crank-nicolson";

/** A sparse matrix in compressed sparse row form (column indices sorted within a row). */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row r occupies entries rowPtr[r] .. rowPtr[r + 1] − 1. */
  readonly rowPtr: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

/** Result of {@link FokkerPlanck1D.quasiStationary}. */
export interface QuasiStationary {
  /** The quasi-stationary density (unit mass): the principal mode of A with absorbing sides. */
  density: Float64Array;
  /** The escape rate λ (A q = −λ q); 1/λ is the mean exit time from the quasi-stationary law. */
  rate: number;
  /** Flux over population: total outflow rate of `density` divided by its mass (equals `rate` at convergence). */
  fluxOverPopulation: number;
  /** Inverse-iteration steps used. */
  iterations: number;
}

/** Largest cell Péclet number |b_n| h / D_nn over the faces and where it occurs. */
export interface PecletReport {
  max: number;
  /** Coordinates of the face centre. */
  at: number[];
}

// ---------------------------------------------------------------------------
// sparse linear algebra (internal)

/** Accumulates entries row by row (at most `width` distinct columns per row), then compresses. */
class CsrBuilder {
  readonly n: number;
  readonly width: number;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
  readonly counts: Int32Array;

  constructor(n: number, width: number) {
    this.n = n;
    this.width = width;
    this.cols = new Int32Array(n * width);
    this.vals = new Float64Array(n * width);
    this.counts = new Int32Array(n);
    for (let i = 0; i < n; i++) this.add(i, i, 0); // diagonal always present
  }

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

function copyCsr(a: CsrMatrix): CsrMatrix {
  return {
    rows: a.rows,
    cols: a.cols,
    rowPtr: a.rowPtr.slice(),
    colIndex: a.colIndex.slice(),
    values: a.values.slice(),
  };
}

/** out = A x (out ≠ x). */
function csrMul(a: CsrMatrix, x: Float64Array, out: Float64Array): void {
  const rp = a.rowPtr, ci = a.colIndex, v = a.values;
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let k = rp[i]!, e = rp[i + 1]!; k < e; k++) s += v[k]! * x[ci[k]!]!;
    out[i] = s;
  }
}

/** out = Aᵀ x (out ≠ x). */
function csrMulTranspose(a: CsrMatrix, x: Float64Array, out: Float64Array): void {
  const rp = a.rowPtr, ci = a.colIndex, v = a.values;
  out.fill(0);
  for (let i = 0; i < a.rows; i++) {
    const xi = x[i]!;
    for (let k = rp[i]!, e = rp[i + 1]!; k < e; k++) out[ci[k]!] = out[ci[k]!]! + v[k]! * xi;
  }
}

function csrTranspose(a: CsrMatrix): CsrMatrix {
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

/** Position of the diagonal entry in each row (throws if absent). */
function diagonalPositions(a: CsrMatrix): Int32Array {
  const d = new Int32Array(a.rows).fill(-1);
  for (let i = 0; i < a.rows; i++) {
    for (let k = a.rowPtr[i]!; k < a.rowPtr[i + 1]!; k++) if (a.colIndex[k] === i) d[i] = k;
    if (d[i]! < 0) throw new Error(`internal: row ${i} has no diagonal entry`);
  }
  return d;
}

/** I − c·A with the pattern of A (which contains the diagonal). */
function shiftedIdentity(a: CsrMatrix, c: number, diag: Int32Array): CsrMatrix {
  const m = copyCsr(a);
  for (let k = 0; k < m.values.length; k++) m.values[k] = -c * m.values[k]!;
  for (let i = 0; i < m.rows; i++) m.values[diag[i]!] = m.values[diag[i]!]! + 1;
  return m;
}

/** A linear solver for one fixed matrix; `out` holds the initial guess on entry. */
interface LinearSolver {
  solve(rhs: Float64Array, out: Float64Array): void;
}

/**
 * Direct solver for a (cyclic) tridiagonal matrix: a twisted ("burn at both
 * ends") LU factorisation, eliminating from the top and from the bottom
 * towards the middle row in one loop, which halves the length of the
 * dependent chain of the Thomas algorithm (two independent chains run
 * interleaved); the corners of a periodic matrix are handled by a
 * Sherman–Morrison correction. No pivoting: the matrices here (I − cA, A with
 * an absorbing side, grounded −A) are diagonally dominant by columns or
 * M-matrices, for which the elimination is stable.
 */
class TridiagonalSolver implements LinearSolver {
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

  constructor(mat: CsrMatrix) {
    const n = mat.rows;
    this.#n = n;
    const a = new Float64Array(n), b = new Float64Array(n), c = new Float64Array(n);
    let alpha = 0, beta = 0; // M[0][n−1], M[n−1][0]
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
    const cyclic = alpha !== 0 || beta !== 0;
    let gamma = 0;
    if (cyclic) {
      gamma = -b[0]!;
      b[0] = b[0]! - gamma;
      b[n - 1] = b[n - 1]! - (alpha * beta) / gamma;
    }
    const pivot = (den: number, row: number) => {
      if (!(Math.abs(den) > 0) || !Number.isFinite(den)) {
        throw new RangeError(`tridiagonal solve: zero or non-finite pivot ${den} at row ${row}`);
      }
      return 1 / den;
    };
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

/** y = M x for a fixed matrix M. */
interface Operator {
  readonly n: number;
  mul(x: Float64Array, out: Float64Array): void;
}

/**
 * A matrix on an n_x × n_y grid (row index j·n_x + i) with at most the 3×3
 * neighbourhood per row: interior rows are stored as 9 stencil coefficients
 * (offsets −n_x−1, −n_x, −n_x+1, −1, 0, 1, n_x−1, n_x, n_x+1) and multiplied
 * without index loads; perimeter rows (where periodic wrap-around can put
 * entries anywhere) keep the CSR form.
 */
class GridMatrix implements Operator {
  readonly n: number;
  readonly nx: number;
  readonly ny: number;
  readonly csr: CsrMatrix;
  /** Interior rows: coef[9 r + s] for offset s. */
  readonly coef: Float64Array;
  /** Extra rank-one term u 1ᵀ (null: none). */
  readonly u: Float64Array | null;

  constructor(csr: CsrMatrix, nx: number, ny: number, u: Float64Array | null = null) {
    this.n = csr.rows;
    this.nx = nx;
    this.ny = ny;
    this.csr = csr;
    this.u = u;
    this.coef = stencilCoefficients(csr, nx, ny);
  }

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

/** Stencil coefficients of the interior rows of a grid matrix (9 per row). */
function stencilCoefficients(csr: CsrMatrix, nx: number, ny: number): Float64Array {
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

/**
 * Relaxed modified incomplete LU with zero fill-in, MILU(0) (Saad, "Iterative
 * Methods for Sparse Linear Systems", 2nd ed., Alg. 10.4 and §10.3.5): the
 * fill-in that ILU(0) drops is added to the diagonal with weight ω = 0.95,
 * which roughly halves the BiCGSTAB iterations on these diffusion matrices
 * (ω = 1 can make near-singular pivots; ω = 0 is plain ILU(0), the fallback).
 * The triangular solves use the stencil layout of {@link GridMatrix}.
 */
class GridIlu0 {
  readonly #f: GridMatrix;
  readonly #diag: Int32Array;
  readonly #invDiag: Float64Array;

  static create(a: CsrMatrix, nx: number, ny: number): GridIlu0 {
    try {
      return new GridIlu0(a, nx, ny, 0.95);
    } catch {
      return new GridIlu0(a, nx, ny, 0);
    }
  }

  constructor(a: CsrMatrix, nx: number, ny: number, omega: number) {
    const n = a.rows, rp = a.rowPtr, ci = a.colIndex, val = a.values.slice();
    const diag = diagonalPositions(a);
    const marker = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      for (let k = rp[i]!; k < rp[i + 1]!; k++) marker[ci[k]!] = k;
      for (let kk = rp[i]!; kk < diag[i]!; kk++) {
        const k = ci[kk]!;
        const lik = val[kk]! / val[diag[k]!]!;
        val[kk] = lik;
        for (let jj = diag[k]! + 1; jj < rp[k + 1]!; jj++) {
          const pos = marker[ci[jj]!]!;
          if (pos >= 0) val[pos] = val[pos]! - lik * val[jj]!;
          else if (omega !== 0) {
            // modified ILU: the dropped fill-in goes to the diagonal
            val[diag[i]!] = val[diag[i]!]! - omega * lik * val[jj]!;
          }
        }
      }
      for (let k = rp[i]!; k < rp[i + 1]!; k++) marker[ci[k]!] = -1;
      const piv = val[diag[i]!]!, orig = a.values[diag[i]!]!;
      if (
        !Number.isFinite(piv) || !(Math.abs(piv) > 1e-12 * Math.abs(orig)) ||
        (omega !== 0 && piv * orig <= 0)
      ) {
        throw new RangeError(`ILU(0): zero or non-finite pivot ${piv} at row ${i}`);
      }
    }
    this.#f = new GridMatrix({ rows: n, cols: n, rowPtr: rp, colIndex: ci, values: val }, nx, ny);
    this.#diag = diag;
    this.#invDiag = new Float64Array(n);
    for (let i = 0; i < n; i++) this.#invDiag[i] = 1 / val[diag[i]!]!;
  }

  /** out = (LU)⁻¹ r. */
  apply(r: Float64Array, out: Float64Array): void {
    const f = this.#f, nx = f.nx, ny = f.ny, c = f.coef, d = this.#diag, inv = this.#invDiag;
    const { rowPtr: rp, colIndex: ci, values: v } = f.csr;
    // forward: L y = r (unit lower), row by row
    for (let j = 0; j < ny; j++) {
      const base = j * nx, last = base + nx - 1;
      if (j === 0 || j === ny - 1) {
        for (let q = base; q <= last; q++) {
          let s = r[q]!;
          for (let k = rp[q]!, ke = d[q]!; k < ke; k++) s -= v[k]! * out[ci[k]!]!;
          out[q] = s;
        }
        continue;
      }
      let s = r[base]!;
      for (let k = rp[base]!, ke = d[base]!; k < ke; k++) s -= v[k]! * out[ci[k]!]!;
      out[base] = s;
      let left = s;
      for (let q = base + 1; q < last; q++) {
        const o = 9 * q;
        left = r[q]! - c[o]! * out[q - nx - 1]! - c[o + 1]! * out[q - nx]! -
          c[o + 2]! * out[q - nx + 1]! - c[o + 3]! * left;
        out[q] = left;
      }
      s = r[last]!;
      for (let k = rp[last]!, ke = d[last]!; k < ke; k++) s -= v[k]! * out[ci[k]!]!;
      out[last] = s;
    }
    // backward: U x = y
    for (let j = ny - 1; j >= 0; j--) {
      const base = j * nx, last = base + nx - 1;
      if (j === 0 || j === ny - 1) {
        for (let q = last; q >= base; q--) {
          let s = out[q]!;
          for (let k = d[q]! + 1, ke = rp[q + 1]!; k < ke; k++) s -= v[k]! * out[ci[k]!]!;
          out[q] = s * inv[q]!;
        }
        continue;
      }
      let s = out[last]!;
      for (let k = d[last]! + 1, ke = rp[last + 1]!; k < ke; k++) s -= v[k]! * out[ci[k]!]!;
      out[last] = s * inv[last]!;
      let right = out[last]!;
      for (let q = last - 1; q > base; q--) {
        const o = 9 * q;
        right = (out[q]! - c[o + 5]! * right - c[o + 6]! * out[q + nx - 1]! -
          c[o + 7]! * out[q + nx]! - c[o + 8]! * out[q + nx + 1]!) * inv[q]!;
        out[q] = right;
      }
      s = out[base]!;
      for (let k = d[base]! + 1, ke = rp[base + 1]!; k < ke; k++) s -= v[k]! * out[ci[k]!]!;
      out[base] = s * inv[base]!;
    }
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * BiCGSTAB (van der Vorst 1992, "Bi-CGSTAB: a fast and smoothly converging
 * variant of Bi-CG", SIAM J. Sci. Stat. Comput. 13), right-preconditioned, with
 * fused vector updates; buffers reused across solves.
 */
class BicgstabSolver implements LinearSolver {
  readonly #a: Operator;
  readonly #pre: GridIlu0;
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

  constructor(
    a: Operator,
    preconditioner: GridIlu0,
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

  solve(b: Float64Array, x: Float64Array): void {
    const n = b.length, a = this.#a, pre = this.#pre;
    const r = this.#r, r0 = this.#r0, p = this.#p, v = this.#v;
    const ph = this.#ph, s = this.#s, sh = this.#sh, t = this.#t;
    const bnorm = Math.sqrt(dot(b, b));
    if (bnorm === 0) {
      x.fill(0);
      this.iterations = 0;
      return;
    }
    const target2 = (this.#tol * bnorm) ** 2;
    let total = 0;
    for (let restart = 0; restart < 3 && total < this.#maxIter; restart++) {
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
      if (rr <= target2) break;
      let rho = 1, alpha = 1, omega = 1, rho1 = rr;
      let converged = false;
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
          converged = true;
          break;
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
        if (rr <= target2) {
          converged = true;
          break;
        }
        if (omega === 0) break;
      }
      if (converged) break;
    }
    // confirm with the true residual
    a.mul(x, r);
    let res = 0;
    for (let i = 0; i < n; i++) res += (b[i]! - r[i]!) ** 2;
    this.iterations = total;
    if (!(res <= 100 * target2)) {
      throw new Error(
        `BiCGSTAB did not converge in ${total} iterations: relative residual ${
          Math.sqrt(res) / bnorm
        } > tolerance ${this.#tol}`,
      );
    }
  }
}

/** B(z) = z / (eᶻ − 1), the Bernoulli function of the Scharfetter–Gummel flux (B(0) = 1). */
function bernoulli(z: number): number {
  if (Math.abs(z) < 1e-3) return 1 - z / 2 + (z * z) / 12 - (z * z * z * z) / 720;
  return z / Math.expm1(z);
}

const TR_GAMMA = 2 - Math.SQRT2;

function checkStep(dt: number): void {
  if (typeof dt !== "number" || !Number.isFinite(dt) || !(dt > 0)) {
    throw new RangeError(`dt must be a finite number > 0, got ${dt}`);
  }
}

function checkScheme(scheme: string): TimeScheme {
  if (scheme !== "backward-euler" && scheme !== "tr-bdf2" && scheme !== "crank-nicolson") {
    throw new RangeError(
      `scheme must be "backward-euler", "tr-bdf2" or "crank-nicolson", got ${
        JSON.stringify(scheme)
      }`,
    );
  }
  return scheme;
}

function checkBoundary(name: string, b: string): Boundary {
  if (b !== "reflecting" && b !== "absorbing" && b !== "periodic") {
    throw new RangeError(
      `${name} must be "reflecting", "absorbing" or "periodic", got ${JSON.stringify(b)}`,
    );
  }
  return b;
}

function checkCells(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 3) {
    throw new RangeError(`${name} must be an integer >= 3, got ${n}`);
  }
}

function checkInterval(name: string, d: readonly [number, number]): void {
  if (
    !Array.isArray(d) || d.length !== 2 || !Number.isFinite(d[0]) || !Number.isFinite(d[1]) ||
    !(d[0] < d[1])
  ) {
    throw new RangeError(`${name} must be [lower, upper] with finite lower < upper, got ${d}`);
  }
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

/** Face stencils: the normal flux on face f is Σ_k coef[f·S + k] · p[cell[f·S + k]]. */
interface FaceStencils {
  count: number;
  slots: number;
  cell: Int32Array;
  coef: Float64Array;
  /** Cell on the negative side of the face (−1 at a lower wall). */
  minus: Int32Array;
  /** Cell on the positive side of the face (−1 at an upper wall). */
  plus: Int32Array;
  /** 1 / (cell width normal to the face). */
  invWidth: Float64Array;
  /** Side index whose outflow this face carries (−1 for interior or periodic faces). */
  side: Int32Array;
  /** Face area (1 in 1-D, h_y for x-faces, h_x for y-faces). */
  area: Float64Array;
}

/** Adds the face fluxes of `faces` to a builder: dp_minus/dt −= J/h, dp_plus/dt += J/h. */
function addFaceFluxes(b: CsrBuilder, faces: FaceStencils): void {
  const { slots, cell, coef, minus, plus, invWidth } = faces;
  for (let f = 0; f < faces.count; f++) {
    const m = minus[f]!, p = plus[f]!, iw = invWidth[f]!;
    for (let k = 0; k < slots; k++) {
      const c = coef[f * slots + k]!;
      if (c === 0) continue;
      const j = cell[f * slots + k]!;
      if (m >= 0) b.add(m, j, -c * iw);
      if (p >= 0) b.add(p, j, c * iw);
    }
  }
}

/** Adds `coef · p[cell]` to the flux of face f, merging repeated cells into one slot. */
function addToFace(fs: FaceStencils, f: number, cell: number, coef: number): void {
  const S = fs.slots, base = f * S;
  for (let k = 0; k < S; k++) {
    if (fs.coef[base + k] !== 0 && fs.cell[base + k] === cell) {
      fs.coef[base + k] = fs.coef[base + k]! + coef;
      return;
    }
  }
  for (let k = 0; k < S; k++) {
    if (fs.coef[base + k] === 0) {
      fs.cell[base + k] = cell;
      fs.coef[base + k] = coef;
      return;
    }
  }
  throw new Error(`internal: face ${f} has more than ${S} cells`);
}

/** Options shared by {@link FokkerPlanck1D} and {@link FokkerPlanck2D}. */
export interface GridOptions {
  /** Time-stepping scheme (default "backward-euler"). */
  scheme?: TimeScheme;
  /**
   * Largest cell Péclet number |b_n| h / D_nn allowed on any face (default 10):
   * beyond it the density varies by more than e^10 between neighbouring cells
   * and the grid cannot resolve it. Pass Infinity to skip the check.
   */
  maxPeclet?: number;
  /**
   * A step is rejected when some p_i < −negativeTolerance · max p
   * (default 1e-5): round-off, the Krylov tolerance and, in 2-D with cross
   * diffusion at high cell Péclet numbers, the non-monotone cross stencil
   * leave tiny negative values where p ≈ 0; real instabilities (a time step
   * too long for Crank–Nicolson, say) are far larger.
   */
  negativeTolerance?: number;
  /** Normalise the initial density to unit mass (default true). */
  normalize?: boolean;
}

/** Shared engine: assembly from face stencils, time stepping, checks, steady and quasi-stationary states. */
abstract class GridFokkerPlanck {
  /** Number of cells. */
  readonly size: number;
  /** Cell volume (h in 1-D, h_x h_y in 2-D). */
  readonly cellVolume: number;
  /** Scheme used by {@link step}. */
  scheme: TimeScheme;
  /** Largest cell Péclet number on the grid. */
  readonly peclet: PecletReport;
  /**
   * Whether every off-diagonal entry of A is ≥ 0 (A is then an M-matrix and
   * backward Euler keeps p ≥ 0 for any dt). Always true in 1-D; in 2-D the
   * cross-diffusion stencil can break it where |D_xy| exceeds the fitted
   * axial coefficients (strong drift, coarse cells).
   */
  readonly monotone: boolean;
  /** Time reached. */
  time = 0;
  /** Steps taken. */
  steps = 0;
  readonly #density: Float64Array;
  readonly #prev: Float64Array;
  #hasPrev = false;
  #prevDt = 0;
  readonly #next: Float64Array;
  readonly #star: Float64Array;
  readonly #rhs: Float64Array;
  readonly #work: Float64Array;
  readonly #faces: FaceStencils;
  /** Faces on absorbing walls (the only ones with outflow). */
  readonly #wallFaces: Int32Array;
  readonly #a: CsrMatrix;
  readonly #diag: Int32Array;
  readonly #sideNames: readonly string[];
  readonly #sideAbsorbing: readonly boolean[];
  readonly #outflow: Float64Array;
  readonly #increment: Float64Array;
  /** Σ over sides of the outflow coefficient of each cell, divided by the cell volume. */
  readonly #cellOutflow: Float64Array;
  readonly #negTol: number;
  readonly #solvers = new Map<number, LinearSolver>();
  #generatorSolver: LinearSolver | null = null;
  #adjointSolver: LinearSolver | null = null;

  protected constructor(
    size: number,
    cellVolume: number,
    faces: FaceStencils,
    generator: CsrMatrix,
    sideNames: readonly string[],
    sideBoundaries: readonly Boundary[],
    peclet: PecletReport,
    options: GridOptions,
  ) {
    this.size = size;
    this.cellVolume = cellVolume;
    this.scheme = checkScheme(options.scheme ?? "backward-euler");
    const negTol = options.negativeTolerance ?? 1e-5;
    if (!Number.isFinite(negTol) || negTol < 0) {
      throw new RangeError(`negativeTolerance must be a finite number >= 0, got ${negTol}`);
    }
    this.#negTol = negTol;
    const maxPe = options.maxPeclet ?? 10;
    if (typeof maxPe !== "number" || Number.isNaN(maxPe) || !(maxPe > 0)) {
      throw new RangeError(`maxPeclet must be a number > 0, got ${maxPe}`);
    }
    if (peclet.max > maxPe) {
      throw new RangeError(
        `grid too coarse for the drift: cell Péclet number |b|h/D = ${fmt(peclet.max)} at (${
          peclet.at.map(fmt).join(", ")
        }) exceeds maxPeclet = ${maxPe}; ` +
          `use more cells (or raise maxPeclet)`,
      );
    }
    this.peclet = peclet;
    this.#faces = faces;
    this.#wallFaces = Int32Array.from(
      Array.from({ length: faces.count }, (_, f) => f).filter((f) => faces.side[f]! >= 0),
    );
    this.#sideNames = sideNames;
    this.#sideAbsorbing = sideBoundaries.map((b) => b === "absorbing");
    this.#density = new Float64Array(size);
    this.#prev = new Float64Array(size);
    this.#next = new Float64Array(size);
    this.#star = new Float64Array(size);
    this.#rhs = new Float64Array(size);
    this.#work = new Float64Array(size);
    this.#outflow = new Float64Array(sideNames.length);
    this.#increment = new Float64Array(sideNames.length);
    this.#a = generator;
    this.#diag = diagonalPositions(this.#a);
    let monotone = true;
    for (let i = 0; i < size && monotone; i++) {
      for (let e = this.#a.rowPtr[i]!; e < this.#a.rowPtr[i + 1]!; e++) {
        const v = this.#a.values[e]!;
        if (this.#a.colIndex[e] !== i && v < -1e-12 * Math.abs(this.#a.values[this.#diag[i]!]!)) {
          monotone = false;
          break;
        }
      }
    }
    this.monotone = monotone;
    this.#cellOutflow = new Float64Array(size);
    const { slots, cell, coef, minus } = faces;
    for (let f = 0; f < faces.count; f++) {
      const s = faces.side[f]!;
      if (s < 0) continue;
      const sign = minus[f]! < 0 ? -1 : 1; // outward normal
      for (let k = 0; k < slots; k++) {
        const j = cell[f * slots + k]!;
        this.#cellOutflow[j] = this.#cellOutflow[j]! +
          (sign * coef[f * slots + k]! * faces.area[f]!) / cellVolume;
      }
    }
  }

  /** Describes cell i for error messages, e.g. "x = 0.5". */
  protected abstract describeCell(i: number): string;
  /** Whether the step solver is direct (then initial guesses are not needed). */
  protected abstract get directSolves(): boolean;
  /** Builds a solver for a matrix of this grid's structure. */
  protected abstract makeSolver(m: CsrMatrix, purpose: "step" | "other"): LinearSolver;
  /**
   * Solves A x = 0 for a problem without absorbing sides into x (which holds
   * the current density on entry); any positive scaling.
   */
  protected abstract stationarySolve(a: CsrMatrix, x: Float64Array): void;

  /** The current density (cell averages). The same array object throughout; copy it to keep a snapshot. */
  get density(): Float64Array {
    return this.#density;
  }

  /**
   * Replaces the density (length {@link size}, finite, ≥ 0, positive mass) and
   * resets time, steps and the outflow counters.
   * @param values the new cell values
   * @param normalize rescale to unit mass (default true)
   */
  setDensity(values: ArrayLike<number>, normalize = true): void {
    if (values.length !== this.size) {
      throw new RangeError(`density must have length ${this.size}, got ${values.length}`);
    }
    let s = 0;
    for (let i = 0; i < this.size; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v) || v < 0) {
        throw new RangeError(
          `density must be finite and >= 0, got ${v} at cell ${i} (${this.describeCell(i)})`,
        );
      }
      s += v;
    }
    if (!(s > 0)) {
      throw new RangeError(`density must have positive mass, got ${s * this.cellVolume}`);
    }
    const scale = normalize ? 1 / (s * this.cellVolume) : 1;
    for (let i = 0; i < this.size; i++) this.#density[i] = values[i]! * scale;
    this.time = 0;
    this.steps = 0;
    this.#hasPrev = false;
    this.#outflow.fill(0);
  }

  /** Total mass V Σ_i p_i. */
  mass(): number {
    let s = 0;
    const p = this.#density;
    for (let i = 0; i < p.length; i++) s += p[i]!;
    return s * this.cellVolume;
  }

  /**
   * Cumulative probability that has left through each side since the last
   * {@link setDensity}, integrated with the time scheme's own quadrature, so
   * that mass() + total equals the initial mass to round-off.
   */
  outflow(): Record<string, number> & { total: number } {
    const out: Record<string, number> = {};
    let total = 0;
    this.#sideNames.forEach((name, s) => {
      out[name] = this.#outflow[s]!;
      total += this.#outflow[s]!;
    });
    return Object.assign(out, { total });
  }

  /** Outflow rate (mass per time) through each side for density q, added into `acc` scaled by `w`. */
  #addOutflowRates(q: Float64Array, w: number, acc: Float64Array): void {
    const fs = this.#faces, S = fs.slots, walls = this.#wallFaces;
    for (let k = 0; k < walls.length; k++) {
      const f = walls[k]!, s = fs.side[f]!;
      let j = 0;
      for (let m = 0; m < S; m++) j += fs.coef[f * S + m]! * q[fs.cell[f * S + m]!]!;
      const sign = fs.minus[f]! < 0 ? -1 : 1;
      acc[s] = acc[s]! + w * sign * j * fs.area[f]!;
    }
  }

  /**
   * out = A q evaluated in flux form, out_i = Σ_faces ∓ J_f / h_f: every face
   * current is added to one cell and subtracted from the other, so the mass
   * of the result telescopes to minus the outflow without the fixed rounding
   * of the assembled column sums (which would bias the mass step after step).
   */
  #divergence(q: Float64Array, out: Float64Array): void {
    const fs = this.#faces, S = fs.slots;
    out.fill(0);
    for (let f = 0; f < fs.count; f++) {
      let j = 0;
      for (let k = 0; k < S; k++) j += fs.coef[f * S + k]! * q[fs.cell[f * S + k]!]!;
      j *= fs.invWidth[f]!;
      const m = fs.minus[f]!, p = fs.plus[f]!;
      if (m >= 0) out[m] = out[m]! - j;
      if (p >= 0) out[p] = out[p]! + j;
    }
  }

  /** Normal fluxes J·n on all faces for density q (face order of the subclass). */
  protected faceFluxes(q: Float64Array, out: Float64Array): Float64Array {
    const fs = this.#faces, S = fs.slots;
    for (let f = 0; f < fs.count; f++) {
      let j = 0;
      for (let k = 0; k < S; k++) j += fs.coef[f * S + k]! * q[fs.cell[f * S + k]!]!;
      out[f] = j;
    }
    return out;
  }

  /**
   * The assembled generator A of the semi-discrete equation dp/dt = A p, as a
   * fresh CSR copy (cells in the subclass's order).
   */
  generator(): CsrMatrix {
    return copyCsr(this.#a);
  }

  /**
   * out = A x, or Aᵀ x with `transpose` (the backward generator acting on a
   * function given by its cell values).
   */
  applyGenerator(x: ArrayLike<number>, out?: Float64Array, transpose = false): Float64Array {
    const xv = this.#vector("x", x);
    const o = out ?? new Float64Array(this.size);
    if (o.length !== this.size) {
      throw new RangeError(`out must have length ${this.size}, got ${o.length}`);
    }
    if (transpose) csrMulTranspose(this.#a, xv, o);
    else csrMul(this.#a, xv, o);
    return o;
  }

  /**
   * Solves A x = rhs (or Aᵀ x = rhs with `transpose`). A is invertible only
   * with at least one absorbing side. With rhs = −1 and `transpose`, x is the
   * mean first passage time to the absorbing sides from each cell.
   */
  solveGenerator(rhs: ArrayLike<number>, transpose = false): Float64Array {
    this.#requireAbsorbing("solveGenerator");
    const b = this.#vector("rhs", rhs);
    let solver: LinearSolver;
    if (transpose) {
      this.#adjointSolver ??= this.makeSolver(csrTranspose(this.#a), "other");
      solver = this.#adjointSolver;
    } else {
      this.#generatorSolver ??= this.makeSolver(this.#a, "other");
      solver = this.#generatorSolver;
    }
    const x = new Float64Array(this.size);
    solver.solve(b, x);
    for (let i = 0; i < this.size; i++) {
      if (!Number.isFinite(x[i]!)) {
        throw new RangeError(`solveGenerator produced ${x[i]} at ${this.describeCell(i)}`);
      }
    }
    return x;
  }

  #vector(name: string, x: ArrayLike<number>): Float64Array {
    if (x.length !== this.size) {
      throw new RangeError(`${name} must have length ${this.size}, got ${x.length}`);
    }
    const v = x instanceof Float64Array ? x : Float64Array.from(x);
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i]!)) {
        throw new RangeError(`${name}[${i}] must be finite, got ${v[i]}`);
      }
    }
    return v;
  }

  #requireAbsorbing(what: string): void {
    if (!this.#sideAbsorbing.some((a) => a)) {
      throw new RangeError(`${what} needs at least one absorbing side (A is singular otherwise)`);
    }
  }

  #solverFor(cdt: number): LinearSolver {
    let s = this.#solvers.get(cdt);
    if (s === undefined) {
      if (this.#solvers.size >= 4) this.#solvers.clear();
      s = this.makeSolver(shiftedIdentity(this.#a, cdt, this.#diag), "step");
      this.#solvers.set(cdt, s);
    }
    return s;
  }

  /**
   * Solves (I − c A) x = b into x (x holds a guess), then rescales x so that
   * the discrete mass balance 1ᵀ(I − cA)x = 1ᵀb holds to round-off. The
   * factor differs from 1 by the solver's error (Krylov tolerance in 2-D,
   * a few ulps in 1-D); without it round-off biases the mass by ~1e-16 per
   * step.
   */
  #solveShifted(cdt: number, b: Float64Array, x: Float64Array): void {
    this.#solverFor(cdt).solve(b, x);
    // 1ᵀ(I − cA)x = Σ x_i (1 + c o_i), with o_i the outflow rate per unit density of cell i
    let mb = 0, mx = 0;
    const o = this.#cellOutflow;
    for (let i = 0; i < x.length; i++) {
      mb += b[i]!;
      mx += x[i]! * (1 + cdt * o[i]!);
    }
    if (mb > 0 && mx > 0) {
      const f = mb / mx;
      for (let i = 0; i < x.length; i++) x[i] = x[i]! * f;
    }
  }

  /**
   * Advances the density by one step of size dt with {@link scheme}; throws a
   * RangeError (leaving the state unchanged) if the new density has a
   * non-finite value or a value below −negativeTolerance · max p.
   * @param dt step size > 0
   * @returns this
   */
  step(dt: number): this {
    checkStep(dt);
    const n = this.size, p = this.#density, next = this.#next, star = this.#star;
    const rhs = this.#rhs, inc = this.#increment, prev = this.#prev;
    const guess = !this.directSolves, extrapolate = guess && this.#hasPrev && this.#prevDt === dt;
    inc.fill(0);
    if (this.scheme === "backward-euler") {
      if (extrapolate) { for (let i = 0; i < n; i++) next[i] = 2 * p[i]! - prev[i]!; }
      else if (guess) next.set(p);
      this.#solveShifted(dt, p, next);
      this.#addOutflowRates(next, dt, inc);
    } else if (this.scheme === "crank-nicolson") {
      const c = 0.5 * dt;
      this.#divergence(p, rhs);
      for (let i = 0; i < n; i++) rhs[i] = p[i]! + c * rhs[i]!;
      if (extrapolate) { for (let i = 0; i < n; i++) next[i] = 2 * p[i]! - prev[i]!; }
      else if (guess) next.set(p);
      this.#solveShifted(c, rhs, next);
      this.#addOutflowRates(p, c, inc);
      this.#addOutflowRates(next, c, inc);
    } else {
      const g = TR_GAMMA, c = 0.5 * g * dt;
      // a0 = (1 − γ)²/(γ(2 − γ)) = a1 − 1, formed so that a1 − a0 = 1 exactly in floating
      // point (otherwise the stage-2 right-hand side gains ~1e-16 of mass per step)
      const a1 = 1 / (g * (2 - g)), a0 = a1 - 1;
      this.#divergence(p, rhs);
      for (let i = 0; i < n; i++) rhs[i] = p[i]! + c * rhs[i]!;
      if (extrapolate) { for (let i = 0; i < n; i++) star[i] = p[i]! + g * (p[i]! - prev[i]!); }
      else if (guess) star.set(p);
      this.#solveShifted(c, rhs, star);
      for (let i = 0; i < n; i++) rhs[i] = a1 * star[i]! - a0 * p[i]!;
      if (guess) { for (let i = 0; i < n; i++) next[i] = p[i]! + (star[i]! - p[i]!) / g; }
      this.#solveShifted(c, rhs, next);
      this.#addOutflowRates(p, a1 * c, inc);
      this.#addOutflowRates(star, a1 * c, inc);
      this.#addOutflowRates(next, c, inc);
    }
    this.#check(next, this.steps + 1, this.time + dt);
    if (guess) prev.set(p);
    p.set(next);
    this.#hasPrev = true;
    this.#prevDt = dt;
    this.time += dt;
    this.steps++;
    for (let s = 0; s < inc.length; s++) this.#outflow[s] = this.#outflow[s]! + inc[s]!;
    return this;
  }

  #check(q: Float64Array, step: number, t: number): void {
    let max = 0, min = 0, bad = false;
    for (let i = 0; i < q.length; i++) {
      const v = q[i]!;
      if (v > max) max = v;
      else if (v < min) min = v;
      else if (v !== v) bad = true; // NaN
    }
    if (!bad && max !== Infinity && min >= -this.#negTol * max) return;
    for (let i = 0; i < q.length; i++) {
      const v = q[i]!;
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `density became non-finite at step ${step} (t = ${fmt(t)}): p = ${v} at ${
            this.describeCell(i)
          }`,
        );
      }
    }
    const floor = -this.#negTol * max;
    for (let i = 0; i < q.length; i++) {
      if (q[i]! < floor) {
        throw new RangeError(
          `density became negative at step ${step} (t = ${fmt(t)}): p = ${
            q[i]!.toExponential(3)
          } at ${this.describeCell(i)} (max p = ${max.toExponential(3)}); ` +
            (this.monotone
              ? `reduce dt or use scheme "backward-euler"`
              : `the operator is not monotone (cross diffusion |D_xy| exceeds the fitted axial ` +
                `coefficients where the drift is strong): refine the grid, reduce dt or use ` +
                `scheme "backward-euler"`),
        );
      }
    }
  }

  /**
   * Takes `steps` steps of size dt.
   * @param steps number of steps (integer ≥ 0)
   * @param dt step size
   * @param onStep called after each step (e.g. to record mass or snapshots)
   * @returns this
   */
  run(steps: number, dt: number, onStep?: (solver: this) => void): this {
    if (!Number.isInteger(steps) || steps < 0) {
      throw new RangeError(`steps must be an integer >= 0, got ${steps}`);
    }
    checkStep(dt);
    for (let k = 0; k < steps; k++) {
      this.step(dt);
      onStep?.(this);
    }
    return this;
  }

  /**
   * Advances to time t (> current time) in ⌈(t − time)/maxDt⌉ equal steps.
   * @returns this
   */
  advanceTo(t: number, maxDt: number): this {
    checkStep(maxDt);
    if (!Number.isFinite(t) || !(t > this.time)) {
      throw new RangeError(`t must be a finite number > the current time ${this.time}, got ${t}`);
    }
    const k = Math.ceil((t - this.time) / maxDt - 1e-9);
    const dt = (t - this.time) / k, t0 = this.time;
    for (let s = 1; s <= k; s++) {
      this.step(dt);
      this.time = t0 + s * dt;
    }
    this.time = t;
    return this;
  }

  /**
   * The stationary density of the discrete equation (A p = 0, unit mass) for
   * a problem without absorbing sides. 1-D: zero-flux recurrence in log space
   * (reflecting) or a grounded cyclic solve (periodic); 2-D: BiCGSTAB on the
   * non-singular deflated system (N + u1ᵀ) p = u (N = −A, u > 0), started
   * from the current density. The state is not changed.
   * @returns a new array with the stationary density
   */
  steadyState(): Float64Array {
    if (this.#sideAbsorbing.some((a) => a)) {
      throw new RangeError(
        "steadyState needs no absorbing side (the stationary density is 0); use quasiStationary",
      );
    }
    const n = this.size, x = this.#density.slice();
    this.stationarySolve(this.#a, x);
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i]!)) {
        throw new RangeError(`steadyState produced ${x[i]} at ${this.describeCell(i)}`);
      }
      s += x[i]!;
    }
    const scale = 1 / (s * this.cellVolume);
    let max = 0;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! * scale;
      max = Math.max(max, x[i]!);
    }
    for (let i = 0; i < n; i++) {
      if (x[i]! < -this.#negTol * max) {
        throw new RangeError(
          `steadyState is negative: p = ${x[i]!.toExponential(3)} at ${this.describeCell(i)} ` +
            `(max p = ${max.toExponential(3)})`,
        );
      }
    }
    return x;
  }

  /**
   * Solves A x = 0 with cell k fixed to 1 ("grounding": row k becomes the
   * identity and column k moves to the right-hand side), a non-singular
   * system; x holds a guess on entry.
   */
  protected groundedSolve(a: CsrMatrix, k: number, x: Float64Array): void {
    const n = a.rows, m = copyCsr(a), rhs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let e = m.rowPtr[i]!; e < m.rowPtr[i + 1]!; e++) {
        const j = m.colIndex[e]!;
        if (i === k) m.values[e] = j === k ? 1 : 0;
        else if (j === k) {
          rhs[i] = -m.values[e]!;
          m.values[e] = 0;
        }
      }
    }
    rhs[k] = 1;
    this.makeSolver(m, "other").solve(rhs, x);
  }

  /**
   * The quasi-stationary density with absorbing sides: the principal mode
   * A q = −λ q (λ > 0 smallest), by inverse iteration q ← A⁻¹ q from the
   * current density. λ is the escape rate from the quasi-stationary law, and
   * equals the flux over population (outflow rate of q)/(mass of q)
   * (Kramers 1940). The state is not changed.
   * @param tolerance stop when the relative change of λ is below this (default 1e-12)
   * @param maxIterations default 1000
   */
  quasiStationary(tolerance = 1e-12, maxIterations = 1000): QuasiStationary {
    this.#requireAbsorbing("quasiStationary");
    this.#generatorSolver ??= this.makeSolver(this.#a, "other");
    const n = this.size, V = this.cellVolume;
    let q = this.#density.slice(), x = new Float64Array(n);
    let rate = NaN, it = 0;
    for (; it < maxIterations; it++) {
      x.set(q);
      this.#generatorSolver.solve(q, x);
      let mq = 0, mx = 0;
      for (let i = 0; i < n; i++) {
        mq += q[i]!;
        mx += x[i]!;
      }
      const est = -mq / mx; // A x = q, q ≈ −λ x
      for (let i = 0; i < n; i++) x[i] = x[i]! / (mx * V);
      [q, x] = [x, q];
      if (Math.abs(est - rate) <= tolerance * Math.abs(est)) {
        rate = est;
        it++;
        break;
      }
      rate = est;
    }
    if (!Number.isFinite(rate) || !(rate > 0)) {
      throw new RangeError(`quasiStationary: escape rate estimate ${rate} is not positive`);
    }
    const acc = new Float64Array(this.#sideNames.length);
    this.#addOutflowRates(q, 1, acc);
    let out = 0;
    for (const v of acc) out += v;
    return { density: q, rate, fluxOverPopulation: out, iterations: it };
  }
}

// ---------------------------------------------------------------------------
// 1-D

/** Options of {@link FokkerPlanck1D}. */
export interface FokkerPlanck1DOptions extends GridOptions {
  /** [lower, upper] of the domain. */
  domain: readonly [number, number];
  /** Number of cells n ≥ 3. */
  cells: number;
  /** Drift b(x) (for SGD / gradient flow, b = −L'(x)); must be finite on the grid. */
  drift: (x: number) => number;
  /** Diffusion D(x) = σ(x)²/2 > 0, a constant or a function. */
  diffusion: number | ((x: number) => number);
  /** Boundary of both sides, or [lower, upper] (default "reflecting"). */
  boundary?: Boundary | readonly [Boundary, Boundary];
  /** Initial density: values at the cell centres or a function of x (default uniform). */
  initial?: ArrayLike<number> | ((x: number) => number);
}

/**
 * Fokker–Planck solver in 1-D, ∂p/∂t = −∂_x[b p − ∂_x(D p)] (Itô), on a uniform
 * cell-centred grid with Scharfetter–Gummel fluxes (see the module notes for
 * the scheme, the boundaries and the checks). Cell i has centre
 * x_i = lower + (i + ½) h; face k (k = 0..n) sits at lower + k h.
 *
 * @example
 * ```ts
 * import { FokkerPlanck1D } from "./fokker_planck.ts";
 * // Ornstein–Uhlenbeck dX = −X dt + dB: stationary N(0, 1/2)
 * const fp = new FokkerPlanck1D({
 *   domain: [-5, 5], cells: 200, drift: (x) => -x, diffusion: 0.5,
 *   initial: (x) => Math.exp(-((x - 1) ** 2) / 0.02),
 * });
 * fp.run(100, 0.01);
 * if (Math.abs(fp.mass() - 1) > 1e-12) throw new Error("mass");
 * const ps = fp.steadyState();
 * let v = 0;
 * ps.forEach((p, i) => (v += p * fp.centers[i]! ** 2 * fp.cellWidth));
 * if (Math.abs(v - 0.5) > 1e-3) throw new Error("variance");
 * ```
 */
export class FokkerPlanck1D extends GridFokkerPlanck {
  /** [lower, upper]. */
  readonly domain: readonly [number, number];
  /** Number of cells. */
  readonly cells: number;
  /** h. */
  readonly cellWidth: number;
  /** Cell centres. */
  readonly centers: Float64Array;
  /** Boundaries [lower, upper]. */
  readonly boundary: readonly [Boundary, Boundary];

  /** @param options see {@link FokkerPlanck1DOptions} */
  constructor(options: FokkerPlanck1DOptions) {
    const { domain, cells, drift, diffusion } = options;
    checkInterval("domain", domain);
    checkCells("cells", cells);
    if (typeof drift !== "function") throw new TypeError(`drift must be a function, got ${drift}`);
    const bnd = options.boundary ?? "reflecting";
    const boundary: [Boundary, Boundary] = typeof bnd === "string"
      ? [checkBoundary("boundary", bnd), bnd]
      : [checkBoundary("boundary[0]", bnd[0]), checkBoundary("boundary[1]", bnd[1])];
    if ((boundary[0] === "periodic") !== (boundary[1] === "periodic")) {
      throw new RangeError(`periodic boundaries must be paired, got [${boundary.join(", ")}]`);
    }
    const [lo, hi] = domain, n = cells, h = (hi - lo) / n;
    const diff = typeof diffusion === "number" ? () => diffusion : diffusion;
    if (typeof diff !== "function") {
      throw new TypeError(`diffusion must be a number or a function, got ${diffusion}`);
    }
    const evalD = (x: number): number => {
      const d = diff(x);
      if (typeof d !== "number" || !Number.isFinite(d) || !(d > 0)) {
        throw new RangeError(`diffusion must be finite and > 0, got ${d} at x = ${fmt(x)}`);
      }
      return d;
    };
    const evalB = (x: number): number => {
      const b = drift(x);
      if (typeof b !== "number" || !Number.isFinite(b)) {
        throw new RangeError(`drift must be finite, got ${b} at x = ${fmt(x)}`);
      }
      return b;
    };
    const centers = new Float64Array(n), dC = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      centers[i] = lo + (i + 0.5) * h;
      dC[i] = evalD(centers[i]!);
    }
    const periodic = boundary[0] === "periodic";
    const count = periodic ? n : n + 1;
    const faces: FaceStencils = {
      count,
      slots: 2,
      cell: new Int32Array(count * 2),
      coef: new Float64Array(count * 2),
      minus: new Int32Array(count),
      plus: new Int32Array(count),
      invWidth: new Float64Array(count).fill(1 / h),
      side: new Int32Array(count).fill(-1),
      area: new Float64Array(count).fill(1),
    };
    const pe: PecletReport = { max: 0, at: [lo] };
    for (let k = 0; k < count; k++) {
      const xf = k === n ? hi : lo + k * h;
      const b = evalB(xf), d = evalD(xf);
      const left = k === 0 ? (periodic ? n - 1 : -1) : k - 1;
      const right = k === n ? -1 : k;
      faces.minus[k] = left;
      faces.plus[k] = right;
      const isWall = left < 0 || right < 0;
      const wall = left < 0 ? boundary[0] : boundary[1];
      if (isWall && wall === "reflecting") continue;
      const width = isWall ? h / 2 : h, z = (b * width) / d;
      const peFace = Math.abs(b) * h / d;
      if (peFace > pe.max) {
        pe.max = peFace;
        pe.at = [xf];
      }
      if (left >= 0) {
        faces.cell[2 * k] = left;
        faces.coef[2 * k] = (bernoulli(-z) * dC[left]!) / width;
      }
      if (right >= 0) {
        faces.cell[2 * k + 1] = right;
        faces.coef[2 * k + 1] = (-bernoulli(z) * dC[right]!) / width;
      }
      if (isWall) faces.side[k] = left < 0 ? 0 : 1;
    }
    const builder = new CsrBuilder(n, 3);
    addFaceFluxes(builder, faces);
    super(n, h, faces, builder.toCsr(), ["lower", "upper"], boundary, pe, options);
    this.domain = [lo, hi];
    this.cells = n;
    this.cellWidth = h;
    this.centers = centers;
    this.boundary = boundary;
    const init = options.initial;
    if (init === undefined) this.setDensity(new Float64Array(n).fill(1), options.normalize ?? true);
    else if (typeof init === "function") {
      this.setDensity(Array.from(centers, init), options.normalize ?? true);
    } else this.setDensity(init, options.normalize ?? true);
  }

  protected describeCell(i: number): string {
    return `x = ${fmt(this.centers[i]!)}`;
  }

  protected makeSolver(m: CsrMatrix): LinearSolver {
    return new TridiagonalSolver(m);
  }

  protected get directSolves(): boolean {
    return true;
  }

  protected stationarySolve(a: CsrMatrix, x: Float64Array): void {
    // zero flux on every interior face: A[k][k−1] p_{k−1} = A[k−1][k] p_k (the two
    // coefficients of the face current), accumulated in log space against overflow
    const n = this.cells, logp = new Float64Array(n);
    for (let k = 1; k < n; k++) {
      let up = 0, down = 0; // A[k][k−1], A[k−1][k]
      for (let e = a.rowPtr[k]!; e < a.rowPtr[k + 1]!; e++) {
        if (a.colIndex[e] === k - 1) up = a.values[e]!;
      }
      for (let e = a.rowPtr[k - 1]!; e < a.rowPtr[k]!; e++) {
        if (a.colIndex[e] === k) down = a.values[e]!;
      }
      logp[k] = logp[k - 1]! + Math.log(up) - Math.log(down);
    }
    let kmax = 0;
    for (let k = 1; k < n; k++) if (logp[k]! > logp[kmax]!) kmax = k;
    for (let k = 0; k < n; k++) x[k] = Math.exp(logp[k]! - logp[kmax]!);
    // periodic: the wrapped face carries a constant current; solve grounded at the peak
    if (this.boundary[0] === "periodic") this.groundedSolve(a, kmax, x);
  }

  /**
   * The probability current J on every face (length n + 1, face k at
   * lower + k h; positive to the right). With periodic sides the first and
   * last entries are the same face.
   */
  currents(out: Float64Array = new Float64Array(this.cells + 1)): Float64Array {
    if (out.length !== this.cells + 1) {
      throw new RangeError(`out must have length ${this.cells + 1}, got ${out.length}`);
    }
    this.faceFluxes(this.density, out);
    if (this.boundary[0] === "periodic") out[this.cells] = out[0]!;
    return out;
  }
}

// ---------------------------------------------------------------------------
// 2-D

/** A symmetric 2×2 diffusion tensor [D_xx, D_xy, D_yy]. */
export type Tensor2 = readonly [number, number, number];

/** Boundaries of the four sides of a rectangle. */
export interface Boundaries2D {
  left?: Boundary;
  right?: Boundary;
  bottom?: Boundary;
  top?: Boundary;
}

/** Options of {@link FokkerPlanck2D}. */
export interface FokkerPlanck2DOptions extends GridOptions {
  /** [x lower, x upper]. */
  xDomain: readonly [number, number];
  /** [y lower, y upper]. */
  yDomain: readonly [number, number];
  /** [n_x, n_y] cells (each ≥ 3). */
  cells: readonly [number, number];
  /** Drift b(x, y) = [b_x, b_y] (for SGD, −∇L). */
  drift: (x: number, y: number) => readonly [number, number];
  /**
   * Diffusion tensor D = ½σσᵀ as [D_xx, D_xy, D_yy] (constant or a function),
   * positive definite everywhere; a number d means d·I.
   */
  diffusion: number | Tensor2 | ((x: number, y: number) => Tensor2);
  /** One boundary for all sides, or per side (default "reflecting"). */
  boundary?: Boundary | Boundaries2D;
  /** Initial density: values at cell centres (index j·n_x + i) or a function (default uniform). */
  initial?: ArrayLike<number> | ((x: number, y: number) => number);
  /**
   * Discretisation of the cross diffusion D_xy (see the module notes):
   * "monotone" (default) moves the largest part allowed,
   * min(|D_xy|, D_xx h_y/h_x, D_yy h_x/h_y), onto the lattice diagonals, so A
   * is an M-matrix whenever |D_xy| ≤ min(D_xx h_y/h_x, D_yy h_x/h_y);
   * "central" uses the sign-dependent 7-point stencil for all of D_xy:
   * also second order, with a smaller error constant (about 4× in the
   * anisotropic OU test) but negative coefficients where the drift is strong.
   */
  crossDiffusion?: "monotone" | "central";
  /**
   * Relative residual ‖b − Mx‖/‖b‖ of the BiCGSTAB solve of each implicit
   * stage (default 1e-8; the solution error it leaves is orders of magnitude
   * below the discretisation error, and mass is restored to round-off after
   * every solve). Steady-state solves use min(tolerance, 1e-12), quasi-stationary
   * and generator solves min(tolerance, 1e-10).
   */
  tolerance?: number;
  /** Iteration cap of a BiCGSTAB solve (default 2000). */
  maxIterations?: number;
}

/**
 * Fokker–Planck solver in 2-D, ∂p/∂t = −∇·(b p) + Σ_ij ∂_i∂_j(D_ij p) (Itô),
 * with a full, state-dependent 2×2 diffusion tensor (cross terms included, see
 * the module notes), implicit steps solved by MILU(0)-preconditioned BiCGSTAB.
 * Cells are stored row by row: index j·n_x + i for centre
 * (x_lower + (i + ½) h_x, y_lower + (j + ½) h_y).
 *
 * @example
 * ```ts
 * import { FokkerPlanck2D } from "./fokker_planck.ts";
 * // dX = −X dt + √(2D) dB with D = [[0.5, 0.2], [0.2, 0.3]]: stationary covariance D
 * const fp = new FokkerPlanck2D({
 *   xDomain: [-4, 4], yDomain: [-4, 4], cells: [40, 40],
 *   drift: (x, y) => [-x, -y], diffusion: [0.5, 0.2, 0.3],
 * });
 * const p = fp.steadyState();
 * let cxy = 0;
 * p.forEach((v, k) => {
 *   const i = k % 40, j = Math.floor(k / 40);
 *   cxy += v * fp.xCenters[i]! * fp.yCenters[j]! * fp.cellVolume;
 * });
 * if (Math.abs(cxy - 0.2) > 0.01) throw new Error("covariance");
 * ```
 */
export class FokkerPlanck2D extends GridFokkerPlanck {
  /** n_x. */
  readonly nx: number;
  /** n_y. */
  readonly ny: number;
  /** h_x. */
  readonly hx: number;
  /** h_y. */
  readonly hy: number;
  /** x of the cell centres (length n_x). */
  readonly xCenters: Float64Array;
  /** y of the cell centres (length n_y). */
  readonly yCenters: Float64Array;
  /** Boundaries of the four sides. */
  readonly boundary: Readonly<Required<Boundaries2D>>;
  readonly #tol: number;
  readonly #maxIter: number;
  /** BiCGSTAB iterations of the most recent solve. */
  lastIterations = 0;

  /** @param options see {@link FokkerPlanck2DOptions} */
  constructor(options: FokkerPlanck2DOptions) {
    const { xDomain, yDomain, cells, drift, diffusion } = options;
    checkInterval("xDomain", xDomain);
    checkInterval("yDomain", yDomain);
    if (!Array.isArray(cells) || cells.length !== 2) {
      throw new RangeError(`cells must be [nx, ny], got ${cells}`);
    }
    checkCells("cells[0]", cells[0]);
    checkCells("cells[1]", cells[1]);
    if (typeof drift !== "function") throw new TypeError(`drift must be a function, got ${drift}`);
    const tol = options.tolerance ?? 1e-8;
    if (!Number.isFinite(tol) || !(tol > 0) || tol >= 1) {
      throw new RangeError(`tolerance must be in (0, 1), got ${tol}`);
    }
    const maxIter = options.maxIterations ?? 2000;
    if (!Number.isInteger(maxIter) || maxIter < 1) {
      throw new RangeError(`maxIterations must be an integer >= 1, got ${maxIter}`);
    }
    const bnd = options.boundary ?? "reflecting";
    const one = typeof bnd === "string" ? checkBoundary("boundary", bnd) : null;
    const sides = {
      left: one ?? checkBoundary("boundary.left", (bnd as Boundaries2D).left ?? "reflecting"),
      right: one ?? checkBoundary("boundary.right", (bnd as Boundaries2D).right ?? "reflecting"),
      bottom: one ?? checkBoundary("boundary.bottom", (bnd as Boundaries2D).bottom ?? "reflecting"),
      top: one ?? checkBoundary("boundary.top", (bnd as Boundaries2D).top ?? "reflecting"),
    };
    if ((sides.left === "periodic") !== (sides.right === "periodic")) {
      throw new RangeError(
        `periodic boundaries must be paired, got left ${sides.left}, right ${sides.right}`,
      );
    }
    if ((sides.bottom === "periodic") !== (sides.top === "periodic")) {
      throw new RangeError(
        `periodic boundaries must be paired, got bottom ${sides.bottom}, top ${sides.top}`,
      );
    }
    const [nx, ny] = cells, [x0, x1] = xDomain, [y0, y1] = yDomain;
    const hx = (x1 - x0) / nx, hy = (y1 - y0) / ny;
    let diffFn: (x: number, y: number) => Tensor2;
    if (typeof diffusion === "number") {
      const t: Tensor2 = [diffusion, 0, diffusion];
      diffFn = () => t;
    } else if (Array.isArray(diffusion)) {
      const t = diffusion as Tensor2;
      diffFn = () => t;
    } else if (typeof diffusion === "function") {
      diffFn = diffusion;
    } else {
      throw new TypeError(
        `diffusion must be a number, [Dxx, Dxy, Dyy] or a function, got ${diffusion}`,
      );
    }
    const evalD = (x: number, y: number): Tensor2 => {
      const d = diffFn(x, y);
      const [a, b, c] = d;
      if (
        d.length !== 3 || !Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) ||
        !(a > 0) || !(c > 0) || !(a * c - b * b > 0)
      ) {
        throw new RangeError(
          `diffusion must be positive definite, got [Dxx, Dxy, Dyy] = [${d.join(", ")}] at (${
            fmt(x)
          }, ${fmt(y)})`,
        );
      }
      return d;
    };
    const evalB = (x: number, y: number): readonly [number, number] => {
      const b = drift(x, y);
      if (b.length !== 2 || !Number.isFinite(b[0]) || !Number.isFinite(b[1])) {
        throw new RangeError(
          `drift must be finite, got [${b.join(", ")}] at (${fmt(x)}, ${fmt(y)})`,
        );
      }
      return b;
    };
    const xc = new Float64Array(nx), yc = new Float64Array(ny);
    for (let i = 0; i < nx; i++) xc[i] = x0 + (i + 0.5) * hx;
    for (let j = 0; j < ny; j++) yc[j] = y0 + (j + 0.5) * hy;
    const n = nx * ny, hxy = hx * hy;
    const crossMode = options.crossDiffusion ?? "monotone";
    if (crossMode !== "monotone" && crossMode !== "central") {
      throw new RangeError(
        `crossDiffusion must be "monotone" or "central", got ${JSON.stringify(crossMode)}`,
      );
    }
    const monotoneCross = crossMode === "monotone";
    // Split D = a_x e_x e_xᵀ + a_y e_y e_yᵀ + a_d d dᵀ + (remainder cross term), with
    // d = (h_x, ±h_y) the lattice diagonal of the sign of D_xy and
    // a_d = min(|D_xy|, D_xx h_y/h_x, D_yy h_x/h_y)/(h_x h_y) ≥ 0, so a_x, a_y ≥ 0.
    const split = (d: Tensor2) => {
      const ad = monotoneCross
        ? Math.min(Math.abs(d[1]), (d[0] * hy) / hx, (d[2] * hx) / hy) / hxy
        : 0;
      const sg = d[1] >= 0 ? 1 : -1;
      return {
        ax: Math.max(0, d[0] - ad * hx * hx),
        ay: Math.max(0, d[2] - ad * hy * hy),
        ad,
        sg,
        rem: d[1] - sg * ad * hxy,
      };
    };
    const ax = new Float64Array(n), ay = new Float64Array(n), rem = new Float64Array(n);
    const adNE = new Float64Array(n), adSE = new Float64Array(n);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = j * nx + i, sp = split(evalD(xc[i]!, yc[j]!));
        ax[c] = sp.ax;
        ay[c] = sp.ay;
        rem[c] = sp.rem;
        if (sp.sg > 0) adNE[c] = sp.ad;
        else adSE[c] = sp.ad;
      }
    }
    const perX = sides.left === "periodic", perY = sides.bottom === "periodic";
    // faces: x-faces k = 0..nx (index j·(nx+1) + k), then y-faces k = 0..ny (index offset + k·nx + i);
    // with periodic sides face n_x (n_y) is face 0 and stays unused
    const nxf = (nx + 1) * ny, nyf = nx * (ny + 1), count = nxf + nyf, S = 12;
    const newFaces = (): FaceStencils => ({
      count,
      slots: S,
      cell: new Int32Array(count * S),
      coef: new Float64Array(count * S),
      minus: new Int32Array(count).fill(-1),
      plus: new Int32Array(count).fill(-1),
      invWidth: new Float64Array(count),
      side: new Int32Array(count).fill(-1),
      area: new Float64Array(count),
    });
    // `axial`: fitted axial fluxes and the remainder cross term (assembled face by face);
    // `faces`: the same plus the diagonal transfers routed through faces (currents, outflow)
    const axial = newFaces();
    const xFace = (k: number, j: number) => j * (nx + 1) + (perX && k === nx ? 0 : k);
    const yFace = (i: number, k: number) => nxf + (perY && k === ny ? 0 : k) * nx + i;
    const pe: PecletReport = { max: 0, at: [x0, y0] };
    // tangential neighbour of a cell for the cross-term stencil: (cell, factor) by boundary rule
    const neighbour = (i: number, j: number, di: number, dj: number): [number, number] => {
      let ii = i + di, jj = j + dj, f = 1;
      if (ii < 0 || ii >= nx) {
        const b = ii < 0 ? sides.left : sides.right;
        if (b === "periodic") ii = (ii + nx) % nx;
        else {
          ii = i;
          if (b === "absorbing") f = -1;
        }
      }
      if (jj < 0 || jj >= ny) {
        const b = jj < 0 ? sides.bottom : sides.top;
        if (b === "periodic") jj = (jj + ny) % ny;
        else {
          jj = j;
          if (b === "absorbing") f = -f;
        }
      }
      return [jj * nx + ii, f];
    };
    /**
     * One face: fitted flux of u = a·p with v = b_n/a_f (upwind when a_f ≈ 0), then the
     * remainder cross flux −∂_t(w), w = rem·p, t the tangential direction.
     */
    const buildFace = (
      f: number,
      minus: number,
      plus: number,
      h: number,
      area: number,
      bn: number,
      dnn: number,
      af: number,
      remF: number,
      a: Float64Array,
      wall: Boundary,
      sideIndex: number,
      xf: number,
      yf: number,
      cross: () => [number, number][] | null,
    ) => {
      axial.minus[f] = minus;
      axial.plus[f] = plus;
      axial.invWidth[f] = 1 / h;
      axial.area[f] = area;
      const isWall = minus < 0 || plus < 0;
      if (isWall && wall === "reflecting") return;
      const width = isWall ? h / 2 : h;
      const peFace = (Math.abs(bn) * h) / dnn;
      if (peFace > pe.max) {
        pe.max = peFace;
        pe.at = [xf, yf];
      }
      if (af > 1e-13 * dnn) {
        const z = (bn * width) / af;
        if (minus >= 0) addToFace(axial, f, minus, (bernoulli(-z) * a[minus]!) / width);
        if (plus >= 0) addToFace(axial, f, plus, (-bernoulli(z) * a[plus]!) / width);
      } else {
        // no axial diffusion left after the diagonal split: upwind
        if (minus >= 0 && bn > 0) addToFace(axial, f, minus, bn);
        if (plus >= 0 && bn < 0) addToFace(axial, f, plus, bn);
      }
      if (isWall) {
        axial.side[f] = sideIndex;
        return; // p = 0 along an absorbing wall: no cross flux
      }
      if (remF === 0) return;
      const stencil = cross();
      if (stencil === null) return;
      const c = 1 / (2 * (area === hy ? hy : hx));
      for (const [cell, factor] of stencil) {
        if (rem[cell] !== 0) addToFace(axial, f, cell, -c * factor * rem[cell]!);
      }
    };
    // x-faces
    for (let j = 0; j < ny; j++) {
      for (let k = 0; k <= nx; k++) {
        if (perX && k === nx) continue;
        const f = xFace(k, j);
        const xf = k === nx ? x1 : x0 + k * hx, yf = yc[j]!;
        const b = evalB(xf, yf), d = evalD(xf, yf), sp = split(d);
        const li = k === 0 ? (perX ? nx - 1 : -1) : k - 1, ri = k === nx ? -1 : k;
        const left = li >= 0 ? j * nx + li : -1, right = ri >= 0 ? j * nx + ri : -1;
        const wall = left < 0 ? sides.left : sides.right;
        // ∂_y w ≈ ½[(w_{R,j+1} − w_{R,j}) + (w_{L,j} − w_{L,j−1})] (rem ≥ 0), mirrored for rem < 0
        const cross = (): [number, number][] => {
          const up = (i: number) => neighbour(i, j, 0, 1),
            down = (i: number) => neighbour(i, j, 0, -1);
          const [rU, fU] = up(ri), [rD, fD] = down(ri), [lU, gU] = up(li), [lD, gD] = down(li);
          return sp.rem >= 0
            ? [[rU, fU], [right, -1], [left, 1], [lD, -gD]]
            : [[right, 1], [rD, -fD], [lU, gU], [left, -1]];
        };
        buildFace(
          f,
          left,
          right,
          hx,
          hy,
          b[0],
          d[0],
          sp.ax,
          sp.rem,
          ax,
          wall,
          left < 0 ? 0 : 1,
          xf,
          yf,
          cross,
        );
      }
    }
    // y-faces
    for (let k = 0; k <= ny; k++) {
      for (let i = 0; i < nx; i++) {
        if (perY && k === ny) continue;
        const f = yFace(i, k);
        const xf = xc[i]!, yf = k === ny ? y1 : y0 + k * hy;
        const b = evalB(xf, yf), d = evalD(xf, yf), sp = split(d);
        const bj = k === 0 ? (perY ? ny - 1 : -1) : k - 1, tj = k === ny ? -1 : k;
        const below = bj >= 0 ? bj * nx + i : -1, above = tj >= 0 ? tj * nx + i : -1;
        const wall = below < 0 ? sides.bottom : sides.top;
        // ∂_x w ≈ ½[(w_{i+1,T} − w_{i,T}) + (w_{i,B} − w_{i−1,B})] (rem ≥ 0), mirrored for rem < 0
        const cross = (): [number, number][] => {
          const [tR, fR] = neighbour(i, tj, 1, 0), [tL, fL] = neighbour(i, tj, -1, 0);
          const [bR, gR] = neighbour(i, bj, 1, 0), [bL, gL] = neighbour(i, bj, -1, 0);
          return sp.rem >= 0
            ? [[tR, fR], [above, -1], [below, 1], [bL, -gL]]
            : [[above, 1], [tL, -fL], [bR, gR], [below, -1]];
        };
        buildFace(
          f,
          below,
          above,
          hy,
          hx,
          b[1],
          d[2],
          sp.ay,
          sp.rem,
          ay,
          wall,
          below < 0 ? 2 : 3,
          xf,
          yf,
          cross,
        );
      }
    }
    // generator: axial faces, then the diagonal transfers u = a_d p between lattice diagonals
    const builder = new CsrBuilder(n, 9);
    addFaceFluxes(builder, axial);
    const faces: FaceStencils = {
      ...axial,
      cell: axial.cell.slice(),
      coef: axial.coef.slice(),
    };
    /**
     * Routes the transfer F = k1·p[c1] + k2·p[c2] (density per time) from cell (i, j) one cell
     * along x (dir ±1; through the wall when that cell is outside), weight w, into the face
     * currents (J_x = F·h_x); routeY likewise along y.
     */
    const routeX = (
      i: number,
      j: number,
      dir: number,
      c1: number,
      k1: number,
      c2: number,
      k2: number,
      w: number,
    ) => {
      const f = xFace(dir > 0 ? i + 1 : i, j), sc = dir * w * hx;
      addToFace(faces, f, c1, sc * k1);
      if (k2 !== 0) addToFace(faces, f, c2, sc * k2);
    };
    const routeY = (
      i: number,
      j: number,
      dir: number,
      c1: number,
      k1: number,
      c2: number,
      k2: number,
      w: number,
    ) => {
      const f = yFace(i, dir > 0 ? j + 1 : j), sc = dir * w * hy;
      addToFace(faces, f, c1, sc * k1);
      if (k2 !== 0) addToFace(faces, f, c2, sc * k2);
    };
    const wrapI = (i: number) => (perX ? (i + nx) % nx : i);
    const wrapJ = (j: number) => (perY ? (j + ny) % ny : j);
    const DIRS = [1, 1, 1, -1, -1, 1, -1, -1];
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = j * nx + i;
        for (let q = 0; q < 8; q += 2) {
          const di = DIRS[q]!, dj = DIRS[q + 1]!;
          const fam = di * dj > 0 ? adNE : adSE, ac = fam[c]!;
          let ii = i + di, jj = j + dj;
          const outX = !perX && (ii < 0 || ii >= nx), outY = !perY && (jj < 0 || jj >= ny);
          ii = wrapI(ii);
          jj = wrapJ(jj);
          if (!outX && !outY) {
            if (di < 0) continue; // each interior pair once, from its left cell
            const c2 = jj * nx + ii, a2 = fam[c2]!;
            if (ac === 0 && a2 === 0) continue;
            builder.add(c, c, -ac);
            builder.add(c, c2, a2);
            builder.add(c2, c2, -a2);
            builder.add(c2, c, ac);
            // F = a_c p_c − a_2 p_2 from c to c2, half along each L-shaped path
            routeX(i, j, di, c, ac, c2, -a2, 0.5);
            routeY(wrapI(i + di), j, dj, c, ac, c2, -a2, 0.5);
            routeY(i, j, dj, c, ac, c2, -a2, 0.5);
            routeX(i, wrapJ(j + dj), di, c, ac, c2, -a2, 0.5);
            continue;
          }
          // across a wall: mirror the partner back (reflecting) or mirror and negate (absorbing)
          let sign = 1, mi = ii, mj = jj;
          const wallX = outX ? (di < 0 ? sides.left : sides.right) : null;
          const wallY = outY ? (dj < 0 ? sides.bottom : sides.top) : null;
          if (outX) {
            mi = i;
            if (wallX === "absorbing") sign = -sign;
          }
          if (outY) {
            mj = j;
            if (wallY === "absorbing") sign = -sign;
          }
          // the mirror image of the tensor has D_xy of the opposite sign across one wall, so the
          // ghost carries the other diagonal family of its mirror cell (same family across two)
          const m = mj * nx + mi, flips = (outX ? 1 : 0) + (outY ? 1 : 0);
          const am = (flips === 1 ? (fam === adNE ? adSE : adNE) : fam)[m]!;
          if (ac === 0 && am === 0) continue;
          if (sign > 0) {
            if (m === c) continue;
            builder.add(c, c, -ac);
            builder.add(c, m, am);
            // m's own ghost link carries the same transfer back (F' = −F): route half from each
            if (outX) routeY(i, j, dj, c, ac, m, -am, 0.5); // the move left is along y
            else routeX(i, j, di, c, ac, m, -am, 0.5);
            continue;
          }
          // F = a_c p_c + a_m p_m leaves through the absorbing wall
          builder.add(c, c, -ac);
          builder.add(c, m, -am);
          const k1 = m === c ? 2 * ac : ac, k2 = m === c ? 0 : am;
          const throughX = wallX === "absorbing";
          if (m === c) {
            if (throughX) routeX(i, j, di, c, k1, m, k2, 1);
            else routeY(i, j, dj, c, k1, m, k2, 1);
          } else if (throughX) {
            // half out through c's wall, half along y to m and out through m's wall
            routeX(i, j, di, c, k1, m, k2, 0.5);
            routeY(i, j, dj, c, k1, m, k2, 0.5);
            routeX(mi, mj, di, c, k1, m, k2, 0.5);
          } else {
            routeY(i, j, dj, c, k1, m, k2, 0.5);
            routeX(i, j, di, c, k1, m, k2, 0.5);
            routeY(mi, mj, dj, c, k1, m, k2, 0.5);
          }
        }
      }
    }
    super(
      n,
      hx * hy,
      faces,
      builder.toCsr(),
      ["left", "right", "bottom", "top"],
      [sides.left, sides.right, sides.bottom, sides.top],
      pe,
      options,
    );
    this.nx = nx;
    this.ny = ny;
    this.hx = hx;
    this.hy = hy;
    this.xCenters = xc;
    this.yCenters = yc;
    this.boundary = sides;
    this.#tol = tol;
    this.#maxIter = maxIter;
    const init = options.initial, norm = options.normalize ?? true;
    if (init === undefined) this.setDensity(new Float64Array(n).fill(1), norm);
    else if (typeof init === "function") {
      const v = new Float64Array(n);
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) v[j * nx + i] = init(xc[i]!, yc[j]!);
      }
      this.setDensity(v, norm);
    } else this.setDensity(init, norm);
  }

  protected describeCell(c: number): string {
    const i = c % this.nx, j = Math.floor(c / this.nx);
    return `(x, y) = (${fmt(this.xCenters[i]!)}, ${fmt(this.yCenters[j]!)})`;
  }

  protected makeSolver(m: CsrMatrix, purpose: "step" | "other"): LinearSolver {
    const step = purpose === "step";
    // generator and quasi-stationary solves: 1e-10, not lower. Mean first passage
    // times of deep valleys span many orders of magnitude, and BiCGSTAB
    // stagnates at a relative residual of ~1e-11 on such systems (measured on a
    // 2-D valley with τ ~ 1e3 at 80² cells); 1e-10 still leaves a solution
    // error far below the discretisation error.
    const tol = step ? this.#tol : Math.min(this.#tol, 1e-10);
    const op = new GridMatrix(m, this.nx, this.ny);
    const ilu = GridIlu0.create(m, this.nx, this.ny);
    return this.#wrap(new BicgstabSolver(op, ilu, tol, this.#maxIter));
  }

  protected get directSolves(): boolean {
    return false;
  }

  #wrap(s: BicgstabSolver): LinearSolver {
    return {
      solve: (rhs: Float64Array, out: Float64Array) => {
        s.solve(rhs, out);
        this.lastIterations = s.iterations;
      },
    };
  }

  protected stationarySolve(a: CsrMatrix, x: Float64Array): void {
    // (N + u1ᵀ) x = u with N = −A: 1ᵀN = 0 gives 1ᵀx = 1 and then N x = 0; the
    // system is non-singular when the null space of N is one-dimensional.
    // u = diag(N)/n; preconditioner MILU(0) of N + 1e-3·diag(N).
    const n = a.rows, neg = copyCsr(a), diag = diagonalPositions(a);
    for (let e = 0; e < neg.values.length; e++) neg.values[e] = -neg.values[e]!;
    const u = new Float64Array(n), pre = copyCsr(neg);
    for (let i = 0; i < n; i++) {
      const d = neg.values[diag[i]!]!;
      u[i] = d / n;
      pre.values[diag[i]!] = d * (1 + 1e-3);
    }
    let sx = 0;
    for (let i = 0; i < n; i++) sx += x[i]!;
    for (let i = 0; i < n; i++) x[i] = x[i]! / sx;
    const tol = Math.min(this.#tol, 1e-12);
    const op = new GridMatrix(neg, this.nx, this.ny, u);
    const ilu = GridIlu0.create(pre, this.nx, this.ny);
    this.#wrap(new BicgstabSolver(op, ilu, tol, Math.max(this.#maxIter, 5000))).solve(u, x);
  }

  /**
   * Probability currents on every face: `x` has (n_x + 1)·n_y entries
   * (J_x on the face k = 0..n_x of row j at index j·(n_x + 1) + k) and `y` has
   * n_x·(n_y + 1) entries (J_y on face k = 0..n_y of column i at index
   * k·n_x + i). With periodic sides the first and last faces coincide.
   */
  currents(): { x: Float64Array; y: Float64Array } {
    const nx = this.nx, ny = this.ny, nxf = (nx + 1) * ny;
    const all = this.faceFluxes(this.density, new Float64Array(nxf + nx * (ny + 1)));
    const jx = all.slice(0, nxf), jy = all.slice(nxf);
    if (this.boundary.left === "periodic") {
      for (let j = 0; j < ny; j++) jx[j * (nx + 1) + nx] = jx[j * (nx + 1)]!;
    }
    if (this.boundary.bottom === "periodic") {
      for (let i = 0; i < nx; i++) jy[ny * nx + i] = jy[i]!;
    }
    return { x: jx, y: jy };
  }
}
