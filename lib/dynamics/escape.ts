/**
 * Mean escape time from a valley, three independent ways, so that each
 * checks the others (post: "SGD chooses a flat minimum", Eq. 11 and the
 * theorem of Xie, Sato & Sugiyama 2021, corrected in ERRATA.md):
 *
 * 1. **Monte Carlo**: first-passage times of particles ({@link escapeFromRun})
 *    with right-censoring handled by the exponential maximum-likelihood
 *    estimator, and the Kaplan–Meier survival curve for plots;
 * 2. **Fokker–Planck**: the mean first passage time from the backward
 *    Kolmogorov equation L†T = −1 on the grid ({@link meanFirstPassageTime1D}),
 *    and flux over population from the quasi-stationary density
 *    ({@link fluxOverPopulation1D}, Eq. 11: τ = population / outward flux);
 * 3. **Formulas**: Kramers ({@link kramersEscapeTime}) and Xie et al.
 *    ({@link xieEscapeTime}); plus the exact 1-D double integral
 *    ({@link exactMeanFirstPassageTime1D}) that the grid solution is tested
 *    against.
 *
 * The dynamics throughout is the Itô SDE dθ = −L'(θ) dt + √(2D(θ)) dB
 * (for SGD, dt = η and D = ηH/(2S), ERRATA Eq. 6), with time in units of dt
 * (one SGD step = η time units).
 *
 * @module
 */
import jStat from "jstat";
import { FokkerPlanck1D } from "./fokker_planck/mod.ts";
import type { ParticleRun } from "./sde/particles.ts";
import { linearAt } from "./grid_interpolation.ts";
import { assertInInterval, assertInteger, assertPositive } from "../stats/validate.ts";
import { MAX_GRID_CELLS } from "./limits.ts";
import {
  assertArrayLike,
  assertBetween,
  assertFunction,
  assertIntegerInRange,
  assertObject,
} from "../stats/validate.ts";

/** Throws a RangeError naming hB unless it is a finite number ≠ 0 (its absolute value is used). */
function nonZero(name: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v === 0) {
    throw new RangeError(`${name} must be a finite number != 0, got ${v}`);
  }
}

/** Throws a RangeError naming the arguments of an escape-time formula when it overflows. */
function finiteTime(t: number, names: string, values: readonly number[]): number {
  if (!Number.isFinite(t)) {
    throw new RangeError(
      `the escape time overflows (${t}) for ${names} = ${values.join(", ")}: ` +
        `the exponent is too large for a double`,
    );
  }
  return t;
}

/**
 * Kramers' escape time for overdamped motion with constant isotropic
 * diffusion D over a barrier ΔL between a minimum of curvature h_a and a
 * saddle of curvature −|h_b| (Kramers 1940; Hänggi, Talkner & Borkovec 1990,
 * Eq. 4.5b in 1-D):
 *
 *   τ = 2π / √(h_a |h_b|) · exp(ΔL / D).
 *
 * Assumptions: low temperature (ΔL/D ≫ 1), quasi-equilibrium inside the
 * valley, quadratic (second-order Taylor) minimum and saddle.
 *
 * @param p.deltaL barrier height ΔL > 0
 * @param p.hA curvature at the minimum > 0
 * @param p.hB curvature at the saddle (its absolute value is used, ≠ 0)
 * @param p.diffusion D > 0 (temperature)
 * @returns the mean escape time, in the time unit of the SDE
 * @example
 * ```ts
 * import { kramersEscapeTime } from "./escape.ts";
 * const t = kramersEscapeTime({ deltaL: 1, hA: 1, hB: -1, diffusion: 0.1 });
 * if (Math.abs(t - 2 * Math.PI * Math.exp(10)) > 1e-6 * t) throw new Error();
 * ```
 */
export function kramersEscapeTime(
  p: { deltaL: number; hA: number; hB: number; diffusion: number },
): number {
  assertObject("p", p);
  assertPositive("deltaL", p.deltaL);
  assertPositive("hA", p.hA);
  nonZero("hB", p.hB);
  assertPositive("diffusion", p.diffusion);
  return finiteTime(
    (2 * Math.PI) / Math.sqrt(p.hA * Math.abs(p.hB)) * Math.exp(p.deltaL / p.diffusion),
    "deltaL, hA, hB, diffusion",
    [p.deltaL, p.hA, p.hB, p.diffusion],
  );
}

