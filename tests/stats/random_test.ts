import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { mersenne } from "pure-rand/generator/mersenne";
import {
  createPrng,
  fillNormal,
  fillRademacher,
  fillUniform,
  mt19937Words,
  partialShuffle,
  randomOrthonormalBasis,
  sampleNormal,
  samplePareto,
  samplePermutation,
  sampleStable,
  splitPrng,
  type WordBlock,
  wordBlockOf,
} from "../../lib/stats/random.ts";
import { assertAllClose, meanSd } from "../_assert.ts";

Deno.test("createPrng: equals numpy RandomState(seed).random_sample() bit for bit (fixture made by numpy)", async () => {
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/random/data.json", import.meta.url)),
  ) as { cases: { seed: number; draws: number[] }[] };
  for (const { seed, draws } of fixture.cases) {
    const prng = createPrng(seed);
    assert.deepEqual(Array.from({ length: draws.length }, prng), draws, `seed ${seed}`);
  }
});

/** The next `n` raw outputs of a block (unsigned), refilling as the generator does. */
function takeWords(block: WordBlock, n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    if (block.pos >= block.words.length) block.refill();
    out.push(block.words[block.pos++]! >>> 0);
  }
  return out;
}

Deno.test("createPrng: its block of words equals numpy's raw MT19937 outputs (RandomState(seed)._bit_generator.random_raw)", async () => {
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/ziggurat/data.json", import.meta.url)),
  ) as { words: { seed: number; words: number[] }[] };
  for (const { seed, words } of fixture.words) {
    // 2000 words: three refills of the 624-word block
    assert.deepEqual(
      takeWords(wordBlockOf(createPrng(seed))!, words.length),
      words,
      `seed ${seed}`,
    );
  }
});

Deno.test("createPrng: the block MT19937 gives the words of pure-rand's mersenne (an independent implementation) over 10^5 outputs", () => {
  for (const seed of [1, 123456789, 4294967295]) {
    const ours = takeWords(wordBlockOf(createPrng(seed))!, 100_000);
    const theirs = mersenne(seed | 0);
    const ref = Array.from({ length: 100_000 }, () => theirs.next() >>> 0);
    assert.deepEqual(ours, ref, `seed ${seed}`);
  }
});

Deno.test("mt19937Words: the WebAssembly and the JavaScript twist give numpy's words, and each other's over 10^5", async () => {
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/ziggurat/data.json", import.meta.url)),
  ) as { words: { seed: number; words: number[] }[] };
  for (const { seed, words } of fixture.words) {
    for (const twist of ["wasm", "js", "auto"] as const) {
      assert.deepEqual(
        Array.from(mt19937Words(seed, words.length, twist)),
        words,
        `${seed} ${twist}`,
      );
    }
  }
  for (const seed of [3, 2 ** 31, 4294967294]) {
    assert.deepEqual(mt19937Words(seed, 100_000, "wasm"), mt19937Words(seed, 100_000, "js"));
  }
});

Deno.test("createPrng: generators refilling in turn keep their own streams (the WebAssembly memory holds one state at a time)", () => {
  const seeds = [11, 12, 13];
  const alone = seeds.map((s) => fillUniform(createPrng(s), new Float64Array(5000)));
  const prngs = seeds.map(createPrng), mixed = seeds.map(() => new Float64Array(5000));
  // interleave in uneven pieces, so every generator refills while another owns the memory
  for (let from = 0, k = 0; from < 5000; k++) {
    const to = Math.min(5000, from + 97 + 211 * (k % 3));
    seeds.forEach((_, i) => fillUniform(prngs[i]!, mixed[i]!.subarray(from, to)));
    from = to;
  }
  seeds.forEach((s, i) => assert.deepEqual(mixed[i], alone[i], `seed ${s}`));
});

Deno.test("mt19937Words: bad arguments name the argument and value", () => {
  assert.throws(() => mt19937Words(-1, 3), /seed must be an integer in \[0, 2\^32\), got -1/);
  assert.throws(() => mt19937Words(1, 2.5), /n must be an integer/);
  assert.throws(
    () => mt19937Words(1, 2, "c" as "js"),
    /twist must be "auto", "wasm" or "js", got "c"/,
  );
});

