import assert from "node:assert/strict";
import {
  andersonDarlingPValue,
  lillieforsPValue,
  normalityTests,
  qqPoints,
} from "../../lib/stats/normality.ts";
import { createPrng, sampleNormal, sampleStable } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

interface NormalityFixture {
  monteCarloReplicates: number;
  cases: {
    name: string;
    x: number[];
    skewness: number;
    excessKurtosis: number;
    jarqueBera: [number, number];
    andersonDarling: number;
    adCriticalValues: number[];
    adSignificance: number[];
    lilliefors: number;
    lillieforsPValueMC: number;
    andersonDarlingPValueMC: number;
  }[];
  grid: { n: number; levels: number[]; lilliefors: number[]; andersonDarling: number[] }[];
  probplot: { sample: string; osm: number[]; osr: number[] };
}

const fixture = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/normality/data.json", import.meta.url)),
) as NormalityFixture;
const R = fixture.monteCarloReplicates;

/**
 * Tolerance of an approximate p-value against a Monte Carlo one from R null
 * replicates: 10% relative for the approximation itself plus 4 Monte Carlo
 * standard errors sqrt(p(1 − p)/R) and one count 1/R.
 */
function pTolerance(p: number): number {
  return 0.1 * p + 4 * Math.sqrt((p * (1 - p)) / R) + 1 / R;
}

Deno.test("normalityTests: statistics equal scipy's on the fixture samples", () => {
  for (const c of fixture.cases) {
    const r = normalityTests(c.x);
    const msg = c.name;
    assert.equal(r.n, c.x.length);
    // moments and JB are sums of powers: agreement to round-off (rtol 1e-10)
    assertAllClose(r.skewness, c.skewness, { rtol: 1e-10, atol: 1e-13 });
    assertAllClose(r.excessKurtosis, c.excessKurtosis, { rtol: 1e-10, atol: 1e-13 });
    assertAllClose(r.jarqueBera.statistic, c.jarqueBera[0], { rtol: 1e-10 });
    assertAllClose(r.jarqueBera.pValue, c.jarqueBera[1], { rtol: 1e-9, atol: 1e-300 });
    // A² needs log Φ deep in the tails (Cauchy: |z| up to ~31): rtol 1e-9
    assertAllClose(r.andersonDarling.statistic, c.andersonDarling, { rtol: 1e-9 });
    // scipy rounds its critical values to 3 decimals
    assert.deepEqual(r.andersonDarling.criticalValues.significance, c.adSignificance, msg);
    assertAllClose(r.andersonDarling.criticalValues.values, c.adCriticalValues, { atol: 5e-4 });
    // Lilliefors D = scipy.stats.kstest of the standardized (ddof = 1) sample
    assertAllClose(r.lilliefors.statistic, c.lilliefors, { rtol: 1e-10 });
  }
});

Deno.test("normalityTests: Lilliefors and Anderson–Darling p-values agree with the Monte Carlo null (R = 20000)", () => {
  for (const c of fixture.cases) {
    const r = normalityTests(c.x);
    const pl = r.lilliefors.pValue, pa = r.andersonDarling.pValue;
    assert.ok(
      Math.abs(pl - c.lillieforsPValueMC) <= pTolerance(c.lillieforsPValueMC),
      `${c.name}: Lilliefors p ${pl}, Monte Carlo ${c.lillieforsPValueMC}`,
    );
    assert.ok(
      Math.abs(pa - c.andersonDarlingPValueMC) <= pTolerance(c.andersonDarlingPValueMC),
      `${c.name}: AD p ${pa}, Monte Carlo ${c.andersonDarlingPValueMC}`,
    );
  }
});

Deno.test("lillieforsPValue / andersonDarlingPValue: at the Monte Carlo critical values they return the level", () => {
  for (const g of fixture.grid) {
    g.levels.forEach((level, i) => {
      const pl = lillieforsPValue(g.lilliefors[i]!, g.n);
      const pa = andersonDarlingPValue(g.andersonDarling[i]!, g.n);
      assert.ok(Math.abs(pl - level) <= pTolerance(level), `n ${g.n} level ${level}: ${pl}`);
      assert.ok(Math.abs(pa - level) <= pTolerance(level), `n ${g.n} level ${level}: ${pa}`);
    });
  }
});

