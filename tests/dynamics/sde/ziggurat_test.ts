import assert from "node:assert/strict";
import { createPrng, type Prng } from "../../../lib/stats/random.ts";
import { fillZiggurat, ZIGGURAT_R } from "../../../lib/dynamics/sde/ziggurat.ts";
import { meanSd } from "../../_assert.ts";

interface Fixture {
  normals: { seed: number; normals: number[]; nextUniform: number }[];
  r: number;
  tailMass: number;
  binEdges: number[];
  tailExcessMean: number;
  tailExcessSd: number;
}
const fixture = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/ziggurat/data.json", import.meta.url)),
) as Fixture;

Deno.test("fillZiggurat: equals a Python implementation fed by numpy's MT19937 words, bit for bit, and the stream goes on", () => {
  // tests/fixtures/ziggurat/make.py: the same algorithm written again, fed by
  // RandomState(seed)._bit_generator.random_raw (5000 draws of seed 42 include wedges and a tail)
  for (const { seed, normals, nextUniform } of fixture.normals) {
    const prng = createPrng(seed);
    const x = new Float64Array(normals.length);
    fillZiggurat(prng, x);
    assert.deepEqual(Array.from(x), normals, `seed ${seed}`);
    // one word per attempt: the generator continues exactly after the words the fill used
    assert.equal(prng(), nextUniform, `seed ${seed}: the next uniform`);
  }
  assert.equal(ZIGGURAT_R, fixture.r);
});

Deno.test("fillZiggurat: fills in pieces (across block boundaries) equal one fill; from/to leave the rest alone", () => {
  const whole = new Float64Array(5000);
  fillZiggurat(createPrng(42), whole);
  const prng = createPrng(42), pieces = new Float64Array(5000);
  for (let from = 0, k = 1; from < 5000; k++) {
    const to = Math.min(5000, from + 37 * k);
    fillZiggurat(prng, pieces, from, to);
    from = to;
  }
  assert.deepEqual(pieces, whole);
  const part = new Float64Array(10).fill(7);
  fillZiggurat(createPrng(42), part, 3, 6);
  assert.deepEqual(Array.from(part.subarray(3, 6)), Array.from(whole.subarray(0, 3)));
  assert.ok([0, 1, 2, 6, 7, 8, 9].every((i) => part[i] === 7));
});

/** The draws of one run of `n` normals: χ² over scipy's 100 equiprobable bins, tail, moments. */
function assertStandardNormal(x: Float64Array): void {
  const n = x.length, edges = fixture.binEdges, bins = edges.length + 1;
  const counts = new Float64Array(bins);
  for (const v of x) {
    let lo = 0, hi = edges.length; // first edge > v
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! > v) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
  }
  const expected = n / bins;
  let chi2 = 0;
  for (const c of counts) chi2 += (c - expected) ** 2 / expected;
  // 99 degrees of freedom: mean 99, sd √198 ≈ 14; 5 sd above the mean
  assert.ok(chi2 < 99 + 5 * Math.sqrt(198), `χ² = ${chi2.toFixed(1)} over 100 bins`);
  // the mass beyond the base radius r comes from the tail algorithm: binomial within 5σ
  let tail = 0;
  const excess: number[] = [];
  for (const v of x) {
    if (Math.abs(v) > fixture.r) {
      tail++;
      excess.push(Math.abs(v) - fixture.r);
    }
  }
  const p = fixture.tailMass;
  assert.ok(
    Math.abs(tail - n * p) < 5 * Math.sqrt(n * p * (1 - p)),
    `${tail} draws beyond r, expected ${(n * p).toFixed(0)}`,
  );
  // its shape: mean of |X| − r given |X| > r (scipy truncnorm) within 5 standard errors
  const m = excess.reduce((s, v) => s + v, 0) / excess.length;
  const se = fixture.tailExcessSd / Math.sqrt(excess.length);
  assert.ok(Math.abs(m - fixture.tailExcessMean) < 5 * se, `tail excess mean ${m}`);
  // moments: mean sd 1/√n, variance sd √(2/n), fourth moment 3 with sd √(96/n)
  const { mean, sd } = meanSd(x);
  assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(sd * sd - 1) < 5 * Math.sqrt(2 / n), `variance ${sd * sd}`);
  let m4 = 0;
  for (const v of x) m4 += v ** 4 / n;
  assert.ok(Math.abs(m4 - 3) < 5 * Math.sqrt(96 / n), `fourth moment ${m4}`);
}

Deno.test("fillZiggurat: 4·10^6 draws follow scipy's standard normal (χ² of 100 bins, tail mass and shape, moments)", () => {
  assertStandardNormal(fillFrom(createPrng(2024), 4_000_000));
});

Deno.test("fillZiggurat: any other Prng is called once per attempt (its top 32 bits) and gives the same law", () => {
  const inner = createPrng(5);
  let calls = 0;
  const counting: Prng = () => (calls++, inner());
  const x = fillFrom(counting, 1_000_000);
  // one call per draw, plus the few rare attempts (wedges and tails take more)
  assert.ok(calls > 1_000_000 && calls < 1_050_000, `${calls} calls`);
  assertStandardNormal(x);
  // reproducible, and a different stream from the block path of the same generator
  const again = fillFrom(wrap(createPrng(5)), 1000);
  assert.deepEqual(again, x.subarray(0, 1000));
  assert.notDeepEqual(fillFrom(createPrng(5), 1000), again);
});

Deno.test("fillZiggurat: the distribution checks reject slightly wrong samplers (the tests can fail)", () => {
  const n = 1_000_000, x = fillFrom(createPrng(2024), n);
  assertStandardNormal(x);
  const r = fixture.r;
  // 1% of the mass spread uniformly over (−r, r), as a sampler that mishandled its wedges might
  const u = createPrng(3);
  const smeared = Float64Array.from(x, (v, k) => (k % 100 === 0 ? r * (2 * u() - 1) : v));
  assert.throws(() => assertStandardNormal(smeared), /χ²/);
  // a scale off by 1%
  assert.throws(() => assertStandardNormal(x.map((v) => 1.01 * v)), /χ²|variance/);
  // a tail cut at r (all of its mass at the edge)
  const cut = x.map((v) => Math.max(-r - 1e-9, Math.min(r + 1e-9, v)));
  assert.throws(() => assertStandardNormal(cut), /tail excess mean/);
});

Deno.test("fillZiggurat: bad ranges name from and to", () => {
  const out = new Float64Array(4), prng = createPrng(1);
  assert.throws(
    () => fillZiggurat(prng, out, 3, 2),
    /from and to must be integers with 0 <= from <= to, got 3, 2/,
  );
  assert.throws(() => fillZiggurat(prng, out, 0.5, 2), /got 0.5, 2/);
  assert.throws(() => fillZiggurat(prng, out, 0, 5), /to must be <= out.length = 4, got 5/);
});

function fillFrom(prng: Prng, n: number): Float64Array {
  const x = new Float64Array(n);
  fillZiggurat(prng, x);
  return x;
}

/** The same generator behind a plain function: the call path of fillZiggurat. */
function wrap(prng: Prng): Prng {
  return () => prng();
}