Deno.test("createPrng: calls and block reads share one stream (a double takes the next two words)", () => {
  const prng = createPrng(2026), block = wordBlockOf(prng)!;
  const words = takeWords(wordBlockOf(createPrng(2026))!, 3000);
  let k = 0;
  const expectDouble = () => {
    const a = words[k++]!, b = words[k++]!;
    return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
  };
  // mix calls and raw reads, crossing block boundaries at odd and even positions
  for (let round = 0; round < 240; round++) {
    for (let c = 0; c < round % 7; c++) assert.equal(prng(), expectDouble());
    for (let c = 0; c < round % 5; c++) assert.equal(takeWords(block, 1)[0], words[k++]);
  }
  assert.ok(k > 624 * 3, `${k} words used`);
});

Deno.test("fillUniform: the numbers of out.length calls, in bulk from the block or through the calls", () => {
  for (const skip of [0, 1, 311, 623]) {
    const a = createPrng(77), b = createPrng(77);
    for (let k = 0; k < skip; k++) assert.equal(a(), b());
    const bulk = fillUniform(a, new Float64Array(1500));
    const calls = Float64Array.from({ length: 1500 }, b);
    assert.deepEqual(bulk, calls, `after ${skip} calls`);
    assert.equal(a(), b(), "the stream goes on where the fill left it");
  }
  // any other Prng is called
  let n = 0;
  const u = fillUniform(() => (n++, 0.25), new Float64Array(3));
  assert.deepEqual(Array.from(u), [0.25, 0.25, 0.25]);
  assert.equal(n, 3);
  assert.equal(wordBlockOf(() => 0.5), undefined);
});

Deno.test("fillUniform: bad arguments name the argument and value", () => {
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => fillUniform(1 as any, new Float64Array(2)),
    /prng must be a function/,
  );
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => fillUniform(createPrng(1), [0, 0] as any),
    /out must be a Float64Array, got 0,0/,
  );
  assert.throws(
    () => fillUniform(() => 1.5, new Float64Array(2)),
    /prng must return numbers in \[0, 1\), got 1.5/,
  );
});

Deno.test("createPrng: first draws are pinned (a dependency upgrade that changes the stream fails here)", () => {
  const prng = createPrng(42);
  const first = [prng(), prng(), prng(), prng()];
  // numpy.random.RandomState(42).random_sample(4)
  assert.deepEqual(first, [
    0.3745401188473625,
    0.9507143064099162,
    0.7319939418114051,
    0.5986584841970366,
  ]);
});

Deno.test("sampleNormal: first draws are pinned", () => {
  assert.deepEqual(Array.from(sampleNormal(createPrng(7), 3)), PINNED_NORMAL_7);
});

Deno.test("createPrng: same seed gives identical streams, different seeds differ", () => {
  const a = createPrng(123), b = createPrng(123), c = createPrng(124);
  const xa = Array.from({ length: 100 }, a), xb = Array.from({ length: 100 }, b);
  const xc = Array.from({ length: 100 }, c);
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
  for (const v of xa) assert.ok(v >= 0 && v < 1);
});

Deno.test("createPrng: uniform mean and variance within 5σ/√N over 1e5 draws", () => {
  const p = createPrng(5);
  const n = 100_000;
  const x = Float64Array.from({ length: n }, p);
  const { mean, sd } = meanSd(x);
  // mean of U(0,1) has sd 1/sqrt(12 n) ≈ 9.1e-4 → 5σ ≈ 4.6e-3
  assert.ok(Math.abs(mean - 0.5) < 5 / Math.sqrt(12 * n), `mean ${mean}`);
  assert.ok(Math.abs(sd * sd - 1 / 12) < 5 * Math.sqrt(1 / 180 / n), `var ${sd * sd}`);
});

Deno.test("sampleNormal: mean, sd and kurtosis within 5σ/√N over 1e5 draws", () => {
  const n = 100_000;
  const x = sampleNormal(createPrng(11), n, 3, 2);
  const { mean, sd } = meanSd(x);
  assert.ok(Math.abs(mean - 3) < 5 * 2 / Math.sqrt(n), `mean ${mean}`);
  // sd of the sample variance of a normal is σ²·sqrt(2/n)
  assert.ok(Math.abs(sd * sd - 4) < 5 * 4 * Math.sqrt(2 / n), `var ${sd * sd}`);
  let m4 = 0;
  for (const v of x) m4 += ((v - mean) / sd) ** 4;
  m4 /= n;
  // sd of sample kurtosis ≈ sqrt(24/n)
  assert.ok(Math.abs(m4 - 3) < 5 * Math.sqrt(24 / n), `kurtosis ${m4}`);
});

