/**
 * Fokker–Planck solver in two dimensions with a full, state-dependent diffusion tensor: option
 * checks, the generator from assembly_2d.ts, BiCGSTAB with MILU(0) for the implicit stages and
 * the stationary state, and the face currents; time stepping and the checks come from the shared
 * engine (grid.ts). Depends on assembly_2d.ts, grid.ts, bicgstab.ts, milu.ts, grid_matrix.ts,
 * sparse.ts, density_checks.ts and stats/validate.ts.
 *
 * @module
 */
import { assertInteger, assertOneOf } from "../../stats/validate.ts";
import { MAX_GRID_CELLS } from "../limits.ts";
import { assertFunction, assertIntegerInRange, assertObject } from "../../stats/validate.ts";
import {
  assemble2D,
  type Coefficients2D,
  type Grid2D,
  type Sides2D,
  type Tensor2,
} from "./assembly_2d.ts";
import { BicgstabSolver } from "./bicgstab.ts";
import { formatNumber } from "./density_checks.ts";
import {
  assertBoundary,
  assertInterval,
  assertResolvable,
  type Boundary,
  GridFokkerPlanck,
  type GridOptions,
} from "./grid.ts";
import { GridMatrix } from "./grid_matrix.ts";
import { GridIlu0 } from "./milu.ts";
import { copyCsr, type CsrMatrix, diagonalPositions, type LinearSolver } from "./sparse.ts";

export type { Tensor2 } from "./assembly_2d.ts";

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
   * Discretisation of the cross diffusion D_xy (see the notes of mod.ts):
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

/** The checked boundaries of the four sides (missing ones reflecting). */
function resolveSides(bnd: Boundary | Boundaries2D): Sides2D {
  if (typeof bnd !== "string" && (bnd === null || typeof bnd !== "object")) {
    throw new TypeError(`boundary must be a boundary or { left, right, bottom, top }, got ${bnd}`);
  }
  const one = typeof bnd === "string" ? assertBoundary("boundary", bnd) : null;
  const each = bnd as Boundaries2D;
  const sides: Sides2D = {
    left: one ?? assertBoundary("boundary.left", each.left ?? "reflecting"),
    right: one ?? assertBoundary("boundary.right", each.right ?? "reflecting"),
    bottom: one ?? assertBoundary("boundary.bottom", each.bottom ?? "reflecting"),
    top: one ?? assertBoundary("boundary.top", each.top ?? "reflecting"),
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
  return sides;
}

/** D(x, y) as a checked function: finite and positive definite wherever it is evaluated. */
function tensorFunction(
  diffusion: number | Tensor2 | ((x: number, y: number) => Tensor2),
): (x: number, y: number) => Tensor2 {
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
  return (x: number, y: number): Tensor2 => {
    const d = diffFn(x, y);
    if (!Array.isArray(d)) {
      throw new TypeError(
        `diffusion must give [Dxx, Dxy, Dyy], got ${d} at (${formatNumber(x)}, ${formatNumber(y)})`,
      );
    }
    const [a, b, c] = d;
    if (
      d.length !== 3 || !Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) ||
      !(a > 0) || !(c > 0) || !(a * c - b * b > 0)
    ) {
      throw new RangeError(
        `diffusion must be positive definite, got [Dxx, Dxy, Dyy] = [${d.join(", ")}] at (${
          formatNumber(x)
        }, ${formatNumber(y)})`,
      );
    }
    return d;
  };
}

/** b(x, y) as a checked function: finite wherever it is evaluated. */
function driftFunction(
  drift: (x: number, y: number) => readonly [number, number],
): (x: number, y: number) => readonly [number, number] {
  return (x: number, y: number): readonly [number, number] => {
    const b = drift(x, y);
    if (!Array.isArray(b)) {
      throw new TypeError(
        `drift must return [bx, by], got ${b} at (${formatNumber(x)}, ${formatNumber(y)})`,
      );
    }
    if (b.length !== 2 || !Number.isFinite(b[0]) || !Number.isFinite(b[1])) {
      throw new RangeError(
        `drift must be finite, got [${b.join(", ")}] at (${formatNumber(x)}, ${formatNumber(y)})`,
      );
    }
    return b;
  };
}

