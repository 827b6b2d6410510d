/**
 * A finite-sum loss with real minibatch noise: L(θ) = (1/N) Σ_i ℓ_i(θ) over a synthetic data set,
 * two minima, a barrier, and every input of the escape-time theorem (Hessian, per-example
 * gradient covariance, barrier height) computed exactly because θ is one number.
 *
 * The model is the classic multimodal likelihood: a Gaussian component of width σ at location θ
 * mixed with a fixed broad background, fitted by maximum likelihood to data drawn from two
 * clusters,
 *
 *   p(x | θ) = π N(x; θ, σ²) + (1 − π) N(x; 0, β²),   ℓ_i(θ) = −log p(x_i | θ).
 *
 * The negative log-likelihood has a local minimum near each cluster (the component explains one
 * cluster, the background the other) and a barrier between them. Per example,
 *
 *   ℓ_i' = −r_i (x_i − θ)/σ²,   ℓ_i'' = r_i/σ² − r_i(1 − r_i)(x_i − θ)²/σ⁴,
 *
 * with r_i = π N(x_i; θ, σ²)/p(x_i | θ) the responsibility of the component. Minibatch SGD draws
 * S of the N examples: its noise is the data's, neither Gaussian nor of a prescribed covariance.
 * Its covariance is C(θ)/S · (N − S)/(N − 1) without replacement, C(θ) = (1/N) Σ (ℓ_i' − L')²,
 * which is the Fisher-like matrix of the post's Eq. 9, not the Hessian: near a cluster the model
 * fits (σ = that cluster's spread), C ≈ H; elsewhere they differ, and at the barrier C > 0 while
 * L'' < 0. Depends on landscape.ts, sde/particles.ts and stats/.
 *
 * @module
 */
import { CheckedLandscape } from "./landscape.ts";
import { type ParticleOptions, type ParticleRun, runParticles } from "./sde/particles.ts";
import { fillNormal, partialShuffle, type Prng } from "../stats/random.ts";
import {
  assertFinite,
  assertInteger,
  assertIntegerInRange,
  assertObject,
  assertPositive,
} from "../stats/validate.ts";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Options of {@link MixtureLocationModel}. */
export interface MixtureLocationOptions {
  /** The data x_1 … x_N (N ≥ 2), finite. */
  data: ArrayLike<number>;
  /** σ > 0, the width of the movable component. */
  width: number;
  /** π ∈ (0, 1), the weight of the movable component (default 0.5). */
  weight?: number;
  /** β > 0, the scale of the fixed background N(0, β²) (default 10). */
  backgroundScale?: number;
}

/** A critical point of L. */
export interface CriticalPoint {
  theta: number;
  loss: number;
  /** L''(θ). */
  curvature: number;
  /** C(θ), the per-example gradient variance. */
  gradientVariance: number;
}

/**
 * The Gaussian-mixture location model of the module notes as a 1-D {@link CheckedLandscape}
 * (so the SDE simulators and the escape routines take it), with per-example gradients, the
 * per-example gradient variance C(θ) and a finder for its critical points.
 *
 * @example
 * ```ts
 * import { MixtureLocationModel } from "./finite_sum.ts";
 * const m = new MixtureLocationModel({ data: [-1.1, -0.9, -1, 2, 2.1, 1.9, 2], width: 0.3 });
 * const g = m.slope(0.5);
 * let mean = 0;
 * for (let i = 0; i < m.size; i++) mean += m.exampleSlope(i, 0.5) / m.size;
 * if (Math.abs(g - mean) > 1e-12) throw new Error("L' is the mean of the ℓ_i'");
 * ```
 */
export class MixtureLocationModel extends CheckedLandscape {
  readonly dim = 1;
  readonly constantHessian = false;
  /** N, the number of examples. */
  readonly size: number;
  /** The data. */
  readonly data: Float64Array;
  /** σ. */
  readonly width: number;
  /** π. */
  readonly weight: number;
  /** β. */
  readonly backgroundScale: number;
  /** log(1 − π) + log N(x_i; 0, β²) per example. */
  readonly #logBackground: Float64Array;
  readonly #logComponent: number;
  readonly #inv2s2: number;
  readonly #invS2: number;

