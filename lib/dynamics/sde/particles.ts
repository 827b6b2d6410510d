/**
 * The particle skeleton shared by every simulator of this folder: many independent copies of a
 * stochastic recursion advanced together over one `Float64Array` (particle-major,
 * `x[p * dim + j]`), with every work buffer allocated once per run.
 *
 * At each step the Gaussian noise of the particles still running is drawn in one block
 * (ziggurat.ts: `noiseDim` normals per running particle, in increasing particle order), then the
 * simulator's own update moves every running particle in one call (a {@link ParticleStep}: its
 * loop over the particles lives in the simulator, so its calls of the landscape stay monomorphic).
 * The running particles are kept as a compacted list of indices, so exited particles cost
 * nothing. First-passage times: `exit(x, offset)` is checked at step 0 and after every step for
 * every particle still running; a particle that exits is frozen where it exited, draws no more
 * noise, and its step is stored in `exitStep` (−1: still inside after the last step, i.e.
 * right-censored at `steps`). A particle that becomes non-finite throws a RangeError naming it
 * and the step. The same seed gives the same trajectories bit for bit (exits change the stream
 * only after the first exit).
 *
 * Which random numbers: every simulator of this folder (simulateSgd, simulateLangevin,
 * simulateGradientSde, eulerMaruyama) draws its normals from ziggurat.ts and nothing else; with
 * a generator from `createPrng` that is one raw MT19937 word per ziggurat attempt, read in place
 * from the generator's block (about 1.02 words per normal), and with any other Prng one call
 * per attempt. A move passed to {@link runParticles} that draws from the Prng itself gets the
 * Prng's own doubles, in particle order after the step's normals.
 *
 * Depends on stats/ (Prng, argument checks) and the Landscape interface.
 *
 * @module
 */
import type { Prng } from "../../stats/random.ts";
import { assertFiniteArray, assertInteger, assertPositive } from "../../stats/validate.ts";
import type { Landscape } from "../landscape.ts";
import { MAX_PARTICLE_VALUES, MAX_STEPS } from "../limits.ts";
import {
  assertArrayLike,
  assertFunction,
  assertIntegerInRange,
  assertObject,
} from "../../stats/validate.ts";
import { fillZiggurat } from "./ziggurat.ts";

/** Options shared by every simulator. */
export interface ParticleOptions {
  /** Starting points: `count · dim` values (particle-major) or one point of `dim` values. */
  initial: ArrayLike<number>;
  /** Number of particles (required when `initial` is a single point). */
  count?: number;
  /** Number of steps (integer ≥ 0). */
  steps: number;
  /** Uniform source (the normals come from it through ziggurat.ts, see the module notes). */
  prng: Prng;
  /**
   * Absorbing set: called with the particle at `x[offset .. offset + dim)`;
   * true means the particle has exited (it is then frozen).
   */
  exit?: (x: Float64Array, offset: number) => boolean;
  /** Stop once every particle has exited (default true). */
  stopWhenAllExited?: boolean;
  /** Keep a copy of all positions every this many steps, step 0 included (default: none). */
  recordEvery?: number;
  /** Keep a copy of all positions at these steps too (e.g. from {@link stepsAtTimes}). */
  recordAt?: readonly number[];
}

/** Result of a particle simulation. */
export interface ParticleRun {
  readonly dim: number;
  readonly count: number;
  /** Time step (η for the SGD-type simulators). */
  readonly dt: number;
  /** Steps actually taken (fewer than requested when all particles exited). */
  readonly steps: number;
  /** Final positions, `count · dim` (exited particles: where they exited). */
  readonly positions: Float64Array;
  /** First step at which `exit` held (0 = at the start); −1: not exited, censored at `steps`. */
  readonly exitStep: Int32Array;
  /** Number of particles that exited. */
  readonly exited: number;
  /** Positions every `recordEvery` steps and at the `recordAt` steps (empty when not requested). */
  readonly snapshots: Float64Array[];
  /** The step of each snapshot. */
  readonly snapshotSteps: number[];
}

/**
 * The update of one running particle: moves `x[offset .. offset + dim)` using its standard
 * normals `z[zOffset .. zOffset + noiseDim)`; `step` (1-based) is the step being taken.
 */