/**
 * The escape time of SGD from the theorem of Xie, Sato & Sugiyama (2021,
 * "A diffusion theory for deep learning dynamics", ICLR; arXiv 2002.03495,
 * Thm 3.2), with the typos of the post corrected (ERRATA):
 *
 *   τ = 2π (1/|H_be|) exp[ (2 S ΔL / η) ( s/H_ae + (1 − s)/|H_be| ) ],
 *
 * where S is the batch size, η the learning rate, H_ae and H_be the
 * curvatures at the minimum and at the saddle along the escape direction, and
 * s ∈ (0, 1) a path-dependent parameter. Time is measured in the SDE's time
 * (divide by η for SGD steps). Assumptions: D = ηH/(2S) (SGN covariance
 * H/S), low temperature, quasi-equilibrium, second-order Taylor expansions at
 * the minimum and the saddle.
 *
 * @param p.deltaL barrier height ΔL > 0
 * @param p.hA curvature at the minimum H_ae > 0
 * @param p.hB curvature at the saddle H_be (absolute value used)
 * @param p.eta learning rate η > 0
 * @param p.batchSize S > 0
 * @param p.s path parameter in (0, 1)
 */
export function xieEscapeTime(
  p: { deltaL: number; hA: number; hB: number; eta: number; batchSize: number; s: number },
): number {
  assertObject("p", p);
  assertPositive("deltaL", p.deltaL);
  assertPositive("hA", p.hA);
  nonZero("hB", p.hB);
  assertPositive("eta", p.eta);
  assertPositive("batchSize", p.batchSize);
  assertInInterval("s", p.s, 0, 1, "()");
  const hb = Math.abs(p.hB);
  return finiteTime(
    (2 * Math.PI / hb) *
      Math.exp(((2 * p.batchSize * p.deltaL) / p.eta) * (p.s / p.hA + (1 - p.s) / hb)),
    "deltaL, hA, hB, eta, batchSize, s",
    [p.deltaL, p.hA, p.hB, p.eta, p.batchSize, p.s],
  );
}

/** Options of the 1-D mean-first-passage routines. */
export interface Mfpt1DOptions {
  /** Reflecting side a (the far side of the valley). */
  reflecting: number;
  /** Absorbing side b (past the barrier top). */
  absorbing: number;
  /** L'(x). */
  gradient: (x: number) => number;
  /** D(x) > 0 (constant or function). */
  diffusion: number | ((x: number) => number);
}

function diffusionFn(d: number | ((x: number) => number)): (x: number) => number {
  if (typeof d === "number") {
    assertPositive("diffusion", d);
    return () => d;
  }
  if (typeof d !== "function") {
    throw new TypeError(`diffusion must be a number or a function, got ${d}`);
  }
  return d;
}

/**
 * The checked valley of {@link Mfpt1DOptions}: distinct finite ends with a finite distance, a
 * gradient function and a diffusion (number > 0 or function); and, when given, x0 between them.
 * The same rule for every 1-D mean-first-passage routine.
 */
function checkValley(o: Mfpt1DOptions, x0?: number): void {
  assertObject("o", o);
  const a = o.reflecting, b = o.absorbing;
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === b || !Number.isFinite(b - a)) {
    throw new RangeError(
      `reflecting and absorbing must be distinct finite numbers, got ${a} and ${b}`,
    );
  }
  assertFunction("gradient", o.gradient);
  diffusionFn(o.diffusion);
  if (x0 !== undefined) assertBetween("x0", x0, a, b);
}

/**
 * The exact mean first passage time in 1-D from x0 to the absorbing point b,
 * with a reflecting point a on the other side (Gardiner, Handbook of
 * Stochastic Methods, §5.2.7):
 *
 *   T(x0) = ∫_{x0}^{b} (1/ψ(y)) ∫_{a}^{y} ψ(z)/D(z) dz dy,  ψ = exp(−∫ L'/D),
 *
 * evaluated by the trapezoid rule in log space (no overflow at low
 * temperature) on `points` nodes and on half of them, then Richardson
 * extrapolated (error O(h⁴) for smooth integrands). Works for a < b and for
 * a > b (escape to the left).
 *
 * @param o see {@link Mfpt1DOptions}
 * @param x0 start point between a and b
 * @param points quadrature nodes (odd, ≥ 101; default 40,001)
 * @returns T(x0)
 */