  /** @param options see {@link MixtureLocationOptions} */
  constructor(options: MixtureLocationOptions) {
    super();
    assertObject("options", options);
    const { data, width, weight = 0.5, backgroundScale = 10 } = options;
    if (data === null || typeof data !== "object" || typeof data.length !== "number") {
      throw new TypeError(`data must be an array of numbers, got ${data}`);
    }
    if (data.length < 2) {
      throw new RangeError(`data must hold at least 2 values, got ${data.length}`);
    }
    this.data = Float64Array.from(data);
    this.data.forEach((x, i) => assertFinite(`data[${i}]`, x));
    assertPositive("width", width);
    assertPositive("backgroundScale", backgroundScale);
    if (!(weight > 0 && weight < 1)) {
      throw new RangeError(`weight must be a number in (0, 1), got ${weight}`);
    }
    this.size = this.data.length;
    this.width = width;
    this.weight = weight;
    this.backgroundScale = backgroundScale;
    this.#logComponent = Math.log(weight) - Math.log(width) - LOG_SQRT_2PI;
    this.#inv2s2 = 1 / (2 * width * width);
    this.#invS2 = 1 / (width * width);
    const lb = Math.log(1 - weight) - Math.log(backgroundScale) - LOG_SQRT_2PI;
    this.#logBackground = this.data.map((x) => lb - x * x / (2 * backgroundScale ** 2));
  }

