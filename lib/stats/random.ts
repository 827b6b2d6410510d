/**
 * Seeded randomness. Every sampler takes its {@link Prng} as an argument, so
 * the same seed gives the same numbers, bit for bit, and no global state is
 * touched: normal, Rademacher, α-stable and Pareto draws, permutations and the
 * partial Fisher–Yates shuffle that draws minibatches, random orthonormal frames.
 *
 * The generator is MT19937 (mt19937.ts: numpy's stream, twisted a block at a time). Doubles are
 * made exactly as numpy's legacy `RandomState.random_sample` makes them,
 * `((a >>> 5)·2^26 + (b >>> 6)) / 2^53` from two 32-bit outputs, so `createPrng(seed)` reproduces
 * `numpy.random.RandomState(seed).random_sample()` bit for bit (a test checks this against
 * draws made by numpy).
 *
 * Bulk samplers read the block of a generator made by {@link createPrng} directly
 * ({@link wordBlockOf}) instead of calling it once per number, and calls and block reads may be
 * interleaved freely: they continue one MT19937 stream (tested). {@link fillUniform} takes two
 * words per double, so its numbers are those of the calls; the particle simulators' ziggurat
 * (dynamics/sde/ziggurat.ts) takes one word per attempt, so its normals are not a function of
 * the doubles the calls would have returned.
 *
 * @module
 */
import type { DenseMatrix } from "./matrix.ts";
import { checkSeed, Mt19937, MT_N, type WordBlock } from "./mt19937.ts";
export { mt19937Words, type WordBlock } from "./mt19937.ts";
import { assertAllocation, assertFinite, assertFunction, assertInteger } from "./validate.ts";

/**
 * How many rejected draws in a row a rejection sampler accepts before it decides that its
 * generator is degenerate (a constant, NaN, or values outside [0, 1)) and throws, instead of
 * looping forever. A uniform generator is rejected 1000 times in a row with probability
 * about 0.22^1000.
 */
export const MAX_REJECTIONS = 1000;

/** One draw of `prng`, checked to lie in [0, 1). */
function uniform(prng: Prng): number {
  const u = prng();
  if (!(u >= 0 && u < 1)) {
    throw new RangeError(`prng must return numbers in [0, 1), got ${u}`);
  }
  return u;
}

function degenerate(prng: string, last: number): RangeError {
  return new RangeError(
    `${prng} gave ${MAX_REJECTIONS} rejected draws in a row (last ${last}): ` +
      `it must return uniform numbers in [0, 1)`,
  );
}

/** A source of uniform doubles on [0, 1). */
export type Prng = () => number;

/** The generator behind each Prng made by {@link createPrng}. */
const BLOCKS = new WeakMap<Prng, Mt19937>();

/**
 * Creates a seeded uniform generator on [0, 1) (MT19937, 53-bit doubles, the
 * same stream as `numpy.random.RandomState(seed).random_sample()`).
 *
 * @param seed an integer seed in [0, 2^32)
 * @returns a {@link Prng}
 * @example
 * ```ts
 * import { createPrng } from "./random.ts";
 * const a = createPrng(42), b = createPrng(42);
 * if (a() !== b()) throw new Error("not reproducible");
 * ```
 */
export function createPrng(seed: number): Prng {
  checkSeed(seed);
  const g = new Mt19937(seed), words = g.words;
  const prng = (): number => {
    const p = g.pos;
    if (p > MT_N - 2) return g.double();
    g.pos = p + 2;
    return ((words[p]! >>> 5) * 67108864 + (words[p + 1]! >>> 6)) / 9007199254740992;
  };
  BLOCKS.set(prng, g);
  return prng;
}

/**
 * The block of raw words behind a generator made by {@link createPrng}, for bulk samplers that
 * read it in place; `undefined` for any other {@link Prng} (which bulk samplers then call once
 * per double instead, giving the same numbers for the same doubles).
 *
 * @param prng a uniform source
 * @returns its {@link WordBlock}, or undefined
 * @example
 * ```ts
 * import { createPrng, wordBlockOf } from "./random.ts";
 * const prng = createPrng(42), block = wordBlockOf(prng)!;
 * if (block.pos >= block.words.length) block.refill();
 * const a = block.words[block.pos++]! >>> 0; // numpy: RandomState(42)._bit_generator.random_raw()
 * if (a !== 1608637542) throw new Error(String(a));
 * ```
 */
