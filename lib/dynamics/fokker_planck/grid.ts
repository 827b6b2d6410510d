/**
 * The engine shared by the 1-D and 2-D Fokker–Planck solvers: given the face stencils and the
 * assembled generator A of a grid, it holds the density, takes time steps (time_schemes.ts) with
 * the positivity and mass checks (density_checks.ts), tracks the outflow through absorbing sides,
 * and computes steady and quasi-stationary states and generator solves. The subclasses supply the
 * geometry and the linear solvers. Depends on sparse.ts, faces.ts, time_schemes.ts,
 * density_checks.ts and stats/validate.ts.
 *
 * @module
 */
import { assertInteger, assertOneOf, assertPositive } from "../../stats/validate.ts";
import {
  assertStepDensity,
  formatNumber,
  isMonotone,
  restoreMassBalance,
} from "./density_checks.ts";
import {
  addOutflowRates,
  cellOutflowRates,
  faceDivergence,
  faceFlux,
  type FaceStencils,
  wallFaces,
} from "./faces.ts";
import {
  copyCsr,
  type CsrMatrix,
  csrMul,
  csrMulTranspose,
  csrTranspose,
  diagonalPositions,
  type LinearSolver,
  shiftedIdentity,
} from "./sparse.ts";
import {
  type InitialGuess,
  type StepArrays,
  type StepSystem,
  TIME_SCHEMES,
  type TimeScheme,
  timeStep,
} from "./time_schemes.ts";

/** Boundary condition of one side. */
export type Boundary = "reflecting" | "absorbing" | "periodic";

const BOUNDARIES: readonly Boundary[] = ["reflecting", "absorbing", "periodic"];

/** Result of {@link GridFokkerPlanck.quasiStationary}. */
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

/** Throws a RangeError naming `name` unless `b` is one of the three boundaries; returns it. */
export function assertBoundary(name: string, b: string): Boundary {
  return assertOneOf(name, b, BOUNDARIES);
}

/** Throws a RangeError naming `name` unless `d` is [lower, upper] with finite lower < upper. */
export function assertInterval(name: string, d: readonly [number, number]): void {
  if (
    !Array.isArray(d) || d.length !== 2 || !Number.isFinite(d[0]) || !Number.isFinite(d[1]) ||
    !(d[0] < d[1])
  ) {
    throw new RangeError(`${name} must be [lower, upper] with finite lower < upper, got ${d}`);
  }
  if (!Number.isFinite(d[1] - d[0])) {
    throw new RangeError(
      `${name} must have a finite width upper − lower, got [${d}] (width ${d[1] - d[0]})`,
    );
  }
}

/**
 * Throws a RangeError naming `name` and `cellsName` unless `cells` cells of [lower, upper] have
 * distinct, increasing faces and centres in floating point (h > 0 and lower + h/2 > lower).
 */
export function assertResolvable(
  name: string,
  d: readonly [number, number],
  cellsName: string,
  cells: number,
): void {
  const h = (d[1] - d[0]) / cells;
  const lo = d[0], hi = d[1];
  if (
    !(h > 0) || !Number.isFinite(1 / (h * h)) || !(lo + 0.5 * h > lo) || !(hi - 0.5 * h < hi) ||
    !(lo + h < hi)
  ) {
    throw new RangeError(
      `${name} [${d}] is too narrow for ${cellsName} = ${cells} cells: the cell width ${h} ` +
        `does not separate the cell centres in floating point`,
    );
  }
}

/** Largest number of steps {@link GridFokkerPlanck.advanceTo} takes in one call. */
export const MAX_ADVANCE_STEPS = 10_000_000;

/** Solves with `solver`, naming the grid (domain and cells) when a direct solve breaks down. */
function solveNamed(solver: LinearSolver, b: Float64Array, x: Float64Array, what: string): void {
  named(what, () => solver.solve(b, x));
}

/** Runs `f`, naming the grid (domain and cells) when a direct solver breaks down. */
function named<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof RangeError) || /tolerance|maxIterations/.test(e.message)) throw e;
    throw new RangeError(
      `${what}: ${e.message}; the generator of this domain and cells is too ill-conditioned`,
    );
  }
}

/** What a subclass hands to the engine: the discretised problem. */
export interface GridProblem {
  /** Number of cells. */
  size: number;
  /** Cell volume (h in 1-D, h_x h_y in 2-D). */
  cellVolume: number;
  /** Face stencils of the probability current (for currents, outflow and flux-form products). */
  faces: FaceStencils;
  /** The assembled generator A. */
  generator: CsrMatrix;
  /** Name of each side, indexed by FaceStencils.side. */
  sideNames: readonly string[];
  /** Boundary of each side. */
  sideBoundaries: readonly Boundary[];
  /** Largest cell Péclet number. */
  peclet: PecletReport;
}

/**
 * Shared engine: time stepping, checks, outflow bookkeeping, steady and
 * quasi-stationary states and generator solves on an assembled grid problem.
 */
