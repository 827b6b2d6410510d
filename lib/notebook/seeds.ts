/**
 * Claims replicated over seeds. One seed is one complete run of a notebook's experiment: its data
 * split, initial weights, batch order and measurement generators all follow from it. A claim is
 * measured once per seed ({@link acrossSeeds}), and `ClaimLog.recordSeeds` turns the per-seed
 * values into one verdict by {@link combineVerdicts}: **the verdict is the weakest of the per-seed
 * verdicts**, in the order reproduced > partly > inconclusive > not reproduced. So a claim reads
 * "reproduced" only when every seed reproduces it; one seed whose negative control also passes
 * makes it at best "inconclusive"; one seed on which the statistic fails makes it "not
 * reproduced". The claim's value is the median of the per-seed values, and its record keeps every
 * seed's value, control and verdict.
 *
 * @module
 */
import type { Verdict } from "./claims.ts";

/** Distance between the seeds of {@link replicateSeeds}: base, base + 1000, base + 2000, … */
export const SEED_STRIDE = 1000;

/**
 * The seeds of a replicated experiment: `base`, `base + 1000`, … (`count` of them). The stride
 * keeps them apart from the small offsets (`seed + 1`, `seed + 2`) that notebooks use for side
 * streams of one run, so no two runs share a generator.
 *
 * @param base the notebook's seed (the first run keeps it, so its numbers do not change)
 * @param count how many seeds (≥ 1)
 * @example
 * ```ts
 * import { replicateSeeds } from "./seeds.ts";
 * if (replicateSeeds(2026, 3).join() !== "2026,3026,4026") throw 0;
 * ```
 */
export function replicateSeeds(base: number, count: number): number[] {
  if (!Number.isSafeInteger(base)) throw new RangeError(`base must be an integer, got ${base}`);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`count must be an integer ≥ 1, got ${count}`);
  }
  return Array.from({ length: count }, (_, i) => base + i * SEED_STRIDE);
}

/** One seed's result. */
export interface SeedRun<T> {
  seed: number;
  /** Position in the list of seeds (0: the notebook's own seed). */
  index: number;
  result: T;
}

/**
 * Runs a computation once per seed, one after another (each run may train networks; running them
 * in turn keeps memory to one run at a time), and returns the results in the order of the seeds.
 *
 * @param seeds distinct integer seeds (at least one)
 * @param run the computation of one seed; `index` 0 is the first seed
 * @example
 * ```ts
 * import { acrossSeeds } from "./seeds.ts";
 * const runs = await acrossSeeds([1, 1001], (seed, i) => seed * 10 + i);
 * if (runs.map((r) => r.result).join() !== "10,10011") throw 0;
 * ```
 */
export async function acrossSeeds<T>(
  seeds: readonly number[],
  run: (seed: number, index: number) => T | Promise<T>,
): Promise<SeedRun<T>[]> {
  checkSeeds(seeds);
  const out: SeedRun<T>[] = [];
  for (const [index, seed] of seeds.entries()) {
    out.push({ seed, index, result: await run(seed, index) });
  }
  return out;
}

/** Checks a list of seeds: non-empty, safe integers, no repeats. */
export function checkSeeds(seeds: readonly number[]): void {
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new RangeError(`seeds must be a non-empty array, got ${JSON.stringify(seeds)}`);
  }
  for (const s of seeds) {
    if (!Number.isSafeInteger(s)) throw new RangeError(`every seed must be an integer, got ${s}`);
  }
  if (new Set(seeds).size !== seeds.length) {
    throw new RangeError(`seeds must be distinct, got ${seeds.join(", ")}`);
  }
}

/** The verdicts from weakest to strongest, the order {@link combineVerdicts} uses. */
export const VERDICT_ORDER: readonly Verdict[] = [
  "not reproduced",
  "inconclusive",
  "partly",
  "reproduced",
];

function rank(v: Verdict): number {
  const r = VERDICT_ORDER.indexOf(v);
  if (r < 0) throw new TypeError(`unknown verdict ${JSON.stringify(v)}`);
  return r;
}

/**
 * One verdict from the verdicts of several seeds: the weakest of them (reproduced > partly >
 * inconclusive > not reproduced). When the seeds agree that is their common verdict; when they
 * do not, the claim gets only what every seed supports.
 *
 * @param verdicts the per-seed verdicts (at least one)
 * @example
 * ```ts
 * import { combineVerdicts } from "./seeds.ts";
 * if (combineVerdicts(["reproduced", "partly", "reproduced"]) !== "partly") throw 0;
 * if (combineVerdicts(["reproduced", "inconclusive"]) !== "inconclusive") throw 0;
 * ```
 */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (!Array.isArray(verdicts) || verdicts.length === 0) {
    throw new RangeError("verdicts must be a non-empty array");
  }
  verdicts.forEach(rank);
  return verdicts.reduce((a, v) => (rank(v) < rank(a) ? v : a));
}

/**
 * The strongest of several verdicts. For negative controls: a claim is inconclusive on a seed
 * whose control passes, so the control verdict that matters over seeds is the strongest one.
 */
export function strongestVerdict(verdicts: readonly Verdict[]): Verdict {
  if (!Array.isArray(verdicts) || verdicts.length === 0) {
    throw new RangeError("verdicts must be a non-empty array");
  }
  verdicts.forEach(rank);
  return verdicts.reduce((a, v) => (rank(v) > rank(a) ? v : a));
}

/**
 * The median of finite values (the mean of the middle two for an even count).
 *
 * @example
 * ```ts
 * import { median } from "./seeds.ts";
 * if (median([3, 1, 2]) !== 2 || median([4, 1, 2, 3]) !== 2.5) throw 0;
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  for (const v of values) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`median: every value must be finite, got ${v}`);
    }
  }
  const s = [...values].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