export function wordBlockOf(prng: Prng): WordBlock | undefined {
  return BLOCKS.get(prng);
}

/**
 * Fills `out` with uniform doubles on [0, 1): exactly the numbers of `out.length` calls of
 * `prng`, read in bulk from the generator's block when `prng` was made by {@link createPrng}.
 *
 * @param prng uniform source
 * @param out array to fill in place
 * @returns `out`
 * @example
 * ```ts
 * import { createPrng, fillUniform } from "./random.ts";
 * const u = fillUniform(createPrng(42), new Float64Array(2));
 * if (u[0] !== createPrng(42)()) throw new Error("same stream as the calls");
 * ```
 */
export function fillUniform(prng: Prng, out: Float64Array): Float64Array {
  assertFunction("prng", prng);
  if (!(out instanceof Float64Array)) throw new TypeError(`out must be a Float64Array, got ${out}`);
  const g = BLOCKS.get(prng), n = out.length;
  if (g === undefined) {
    for (let i = 0; i < n; i++) out[i] = uniform(prng);
    return out;
  }
  const words = g.words;
  let p = g.pos;
  for (let i = 0; i < n; i++) {
    if (p > MT_N - 2) {
      g.pos = p;
      out[i] = g.double();
      p = g.pos;
      continue;
    }
    out[i] = ((words[p]! >>> 5) * 67108864 + (words[p + 1]! >>> 6)) / 9007199254740992;
    p += 2;
  }
  g.pos = p;
  return out;
}

/**
 * Derives an independent-looking child generator from a parent, for giving
 * each sub-task its own stream (the child is seeded by 32 bits drawn from the
 * parent).
 */
export function splitPrng(prng: Prng): Prng {
  assertFunction("prng", prng);
  return createPrng(Math.floor(uniform(prng) * 4294967296));
}

/**
 * Fills `out` with standard normal draws (Marsaglia polar method; two normals
 * per accepted pair, acceptance probability π/4).
 *
 * @param prng uniform source
 * @param out array to fill in place
 * @returns `out`
 */
export function fillNormal<T extends Float64Array | Float32Array>(prng: Prng, out: T): T {
  assertFunction("prng", prng);
  if (!(out instanceof Float64Array || out instanceof Float32Array)) {
    throw new TypeError(`out must be a Float64Array or Float32Array, got ${out}`);
  }
  const n = out.length;
  let i = 0;
  while (i < n) {
    let u = 0, v = 0, s = 0, rejected = 0;
    do {
      if (rejected++ === MAX_REJECTIONS) throw degenerate("prng", u);
      u = 2 * prng() - 1;
      v = 2 * prng() - 1;
      s = u * u + v * v;
    } while (!(s < 1) || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = u * f;
    if (i < n) out[i++] = v * f;
  }
  return out;
}

/**
 * Draws `n` independent normal numbers with the given mean and standard
 * deviation (Marsaglia polar method).
 *
 * @param prng uniform source
 * @param n number of draws (integer ≥ 0)
 * @param mean location (finite)
 * @param sd standard deviation (finite, ≥ 0)
 * @returns a new Float64Array of length `n`
 * @example
 * ```ts
 * import { createPrng, sampleNormal } from "./random.ts";
 * const x = sampleNormal(createPrng(1), 4, 10, 2);
 * if (x.length !== 4) throw new Error("length");
 * ```
 */
export function sampleNormal(prng: Prng, n: number, mean = 0, sd = 1): Float64Array {
  assertInteger("n", n);
  assertAllocation("n", n);
  assertFinite("mean", mean);
  assertFinite("sd", sd);
  if (sd < 0) throw new RangeError(`sd must be >= 0, got ${sd}`);
  const out = fillNormal(prng, new Float64Array(n));
  if (mean !== 0 || sd !== 1) {
    for (let i = 0; i < n; i++) {
      const v = mean + sd * out[i]!;
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `sampleNormal draw ${i} overflowed to ${v}: mean ${mean} and sd ${sd} are too large for doubles`,
        );
      }
      out[i] = v;
    }
  }
  return out;
}

/**
 * Fisher–Yates shuffle of `0..n-1`, or of the first `k` positions only
 * (a uniform random sample of size `k` without replacement, in random order).
 *
 * @param prng uniform source
 * @param n population size
 * @param k how many to draw (default `n`)
 * @returns Int32Array of length `k`
 */