  /** ℓ_i(θ), the loss of example i. */
  exampleLoss(i: number, theta: number): number {
    this.#check(i, theta);
    const u = this.data[i]! - theta;
    const a = this.#logComponent - u * u * this.#inv2s2, b = this.#logBackground[i]!;
    return -(a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b)));
  }

  /** ℓ_i'(θ), the gradient of example i (unchecked inner form in the minibatch loop). */
  exampleSlope(i: number, theta: number): number {
    this.#check(i, theta);
    return this.#exampleSlope(i, theta);
  }

  #exampleSlope(i: number, theta: number): number {
    const u = this.data[i]! - theta;
    const r = 1 /
      (1 + Math.exp(this.#logBackground[i]! - this.#logComponent + u * u * this.#inv2s2));
    return -r * u * this.#invS2;
  }

  #check(i: number, theta: number): void {
    assertIntegerInRange("i", i, 0, this.size - 1);
    assertFinite("theta", theta);
  }

  /** L(θ). */
  value(theta: number): number {
    assertFinite("theta", theta);
    return this.#value(theta);
  }

  #value(theta: number): number {
    let s = 0;
    for (let i = 0; i < this.size; i++) {
      const u = this.data[i]! - theta;
      const a = this.#logComponent - u * u * this.#inv2s2, b = this.#logBackground[i]!;
      s -= a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
    }
    return s / this.size;
  }

  /** L'(θ). */
  slope(theta: number): number {
    assertFinite("theta", theta);
    return this.#moments(theta).slope;
  }

  /** L''(θ). */
  curvature(theta: number): number {
    assertFinite("theta", theta);
    return this.#moments(theta).curvature;
  }

  /**
   * C(θ) = (1/N) Σ_i (ℓ_i'(θ) − L'(θ))², the variance of one example's gradient over the data
   * (the covariance of one-example SGD noise; divide by S, and multiply by (N − S)/(N − 1)
   * without replacement, for a minibatch of S).
   */
  gradientVariance(theta: number): number {
    assertFinite("theta", theta);
    return this.#moments(theta).variance;
  }

  /**
   * dC/dθ, for the Itô-to-divergence-form conversion (divergence_form.ts):
   * (2/N) Σ (ℓ_i' − L')(ℓ_i'' − L'').
   */
  gradientVarianceSlope(theta: number): number {
    assertFinite("theta", theta);
    const m = this.#moments(theta);
    return 2 * (m.crossMean - m.slope * m.curvature);
  }

  #moments(theta: number) {
    let g = 0, h = 0, g2 = 0, gh = 0;
    for (let i = 0; i < this.size; i++) {
      const u = this.data[i]! - theta;
      const r = 1 /
        (1 + Math.exp(this.#logBackground[i]! - this.#logComponent + u * u * this.#inv2s2));
      const gi = -r * u * this.#invS2;
      const hi = r * this.#invS2 - r * (1 - r) * u * u * this.#invS2 * this.#invS2;
      g += gi;
      h += hi;
      g2 += gi * gi;
      gh += gi * hi;
    }
    const n = this.size, slope = g / n, curvature = h / n;
    return {
      slope,
      curvature,
      variance: Math.max(0, g2 / n - slope * slope),
      crossMean: gh / n,
    };
  }

  /**
   * The critical points of L in [lo, hi]: sign changes of L' on a grid of `cells` cells, each
   * refined by bisection to the last bit, with L, L'' and C there.
   */
  criticalPoints(lo: number, hi: number, cells = 4000): CriticalPoint[] {
    assertFinite("lo", lo);
    assertFinite("hi", hi);
    if (!(hi > lo)) throw new RangeError(`hi must be > lo, got lo = ${lo}, hi = ${hi}`);
    assertIntegerInRange("cells", cells, 2, 10_000_000);
    const out: CriticalPoint[] = [];
    let x0 = lo, g0 = this.#moments(lo).slope;
    for (let k = 1; k <= cells; k++) {
      const x1 = lo + (hi - lo) * k / cells, g1 = this.#moments(x1).slope;
      if (g0 === 0 || (g0 < 0) !== (g1 < 0)) {
        let a = x0, b = x1, ga = g0;
        for (let it = 0; it < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a)); it++) {
          const m = 0.5 * (a + b), gm = this.#moments(m).slope;
          if ((gm < 0) === (ga < 0) && gm !== 0) {
            a = m;
            ga = gm;
          } else b = m;
        }
        const theta = 0.5 * (a + b), mo = this.#moments(theta);
        if (out.length === 0 || theta - out.at(-1)!.theta > 1e-12) {
          out.push({
            theta,
            loss: this.#value(theta),
            curvature: mo.curvature,
            gradientVariance: mo.variance,
          });
        }
      }
      x0 = x1;
      g0 = g1;
    }
    return out;
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    return this.#value(x[offset]!);
  }

  derivatives(x: Float64Array, offset: number, grad: Float64Array, hess: Float64Array | null) {
    const m = this.#moments(x[offset]!);
    grad[0] = m.slope;
    if (hess !== null) hess[0] = m.curvature;
  }

  /**
   * L'(θ) and C(θ) tabulated on `points` equally spaced nodes of [lo, hi]: see
   * {@link TabulatedValley}.
   */
  tabulated(lo: number, hi: number, points = 20001): TabulatedValley {
    assertFinite("lo", lo);
    assertFinite("hi", hi);
    if (!(hi > lo)) throw new RangeError(`hi must be > lo, got lo = ${lo}, hi = ${hi}`);
    assertIntegerInRange("points", points, 2, 10_000_000);
    const g = new Float64Array(points), c = new Float64Array(points), h = (hi - lo) / (points - 1);
    for (let k = 0; k < points; k++) {
      const m = this.#moments(lo + k * h);
      g[k] = m.slope;
      c[k] = m.variance;
    }
    return new TabulatedValley(lo, hi, g, c, this.#value(lo));
  }

  /**
   * The minibatch gradient (1/S) Σ_{i ∈ batch} ℓ_i'(θ) of `batch[0 .. s)` (indices, unchecked).
   */
  batchSlope(batch: Int32Array, s: number, theta: number): number {
    let g = 0;
    for (let k = 0; k < s; k++) g += this.#exampleSlope(batch[k]!, theta);
    return g / s;
  }
}

