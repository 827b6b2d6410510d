/**
 * Seeded randomness. Every sampler takes its {@link Prng} as an argument, so
 * the same seed gives the same numbers, bit for bit, and no global state is
 * touched.
 *
 * The generator is MT19937 from the `pure-rand` package (the generator library
 * of fast-check). Doubles are made exactly as numpy's legacy
 * `RandomState.random_sample` makes them, `((a >>> 5)·2^26 + (b >>> 6)) / 2^53`
 * from two 32-bit outputs, so `createPrng(seed)` reproduces
 * `numpy.random.RandomState(seed).random_sample()` bit for bit (a test checks
 * this against draws made by numpy).
 *
 * @module
 */
import { mersenne } from "pure-rand/generator/mersenne";

/** A source of uniform doubles on [0, 1). */
export type Prng = () => number;

/** Throws a RangeError naming `name` unless `value` is a finite number. */
export function assertFinite(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${value}`);
  }
}

/** Throws a RangeError naming `name` unless `value` is an integer ≥ `min`. */
export function assertInteger(name: string, value: number, min = 0): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

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
  if (!Number.isInteger(seed) || seed < 0 || seed >= 4294967296) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
  const rng = mersenne(seed | 0);
  return () => ((rng.next() >>> 5) * 67108864 + (rng.next() >>> 6)) / 9007199254740992;
}

/**
 * Derives an independent-looking child generator from a parent, for giving
 * each sub-task its own stream (the child is seeded by 32 bits drawn from the
 * parent).
 */
export function splitPrng(prng: Prng): Prng {
  return createPrng(Math.floor(prng() * 4294967296));
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
  const n = out.length;
  let i = 0;
  while (i < n) {
    let u = 0, v = 0, s = 0;
    do {
      u = 2 * prng() - 1;
      v = 2 * prng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
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
  assertFinite("mean", mean);
  assertFinite("sd", sd);
  if (sd < 0) throw new RangeError(`sd must be >= 0, got ${sd}`);
  const out = fillNormal(prng, new Float64Array(n));
  if (mean !== 0 || sd !== 1) { for (let i = 0; i < n; i++) out[i] = mean + sd * out[i]!; }
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
  assertInteger("k", k);
  if (k > n) throw new RangeError(`k must be <= n (${n}), got ${k}`);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(prng() * (n - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return k === n ? idx : idx.slice(0, k);
}