export function samplePermutation(prng: Prng, n: number, k = n): Int32Array {
  assertInteger("n", n);
  assertAllocation("n", n);
  assertInteger("k", k);
  if (k > n) throw new RangeError(`k must be <= n (${n}), got ${k}`);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  partialShuffle(prng, idx, k);
  return k === n ? idx : idx.slice(0, k);
}

/**
 * Partial Fisher–Yates shuffle in place: for i = 0..k−1, swaps slot i with a uniform slot
 * j ∈ [i, n) (`j = i + ⌊prng()·(n − i)⌋`, one uniform per slot). Afterwards the first k slots
 * hold a uniform random k-subset of the entries, in random order, whatever order the buffer was
 * in before: calling it again on the same buffer draws an independent subset (how minibatches
 * are drawn without replacement within a batch and independently across batches).
 *
 * @param prng uniform source (exactly k draws)
 * @param buffer the entries to shuffle (length n)
 * @param k how many leading slots to fill, 0 ≤ k ≤ n
 * @returns `buffer`
 * @example
 * ```ts
 * import { createPrng, partialShuffle } from "./random.ts";
 * const b = partialShuffle(createPrng(1), Int32Array.from([0, 1, 2, 3]), 2);
 * if ([...b].sort().join() !== "0,1,2,3") throw new Error("a permutation of the entries");
 * ```
 */
export function partialShuffle(prng: Prng, buffer: Int32Array, k: number): Int32Array {
  assertFunction("prng", prng);
  if (!(buffer instanceof Int32Array)) {
    throw new TypeError(`buffer must be an Int32Array, got ${buffer}`);
  }
  const n = buffer.length;
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`k must be an integer in [0, ${n}], got ${k}`);
  }
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(uniform(prng) * (n - i));
    const t = buffer[i]!;
    buffer[i] = buffer[j]!;
    buffer[j] = t;
  }
  return buffer;
}

/**
 * Fills `out` with Rademacher draws, each entry −1 or +1 with probability ½,
 * one `prng()` call per entry (`prng() < 0.5 ? -1 : 1`).
 *
 * @param prng uniform source
 * @param out array to fill in place
 * @returns `out`
 * @example
 * ```ts
 * import { createPrng, fillRademacher } from "./random.ts";
 * const z = fillRademacher(createPrng(1), new Float64Array(8));
 * if (!z.every((v) => v === 1 || v === -1)) throw new Error("±1 entries");
 * ```
 */
export function fillRademacher(prng: Prng, out: Float64Array): Float64Array {
  assertFunction("prng", prng);
  if (!(out instanceof Float64Array)) throw new TypeError(`out must be a Float64Array, got ${out}`);
  for (let i = 0; i < out.length; i++) out[i] = uniform(prng) < 0.5 ? -1 : 1;
  return out;
}

/**
 * A uniformly random k-dimensional orthonormal frame in R^dim (Haar measure
 * on the Stiefel manifold): k standard Gaussian rows orthonormalised by
 * modified Gram–Schmidt, applied twice for stability. For random-projection
 * estimates of covariance matrices: E ‖V x‖² = (k/dim) ‖x‖².
 *
 * @param prng uniform source
 * @param k number of rows, 1 ≤ k ≤ dim
 * @param dim ambient dimension
 * @returns k × dim {@link DenseMatrix} with orthonormal rows
 * @example
 * ```ts
 * import { createPrng, randomOrthonormalBasis } from "./random.ts";
 * const v = randomOrthonormalBasis(createPrng(3), 2, 5);
 * const d = v.data.subarray(0, 5).reduce((s, x, i) => s + x * v.data[5 + i]!, 0);
 * if (Math.abs(d) > 1e-12) throw new Error("rows orthogonal");
 * ```
 */