/**
 * A finite-sum model's L' and C tabulated on equally spaced nodes of [lo, hi] and read back by
 * linear interpolation (error ≤ h²/8 · max|f''|; constant extension outside [lo, hi]), as a
 * 1-D landscape: the drift and noise of the SDE of SGD at one table lookup per particle step
 * instead of N exponentials. L is the trapezoid integral of the table from L(lo); L'' the slope
 * of the interpolant.
 */
export class TabulatedValley extends CheckedLandscape {
  readonly dim = 1;
  readonly constantHessian = false;
  readonly #lo: number;
  readonly #h: number;
  readonly #g: Float64Array;
  readonly #c: Float64Array;
  readonly #l: Float64Array;

  /** Built by {@link MixtureLocationModel.tabulated}. */
  constructor(lo: number, hi: number, slope: Float64Array, variance: Float64Array, lossLo: number) {
    super();
    this.#lo = lo;
    this.#h = (hi - lo) / (slope.length - 1);
    this.#g = slope;
    this.#c = variance;
    this.#l = new Float64Array(slope.length);
    this.#l[0] = lossLo;
    for (let k = 1; k < slope.length; k++) {
      this.#l[k] = this.#l[k - 1]! + 0.5 * this.#h * (slope[k - 1]! + slope[k]!);
    }
  }

  #read(t: Float64Array, theta: number): number {
    const u = (theta - this.#lo) / this.#h, n = t.length;
    if (!(u > 0)) return t[0]!;
    if (u >= n - 1) return t[n - 1]!;
    const k = Math.floor(u), f = u - k;
    return t[k]! + f * (t[k + 1]! - t[k]!);
  }

  /** L'(θ) (interpolated). */
  slope(theta: number): number {
    assertFinite("theta", theta);
    return this.#read(this.#g, theta);
  }

  /** C(θ) (interpolated). */
  variance(theta: number): number {
    assertFinite("theta", theta);
    return this.#read(this.#c, theta);
  }

  protected evaluate(x: ArrayLike<number>, offset: number): number {
    return this.#read(this.#l, x[offset]!);
  }