export function exactMeanFirstPassageTime1D(o: Mfpt1DOptions, x0: number, points = 40001): number {
  checkValley(o, x0);
  if (!Number.isInteger(points) || points < 101 || points % 2 === 0) {
    throw new RangeError(`points must be an odd integer >= 101, got ${points}`);
  }
  assertIntegerInRange("points", points, 101, MAX_GRID_CELLS);
  const fine = mfptTrapezoid(o, x0, points);
  const coarse = mfptTrapezoid(o, x0, (points + 1) / 2);
  const t = fine + (fine - coarse) / 3;
  if (!Number.isFinite(t)) {
    throw new RangeError(
      `the mean first passage time from x0 = ${x0} overflows (${t}): ` +
        `the barrier is too high for the diffusion (L'/D integrates past e^709)`,
    );
  }
  return t;
}

function mfptTrapezoid(o: Mfpt1DOptions, x0: number, n: number): number {
  const a = o.reflecting, b = o.absorbing, dfn = diffusionFn(o.diffusion);
  // oriented coordinate u from a (u = 0) to b (u = 1): x = a + u (b − a)
  const h = (b - a) / (n - 1);
  const x = (i: number) => a + i * h;
  // Φ(x) = ∫_a^x L'/D (so ψ = e^{−Φ}); trapezoid on the same nodes
  const phi = new Float64Array(n);
  const ratio = new Float64Array(n);
  const dv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = dfn(x(i));
    const g = o.gradient(x(i));
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new RangeError(`diffusion must be > 0, got ${d} at x = ${x(i)}`);
    }
    if (!Number.isFinite(g)) {
      throw new RangeError(`gradient must be finite, got ${g} at x = ${x(i)}`);
    }
    ratio[i] = g / d;
    dv[i] = d;
  }
  for (let i = 1; i < n; i++) phi[i] = phi[i - 1]! + 0.5 * h * (ratio[i - 1]! + ratio[i]!);
  // log of the inner integral I(y) = ∫_a^y e^{−Φ(z)}/D(z) dz (signed h: |h| with orientation)
  const hAbs = Math.abs(h);
  const logF = (i: number) => -phi[i]! - Math.log(dv[i]!);
  const logI = new Float64Array(n);
  logI[0] = -Infinity;
  for (let i = 1; i < n; i++) {
    // I_i = I_{i−1} + h/2 (f_{i−1} + f_i)
    logI[i] = logAdd(logI[i - 1]!, Math.log(hAbs / 2) + logAdd(logF(i - 1), logF(i)));
  }
  // outer ∫_{x0}^{b} e^{Φ(y)} I(y) dy on the nodes from x0 (interpolating the first partial cell)
  const u0 = (x0 - a) / (b - a) * (n - 1);
  const i0 = Math.min(n - 2, Math.floor(u0));
  const g = (i: number) => phi[i]! + logI[i]!;
  let logSum = -Infinity;
  for (let i = i0 + 1; i < n - 1; i++) {
    logSum = logAdd(logSum, Math.log(hAbs / 2) + logAdd(g(i), g(i + 1)));
  }
  // partial cell [x0, x_{i0+1}]: trapezoid with the integrand at x0 interpolated linearly
  const frac = u0 - i0;
  if (frac < 1) {
    const gx0 = logAdd(
      Math.log(1 - frac) + g(i0),
      frac > 0 ? Math.log(frac) + g(i0 + 1) : -Infinity,
    );
    logSum = logAdd(logSum, Math.log((hAbs * (1 - frac)) / 2) + logAdd(gx0, g(i0 + 1)));
  }
  return Math.exp(logSum);
}