export abstract class GridFokkerPlanck {
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
  readonly #arrays: StepArrays;
  readonly #system: StepSystem;
  #hasPrev = false;
  #prevDt = 0;
  readonly #faces: FaceStencils;
  /** Faces on absorbing walls (the only ones with outflow). */
  readonly #wallFaces: Int32Array;
  readonly #a: CsrMatrix;
  readonly #diag: Int32Array;
  readonly #sideNames: readonly string[];
  readonly #sideAbsorbing: readonly boolean[];
  readonly #outflow: Float64Array;
  /** Σ over sides of the outflow coefficient of each cell, divided by the cell volume. */
  readonly #cellOutflow: Float64Array;
  readonly #negTol: number;
  readonly #solvers = new Map<number, LinearSolver>();
  #generatorSolver: LinearSolver | null = null;
  #adjointSolver: LinearSolver | null = null;

  /**
   * @param problem the assembled grid problem
   * @param options scheme, Péclet limit and negative tolerance (checked here)
   */
  protected constructor(problem: GridProblem, options: GridOptions) {
    const { size, cellVolume, faces, generator, sideNames, peclet } = problem;
    this.size = size;
    this.cellVolume = cellVolume;
    this.scheme = assertOneOf("scheme", options.scheme ?? "backward-euler", TIME_SCHEMES);
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
        `grid too coarse for the drift: cell Péclet number |b|h/D = ${
          formatNumber(peclet.max)
        } at (${peclet.at.map(formatNumber).join(", ")}) exceeds maxPeclet = ${maxPe}; ` +
          `use more cells (or raise maxPeclet)`,
      );
    }
    for (let e = 0; e < generator.values.length; e++) {
      if (!Number.isFinite(generator.values[e]!)) {
        throw new RangeError(
          `the grid gives a non-finite generator entry ${generator.values[e]}: the cells are ` +
            `too small for the diffusion (D/h² overflows); use a wider domain or fewer cells`,
        );
      }
    }
    this.peclet = peclet;
    this.#faces = faces;
    this.#wallFaces = wallFaces(faces);
    this.#sideNames = sideNames;
    this.#sideAbsorbing = problem.sideBoundaries.map((b) => b === "absorbing");
    this.#density = new Float64Array(size);
    this.#arrays = {
      p: this.#density,
      prev: new Float64Array(size),
      next: new Float64Array(size),
      star: new Float64Array(size),
      rhs: new Float64Array(size),
      outflow: new Float64Array(sideNames.length),
    };
    this.#outflow = new Float64Array(sideNames.length);
    this.#a = generator;
    this.#diag = diagonalPositions(this.#a);
    this.monotone = isMonotone(this.#a, this.#diag);
    this.#cellOutflow = cellOutflowRates(faces, size, cellVolume);
    this.#system = {
      solveShifted: (c, b, x) => this.#solveShifted(c, b, x),
      divergence: (q, out) => faceDivergence(this.#faces, q, out),
      addOutflowRates: (q, w, acc) => addOutflowRates(this.#faces, this.#wallFaces, q, w, acc),
    };
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
    this.setDensityNamed("density", values, normalize);
  }

  /** {@link setDensity} with the errors naming `name` (e.g. "initial" from a constructor). */
  protected setDensityNamed(name: string, values: ArrayLike<number>, normalize: boolean): void {
    if (
      values === null || typeof values !== "object" || typeof values.length !== "number"
    ) {
      throw new TypeError(`${name} must be an array of numbers, got ${values}`);
    }
    if (values.length !== this.size) {
      throw new RangeError(`${name} must have length ${this.size}, got ${values.length}`);
    }
    let s = 0;
    for (let i = 0; i < this.size; i++) {
      const v = values[i]!;
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new RangeError(
          `${name} must be finite and >= 0, got ${v} at cell ${i} (${this.describeCell(i)})`,
        );
      }
      s += v;
    }
    if (!(s > 0) || !Number.isFinite(s * this.cellVolume)) {
      throw new RangeError(
        `${name} must have a positive, finite mass, got ${s * this.cellVolume}`,
      );
    }
    if (typeof normalize !== "boolean") {
      throw new TypeError(`normalize must be true or false, got ${normalize}`);
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

  /** Normal fluxes J·n on all faces for density q (face order of the subclass). */
  protected faceFluxes(q: Float64Array, out: Float64Array): Float64Array {
    for (let f = 0; f < this.#faces.count; f++) out[f] = faceFlux(this.#faces, f, q);
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
    for (let i = 0; i < o.length; i++) {
      if (!Number.isFinite(o[i]!)) {
        throw new RangeError(`applyGenerator overflows (${o[i]} at ${this.describeCell(i)}) for x`);
      }
    }
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
      this.#adjointSolver ??= named(
        "solveGenerator",
        () => this.makeSolver(csrTranspose(this.#a), "other"),
      );
      solver = this.#adjointSolver;
    } else {
      this.#generatorSolver ??= named("solveGenerator", () => this.makeSolver(this.#a, "other"));
      solver = this.#generatorSolver;
    }
    const x = new Float64Array(this.size);
    solveNamed(solver, b, x, "solveGenerator");
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

  /** Solves (I − c A) x = b into x (x holds a guess), then restores the mass balance. */
  #solveShifted(cdt: number, b: Float64Array, x: Float64Array): void {
    this.#solverFor(cdt).solve(b, x);
    restoreMassBalance(b, x, cdt, this.#cellOutflow);
  }

  /**
   * Advances the density by one step of size dt with {@link scheme}; throws a
   * RangeError (leaving the state unchanged) if the new density has a
   * non-finite value or a value below −negativeTolerance · max p.
   * @param dt step size > 0
   * @returns this
   */
  step(dt: number): this {
    assertPositive("dt", dt);
    if (!Number.isFinite(this.time + dt)) {
      throw new RangeError(`dt must keep the time finite, got ${dt} at time ${this.time}`);
    }
    const s = this.#arrays;
    const guess: InitialGuess = this.directSolves
      ? "none"
      : this.#hasPrev && this.#prevDt === dt
      ? "extrapolate"
      : "current";
    s.outflow.fill(0);
    try {
      timeStep(this.scheme, this.#system, dt, s, guess);
    } catch (e) {
      if (!(e instanceof RangeError) || /\bdt\b/.test(e.message)) throw e;
      throw new RangeError(`step with dt = ${dt} failed: ${e.message}`);
    }
    assertStepDensity(s.next, {
      step: this.steps + 1,
      time: this.time + dt,
      dt,
      negativeTolerance: this.#negTol,
      monotone: this.monotone,
      describeCell: (i) => this.describeCell(i),
    });
    if (guess !== "none") s.prev.set(s.p);
    s.p.set(s.next);
    this.#hasPrev = true;
    this.#prevDt = dt;
    this.time += dt;
    this.steps++;
    const inc = s.outflow;
    for (let k = 0; k < inc.length; k++) this.#outflow[k] = this.#outflow[k]! + inc[k]!;
    return this;
  }

  /**
   * Takes `steps` steps of size dt.
   * @param steps number of steps (integer ≥ 0)
   * @param dt step size
   * @param onStep called after each step (e.g. to record mass or snapshots)
   * @returns this
   */
  run(steps: number, dt: number, onStep?: (solver: this) => void): this {
    assertInteger("steps", steps, 0);
    assertPositive("dt", dt);
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
    assertPositive("maxDt", maxDt);
    if (!Number.isFinite(t) || !(t > this.time)) {
      throw new RangeError(`t must be a finite number > the current time ${this.time}, got ${t}`);
    }
    const k = Math.ceil((t - this.time) / maxDt - 1e-9);
    if (!(k <= MAX_ADVANCE_STEPS)) {
      throw new RangeError(
        `advanceTo(${t}, maxDt = ${maxDt}) would take ${k} steps from time ${this.time}, more ` +
          `than the limit ${MAX_ADVANCE_STEPS}: raise maxDt`,
      );
    }
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
   * @param tolerance stop when the relative change of λ is below this (finite, > 0; default 1e-12)
   * @param maxIterations integer ≥ 1 (default 1000)
   * @throws RangeError when λ has not converged to `tolerance` within `maxIterations`
   */
  quasiStationary(tolerance = 1e-12, maxIterations = 1000): QuasiStationary {
    assertPositive("tolerance", tolerance);
    assertInteger("maxIterations", maxIterations, 1);
    this.#requireAbsorbing("quasiStationary");
    this.#generatorSolver ??= named("quasiStationary", () => this.makeSolver(this.#a, "other"));
    const n = this.size, V = this.cellVolume;
    let q = this.#density.slice(), x = new Float64Array(n);
    let rate = NaN, it = 0, converged = false;
    for (; it < maxIterations; it++) {
      x.set(q);
      solveNamed(this.#generatorSolver, q, x, "quasiStationary");
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
        converged = true;
        break;
      }
      rate = est;
    }
    if (!Number.isFinite(rate) || !(rate > 0)) {
      throw new RangeError(
        `quasiStationary: escape rate estimate ${rate} is not positive (tolerance = ` +
          `${tolerance}, maxIterations = ${maxIterations}); the generator of this domain and ` +
          `cells is too ill-conditioned`,
      );
    }
    if (!converged) {
      throw new RangeError(
        `quasiStationary did not converge: the escape rate ${rate} still changed by more than ` +
          `tolerance = ${tolerance} (relative) after maxIterations = ${maxIterations} ` +
          `inverse-iteration steps; raise maxIterations or tolerance`,
      );
    }
    const acc = new Float64Array(this.#sideNames.length);
    addOutflowRates(this.#faces, this.#wallFaces, q, 1, acc);
    let out = 0;
    for (const v of acc) out += v;
    return { density: q, rate, fluxOverPopulation: out, iterations: it };
  }
}