export type ParticleMove = (
  x: Float64Array,
  offset: number,
  z: Float64Array,
  zOffset: number,
  step: number,
) => void;

/**
 * One step of a simulator for the particles still running: for r = 0 .. n−1 moves the particle
 * p = `running[r]` at `x[p·dim ..)` using its standard normals `z[r·noiseDim .. (r+1)·noiseDim)`;
 * `step` (1-based) is the step being taken. The indices increase with r. Returns true when it
 * has checked that every coordinate it wrote is finite (the runner then skips its own pass over
 * the cloud); false or nothing makes the runner check, and name a non-finite particle.
 */
export type ParticleStep = (
  x: Float64Array,
  running: Int32Array,
  n: number,
  z: Float64Array,
  step: number,
) => boolean | void;

/**
 * Throws a RangeError when one of `out[0 .. n)`, what the caller's function `name` returned for
 * the particle at `x[offset .. offset + dim)`, is not finite (or negative with `nonNegative`),
 * naming the function, the entry, the point, the particle and the step. When `blewUp` and the
 * step is past the first, the state came from finite values and the message suggests a smaller
 * step. Returns silently (one pass) otherwise.
 */
export function assertFiniteOutput(
  name: string,
  out: Float64Array,
  n: number,
  x: Float64Array,
  offset: number,
  dim: number,
  step: number,
  options: { nonNegative?: boolean; blewUp?: boolean } = {},
): void {
  const e = outputError(name, out, n, x, offset, dim, step, options);
  if (e !== undefined) throw e;
}

/**
 * The RangeError that {@link assertFiniteOutput} throws for these arguments, or undefined when
 * every entry is fine. For hot loops: `if (check fails) throw outputError(...)` keeps the call
 * out of the loop's normal path (a call that may return into the loop, even an untaken one,
 * made a particle step several times slower in V8).
 */
export function outputError(
  name: string,
  out: Float64Array,
  n: number,
  x: Float64Array,
  offset: number,
  dim: number,
  step: number,
  options: { nonNegative?: boolean; blewUp?: boolean } = {},
): RangeError | undefined {
  for (let j = 0; j < n; j++) {
    const v = out[j]!;
    if (v - v === 0 && !(options.nonNegative && v < 0)) continue;
    const point = Array.from(x.subarray(offset, offset + dim)).join(", ");
    const hint = options.blewUp && step > 1
      ? "; the particle moved there from finite values: reduce the step size"
      : "";
    return new RangeError(
      `${name} returned a ${options.nonNegative ? "negative or non-finite" : "non-finite"} ` +
        `value ${name}[${j}] = ${v} at x = [${point}] (particle ${
          offset / dim
        }, step ${step})${hint}`,
    );
  }
  return undefined;
}

interface Setup {
  dim: number;
  count: number;
  steps: number;
  x: Float64Array;
  /** The particles still running, `running[0 .. runningCount)`, in increasing order. */
  running: Int32Array;
  exitStep: Int32Array;
  exit: ((x: Float64Array, offset: number) => boolean) | undefined;
  stopWhenAllExited: boolean;
  recordEvery: number;
  recordAt: Set<number>;
  snapshots: Float64Array[];
  snapshotSteps: number[];
  runningCount: number;
}

/**
 * Runs `steps` steps of a simulator that moves one particle per call: {@link runParticleSteps}
 * with a step that calls the move that `makeMove(x)` returns on each running particle in turn
 * (same noise, same order).
 */
export function runParticles(
  dim: number,
  options: ParticleOptions,
  dt: number,
  noiseDim: number,
  makeMove: (x: Float64Array) => ParticleMove,
): ParticleRun {
  return runParticleSteps(dim, options, dt, noiseDim, (x0) => {
    const move = makeMove(x0);
    return (x, running, n, z, step) => {
      for (let r = 0; r < n; r++) move(x, running[r]! * dim, z, r * noiseDim, step);
    };
  });
}

/**
 * Runs `steps` steps of a simulator: validates the options, copies the initial cloud, then at
 * each step draws `noiseDim` standard normals per running particle (one block, in particle
 * order) and calls the step that `makeStep(x)` returns (called once, after the initial cloud is
 * in place) on the running particles.
 */