function logAdd(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

/** Result of {@link meanFirstPassageTime1D}. */
export interface Mfpt1D {
  /** Cell centres of the grid. */
  centers: Float64Array;
  /** T at each cell centre. */
  times: Float64Array;
  /** T(x0), linearly interpolated between cell centres. */
  atStart: number;
}

/**
 * The mean first passage time on a finite-volume grid: solves the backward
 * Kolmogorov equation L†T = −1 (the transpose of the Fokker–Planck generator,
 * see `FokkerPlanck1D.solveGenerator`) with a reflecting side at
 * `reflecting` and an absorbing side at `absorbing`.
 *
 * @param o see {@link Mfpt1DOptions}
 * @param x0 start point
 * @param cells grid cells (default 2,000)
 */
export function meanFirstPassageTime1D(o: Mfpt1DOptions, x0: number, cells = 2000): Mfpt1D {
  checkValley(o, x0);
  const fp = valleyGrid(o, cells);
  const times = fp.solveGenerator(new Float64Array(fp.size).fill(-1), true);
  return { centers: fp.centers, times, atStart: linearAt(fp.centers, times, x0) };
}

function valleyGrid(
  o: Mfpt1DOptions,
  cells: number,
  initial?: (x: number) => number,
): FokkerPlanck1D {
  checkValley(o);
  const a = o.reflecting, b = o.absorbing;
  const left = a < b;
  return new FokkerPlanck1D({
    domain: left ? [a, b] : [b, a],
    cells,
    drift: (x) => -o.gradient(x),
    diffusion: o.diffusion,
    boundary: left ? ["reflecting", "absorbing"] : ["absorbing", "reflecting"],
    ...(initial ? { initial } : {}),
  });
}

/**
 * Eq. 11 of the post: τ = (population inside the valley) / (outward
 * probability flux), evaluated on the quasi-stationary density of the
 * Fokker–Planck equation with an absorbing side (its principal mode, whose
 * escape rate λ gives τ = 1/λ).
 *
 * @param o see {@link Mfpt1DOptions}
 * @param cells grid cells (default 2,000)
 * @returns τ = 1/λ and the quasi-stationary density on the grid
 */
export function fluxOverPopulation1D(
  o: Mfpt1DOptions,
  cells = 2000,
): { time: number; density: Float64Array; centers: Float64Array } {
  const fp = valleyGrid(o, cells);
  const q = fp.quasiStationary();
  const time = 1 / q.fluxOverPopulation;
  if (!Number.isFinite(time)) {
    throw new RangeError(
      `the escape time overflows (${time}): the outward flux of the quasi-stationary density ` +
        `is ${q.fluxOverPopulation}; the barrier is too high for the diffusion`,
    );
  }
  return { time, density: q.density, centers: fp.centers };
}

/** Monte Carlo escape-time estimate from first-passage times. */
export interface EscapeEstimate {
  /** Exponential maximum-likelihood mean escape time (time units). */
  mean: number;
  /** 95% interval of `mean` (χ² with 2d degrees of freedom; d = number of escapes). */
  interval: [number, number];
  /** Fraction of particles that escaped within the horizon. */
  escapedFraction: number;
  /** Number of escapes d and of particles n. */
  escapes: number;
  particles: number;
  /** Horizon (time at which the survivors were censored). */
  horizon: number;
  /** Kaplan–Meier survival curve at the distinct escape times. */
  survival: { times: Float64Array; survival: Float64Array };
}

/**
 * Mean escape time from the first-passage steps of a particle run, with
 * right-censoring: particles still inside at the horizon contribute their
 * time at risk. Under an exponential law of escape times (the Kramers
 * regime, one rate λ) the maximum-likelihood estimate is
 * τ̂ = (Σ_escaped t_i + n_censored · horizon) / d, with the exact 95% interval
 * 2·T_total/χ²_{2d}(0.975 / 0.025) (exact for type-II censoring, standard
 * approximation for a fixed horizon; Lawless 2003, §2.2). Also returns the
 * Kaplan–Meier survival curve (no parametric assumption) for plotting.
 *
 * @param run a particle run with an `exit` set (exitStep ≥ 0 escaped, −1 censored)
 * @param dt time per step (default `run.dt`)
 * @throws RangeError when no particle escaped (the mean is then only bounded below)
 */
export function escapeFromRun(run: ParticleRun, dt: number = run?.dt): EscapeEstimate {
  checkRun(run);
  assertPositive("dt", dt);
  const n = run.count;
  const horizon = run.steps * dt;
  const times: number[] = [];
  let total = 0;
  for (let p = 0; p < n; p++) {
    const s = run.exitStep[p]!;
    if (s >= 0) {
      times.push(s * dt);
      total += s * dt;
    } else total += horizon;
  }
  const d = times.length;
  if (d === 0) {
    throw new RangeError(
      `no particle escaped within the horizon ${horizon} (${run.steps} steps × dt ${dt}): ` +
        `the mean escape time is only bounded below; run longer`,
    );
  }
  if (total === 0) {
    throw new RangeError(
      `every particle of the run escaped at step 0 (run.exitStep is all 0): the sample of ` +
        `escape times is all zeros; start the particles inside the valley`,
    );
  }
  const mean = total / d;
  const lo = (2 * total) / (jStat.chisquare.inv(0.975, 2 * d) as number);
  const hi = (2 * total) / (jStat.chisquare.inv(0.025, 2 * d) as number);
  if (!Number.isFinite(mean) || !Number.isFinite(hi)) {
    throw new RangeError(
      `the escape time overflows (mean ${mean}, upper bound ${hi}) for dt = ${dt} and ` +
        `${run.steps} steps`,
    );
  }
  times.sort((x, y) => x - y);
  const kmT: number[] = [], kmS: number[] = [];
  let atRisk = n, s = 1;
  for (let i = 0; i < d;) {
    let j = i;
    while (j < d && times[j] === times[i]) j++;
    s *= 1 - (j - i) / atRisk;
    atRisk -= j - i;
    kmT.push(times[i]!);
    kmS.push(s);
    i = j;
  }
  return {
    mean,
    interval: [lo, hi],
    escapedFraction: d / n,
    escapes: d,
    particles: n,
    horizon,
    survival: { times: Float64Array.from(kmT), survival: Float64Array.from(kmS) },
  };
}

/** Throws unless `run` is a consistent particle run record (counts, steps, exit steps). */
function checkRun(run: ParticleRun): void {
  assertObject("run", run);
  assertInteger("run.count", run.count, 1);
  assertInteger("run.steps", run.steps, 0);
  assertArrayLike("run.exitStep", run.exitStep);
  if (run.exitStep.length !== run.count) {
    throw new RangeError(
      `run.exitStep must have run.count = ${run.count} entries, got ${run.exitStep.length}`,
    );
  }
  for (let p = 0; p < run.count; p++) {
    const s = run.exitStep[p]!;
    if (!Number.isInteger(s) || s < -1 || s > run.steps) {
      throw new RangeError(
        `run.exitStep[${p}] must be an integer in [-1, run.steps = ${run.steps}], got ${s}`,
      );
    }
  }
}

/**
 * The path parameter s of Xie et al. for a diffusion whose curvature factor
 * interpolates linearly in the loss level between h_a (at the minimum) and
 * |h_b| (at the saddle), F = h_a + (|h_b| − h_a)·(L − L_a)/ΔL (see
 * `levelInterpolatedCurvature` of noise_curvature.ts). Then the exponent of the escape time
 * is exactly (2S/η) ∫_a^b L'/F dx = (2SΔL/η)·ln(|h_b|/h_a)/(|h_b| − h_a),
 * and s solves s/h_a + (1 − s)/|h_b| = ln(|h_b|/h_a)/(|h_b| − h_a), so
 *
 *   s = (ln(|h_b|/h_a)/(|h_b| − h_a) − 1/|h_b|) / (1/h_a − 1/|h_b|)
 *
 * (the logarithmic mean lies between the two curvatures, so s ∈ (0, 1); the
 * limit h_a = |h_b| gives s = ½).
 *
 * @example
 * ```ts
 * import { pathParameter } from "./escape.ts";
 * const s = pathParameter(4, 1);
 * if (!(s > 0 && s < 1)) throw new Error();
 * ```
 */
export function pathParameter(hA: number, hB: number): number {
  assertPositive("hA", hA);
  nonZero("hB", hB);
  const b = Math.abs(hB);
  if (Math.abs(b - hA) < 1e-9 * hA) return 0.5;
  const logMeanInverse = Math.log(b / hA) / (b - hA);
  const s = (logMeanInverse - 1 / b) / (1 / hA - 1 / b);
  if (!(s > 0 && s < 1)) {
    throw new RangeError(
      `hA and hB are too far apart for a double (hA = ${hA}, hB = ${hB}): s = ${s} is not in (0, 1)`,
    );
  }
  return s;
}