Deno.test("normalityTests: under Gaussian data each 5% test rejects in 3–7% of 1,000 seeded repetitions", () => {
  // n = 200 per repetition (at n ≤ 100 the asymptotic JB test is undersized,
  // ~3.5%). The binomial sd of a 5% rate over 1,000 repetitions is 0.7%, so
  // the 3–7% band is about ±2.9σ.
  const prng = createPrng(77);
  const rejections = { jarqueBera: 0, andersonDarling: 0, lilliefors: 0 };
  for (let r = 0; r < 1000; r++) {
    const res = normalityTests(sampleNormal(prng, 200, -1, 0.3));
    for (const k of Object.keys(rejections) as (keyof typeof rejections)[]) {
      if (res[k].pValue < 0.05) rejections[k]++;
    }
  }
  for (const [k, count] of Object.entries(rejections)) {
    assert.ok(count >= 30 && count <= 70, `${k}: ${count} / 1000 rejections`);
  }
});

Deno.test("normalityTests: heavy-tailed stable data (α = 1.5, n = 200) are rejected by all three tests", () => {
  const prng = createPrng(78);
  let all = 0;
  for (let r = 0; r < 100; r++) {
    const res = normalityTests(sampleStable(prng, 200, { alpha: 1.5 }));
    if (
      res.jarqueBera.pValue < 0.05 && res.andersonDarling.pValue < 0.05 &&
      res.lilliefors.pValue < 0.05
    ) all++;
    assert.ok(res.excessKurtosis > 0);
  }
  assert.ok(all >= 80, `${all} / 100 rejected by all three`);
});

Deno.test("normalityTests: shift and scale invariant; input left unmodified", () => {
  const x = sampleNormal(createPrng(4), 60);
  const copy = x.slice();
  const a = normalityTests(x);
  assert.deepEqual(x, copy);
  const b = normalityTests(x.map((v) => 4 * v - 7));
  assertAllClose(
    [b.skewness, b.excessKurtosis, b.andersonDarling.statistic, b.lilliefors.statistic],
    [a.skewness, a.excessKurtosis, a.andersonDarling.statistic, a.lilliefors.statistic],
    { rtol: 1e-9, atol: 1e-12 },
  );
  assertAllClose([b.mean, b.sd], [4 * a.mean - 7, 4 * a.sd], { rtol: 1e-12 });
});

Deno.test("normalityTests: bad input names the argument and value", () => {
  assert.throws(() => normalityTests([1, 2, 3, 4, 5, 6, 7]), {
    name: "RangeError",
    message: "x must have at least 8 values, got 7",
  });
  assert.throws(
    () => normalityTests([1, 2, 3, NaN, 5, 6, 7, 8]),
    /x\[3\] must be finite, got NaN/,
  );
  assert.throws(
    () => normalityTests([1, 2, 3, 4, 5, 6, 7, -Infinity]),
    /x\[7\] must be finite, got -Infinity/,
  );
  assert.throws(
    () => normalityTests(new Float64Array(10).fill(2.5)),
    /x must not be constant, got all values equal to 2.5/,
  );
  assert.throws(() => lillieforsPValue(0.1, 4), /n must be an integer >= 5, got 4/);
  assert.throws(() => lillieforsPValue(-0.1, 10), /d must be in \[0, 1\], got -0.1/);
  assert.throws(() => andersonDarlingPValue(NaN, 10), /a2 must be a finite number >= 0, got NaN/);
});

Deno.test("qqPoints: Filliben positions and values equal scipy.stats.probplot", () => {
  const { osm, osr, sample } = fixture.probplot;
  const x = fixture.cases.find((c) => c.name === sample)!.x;
  const q = qqPoints(x);
  // jstat's normal inverse is accurate to ~1e-9 relative in the far tails
  assertAllClose(q.theoretical, osm, { rtol: 1e-8, atol: 1e-12 });
  const { mean, sd } = normalityTests(x);
  assertAllClose(q.sample, osr.map((v) => (v - mean) / sd), { rtol: 1e-12, atol: 1e-12 });
  for (let i = 1; i < x.length; i++) assert.ok(q.theoretical[i]! > q.theoretical[i - 1]!);
});

Deno.test("qqPoints: odd sample has its median at (0, 0); errors", () => {
  const q = qqPoints([5, 1, 3]);
  assert.deepEqual(Array.from(q.sample), [-1, 0, 1]);
  assert.equal(q.theoretical[1], 0);
  assertAllClose(q.theoretical[2]!, -q.theoretical[0]!, { rtol: 1e-12 });
  assert.throws(() => qqPoints([1, 2]), /x must have at least 3 values, got 2/);
  assert.throws(() => qqPoints([1, 1, 1]), /x must not be constant, got all values equal to 1/);
});
