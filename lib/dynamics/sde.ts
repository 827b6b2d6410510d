/**
 * Vectorised particle simulators: many independent copies of a stochastic
 * recursion advanced together over one `Float64Array` (particle-major,
 * `x[p * dim + j]`), with every work buffer allocated once per run.
 *
 * - {@link simulateSgd}: discrete SGD with Gaussian gradient noise of
 *   covariance H(θ)/S, θ ← θ − η∇L(θ) + η ξ, ξ ~ N(0, H̃(θ)/S) (the "SGD
 *   noise" of Zhu et al. 2019 and Xie et al. 2021; ERRATA Eq. 6: the step is
 *   θ − η∇L − ηU with Cov U = C ≈ H/S);
 * - {@link simulateLangevin}: isotropic Gaussian noise,
 *   θ ← θ − η∇L(θ) + √(2Dη) z (Euler–Maruyama for dθ = −∇L dt + √(2D) dB,
 *   dt = η);
 * - {@link simulateLevy}: symmetric α-stable noise,
 *   θ ← θ − η∇L(θ) + η^{1/α} σ S (S i.i.d. standard symmetric α-stable per
 *   coordinate; Euler scheme for dθ = −∇L dt + σ dL^α, Simsekli, Sagun &
 *   Gürbüzbalaban 2019);
 * - {@link eulerMaruyama}: X ← X + b(X) dt + σ(X) √dt z for any drift and
 *   diffusion matrix.
 *
 * Every simulator can record first-passage times: `exit(x, offset)` is
 * checked at step 0 and after every step for every particle still running; a
 * particle that exits is frozen where it exited and its step is stored in
 * `exitStep` (−1: still inside after the last step, i.e. right-censored at
 * `steps`). A particle that becomes non-finite throws a RangeError naming it
 * and the step.
 *
 * Gaussian draws use a ziggurat (Marsaglia & Tsang 2000, "The ziggurat method
 * for generating random variables", J. Stat. Softw. 5(8); 128 layers) fed by
 * one 53-bit uniform of the {@link Prng} per draw in ~99% of cases (the polar
 * method of `fillNormal` needs 1.27 uniforms, a log and a square root per
 * draw; the ziggurat is about twice as fast here). The same seed
 * gives the same trajectories bit for bit; noise is drawn for every particle
 * at every step, exited or not, so exits do not shift the stream.
 *
 * @module
 */
import type { Landscape } from "./landscapes.ts";
import { type Prng, sampleStable } from "../stats/random.ts";

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
  /** Positions every `recordEvery` steps (empty when not requested). */
  readonly snapshots: Float64Array[];
  /** The step of each snapshot. */
  readonly snapshotSteps: number[];
}

/** How a Hessian that is not positive semidefinite becomes a noise covariance. */
export type CurvatureRule = "abs" | "clip";

// ---------------------------------------------------------------------------
// ziggurat normal sampler

const ZIG_R = 3.442619855899;
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
{
  // Marsaglia & Tsang (2000), zigset for RNOR with 128 layers of area v
  const m1 = 2147483648, vn = 9.91256303526217e-3;
  let dn = ZIG_R, tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m1;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[127] = dn / m1;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m1;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
}

/** A uniform on (0, 1) (redraws an exact 0). */
function openUniform(prng: Prng): number {
  let u = prng();
  while (u === 0) u = prng();
  return u;
}

/**
 * Fills `out[from .. to)` with standard normals by the ziggurat. Each attempt
 * takes one uniform u: the top 32 bits of u give the signed value j, the next
 * 7 bits the layer i (independent bits, which avoids the layer/value
 * correlation of the original 32-bit version).
 */
/**
 * Fills the noise of the particles still running: `out[p·m .. (p+1)·m)` for
 * each active p (all of `out` in one block while none has exited).
 */
function fillActiveZiggurat(prng: Prng, out: Float64Array, s: Setup, m: number): void {
  if (s.running === s.count) {
    fillZiggurat(prng, out);
    return;
  }
  const active = s.active;
  for (let p = 0; p < s.count; p++) if (active[p]) fillZiggurat(prng, out, p * m, (p + 1) * m);
}