Deno.test("sampleNormal / createPrng: bad arguments name the argument and value", () => {
  const p = createPrng(1);
  assert.throws(() => sampleNormal(p, -1), {
    name: "RangeError",
    message: "n must be an integer >= 0, got -1",
  });
  assert.throws(() => sampleNormal(p, 2.5), /n must be an integer >= 0, got 2.5/);
  assert.throws(() => sampleNormal(p, 3, NaN), /mean must be a finite number, got NaN/);
  assert.throws(() => sampleNormal(p, 3, 0, -1), /sd must be >= 0, got -1/);
  assert.throws(() => sampleNormal(p, 3, 0, Infinity), /sd must be a finite number, got Infinity/);
  assert.throws(() => createPrng(0.5), /seed must be an integer in \[0, 2\^32\), got 0.5/);
  assert.equal(sampleNormal(p, 0).length, 0);
});

Deno.test("fillNormal: odd lengths and Float32Array", () => {
  const x = fillNormal(createPrng(3), new Float32Array(5));
  assert.ok(x.every((v) => Number.isFinite(v)));
  assert.ok(x[4] !== 0);
});

Deno.test("samplePermutation: is a permutation, and a k-subset without repeats", () => {
  const p = createPrng(9);
  const perm = Array.from(samplePermutation(p, 50)).sort((a, b) => a - b);
  assert.deepEqual(perm, Array.from({ length: 50 }, (_, i) => i));
  const sub = samplePermutation(p, 1000, 100);
  assert.equal(new Set(sub).size, 100);
  assert.throws(() => samplePermutation(p, 5, 6), /k must be <= n \(5\), got 6/);
});

Deno.test("splitPrng: child stream is reproducible from the parent seed", () => {
  const a = splitPrng(createPrng(1)), b = splitPrng(createPrng(1));
  assert.equal(a(), b());
});

// Marsaglia polar draws on createPrng(7); pinned so that a change of method is deliberate.
const PINNED_NORMAL_7 = [-0.4659373705408328, 1.690525703800356, 0.40751628299650783];

interface StableFixture {
  probs: number[];
  cases: {
    alpha: number;
    beta: number;
    scale: number;
    loc: number;
    quantiles: number[];
    pdf: number[];
  }[];
}

Deno.test("sampleStable: empirical quantiles match scipy levy_stable (S1) within 5σ of the order statistic", async () => {
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/stable/data.json", import.meta.url)),
  ) as StableFixture;
  const n = 20_000;
  const prng = createPrng(2024);
  for (const { alpha, beta, scale, loc, quantiles, pdf } of fixture.cases) {
    const x = sampleStable(prng, n, { alpha, beta, scale, loc }).sort();
    fixture.probs.forEach((p, k) => {
      const q = quantiles[k]!, f = pdf[k]!;
      const empirical = x[Math.floor(p * n)]!;
      // sd of the empirical p-quantile ≈ sqrt(p(1−p)/n)/f(q); 5σ, plus one
      // order-statistic spacing 1/(n f(q)) for the choice of index
      const tol = (5 * Math.sqrt((p * (1 - p)) / n) + 1 / n) / f;
      assert.ok(
        Math.abs(empirical - q) <= tol,
        `alpha ${alpha} beta ${beta}: q(${p}) = ${empirical}, scipy ${q}, tol ${tol}`,
      );
    });
  }
});

Deno.test("sampleStable: alpha = 1, beta = 0 is tan(π(U − ½)) (Cauchy by inversion), same uniforms", () => {
  const x = sampleStable(createPrng(5), 50, { alpha: 1 });
  const u = createPrng(5);
  for (let i = 0; i < 50; i++) {
    const v = Math.PI * (u() - 0.5);
    u(); // the exponential's uniform
    assertAllClose(x[i]!, Math.tan(v), { rtol: 1e-12 });
  }
});