export function runParticleSteps(
  dim: number,
  options: ParticleOptions,
  dt: number,
  noiseDim: number,
  makeStep: (x: Float64Array) => ParticleStep,
): ParticleRun {
  const s = setup(dim, options);
  const step = makeStep(s.x);
  const { x, running } = s, prng = options.prng;
  const z = new Float64Array(s.count * noiseDim);
  let k = 0;
  while (k < s.steps) {
    const n = s.runningCount;
    fillZiggurat(prng, z, 0, n * noiseDim);
    const finite = step(x, running, n, z, k + 1) === true;
    k++;
    if (!afterStep(s, k, finite)) break;
  }
  return {
    dim: s.dim,
    count: s.count,
    dt,
    steps: k,
    positions: s.x,
    exitStep: s.exitStep,
    exited: s.count - s.runningCount,
    snapshots: s.snapshots,
    snapshotSteps: s.snapshotSteps,
  };
}

/**
 * The step counts at which a run with step `dt` reaches each of `times`: the running sum of
 * round((t_k − t_{k−1}) / dt) from t_0 = 0, each gap a multiple of dt to within 1e-9.
 *
 * @param times increasing times > 0
 * @param dt the time step > 0
 * @returns one step count per time, for {@link ParticleOptions.recordAt}
 * @throws RangeError when a gap is not a multiple of dt
 * @example
 * ```ts
 * import { stepsAtTimes } from "./particles.ts";
 * const steps = stepsAtTimes([0.5, 2], 0.25); // [2, 8]
 * if (steps[0] !== 2 || steps[1] !== 8) throw new Error(String(steps));
 * ```
 */
export function stepsAtTimes(times: readonly number[], dt: number): number[] {
  assertPositive("dt", dt);
  assertFiniteArray("times", times, 1);
  const last = times[times.length - 1]!;
  if (!(last / dt <= MAX_STEPS)) {
    throw new RangeError(
      `times must be reachable within ${MAX_STEPS} steps of dt = ${dt}, got ${last}`,
    );
  }
  let t = 0, total = 0;
  return times.map((tk) => {
    if (!(tk > t)) throw new RangeError(`times must increase from 0, got ${tk} after ${t}`);
    const steps = Math.round((tk - t) / dt);
    if (Math.abs(steps * dt - (tk - t)) > 1e-9) {
      throw new RangeError(`time ${tk} is not a multiple of the step ${dt}`);
    }
    t = tk;
    total += steps;
    return total;
  });
}

/** Throws unless `l` is a landscape: an object with an integer dim ≥ 1 and a gradient method. */
export function checkLandscape(l: Landscape): void {
  assertObject("landscape", l);
  assertIntegerInRange("landscape.dim", l.dim, 1, MAX_PARTICLE_VALUES);
  assertFunction("landscape.gradient", l.gradient);
}

/** The landscape's unchecked `derivatives`, or the checked gradient/hessian pair when it has none. */
export function derivativesOf(
  l: Landscape,
): (x: Float64Array, offset: number, grad: Float64Array, hess: Float64Array | null) => void {
  if (typeof l.derivatives === "function") return l.derivatives.bind(l);
  return (x, offset, grad, hess) => {
    l.gradient(x, grad, offset, 0);
    if (hess !== null) l.hessian(x, hess, offset, 0);
  };
}