/**
 * Fokker–Planck solver in 2-D, ∂p/∂t = −∇·(b p) + Σ_ij ∂_i∂_j(D_ij p) (Itô),
 * with a full, state-dependent 2×2 diffusion tensor (cross terms included, see
 * the notes of mod.ts), implicit steps solved by MILU(0)-preconditioned BiCGSTAB.
 * Cells are stored row by row: index j·n_x + i for centre
 * (x_lower + (i + ½) h_x, y_lower + (j + ½) h_y).
 *
 * @example
 * ```ts
 * import { FokkerPlanck2D } from "./fokker_planck_2d.ts";
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
    assertObject("options", options);
    const { xDomain, yDomain, cells, drift } = options;
    assertInterval("xDomain", xDomain);
    assertInterval("yDomain", yDomain);
    if (!Array.isArray(cells) || cells.length !== 2) {
      throw new RangeError(`cells must be [nx, ny], got ${cells}`);
    }
    assertIntegerInRange("cells[0]", cells[0], 3, MAX_GRID_CELLS);
    assertIntegerInRange("cells[1]", cells[1], 3, MAX_GRID_CELLS);
    if (!(cells[0] * cells[1] <= MAX_GRID_CELLS)) {
      throw new RangeError(
        `cells must have nx·ny at most ${MAX_GRID_CELLS} (size limit), got ${cells[0]} × ${
          cells[1]
        } = ${cells[0] * cells[1]}`,
      );
    }
    assertResolvable("xDomain", xDomain, "cells[0]", cells[0]);
    assertResolvable("yDomain", yDomain, "cells[1]", cells[1]);
    assertFunction("drift", drift);
    const tol = options.tolerance ?? 1e-8;
    if (!Number.isFinite(tol) || !(tol > 0) || tol >= 1) {
      throw new RangeError(`tolerance must be in (0, 1), got ${tol}`);
    }
    const maxIter = options.maxIterations ?? 2000;
    assertInteger("maxIterations", maxIter, 1);
    const sides = resolveSides(options.boundary ?? "reflecting");
    const [nx, ny] = cells, [x0, x1] = xDomain, [y0, y1] = yDomain;
    const hx = (x1 - x0) / nx, hy = (y1 - y0) / ny;
    const coefficients: Coefficients2D = {
      diffusion: tensorFunction(options.diffusion),
      drift: driftFunction(drift),
    };
    const xc = new Float64Array(nx), yc = new Float64Array(ny);
    for (let i = 0; i < nx; i++) xc[i] = x0 + (i + 0.5) * hx;
    for (let j = 0; j < ny; j++) yc[j] = y0 + (j + 0.5) * hy;
    const crossMode = assertOneOf(
      "crossDiffusion",
      options.crossDiffusion ?? "monotone",
      ["monotone", "central"] as const,
    );
    const grid: Grid2D = { nx, ny, hx, hy, x: [x0, x1], y: [y0, y1], xc, yc, sides };
    const { faces, generator, peclet } = assemble2D(grid, coefficients, crossMode === "monotone");
    super({
      size: nx * ny,
      cellVolume: hx * hy,
      faces,
      generator,
      sideNames: ["left", "right", "bottom", "top"],
      sideBoundaries: [sides.left, sides.right, sides.bottom, sides.top],
      peclet,
    }, options);
    this.nx = nx;
    this.ny = ny;
    this.hx = hx;
    this.hy = hy;
    this.xCenters = xc;
    this.yCenters = yc;
    this.boundary = sides;
    this.#tol = tol;
    this.#maxIter = maxIter;
    this.#setInitial(options);
  }

  #setInitial(options: FokkerPlanck2DOptions): void {
    const { nx, ny } = this, n = nx * ny;
    const init = options.initial, norm = options.normalize ?? true;
    if (init === undefined) this.setDensityNamed("initial", new Float64Array(n).fill(1), norm);
    else if (typeof init === "function") {
      const v = new Float64Array(n);
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) v[j * nx + i] = init(this.xCenters[i]!, this.yCenters[j]!);
      }
      this.setDensityNamed("initial", v, norm);
    } else this.setDensityNamed("initial", init, norm);
  }

  protected describeCell(c: number): string {
    const i = c % this.nx, j = Math.floor(c / this.nx);
    return `(x, y) = (${formatNumber(this.xCenters[i]!)}, ${formatNumber(this.yCenters[j]!)})`;
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

  /** The solver, recording its iteration count in {@link lastIterations}. */
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