Deno.test("sampleStable: scale and loc act affinely, with the S1 shift (2/π)βγ log γ at alpha = 1", () => {
  for (const [alpha, beta] of [[1.5, -0.7], [0.8, 0.4], [1, 0.5], [2, 0.9]] as const) {
    const std = sampleStable(createPrng(8), 20, { alpha, beta });
    const x = sampleStable(createPrng(8), 20, { alpha, beta, scale: 2, loc: 1 });
    const shift = alpha === 1 ? (2 / Math.PI) * beta * 2 * Math.log(2) : 0;
    assertAllClose(x, Array.from(std, (v) => 2 * v + 1 + shift), { rtol: 1e-12, atol: 1e-12 });
  }
});

Deno.test("sampleStable: alpha = 2 ignores beta (the Gaussian N(loc, 2 scale²) has no skewness)", () => {
  assert.deepEqual(
    sampleStable(createPrng(3), 10, { alpha: 2, beta: 1 }),
    sampleStable(createPrng(3), 10, { alpha: 2, beta: -1 }),
  );
});

Deno.test("sampleStable: first draws are pinned, and draws are reproducible", () => {
  const x = sampleStable(createPrng(42), 3, { alpha: 1.5, beta: 0.5 });
  assert.deepEqual(Array.from(x), PINNED_STABLE_42);
  assert.deepEqual(x, sampleStable(createPrng(42), 3, { alpha: 1.5, beta: 0.5 }));
});

Deno.test("sampleStable: bad arguments name the argument and value", () => {
  const p = createPrng(1);
  assert.throws(() => sampleStable(p, 3, { alpha: 0 }), {
    name: "RangeError",
    message: "alpha must be in (0, 2], got 0",
  });
  assert.throws(() => sampleStable(p, 3, { alpha: 2.1 }), /alpha must be in \(0, 2\], got 2.1/);
  assert.throws(() => sampleStable(p, 3, { alpha: NaN }), /alpha must be a finite number, got NaN/);
  assert.throws(
    () => sampleStable(p, 3, { alpha: 1, beta: 1.5 }),
    /beta must be in \[-1, 1\], got 1.5/,
  );
  assert.throws(() => sampleStable(p, 3, { alpha: 1, scale: 0 }), /scale must be > 0, got 0/);
  assert.throws(
    () => sampleStable(p, 3, { alpha: 1, loc: Infinity }),
    /loc must be a finite number, got Infinity/,
  );
  assert.throws(() => sampleStable(p, -1, { alpha: 1 }), /n must be an integer >= 0, got -1/);
  assert.equal(sampleStable(p, 0, { alpha: 1 }).length, 0);
});

Deno.test("samplePareto: quantiles of |X| are x_m (1−p)^(−1/α) within 5σ; signs are fair", () => {
  const n = 20_000, alpha = 1.5, scale = 2;
  const x = samplePareto(createPrng(6), n, { alpha, scale, symmetric: true });
  const mag = Float64Array.from(x, Math.abs).sort();
  assert.ok(mag[0]! >= scale);
  for (const p of [0.1, 0.5, 0.9, 0.99]) {
    const q = scale * (1 - p) ** (-1 / alpha);
    const f = (alpha / scale) * (q / scale) ** (-alpha - 1);
    const tol = (5 * Math.sqrt((p * (1 - p)) / n) + 1 / n) / f;
    assert.ok(Math.abs(mag[Math.floor(p * n)]! - q) <= tol, `q(${p})`);
  }
  const negative = x.filter((v) => v < 0).length / n;
  // a fair sign: the fraction has sd 0.5/√n; 5σ
  assert.ok(Math.abs(negative - 0.5) <= 5 * 0.5 / Math.sqrt(n), `negative fraction ${negative}`);
  assert.ok(samplePareto(createPrng(6), 100, { alpha }).every((v) => v >= 1));
});

Deno.test("samplePareto: bad arguments name the argument and value", () => {
  const p = createPrng(1);
  assert.throws(() => samplePareto(p, 3, { alpha: 0 }), /alpha must be > 0, got 0/);
  assert.throws(() => samplePareto(p, 3, { alpha: 1, scale: -1 }), /scale must be > 0, got -1/);
  assert.throws(() => samplePareto(p, 1.5, { alpha: 1 }), /n must be an integer >= 0, got 1.5/);
});

// Chambers–Mallows–Stuck draws, alpha 1.5, beta 0.5, on createPrng(42); pinned so that a
// change of method is deliberate. scipy's own CMS algebra (levy_stable._rvs_Z1, the S1
// branch for beta != 0) applied to the same uniforms, V = π(u₀ − ½), W = −log u₁, ...,
// gives [-0.39529898, 0.61837083, -2.34471859].
const PINNED_STABLE_42 = [-0.3952989808651264, 0.6183708348147736, -2.3447185857815636];

