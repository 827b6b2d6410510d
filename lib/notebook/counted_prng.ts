/**
 * Seeded generators that count their draws, so that the state of a generator can be part of a
 * cache key and a computation loaded from the cache can leave it where a real run would
 * (`cache.ts`). The numbers are those of `createPrng`, one for one (MT19937 from `pure-rand`,
 * doubles made as numpy's `random_sample` makes them; a test checks the two streams agree); unlike
 * a `createPrng` closure, the generator's internal state can be read and restored, so a cached
 * computation that made millions of draws is skipped in O(1) instead of by drawing them again.
 *
 * @module
 */
import { mersenne, mersenneFromState } from "pure-rand/generator/mersenne";
import type { Prng } from "../stats/random.ts";
import { assertFunction, assertInteger } from "../stats/validate.ts";

/** The state of a {@link CountedPrng}: its seed and how many numbers it has given. */
export interface PrngState {
  seed: number;
  draws: number;
}

/** A seeded {@link Prng} that counts its draws, so its state can be part of a cache key. */
export interface CountedPrng extends Prng {
  /** The seed and the number of draws so far. */
  readonly state: PrngState;
  /** Draws and discards `n` numbers (what a computation loaded from the cache would have drawn). */
  advance(n: number): void;
  /** The generator's internal state (MT19937: the index and the 624 words), for {@link restore}. */
  snapshot(): number[];
  /**
   * Continues from `snapshot`, a {@link snapshot} taken `n` draws further on along this same
   * stream: the O(1) equivalent of `advance(n)`.
   */
  restore(snapshot: readonly number[], n: number): void;
}

/**
 * A generator identical to `createPrng(seed)`, number for number, that counts its draws.
 * `countedPrng(Math.floor(parent() * 2 ** 32))` is the stream `splitPrng(parent)` gives.
 *
 * @param seed an integer seed in [0, 2^32)
 */
export function countedPrng(seed: number): CountedPrng {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 4294967296) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
  let rng = mersenne(seed | 0);
  let draws = 0;
  // exactly createPrng's construction (lib/stats/random.ts)
  const next = () => ((rng.next() >>> 5) * 67108864 + (rng.next() >>> 6)) / 9007199254740992;
  const prng = (() => {
    draws++;
    return next();
  }) as CountedPrng;
  Object.defineProperty(prng, "state", { get: () => ({ seed, draws }) });
  prng.advance = (n: number) => {
    assertInteger("n", n, 0);
    for (let i = 0; i < n; i++) next();
    draws += n;
  };
  prng.snapshot = () => [...rng.getState()];
  prng.restore = (snapshot: readonly number[], n: number) => {
    assertInteger("n", n, 0);
    if (!Array.isArray(snapshot) || snapshot.length !== 625) {
      throw new RangeError(`snapshot must be an MT19937 state of 625 numbers, got ${snapshot}`);
    }
    rng = mersenneFromState(snapshot);
    draws += n;
  };
  return prng;
}

/**
 * A counted child of `parent`: the same stream as `splitPrng(parent)`, drawing the same one
 * number from the parent, so replacing one by the other changes no number.
 */
export function splitCountedPrng(parent: Prng): CountedPrng {
  assertFunction("parent", parent);
  const u = parent();
  if (!(u >= 0 && u < 1)) throw new RangeError(`parent must return numbers in [0, 1), got ${u}`);
  return countedPrng(Math.floor(u * 4294967296));
}

/** Whether `value` is a {@link CountedPrng}. */
export function isCountedPrng(value: unknown): value is CountedPrng {
  return typeof value === "function" && typeof (value as CountedPrng).advance === "function" &&
    typeof (value as CountedPrng).restore === "function" &&
    typeof (value as CountedPrng).state?.seed === "number";
}