export function randomOrthonormalBasis(prng: Prng, k: number, dim: number): DenseMatrix {
  assertInteger("dim", dim, 1);
  assertInteger("k", k, 1);
  if (k > dim) throw new RangeError(`k must be <= dim (${dim}), got ${k}`);
  assertAllocation("k·dim", k * dim);
  const data = new Float64Array(k * dim);
  for (let i = 0; i < k; i++) {
    const v = data.subarray(i * dim, (i + 1) * dim);
    for (let attempt = 0;; attempt++) {
      if (attempt === MAX_REJECTIONS) throw degenerate("prng", NaN);
      fillNormal(prng, v);
      let n0 = 0;
      for (let t = 0; t < dim; t++) n0 += v[t]! * v[t]!;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < i; j++) {
          const w = data.subarray(j * dim, (j + 1) * dim);
          let c = 0;
          for (let t = 0; t < dim; t++) c += w[t]! * v[t]!;
          for (let t = 0; t < dim; t++) v[t] = v[t]! - c * w[t]!;
        }
      }
      let n = 0;
      for (let t = 0; t < dim; t++) n += v[t]! * v[t]!;
      if (n > 1e-16 * n0) {
        const f = 1 / Math.sqrt(n);
        for (let t = 0; t < dim; t++) v[t] = v[t]! * f;
        break;
      }
    }
  }
  return { rows: k, cols: dim, data };
}

/** Parameters of an α-stable law in Nolan's S1 parameterisation. */
export interface StableParams {
  /** Stability index α ∈ (0, 2]. */
  alpha: number;
  /** Skewness β ∈ [−1, 1] (default 0; irrelevant at α = 2). */
  beta?: number;
  /** Scale γ > 0 (default 1). */
  scale?: number;
  /** Location δ (default 0). */
  loc?: number;
}

/** A uniform draw on (0, 1): redraws the (probability 2^−53) exact zero. */
function openUniform(prng: Prng): number {
  let u = uniform(prng);
  for (let rejected = 1; u === 0; rejected++) {
    if (rejected === MAX_REJECTIONS) throw degenerate("prng", u);
    u = uniform(prng);
  }
  return u;
}

/**
 * Draws `n` independent α-stable numbers S1(α, β, γ, δ) by the
 * Chambers–Mallows–Stuck method (Chambers, Mallows & Stuck 1976, in the form
 * of Weron 1996), in Nolan's S1 parameterisation, the default of
 * `scipy.stats.levy_stable` (characteristic function
 * exp(−γ^α|t|^α (1 − iβ sign(t) tan(πα/2)) + iδt) for α ≠ 1 and
 * exp(−γ|t| (1 + iβ (2/π) sign(t) log|t|) + iδt) for α = 1).
 *
 * With V ~ U(−π/2, π/2) and W ~ Exp(1) independent (V from one uniform, then
 * W from the next, per draw):
 * - α ≠ 1: with B = arctan(β tan(πα/2))/α and C = (1 + β² tan²(πα/2))^{1/(2α)},
 *   X = C · sin(α(V + B)) / (cos V)^{1/α} · [cos(V − α(V + B)) / W]^{(1−α)/α},
 *   and the draw is γX + δ. At α = 2 the law is N(δ, 2γ²) whatever β
 *   (B = 0, C = 1 are used exactly, so tan(π) round-off does not leak in).
 * - α = 1: X = (2/π) [(π/2 + βV) tan V − β log((π/2) W cos V / (π/2 + βV))],
 *   and the draw is γX + (2/π) β γ log γ + δ (the S1 location shift at α = 1,
 *   as in scipy's `levy_stable` pdf, cdf and rvs).
 *
 * @param prng uniform source (two uniforms per draw, plus a redraw in the
 *   rare case of an exact 0)
 * @param n number of draws (integer ≥ 0)
 * @param params `{ alpha, beta = 0, scale = 1, loc = 0 }`, see {@link StableParams}
 * @returns a new Float64Array of length `n`
 * @throws RangeError for α ∉ (0, 2], β ∉ [−1, 1], scale ≤ 0, non-finite
 *   loc, or (for tiny α) a draw that overflows to ±∞
 * @example
 * ```ts
 * import { createPrng, sampleStable } from "./random.ts";
 * const x = sampleStable(createPrng(1), 1000, { alpha: 1.5, beta: 0.3 });
 * if (x.length !== 1000 || !x.every(Number.isFinite)) throw new Error("bad draws");
 * ```
 */