function fillZiggurat(prng: Prng, out: Float64Array, from = 0, to = out.length): void {
  for (let n = from; n < to; n++) {
    for (;;) {
      const t = prng() * 4294967296;
      const hi = Math.floor(t);
      const i = Math.floor((t - hi) * 128);
      const j = hi - 2147483648;
      const x = j * ZIG_W[i]!;
      if (Math.abs(j) < ZIG_K[i]!) {
        out[n] = x;
        break;
      }
      if (i === 0) {
        // tail beyond r (Marsaglia 1964)
        let a = 0, b = 0;
        do {
          a = -Math.log(openUniform(prng)) / ZIG_R;
          b = -Math.log(openUniform(prng));
        } while (b + b < a * a);
        out[n] = j > 0 ? ZIG_R + a : -ZIG_R - a;
        break;
      }
      if (ZIG_F[i]! + prng() * (ZIG_F[i - 1]! - ZIG_F[i]!) < Math.exp(-0.5 * x * x)) {
        out[n] = x;
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// shared plumbing

function checkPositive(name: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0)) {
    throw new RangeError(`${name} must be a finite number > 0, got ${v}`);
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
  snapshots: Float64Array[];
  snapshotSteps: number[];
  running: number;
}

function setup(dim: number, o: ParticleOptions): Setup {
  const { initial, steps, prng } = o;
  if (typeof prng !== "function") throw new TypeError(`prng must be a function, got ${prng}`);
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be an integer >= 0, got ${steps}`);
  }
  let count: number;
  if (o.count !== undefined) {
    if (!Number.isInteger(o.count) || o.count < 1) {
      throw new RangeError(`count must be an integer >= 1, got ${o.count}`);
    }
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
  }
  const x = new Float64Array(count * dim);
  for (let k = 0; k < x.length; k++) {
    const v = initial[initial.length === dim ? k % dim : k]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `initial[${initial.length === dim ? k % dim : k}] must be finite, got ${v}`,
      );
    }
    x[k] = v;
  }
  const recordEvery = o.recordEvery ?? 0;
  if (!Number.isInteger(recordEvery) || recordEvery < 0) {
    throw new RangeError(`recordEvery must be an integer >= 0, got ${recordEvery}`);
  }
  if (o.exit !== undefined && typeof o.exit !== "function") {
    throw new TypeError(`exit must be a function, got ${o.exit}`);
  }
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
  if (s.recordEvery > 0 && step % s.recordEvery === 0) {
    s.snapshots.push(x.slice());
    s.snapshotSteps.push(step);
  }
  return !(s.exit !== undefined && s.stopWhenAllExited && s.running === 0);
}

function finish(s: Setup, dt: number, steps: number): ParticleRun {
  return {
    dim: s.dim,
    count: s.count,
    dt,
    steps,
    positions: s.x,
    exitStep: s.exitStep,
    exited: s.count - s.running,
    snapshots: s.snapshots,
    snapshotSteps: s.snapshotSteps,
  };
}

/** The landscape's unchecked `derivatives`, or the checked gradient/hessian pair when it has none. */
function derivativesOf(
  l: Landscape,
): (x: Float64Array, offset: number, grad: Float64Array, hess: Float64Array | null) => void {
  if (typeof l.derivatives === "function") return l.derivatives.bind(l);
  return (x, offset, grad, hess) => {
    l.gradient(x, grad, offset, 0);
    if (hess !== null) l.hessian(x, hess, offset, 0);
  };
}

// ---------------------------------------------------------------------------
// noise factors from curvature

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric d × d matrix (row-major,
 * destroyed): eigenvalues to `vals`, eigenvectors as columns of `vecs`.
 */
function jacobiEigen(a: Float64Array, d: number, vals: Float64Array, vecs: Float64Array): void {
  vecs.fill(0);
  for (let i = 0; i < d; i++) vecs[i * d + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0, diag = 0;
    for (let p = 0; p < d; p++) {
      diag += a[p * d + p]! * a[p * d + p]!;
      for (let q = p + 1; q < d; q++) off += a[p * d + q]! * a[p * d + q]!;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!, akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!, aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = vecs[k * d + p]!, vkq = vecs[k * d + q]!;
          vecs[k * d + p] = c * vkp - s * vkq;
          vecs[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < d; i++) vals[i] = a[i * d + i]!;
}

/**
 * Writes into `f` (row-major d × d) a factor F with F Fᵀ = r(H)·scale, where
 * r maps each eigenvalue λ of H to |λ| ("abs") or max(λ, 0) ("clip").
 * Work arrays: `a` (d²), `vals` (d), `vecs` (d²).
 */
function noiseFactor(
  h: Float64Array,
  hOff: number,
  d: number,
  rule: CurvatureRule,
  scale: number,
  f: Float64Array,
  a: Float64Array,
  vals: Float64Array,
  vecs: Float64Array,
): void {
  if (d === 1) {
    const l = h[hOff]!;
    f[0] = Math.sqrt((rule === "abs" ? Math.abs(l) : Math.max(l, 0)) * scale);
    return;
  }
  if (d === 2) {
    // r(H) in closed form, then its Cholesky factor
    const h00 = h[hOff]!, h01 = 0.5 * (h[hOff + 1]! + h[hOff + 2]!), h11 = h[hOff + 3]!;
    const m = 0.5 * (h00 + h11), r = Math.hypot(0.5 * (h00 - h11), h01);
    const l1 = m + r, l2 = m - r;
    let a00 = h00, a01 = h01, a11 = h11;
    if (l2 < 0) {
      if (l1 <= 0) {
        if (rule === "abs") {
          a00 = -h00;
          a01 = -h01;
          a11 = -h11;
        } else a00 = a01 = a11 = 0;
      } else if (rule === "abs") {
        // |H| = [(λ1 + λ2) H − 2 λ1 λ2 I] / (λ1 − λ2)
        const c = 1 / (l1 - l2);
        a00 = ((l1 + l2) * h00 - 2 * l1 * l2) * c;
        a01 = (l1 + l2) * h01 * c;
        a11 = ((l1 + l2) * h11 - 2 * l1 * l2) * c;
      } else {
        // λ1 P1 = λ1 (H − λ2 I) / (λ1 − λ2)
        const c = l1 / (l1 - l2);
        a00 = (h00 - l2) * c;
        a01 = h01 * c;
        a11 = (h11 - l2) * c;
      }
    }
    a00 *= scale;
    a01 *= scale;
    a11 *= scale;
    const f00 = a00 > 0 ? Math.sqrt(a00) : 0;
    const f10 = f00 > 0 ? a01 / f00 : 0;
    f[0] = f00;
    f[1] = 0;
    f[2] = f10;
    f[3] = Math.sqrt(Math.max(0, a11 - f10 * f10));
    return;
  }
  for (let k = 0; k < d * d; k++) a[k] = h[hOff + k]!;
  for (let r = 0; r < d; r++) {
    for (let c = r + 1; c < d; c++) {
      const v = 0.5 * (a[r * d + c]! + a[c * d + r]!);
      a[r * d + c] = v;
      a[c * d + r] = v;
    }
  }
  jacobiEigen(a, d, vals, vecs);
  // F = V diag(√(r(λ)·scale))
  for (let c = 0; c < d; c++) {
    const l = vals[c]!;
    const sc = Math.sqrt((rule === "abs" ? Math.abs(l) : Math.max(l, 0)) * scale);
    for (let r = 0; r < d; r++) f[r * d + c] = vecs[r * d + c]! * sc;
  }
}

/**
 * The noise covariance r(H)/S of {@link simulateSgd} for one Hessian, where
 * r maps every eigenvalue λ to |λ| ("abs") or max(λ, 0) ("clip"); multiply by
 * η/2 for the diffusion tensor D = η r(H)/(2S) of the SDE (ERRATA Eq. 6).
 *
 * @param hessian symmetric d × d, row-major
 * @param batchSize S > 0
 * @param rule "abs" (default) or "clip"
 * @returns a new d × d row-major matrix
 * @example
 * ```ts
 * import { sgdNoiseCovariance } from "./sde.ts";
 * const c = sgdNoiseCovariance([2, 0, 0, -4], 2); // |H|/S = diag(1, 2)
 * if (Math.abs(c[0]! - 1) > 1e-12 || Math.abs(c[3]! - 2) > 1e-12) throw new Error("abs rule");
 * ```
 */
export function sgdNoiseCovariance(
  hessian: ArrayLike<number>,
  batchSize: number,
  rule: CurvatureRule = "abs",
): Float64Array {
  const d = Math.round(Math.sqrt(hessian.length));
  if (d < 1 || d * d !== hessian.length) {
    throw new RangeError(`hessian must have a square number of entries > 0, got ${hessian.length}`);
  }
  checkPositive("batchSize", batchSize);
  checkRule(rule);
  const h = Float64Array.from(hessian);
  for (let k = 0; k < h.length; k++) {
    if (!Number.isFinite(h[k]!)) throw new RangeError(`hessian[${k}] must be finite, got ${h[k]}`);
  }
  const f = new Float64Array(d * d);
  noiseFactor(
    h,
    0,
    d,
    rule,
    1 / batchSize,
    f,
    new Float64Array(d * d),
    new Float64Array(d),
    new Float64Array(d * d),
  );
  const c = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let s = 0; s < d; s++) {
      let v = 0;
      for (let k = 0; k < d; k++) v += f[r * d + k]! * f[s * d + k]!;
      c[r * d + s] = v;
    }
  }
  return c;
}

function checkRule(rule: string): void {
  if (rule !== "abs" && rule !== "clip") {
    throw new RangeError(`curvature must be "abs" or "clip", got ${JSON.stringify(rule)}`);
  }
}

// ---------------------------------------------------------------------------
// simulators

/** Options of {@link simulateSgd}. */
export interface SgdOptions extends ParticleOptions {
  /** η > 0. */
  learningRate: number;
  /** S > 0 (the noise covariance is H/S). */
  batchSize: number;
  /**
   * Rule for a Hessian that is not positive semidefinite (near saddles and
   * barrier tops): "abs" (default) uses |H| = V|Λ|Vᵀ, as Xie et al. (2021)
   * do for the escape direction at a saddle (their D ∝ |H_be|); "clip" uses
   * V max(Λ, 0) Vᵀ, no noise along negative curvature.
   */
  curvature?: CurvatureRule;
}

/**
 * Discrete SGD with Gaussian gradient noise of covariance H(θ)/S:
 *
 *   θ_{k+1} = θ_k − η ∇L(θ_k) + η ξ_k,  ξ_k ~ N(0, r(H(θ_k))/S),
 *
 * with r = |·| or clip at 0 on the eigenvalues (see {@link SgdOptions}). Its
 * small-η limit is the Itô SDE dθ = −∇L dt + √(η r(H)/S) dB (dt = η), i.e.
 * D = η H/(2S) (Eq. 7–8, ERRATA Eq. 6). For a quadratic L = ½θᵀHθ the
 * recursion is linear and its stationary covariance solves the discrete
 * Lyapunov equation Σ = (I − ηH) Σ (I − ηH) + η² H/S, i.e.
 * Σ = (η/S)(2I − ηH)⁻¹ (→ ηI/(2S) as η → 0).
 *
 * Noise factors: 1-D √(r(h)/S); 2-D the Cholesky factor of r(H)/S in closed
 * form; higher dimensions a Jacobi eigen-decomposition per particle and step
 * (once per run when `landscape.constantHessian`).
 *
 * @param landscape the loss
 * @param options see {@link SgdOptions}
 * @returns the run, with dt = η
 * @example
 * ```ts
 * import { Quadratic } from "./landscapes.ts";
 * import { createPrng } from "../stats/random.ts";
 * import { simulateSgd } from "./sde.ts";
 * const q = new Quadratic({ matrix: [1] });
 * const run = simulateSgd(q, {
 *   learningRate: 0.1, batchSize: 4, initial: [0], count: 1000, steps: 200, prng: createPrng(1),
 * });
 * let v = 0;
 * for (const x of run.positions) v += x * x / run.count;
 * // stationary variance (η/S)/(2 − ηh) = 0.025/1.9 ≈ 0.0132
 * if (Math.abs(v - 0.0132) > 0.003) throw new Error(`variance ${v}`);
 * ```
 */
export function simulateSgd(landscape: Landscape, options: SgdOptions): ParticleRun {
  const eta = options.learningRate, S = options.batchSize, rule = options.curvature ?? "abs";
  checkPositive("learningRate", eta);
  checkPositive("batchSize", S);
  checkRule(rule);
  const d = landscape.dim;
  const s = setup(d, options);
  const { x, active, count } = s;
  const prng = options.prng, deriv = derivativesOf(landscape);
  const g = new Float64Array(d), h = new Float64Array(d * d), f = new Float64Array(d * d);
  const a = new Float64Array(d * d), vals = new Float64Array(d), vecs = new Float64Array(d * d);
  const z = new Float64Array(count * d);
  const constant = landscape.constantHessian, invS = 1 / S, abs = rule === "abs";
  if (constant) {
    landscape.hessian(x, h, 0, 0);
    noiseFactor(h, 0, d, rule, invS, f, a, vals, vecs);
  }
  let k = 0;
  while (k < s.steps) {
    fillActiveZiggurat(prng, z, s, d);
    if (d === 1) {
      // scalar fast path
      const f0 = f[0]!;
      for (let p = 0; p < count; p++) {
        if (!active[p]) continue;
        let fp = f0;
        if (constant) deriv(x, p, g, null);
        else {
          deriv(x, p, g, h);
          const c = h[0]!;
          fp = Math.sqrt((abs ? Math.abs(c) : c > 0 ? c : 0) * invS);
        }
        x[p] = x[p]! - eta * g[0]! + eta * fp * z[p]!;
      }
      k++;
      if (!afterStep(s, k)) break;
      continue;
    }
    for (let p = 0; p < count; p++) {
      if (!active[p]) continue;
      const off = p * d;
      if (constant) deriv(x, off, g, null);
      else {
        deriv(x, off, g, h);
        noiseFactor(h, 0, d, rule, invS, f, a, vals, vecs);
      }
      for (let r = 0; r < d; r++) {
        let xi = 0;
        for (let c = 0; c <= (d === 2 ? r : d - 1); c++) xi += f[r * d + c]! * z[off + c]!;
        g[r] = g[r]! - xi; // reuse g: ∇L − ξ
      }
      for (let r = 0; r < d; r++) x[off + r] = x[off + r]! - eta * g[r]!;
    }
    k++;
    if (!afterStep(s, k)) break;
  }
  return finish(s, eta, k);
}

/** Options of {@link simulateLangevin}. */
export interface LangevinOptions extends ParticleOptions {
  /** η > 0 (the time step). */
  learningRate: number;
  /** Isotropic diffusion constant D ≥ 0 (temperature). */
  diffusion: number;
}

/**
 * Gradient descent with isotropic Gaussian noise (unadjusted Langevin):
 *
 *   θ_{k+1} = θ_k − η ∇L(θ_k) + √(2Dη) z_k,  z_k ~ N(0, I),
 *
 * the Euler–Maruyama scheme of dθ = −∇L dt + √(2D) dB with dt = η, whose
 * stationary law is the Gibbs density ∝ exp(−L/D). The isotropic baseline
 * against which SGD's H-shaped noise is compared (Zhu et al. 2019; Xie et al.
 * 2021).
 *
 * @param landscape the loss
 * @param options see {@link LangevinOptions}
 * @returns the run, with dt = η
 */
export function simulateLangevin(landscape: Landscape, options: LangevinOptions): ParticleRun {
  const eta = options.learningRate, D = options.diffusion;
  checkPositive("learningRate", eta);
  if (typeof D !== "number" || !Number.isFinite(D) || D < 0) {
    throw new RangeError(`diffusion must be a finite number >= 0, got ${D}`);
  }
  const d = landscape.dim, s = setup(d, options), { x, active, count } = s;
  const g = new Float64Array(d), z = new Float64Array(count * d), sd = Math.sqrt(2 * D * eta);
  const deriv = derivativesOf(landscape);
  let k = 0;
  while (k < s.steps) {
    fillActiveZiggurat(options.prng, z, s, d);
    for (let p = 0; p < count; p++) {
      if (!active[p]) continue;
      const off = p * d;
      deriv(x, off, g, null);
      for (let j = 0; j < d; j++) x[off + j] = x[off + j]! - eta * g[j]! + sd * z[off + j]!;
    }
    k++;
    if (!afterStep(s, k)) break;
  }
  return finish(s, eta, k);
}

/** Options of {@link simulateLevy}. */
export interface LevyOptions extends ParticleOptions {
  /** η > 0 (the time step). */
  learningRate: number;
  /** Stability index α ∈ (0, 2]. */
  alpha: number;
  /** Noise scale σ > 0 (default 1). */
  scale?: number;
}

/**
 * Gradient descent with symmetric α-stable noise (Simsekli, Sagun &
 * Gürbüzbalaban 2019, "A tail-index analysis of stochastic gradient noise in
 * deep neural networks", ICML):
 *
 *   θ_{k+1} = θ_k − η ∇L(θ_k) + η^{1/α} σ S_k,
 *
 * S_k with i.i.d. standard symmetric α-stable coordinates (characteristic
 * function exp(−|t|^α); `sampleStable` of random.ts, Chambers–Mallows–Stuck),
 * the Euler scheme of dθ = −∇L dt + σ dL^α_t. At α = 2, S ~ N(0, 2) and this
 * is {@link simulateLangevin} with D = σ². The stable draws come from
 * `sampleStable`, which returns a new array: one allocation per step.
 *
 * @param landscape the loss
 * @param options see {@link LevyOptions}
 * @returns the run, with dt = η
 */
export function simulateLevy(landscape: Landscape, options: LevyOptions): ParticleRun {
  const eta = options.learningRate, alpha = options.alpha, sigma = options.scale ?? 1;
  checkPositive("learningRate", eta);
  if (typeof alpha !== "number" || !(alpha > 0 && alpha <= 2)) {
    throw new RangeError(`alpha must be in (0, 2], got ${alpha}`);
  }
  checkPositive("scale", sigma);
  const d = landscape.dim, s = setup(d, options), { x, active, count } = s;
  const g = new Float64Array(d), c = Math.pow(eta, 1 / alpha) * sigma;
  const deriv = derivativesOf(landscape);
  let k = 0;
  while (k < s.steps) {
    // stable draws only for the particles still running, in particle order
    const z = sampleStable(options.prng, s.running * d, { alpha });
    let q = 0;
    for (let p = 0; p < count; p++) {
      if (!active[p]) continue;
      const off = p * d;
      deriv(x, off, g, null);
      for (let j = 0; j < d; j++) x[off + j] = x[off + j]! - eta * g[j]! + c * z[q++]!;
    }
    k++;
    if (!afterStep(s, k)) break;
  }
  return finish(s, eta, k);
}

/** Options of {@link eulerMaruyama}. */
export interface EulerMaruyamaOptions extends ParticleOptions {
  /** State dimension. */
  dim: number;
  /** Number of independent Brownian motions m (default dim). */
  noiseDim?: number;
  /** Time step dt > 0. */
  dt: number;
  /** Drift: writes b(x) for the point at `x[offset ..)` into `out[outOffset .. outOffset + dim)`. */
  drift: (x: Float64Array, out: Float64Array, offset: number, outOffset: number) => void;
  /**
   * Diffusion matrix σ (dim × m, row-major; D = ½σσᵀ): a number s (σ = sI,
   * needs m = dim), a constant matrix, or a function writing σ(x) into
   * `out[outOffset .. outOffset + dim·m)`.
   */
  sigma:
    | number
    | ArrayLike<number>
    | ((x: Float64Array, out: Float64Array, offset: number, outOffset: number) => void);
}

/**
 * Euler–Maruyama (Maruyama 1955; Kloeden & Platen 1992, §9.1) for the Itô SDE
 * dX = b(X) dt + σ(X) dB:
 *
 *   X_{k+1} = X_k + b(X_k) dt + σ(X_k) √dt z_k,  z_k ~ N(0, I_m).
 *
 * Strong order ½, weak order 1. For the Ornstein–Uhlenbeck process
 * b = −θX, σ = s the scheme is linear: E X_k = (1 − θ dt)^k X_0 and
 * Var X_k = s² dt [1 − (1 − θ dt)^{2k}] / [1 − (1 − θ dt)²].
 *
 * @param options see {@link EulerMaruyamaOptions}
 * @returns the run
 * @example
 * ```ts
 * import { createPrng } from "../stats/random.ts";
 * import { eulerMaruyama } from "./sde.ts";
 * const run = eulerMaruyama({
 *   dim: 1, dt: 0.01, steps: 100, initial: [1], count: 2000, prng: createPrng(3),
 *   drift: (x, out, o, oo) => { out[oo] = -x[o]!; }, sigma: 1,
 * });
 * let m = 0;
 * for (const x of run.positions) m += x / run.count;
 * if (Math.abs(m - 0.99 ** 100) > 0.05) throw new Error(`mean ${m}`);
 * ```
 */
export function eulerMaruyama(options: EulerMaruyamaOptions): ParticleRun {
  const { dim, dt, drift, sigma } = options;
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`dim must be an integer >= 1, got ${dim}`);
  }
  const m = options.noiseDim ?? dim;
  if (!Number.isInteger(m) || m < 1) {
    throw new RangeError(`noiseDim must be an integer >= 1, got ${m}`);
  }
  checkPositive("dt", dt);
  if (typeof drift !== "function") throw new TypeError(`drift must be a function, got ${drift}`);
  let sigmaFn:
    | ((x: Float64Array, out: Float64Array, offset: number, outOffset: number) => void)
    | null = null;
  const sig = new Float64Array(dim * m);
  if (typeof sigma === "number") {
    if (!Number.isFinite(sigma)) throw new RangeError(`sigma must be finite, got ${sigma}`);
    if (m !== dim) {
      throw new RangeError(`a scalar sigma needs noiseDim = dim = ${dim}, got noiseDim ${m}`);
    }
    for (let i = 0; i < dim; i++) sig[i * m + i] = sigma;
  } else if (typeof sigma === "function") {
    sigmaFn = sigma;
  } else {
    if (sigma.length !== dim * m) {
      throw new RangeError(
        `sigma must have dim·noiseDim = ${dim * m} entries, got ${sigma.length}`,
      );
    }
    for (let k = 0; k < dim * m; k++) {
      if (!Number.isFinite(sigma[k]!)) {
        throw new RangeError(`sigma[${k}] must be finite, got ${sigma[k]}`);
      }
      sig[k] = sigma[k]!;
    }
  }
  const s = setup(dim, options), { x, active, count } = s;
  const b = new Float64Array(dim), z = new Float64Array(count * m), sq = Math.sqrt(dt);
  const scalar = dim === 1 && m === 1 && sigmaFn === null, s0 = sig[0]! * Math.sqrt(dt);
  let k = 0;
  while (k < s.steps) {
    fillActiveZiggurat(options.prng, z, s, m);
    if (scalar) {
      for (let p = 0; p < count; p++) {
        if (!active[p]) continue;
        drift(x, b, p, 0);
        x[p] = x[p]! + b[0]! * dt + s0 * z[p]!;
      }
      k++;
      if (!afterStep(s, k)) break;
      continue;
    }
    for (let p = 0; p < count; p++) {
      if (!active[p]) continue;
      const off = p * dim, zo = p * m;
      drift(x, b, off, 0);
      if (sigmaFn !== null) sigmaFn(x, sig, off, 0);
      for (let i = 0; i < dim; i++) {
        let n = 0;
        for (let j = 0; j < m; j++) n += sig[i * m + j]! * z[zo + j]!;
        b[i] = b[i]! * dt + sq * n;
      }
      for (let i = 0; i < dim; i++) x[off + i] = x[off + i]! + b[i]!;
    }
    k++;
    if (!afterStep(s, k)) break;
  }
  return finish(s, dt, k);
}