  derivatives(x: Float64Array, offset: number, grad: Float64Array, hess: Float64Array | null) {
    const theta = x[offset]!;
    grad[0] = this.#read(this.#g, theta);
    if (hess !== null) {
      const u = Math.min(this.#g.length - 2, Math.max(0, Math.floor((theta - this.#lo) / this.#h)));
      hess[0] = (this.#g[u + 1]! - this.#g[u]!) / this.#h;
    }
  }
}

/** Options of {@link twoClusterData}. */
export interface TwoClusterOptions {
  /** Examples in cluster A (the one escaped from), ≥ 1. */
  countA: number;
  /** Examples in cluster B, ≥ 1. */
  countB: number;
  /** Centre of A (default 0). */
  centerA?: number;
  /** Centre of B. */
  centerB: number;
  /** Spread of A > 0. */
  spreadA: number;
  /** Spread of B > 0. */
  spreadB: number;
  prng: Prng;
}

/**
 * A two-cluster data set: `countA` normal draws around `centerA` with `spreadA`, then `countB`
 * around `centerB`. The standardised draws come first from `prng` (A's, then B's), so two data
 * sets built from equal seeds differ only through the centres and spreads: a sweep over a
 * parameter moves the same points.
 */
export function twoClusterData(o: TwoClusterOptions): Float64Array {
  assertObject("o", o);
  assertInteger("countA", o.countA);
  assertInteger("countB", o.countB);
  if (o.countA < 1) throw new RangeError(`countA must be >= 1, got ${o.countA}`);
  if (o.countB < 1) throw new RangeError(`countB must be >= 1, got ${o.countB}`);
  const ca = o.centerA ?? 0;
  assertFinite("centerA", ca);
  assertFinite("centerB", o.centerB);
  assertPositive("spreadA", o.spreadA);
  assertPositive("spreadB", o.spreadB);
  const z = new Float64Array(o.countA + o.countB);
  fillNormal(o.prng, z);
  for (let i = 0; i < z.length; i++) {
    z[i] = i < o.countA ? ca + o.spreadA * z[i]! : o.centerB + o.spreadB * z[i]!;
  }
  return z;
}

/** Options of {@link simulateMinibatchSgd}. */
export interface MinibatchSgdOptions extends ParticleOptions {
  /** Learning rate η > 0. */
  eta: number;
  /** Batch size S, 1 ≤ S ≤ N. */
  batchSize: number;
  /** Draw each batch with replacement (default false: S distinct examples, as in an epoch). */
  replacement?: boolean;
}

/**
 * Particles of real minibatch SGD on a finite sum: each particle, at each step, draws its own
 * batch of S examples (a partial Fisher–Yates shuffle of a shared index array: uniform over the
 * S-subsets whatever order the array was left in; or S independent indices with replacement)
 * and moves θ ← θ − η · (1/S) Σ_{i ∈ batch} ∇ℓ_i(θ). Time step dt = η (one step, η time units).
 *
 * With an array of d models of equal size N the loss is separable,
 * ℓ_i(θ) = Σ_j ℓ_i^{(j)}(θ_j) (example i carries one data value per coordinate), and one batch
 * per particle and step moves every coordinate: the noise of the coordinates comes from the same
 * examples, as in a network, and is independent across coordinates only as far as the data are.
 *
 * @param model the finite-sum model, or one per coordinate (all of the same size N)
 * @param options see {@link MinibatchSgdOptions}
 * @returns the run (exit steps for escape estimates)
 * @example
 * ```ts
 * import { MixtureLocationModel, simulateMinibatchSgd } from "./finite_sum.ts";
 * import { createPrng } from "../stats/random.ts";
 * const m = new MixtureLocationModel({ data: [-1, -0.5, 0, 0.5, 1], width: 1 });
 * const run = simulateMinibatchSgd(m, { eta: 0.1, batchSize: 5, initial: [3], count: 2, steps: 200, prng: createPrng(1) });
 * // S = N: the full gradient (summed in batch order), so both particles are gradient descent
 * let t = 3;
 * for (let k = 0; k < 200; k++) t -= 0.1 * m.slope(t);
 * for (const x of run.positions) if (Math.abs(x - t) > 1e-15) throw new Error(`${x} vs ${t}`);
 * ```
 */
export function simulateMinibatchSgd(
  model: MixtureLocationModel | readonly MixtureLocationModel[],
  options: MinibatchSgdOptions,
): ParticleRun {
  const models = Array.isArray(model) ? model : [model];
  if (models.length === 0) throw new RangeError("model must hold at least one model, got none");
  models.forEach((m, j) => {
    if (!(m instanceof MixtureLocationModel)) {
      throw new TypeError(
        `model${Array.isArray(model) ? `[${j}]` : ""} must be a MixtureLocationModel, got ${m}`,
      );
    }
    if (m.size !== models[0]!.size) {
      throw new RangeError(
        `every model must have the same size N, got ${models[0]!.size} and ${m.size} (model[${j}])`,
      );
    }
  });
  assertObject("options", options);
  assertPositive("eta", options.eta);
  const n = models[0]!.size, d = models.length;
  assertIntegerInRange("batchSize", options.batchSize, 1, n);
  const { eta, batchSize: s } = options, prng = options.prng;
  const replacement = options.replacement ?? false;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  return runParticles(d, options, eta, 0, () => (x, offset) => {
    if (replacement) {
      for (let k = 0; k < s; k++) perm[k] = Math.floor(prng() * n);
    } else partialShuffle(prng, perm, s);
    for (let j = 0; j < d; j++) {
      const theta = x[offset + j]!;
      const next = theta - eta * models[j]!.batchSlope(perm, s, theta);
      if (!Number.isFinite(next)) {
        throw new RangeError(
          `minibatch SGD left the finite numbers at θ_${j} = ${theta} (particle ${offset / d}): ` +
            `reduce eta = ${eta}`,
        );
      }
      x[offset + j] = next;
    }
  });
}