Deno.test("partialShuffle: every k-subset equally likely (5σ over 2·10⁴ draws), also when the buffer is reused", () => {
  // n = 5, k = 2: 10 unordered subsets, each with probability 1/10; count sd √(R·0.1·0.9)
  const reps = 20000, prng = createPrng(60), buffer = Int32Array.from([0, 1, 2, 3, 4]);
  const counts = new Map<string, number>();
  for (let r = 0; r < reps; r++) {
    partialShuffle(prng, buffer, 2); // the same buffer, in whatever order the last call left it
    const key = [buffer[0]!, buffer[1]!].sort().join();
    counts.set(key, (counts.get(key) ?? 0) + 1);
    assert.deepEqual([...buffer].sort(), [0, 1, 2, 3, 4]);
  }
  assert.equal(counts.size, 10);
  const sd = Math.sqrt(reps * 0.1 * 0.9);
  for (const [key, c] of counts) assert.ok(Math.abs(c - reps / 10) < 5 * sd, `${key}: ${c}`);
});

Deno.test("partialShuffle: the draws of samplePermutation (one uniform per slot); k = 0 draws nothing", () => {
  const b = partialShuffle(createPrng(61), Int32Array.from({ length: 9 }, (_, i) => i), 4);
  assert.deepEqual([...b.subarray(0, 4)], [...samplePermutation(createPrng(61), 9, 4)]);
  // slot i is swapped with i + ⌊u_i·(n − i)⌋
  const u = createPrng(62), expected = [0, 1, 2];
  for (let i = 0; i < 3; i++) {
    const j = i + Math.floor(u() * (3 - i));
    [expected[i], expected[j]] = [expected[j]!, expected[i]!];
  }
  assert.deepEqual([...partialShuffle(createPrng(62), Int32Array.from([0, 1, 2]), 3)], expected);
  const counting = createPrng(63);
  let calls = 0;
  partialShuffle(() => (calls++, counting()), new Int32Array(4), 0);
  assert.equal(calls, 0);
  assert.throws(
    () => partialShuffle(createPrng(1), new Int32Array(3), 4),
    /k must be an integer in \[0, 3\], got 4/,
  );
});

Deno.test("fillRademacher: ±1 entries, mean 0 and variance 1 within 5σ/√N over 1e5 draws", () => {
  const z = fillRademacher(createPrng(64), new Float64Array(100000));
  assert.ok(z.every((v) => v === 1 || v === -1));
  const { mean, sd } = meanSd(z);
  assertAllClose(mean, 0, { atol: 5 / Math.sqrt(z.length) });
  // the sample sd of ±1 values is exactly √((1 − mean²)·N/(N − 1))
  assertAllClose(sd, Math.sqrt((1 - mean * mean) * z.length / (z.length - 1)), { rtol: 1e-12 });
});

Deno.test("randomOrthonormalBasis: orthonormal, reproducible, and E‖V e₁‖² = k/dim", () => {
  const b = randomOrthonormalBasis(createPrng(15), 4, 9);
  const vm = new Matrix(
    Array.from({ length: 4 }, (_, i) => [...b.data.subarray(9 * i, 9 * i + 9)]),
  );
  assertAllClose(vm.mmul(vm.transpose()).to1DArray(), Matrix.eye(4).to1DArray(), { atol: 1e-14 });
  assert.deepEqual(randomOrthonormalBasis(createPrng(15), 4, 9).data, b.data);
  // ‖V e₁‖² ~ Beta(k/2, (dim − k)/2): mean k/dim, variance 2k(dim − k)/(dim²(dim + 2)); 5 sd of the mean
  const k = 3, dim = 12, reps = 2000, prng = createPrng(16);
  let mean = 0;
  for (let r = 0; r < reps; r++) {
    const v = randomOrthonormalBasis(prng, k, dim);
    for (let i = 0; i < k; i++) mean += v.data[i * dim]! ** 2 / reps;
  }
  const sd = Math.sqrt((2 * k * (dim - k)) / (dim * dim * (dim + 2)) / reps);
  assertAllClose(mean, k / dim, { atol: 5 * sd });
  assert.throws(() => randomOrthonormalBasis(prng, 4, 3), /k must be <= dim \(3\), got 4/);
});