function setup(dim: number, o: ParticleOptions): Setup {
  assertObject("options", o);
  const { initial, steps, prng } = o;
  if (typeof prng !== "function") throw new TypeError(`prng must be a function, got ${prng}`);
  assertIntegerInRange("steps", steps, 0, MAX_STEPS);
  assertArrayLike("initial", initial);
  let count: number;
  if (o.count !== undefined) {
    assertIntegerInRange("count", o.count, 1, Math.floor(MAX_PARTICLE_VALUES / dim));
    count = o.count;
    if (initial.length !== dim && initial.length !== count * dim) {
      throw new RangeError(
        `initial must have dim = ${dim} or count·dim = ${
          count * dim
        } values, got ${initial.length}`,
      );
    }
  } else {
    if (initial.length === 0 || initial.length % dim !== 0) {
      throw new RangeError(
        `initial must have a positive multiple of dim = ${dim} values, got ${initial.length}`,
      );
    }
    count = initial.length / dim;
    if (!(initial.length <= MAX_PARTICLE_VALUES)) {
      throw new RangeError(
        `initial must have at most ${MAX_PARTICLE_VALUES} values (size limit), got ${initial.length}`,
      );
    }
  }
  assertFiniteArray("initial", initial);
  const x = new Float64Array(count * dim);
  for (let k = 0; k < x.length; k++) x[k] = initial[initial.length === dim ? k % dim : k]!;
  const recordEvery = o.recordEvery ?? 0;
  assertInteger("recordEvery", recordEvery, 0);
  const recordAt = o.recordAt ?? [];
  if (!Array.isArray(recordAt)) {
    throw new TypeError(`recordAt must be an array of steps, got ${recordAt}`);
  }
  recordAt.forEach((v, i) => assertInteger(`recordAt[${i}]`, v, 0));
  const snapshots = (recordEvery > 0 ? Math.floor(steps / recordEvery) + 1 : 0) + recordAt.length;
  if (!(snapshots * count * dim <= MAX_PARTICLE_VALUES)) {
    throw new RangeError(
      `recordEvery = ${recordEvery} and recordAt (${recordAt.length} steps) would keep ` +
        `${snapshots} snapshots of ${count * dim} values, more than the limit ` +
        `${MAX_PARTICLE_VALUES}: record fewer steps`,
    );
  }
  if (o.exit !== undefined) assertFunction("exit", o.exit);
  const s: Setup = {
    dim,
    count,
    steps,
    x,
    running: Int32Array.from({ length: count }, (_, p) => p),
    exitStep: new Int32Array(count).fill(-1),
    exit: o.exit,
    stopWhenAllExited: o.stopWhenAllExited ?? true,
    recordEvery,
    recordAt: new Set(recordAt),
    snapshots: [],
    snapshotSteps: [],
    runningCount: count,
  };
  afterStep(s, 0);
  return s;
}

/**
 * Checks finiteness (unless the step did: `finite`) and exits after `step` (in particle order),
 * drops the exited particles from the running list; records a snapshot; returns false to stop.
 */
function afterStep(s: Setup, step: number, finite = false): boolean {
  const { dim, x, running, exit } = s, n = s.runningCount;
  if (exit === undefined) {
    if (finite) {
      // nothing to check
    } else if (n === s.count) {
      // every particle runs: one pass over the cloud
      for (let k = 0; k < x.length; k++) {
        const v = x[k]!;
        if (v - v !== 0) throw nonFinite(x, dim, Math.floor(k / dim), step);
      }
    } else {
      for (let r = 0; r < n; r++) {
        const off = running[r]! * dim;
        for (let j = 0; j < dim; j++) {
          const v = x[off + j]!;
          if (v - v !== 0) throw nonFinite(x, dim, running[r]!, step);
        }
      }
    }
  } else {
    let kept = 0;
    for (let r = 0; r < n; r++) {
      const p = running[r]!, off = p * dim;
      for (let j = 0; j < (finite ? 0 : dim); j++) {
        const v = x[off + j]!;
        if (v - v !== 0) throw nonFinite(x, dim, p, step);
      }
      if (exit(x, off)) s.exitStep[p] = step;
      else running[kept++] = p;
    }
    s.runningCount = kept;
  }
  if ((s.recordEvery > 0 && step % s.recordEvery === 0) || s.recordAt.has(step)) {
    s.snapshots.push(x.slice());
    s.snapshotSteps.push(step);
  }
  return !(exit !== undefined && s.stopWhenAllExited && s.runningCount === 0);
}

/** The RangeError for particle p, one of whose coordinates is not finite after `step`. */
function nonFinite(x: Float64Array, dim: number, p: number, step: number): RangeError {
  let j = 0;
  while (j < dim - 1 && Number.isFinite(x[p * dim + j]!)) j++;
  return new RangeError(
    `particle ${p} became non-finite at step ${step}: x[${j}] = ${
      x[p * dim + j]
    }; reduce the step size`,
  );
}