export function sampleStable(
  prng: Prng,
  n: number,
  { alpha, beta = 0, scale = 1, loc = 0 }: StableParams,
): Float64Array {
  assertInteger("n", n);
  assertFinite("alpha", alpha);
  if (!(alpha > 0 && alpha <= 2)) throw new RangeError(`alpha must be in (0, 2], got ${alpha}`);
  assertFinite("beta", beta);
  if (!(beta >= -1 && beta <= 1)) throw new RangeError(`beta must be in [-1, 1], got ${beta}`);
  assertFinite("scale", scale);
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  assertFinite("loc", loc);
  assertFunction("prng", prng);
  assertAllocation("n", n);
  const out = new Float64Array(n);
  const halfPi = Math.PI / 2;
  if (alpha === 1) {
    const shift = loc + (2 / Math.PI) * beta * scale * Math.log(scale);
    for (let i = 0; i < n; i++) {
      const v = Math.PI * (openUniform(prng) - 0.5);
      const w = -Math.log(openUniform(prng));
      const bv = halfPi + beta * v;
      const x = (2 / Math.PI) *
        (bv * Math.tan(v) - beta * Math.log((halfPi * w * Math.cos(v)) / bv));
      out[i] = scale * x + shift;
    }
  } else {
    const t = alpha === 2 ? 0 : beta * Math.tan(halfPi * alpha);
    const b = Math.atan(t) / alpha;
    const c = Math.pow(1 + t * t, 1 / (2 * alpha));
    const inv = 1 / alpha, expo = (1 - alpha) / alpha;
    for (let i = 0; i < n; i++) {
      const v = Math.PI * (openUniform(prng) - 0.5);
      const w = -Math.log(openUniform(prng));
      const avb = alpha * (v + b);
      // cos(V − α(V + B)) ≥ 0 in exact arithmetic; clamp round-off below 0
      const base = Math.max(0, Math.cos(v - avb)) / w;
      const x = (c * Math.sin(avb)) / Math.pow(Math.cos(v), inv) * Math.pow(base, expo);
      out[i] = scale * x + loc;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new RangeError(
        `sampleStable draw ${i} overflowed to ${out[i]} (alpha ${alpha} is too small for doubles)`,
      );
    }
  }
  return out;
}

/** Parameters of a Pareto law, P(|X| > x) = (x/scale)^{−alpha} for x ≥ scale. */
export interface ParetoParams {
  /** Tail index α > 0. */
  alpha: number;
  /** Minimum magnitude x_m > 0 (default 1). */
  scale?: number;
  /** If true, a random sign is attached, giving a symmetric law (default false). */
  symmetric?: boolean;
}

/**
 * Draws `n` Pareto numbers with tail index α by inversion:
 * |X| = x_m (1 − U)^{−1/α}, U ~ U[0, 1), so P(|X| > x) = (x/x_m)^{−α} for
 * x ≥ x_m; with `symmetric`, a second uniform gives the sign (each ± with
 * probability ½). The variance is infinite for α ≤ 2: the generalized central
 * limit theorem sends normalised sums to an α-stable law (Gnedenko &
 * Kolmogorov 1954).
 *
 * @param prng uniform source (one uniform per draw, two if `symmetric`)
 * @param n number of draws (integer ≥ 0)
 * @param params `{ alpha, scale = 1, symmetric = false }`, see {@link ParetoParams}
 * @returns a new Float64Array of length `n`
 * @example
 * ```ts
 * import { createPrng, samplePareto } from "./random.ts";
 * const x = samplePareto(createPrng(2), 100, { alpha: 1.5, symmetric: true });
 * if (!x.every((v) => Math.abs(v) >= 1)) throw new Error("below x_m");
 * ```
 */
export function samplePareto(
  prng: Prng,
  n: number,
  { alpha, scale = 1, symmetric = false }: ParetoParams,
): Float64Array {
  assertInteger("n", n);
  assertFinite("alpha", alpha);
  if (!(alpha > 0)) throw new RangeError(`alpha must be > 0, got ${alpha}`);
  assertFinite("scale", scale);
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  assertFunction("prng", prng);
  assertAllocation("n", n);
  const out = new Float64Array(n);
  const e = -1 / alpha;
  for (let i = 0; i < n; i++) {
    const m = scale * Math.pow(1 - uniform(prng), e);
    if (m === Infinity) {
      throw new RangeError(`samplePareto draw ${i} overflowed (alpha ${alpha} is too small)`);
    }
    out[i] = symmetric && uniform(prng) < 0.5 ? -m : m;
  }
  return out;
}
