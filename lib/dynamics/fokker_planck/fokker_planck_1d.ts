/**
 * Fokker–Planck solver in one dimension: assembly of the Scharfetter–Gummel face stencils on a
 * uniform cell-centred grid, the tridiagonal solves, the zero-flux stationary recurrence and the
 * probability currents; time stepping and the checks come from the shared engine (grid.ts).
 * Depends on grid.ts, faces.ts, sparse.ts, tridiagonal.ts, density_checks.ts and
 * stats/validate.ts.
 *
 * @module
 */
import { formatNumber } from "./density_checks.ts";
import { addFaceFluxes, emptyFaceStencils, type FaceStencils, fittedCoefficient } from "./faces.ts";
import { MAX_GRID_CELLS } from "../limits.ts";
import { assertIntegerInRange, assertObject } from "../../stats/validate.ts";
import {
  assertBoundary,
  assertInterval,
  assertResolvable,
  type Boundary,
  GridFokkerPlanck,
  type GridOptions,
  type PecletReport,
} from "./grid.ts";
import { CsrBuilder, type CsrMatrix, type LinearSolver } from "./sparse.ts";
import { TridiagonalSolver } from "./tridiagonal.ts";

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

/** The checked boundaries [lower, upper] of the options. */
function resolveBoundaries(bnd: Boundary | readonly [Boundary, Boundary]): [Boundary, Boundary] {
  if (typeof bnd !== "string" && (!Array.isArray(bnd) || bnd.length !== 2)) {
    throw new TypeError(`boundary must be a boundary or [lower, upper], got ${bnd}`);
  }
  const boundary: [Boundary, Boundary] = typeof bnd === "string"
    ? [assertBoundary("boundary", bnd), bnd]
    : [assertBoundary("boundary[0]", bnd[0]), assertBoundary("boundary[1]", bnd[1])];
  if ((boundary[0] === "periodic") !== (boundary[1] === "periodic")) {
    throw new RangeError(`periodic boundaries must be paired, got [${boundary.join(", ")}]`);
  }
  return boundary;
}

/** D(x) as a checked function: finite and > 0 wherever it is evaluated. */
function diffusionFunction(diffusion: number | ((x: number) => number)): (x: number) => number {
  const diff = typeof diffusion === "number" ? () => diffusion : diffusion;
  if (typeof diff !== "function") {
    throw new TypeError(`diffusion must be a number or a function, got ${diffusion}`);
  }
  return (x: number): number => {
    const d = diff(x);
    if (typeof d !== "number" || !Number.isFinite(d) || !(d > 0)) {
      throw new RangeError(`diffusion must be finite and > 0, got ${d} at x = ${formatNumber(x)}`);
    }
    return d;
  };
}

/** b(x) as a checked function: finite wherever it is evaluated. */
function driftFunction(drift: (x: number) => number): (x: number) => number {
  if (typeof drift !== "function") throw new TypeError(`drift must be a function, got ${drift}`);
  return (x: number): number => {
    const b = drift(x);
    if (typeof b !== "number" || !Number.isFinite(b)) {
      throw new RangeError(`drift must be finite, got ${b} at x = ${formatNumber(x)}`);
    }
    return b;
  };
}

/**
 * The face stencils of the 1-D grid: face k (k = 0..n, or 0..n−1 when periodic) at lower + k h
 * between cells k − 1 and k, with the fitted flux over a full cell inside and over a half cell
 * at an absorbing wall (none at a reflecting one); also the largest cell Péclet number.
 */
function assembleFaces1D(
  lo: number,
  hi: number,
  n: number,
  boundary: readonly [Boundary, Boundary],
  evalB: (x: number) => number,
  evalD: (x: number) => number,
  dC: Float64Array,
): { faces: FaceStencils; peclet: PecletReport } {
  const h = (hi - lo) / n;
  const periodic = boundary[0] === "periodic";
  const count = periodic ? n : n + 1;
  const faces = emptyFaceStencils(count, 2);
  faces.invWidth.fill(1 / h);
  faces.area.fill(1);
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
      faces.coef[2 * k] = fittedCoefficient("minus", z, dC[left]!, width);
    }
    if (right >= 0) {
      faces.cell[2 * k + 1] = right;
      faces.coef[2 * k + 1] = fittedCoefficient("plus", z, dC[right]!, width);
    }
    if (isWall) faces.side[k] = left < 0 ? 0 : 1;
  }
  return { faces, peclet: pe };
}

/**
 * Fokker–Planck solver in 1-D, ∂p/∂t = −∂_x[b p − ∂_x(D p)] (Itô), on a uniform
 * cell-centred grid with Scharfetter–Gummel fluxes (see the notes of mod.ts for
 * the scheme, the boundaries and the checks). Cell i has centre
 * x_i = lower + (i + ½) h; face k (k = 0..n) sits at lower + k h. Implicit
 * stages are solved directly (tridiagonal, Sherman–Morrison when periodic).
 *
 * @example
 * ```ts
 * import { FokkerPlanck1D } from "./fokker_planck_1d.ts";
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
    assertObject("options", options);
    const { domain, cells } = options;
    assertInterval("domain", domain);
    assertIntegerInRange("cells", cells, 3, MAX_GRID_CELLS);
    assertResolvable("domain", domain, "cells", cells);
    const evalB = driftFunction(options.drift);
    const boundary = resolveBoundaries(options.boundary ?? "reflecting");
    const [lo, hi] = domain, n = cells, h = (hi - lo) / n;
    const evalD = diffusionFunction(options.diffusion);
    const centers = new Float64Array(n), dC = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      centers[i] = lo + (i + 0.5) * h;
      dC[i] = evalD(centers[i]!);
    }
    const { faces, peclet } = assembleFaces1D(lo, hi, n, boundary, evalB, evalD, dC);
    const builder = new CsrBuilder(n, 3);
    addFaceFluxes(builder, faces);
    super({
      size: n,
      cellVolume: h,
      faces,
      generator: builder.toCsr(),
      sideNames: ["lower", "upper"],
      sideBoundaries: boundary,
      peclet,
    }, options);
    this.domain = [lo, hi];
    this.cells = n;
    this.cellWidth = h;
    this.centers = centers;
    this.boundary = boundary;
    const init = options.initial, norm = options.normalize ?? true;
    if (init === undefined) this.setDensityNamed("initial", new Float64Array(n).fill(1), norm);
    else if (typeof init === "function") {
      this.setDensityNamed("initial", Array.from(centers, init), norm);
    } else this.setDensityNamed("initial", init, norm);
  }

  protected describeCell(i: number): string {
    return `x = ${formatNumber(this.centers[i]!)}`;
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
    if (!(out instanceof Float64Array)) {
      throw new TypeError(`out must be a Float64Array, got ${out}`);
    }
    if (out.length !== this.cells + 1) {
      throw new RangeError(`out must have length ${this.cells + 1}, got ${out.length}`);
    }
    this.faceFluxes(this.density, out);
    if (this.boundary[0] === "periodic") out[this.cells] = out[0]!;
    return out;
  }
}
