/**
 * The particle skeleton shared by every simulator of this folder: many independent copies of a
 * stochastic recursion advanced together over one `Float64Array` (particle-major,
 * `x[p * dim + j]`), with every work buffer allocated once per run.
 *
 * At each step the Gaussian noise of the particles still running is drawn (ziggurat.ts), then each
 * running particle is moved by the simulator's own update. First-passage times: `exit(x, offset)`
 * is checked at step 0 and after every step for every particle still running; a particle that
 * exits is frozen where it exited, draws no more noise, and its step is stored in `exitStep`
 * (−1: still inside after the last step, i.e. right-censored at `steps`). A particle that becomes
 * non-finite throws a RangeError naming it and the step. The same seed gives the same trajectories
 * bit for bit (exits change the stream only after the first exit).
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
  /** Uniform source. */
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
  for (let j = 0; j < n; j++) {
    const v = out[j]!;
    if (v - v === 0 && !(options.nonNegative && v < 0)) continue;
    const point = Array.from(x.subarray(offset, offset + dim)).join(", ");
    const hint = options.blewUp && step > 1
      ? "; the particle moved there from finite values: reduce the step size"
      : "";
    throw new RangeError(
      `${name} returned a ${options.nonNegative ? "negative or non-finite" : "non-finite"} ` +
        `value ${name}[${j}] = ${v} at x = [${point}] (particle ${
          offset / dim
        }, step ${step})${hint}`,
    );
  }
}

interface Setup {
  dim: number;
  count: number;
  steps: number;
  x: Float64Array;
  active: Uint8Array;
  exitStep: Int32Array;
  exit: ((x: Float64Array, offset: number) => boolean) | undefined;
  stopWhenAllExited: boolean;
  recordEvery: number;
  recordAt: Set<number>;
  snapshots: Float64Array[];
  snapshotSteps: number[];
  running: number;
}

/**
 * Runs `steps` steps of a simulator: validates the options, copies the initial cloud, then at
 * each step draws `noiseDim` standard normals per running particle and calls the move that
 * `makeMove(x)` returns (called once, after the initial cloud is in place) on each of them.
 */
export function runParticles(
  dim: number,
  options: ParticleOptions,
  dt: number,
  noiseDim: number,
  makeMove: (x: Float64Array) => ParticleMove,
): ParticleRun {
  const s = setup(dim, options);
  const move = makeMove(s.x);
  const { x, active, count } = s, prng = options.prng;
  const z = new Float64Array(count * noiseDim);
  let k = 0;
  while (k < s.steps) {
    fillActive(prng, z, s, noiseDim);
    for (let p = 0; p < count; p++) if (active[p]) move(x, p * dim, z, p * noiseDim, k + 1);
    k++;
    if (!afterStep(s, k)) break;
  }
  return {
    dim: s.dim,
    count: s.count,
    dt,
    steps: k,
    positions: s.x,
    exitStep: s.exitStep,
    exited: s.count - s.running,
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

/**
 * Fills the noise of the particles still running: `out[p·m .. (p+1)·m)` for
 * each active p (all of `out` in one block while none has exited).
 */
function fillActive(prng: Prng, out: Float64Array, s: Setup, m: number): void {
  if (s.running === s.count) {
    fillZiggurat(prng, out);
    return;
  }
  const active = s.active;
  for (let p = 0; p < s.count; p++) if (active[p]) fillZiggurat(prng, out, p * m, (p + 1) * m);
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
    active: new Uint8Array(count).fill(1),
    exitStep: new Int32Array(count).fill(-1),
    exit: o.exit,
    stopWhenAllExited: o.stopWhenAllExited ?? true,
    recordEvery,
    recordAt: new Set(recordAt),
    snapshots: [],
    snapshotSteps: [],
    running: count,
  };
  afterStep(s, 0);
  return s;
}

/** Checks finiteness and exits after `step`; records a snapshot; returns false to stop. */
function afterStep(s: Setup, step: number): boolean {
  const { dim, x, active } = s;
  for (let p = 0; p < s.count; p++) {
    if (!active[p]) continue;
    const off = p * dim;
    for (let j = 0; j < dim; j++) {
      if (!Number.isFinite(x[off + j]!)) {
        throw new RangeError(
          `particle ${p} became non-finite at step ${step}: x[${j}] = ${
            x[off + j]
          }; reduce the step size`,
        );
      }
    }
    if (s.exit !== undefined && s.exit(x, off)) {
      active[p] = 0;
      s.exitStep[p] = step;
      s.running--;
    }
  }
  if ((s.recordEvery > 0 && step % s.recordEvery === 0) || s.recordAt.has(step)) {
    s.snapshots.push(x.slice());
    s.snapshotSteps.push(step);
  }
  return !(s.exit !== undefined && s.stopWhenAllExited && s.running === 0);
}
