import assert from "node:assert/strict";
import {
  cellMass,
  expectedSamplingL1,
  histogramMass,
  ksDistance,
  l1Distance,
  samplingL1,
} from "../../lib/stats/density_distance.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("histogramMass: fractions per bin, the upper end in the last bin, outside counted apart", () => {
  const h = histogramMass([-1, 0, 0.24, 0.25, 0.5, 0.99, 1, 1.01], { lower: 0, upper: 1, bins: 4 });
  assertAllClose(h.mass, [2 / 8, 1 / 8, 1 / 8, 2 / 8], { rtol: 0, atol: 1e-15 });
  assert.equal(h.below, 1 / 8);
  assert.equal(h.above, 1 / 8);
  assert.equal(h.count, 8);
});

Deno.test("histogramMass: bad input names the argument", () => {
  const g = { lower: 0, upper: 1, bins: 2 };
  assert.throws(() => histogramMass([], g), /values must not be empty/);
  assert.throws(() => histogramMass([0.1, NaN], g), /values\[1\] must be finite, got NaN/);
  assert.throws(() => histogramMass([0.1], { ...g, upper: 0 }), /upper must be > lower = 0, got 0/);
  assert.throws(
    () => histogramMass([0.1], { ...g, bins: 0 }),
    /bins must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => histogramMass([0.1], { ...g, lower: -Infinity }),
    /lower must be a finite number, got -Infinity/,
  );
});

Deno.test("cellMass: groups of cells times the cell width; input left unmodified", () => {
  const p = Float64Array.of(1, 3, 0, 2, 2, 0);
  assertAllClose(cellMass(p, 0.5, 2), [2, 1, 1], { rtol: 0, atol: 0 });
  assertAllClose(cellMass(p, 0.5), [0.5, 1.5, 0, 1, 1, 0], { rtol: 0, atol: 0 });
  assertAllClose(p, [1, 3, 0, 2, 2, 0], { rtol: 0, atol: 0 });
  assert.throws(() => cellMass(p, 0.5, 4), /group \(4\) must divide the number of cells \(6\)/);
  assert.throws(() => cellMass([1, -1], 0.5), /density\[1\] must be a finite number >= 0, got -1/);
  assert.throws(() => cellMass([1], 0), /cellWidth must be > 0, got 0/);
});

Deno.test("l1Distance: Σ|m̂ − m| plus the sample's mass outside the bins", () => {
  const h = histogramMass([0.1, 0.2, 0.7, 2], { lower: 0, upper: 1, bins: 2 });
  // m̂ = (0.5, 0.25), above = 0.25
  assertAllClose(l1Distance(h, [0.5, 0.5]), 0.5, { rtol: 0, atol: 1e-15 });
  assertAllClose(l1Distance(h, [0, 1]), 0.5 + 0.75 + 0.25, { rtol: 0, atol: 1e-15 });
  assert.throws(() => l1Distance(h, [1]), /reference must have one mass per bin \(2\), got 1/);
  assert.throws(() => l1Distance(h, [0.7, 0.7]), /reference must sum to at most 1, got 1.4/);
});

/** sup_x |F_n(x) − F(x)| by brute force: both one-sided limits at every sample point and a fine grid. */
function bruteKs(xs: number[], density: number[], lower: number, h: number): number {
  const F = (x: number) => {
    let s = 0;
    for (let i = 0; i < density.length; i++) {
      const a = lower + i * h;
      s += density[i]! * Math.min(h, Math.max(0, x - a));
    }
    return s;
  };
  const Fn = (x: number, inclusive: boolean) =>
    xs.filter((v) => (inclusive ? v <= x : v < x)).length / xs.length;
  let d = 0;
  const probes = [...xs];
  for (let k = 0; k <= 400; k++) probes.push(lower - 0.5 + (k / 400) * (density.length * h + 1));
  for (const x of probes) {
    d = Math.max(d, Math.abs(Fn(x, true) - F(x)), Math.abs(Fn(x, false) - F(x)));
  }
  return d;
}

Deno.test("ksDistance equals a brute-force supremum over one-sided limits (non-uniform density)", () => {
  const prng = createPrng(5);
  const density = [0.2, 1.0, 2.2, 0.6]; // h = 0.25: mass 1
  for (let rep = 0; rep < 5; rep++) {
    const xs = Array.from({ length: 7 + rep }, () => -0.1 + 1.2 * prng());
    const d = ksDistance(xs, density, { lower: 0, cellWidth: 0.25 });
    assertAllClose(d, bruteKs(xs, density, 0, 0.25), { rtol: 1e-12, atol: 1e-15 });
  }
});

Deno.test("ksDistance: √n·D of samples from the law has Kolmogorov's mean √(π/2)·ln 2", () => {
  // density ∝ 1 + x on [0, 1] (8 cells); inverse CDF of the piecewise-linear F by bisection
  const cells = 8, h = 1 / cells;
  const density = Array.from({ length: cells }, (_, i) => (1 + (i + 0.5) * h) / 1.5);
  const cdf = (x: number) => {
    let s = 0;
    for (let i = 0; i < cells; i++) s += density[i]! * Math.min(h, Math.max(0, x - i * h));
    return s;
  };
  const inv = (u: number) => {
    let lo = 0, hi = 1;
    for (let k = 0; k < 60; k++) {
      const mid = 0.5 * (lo + hi);
      if (cdf(mid) < u) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  const prng = createPrng(11), n = 1000, reps = 200;
  let mean = 0;
  for (let r = 0; r < reps; r++) {
    const xs = Array.from({ length: n }, () => inv(prng()));
    mean += (Math.sqrt(n) * ksDistance(xs, density, { lower: 0, cellWidth: h })) / reps;
  }
  // Kolmogorov law: mean √(π/2) ln 2 = 0.8687, sd 0.2603; 5σ/√reps = 0.092. The finite-n
  // mean is lower by about 0.2/√n ≈ 0.006.
  assertAllClose(mean, Math.sqrt(Math.PI / 2) * Math.LN2, { rtol: 0, atol: 0.092 });
});

Deno.test("ksDistance: values outside the grid, input unmodified, bad input", () => {
  const xs = Float64Array.of(2, -1);
  // F = 0 below 0, 1 above 1: F_n(−1) = ½ with F = 0, F_n(2⁻) = ½ with F = 1
  assert.equal(ksDistance(xs, [1, 1], { lower: 0, cellWidth: 0.5 }), 0.5);
  assertAllClose(xs, [2, -1], { rtol: 0, atol: 0 });
  assert.throws(() => ksDistance([], [1], { lower: 0, cellWidth: 1 }), /values must not be empty/);
  assert.throws(
    () => ksDistance([0.5], [1, NaN], { lower: 0, cellWidth: 1 }),
    /density\[1\] must be a finite number >= 0, got NaN/,
  );
  assert.throws(
    () => ksDistance([Infinity], [1], { lower: 0, cellWidth: 1 }),
    /values\[0\] must be finite, got Infinity/,
  );
  assert.throws(
    () => ksDistance([0.5], [1], { lower: 0, cellWidth: -1 }),
    /cellWidth must be > 0, got -1/,
  );
});

/** E Σ|X_k/n − m_k| by summing over the binomial law directly (small n). */
function enumeratedL1(mass: number[], n: number): number {
  let s = 0;
  for (const m of mass) {
    let pmf = Math.pow(1 - m, n); // P(X = 0)
    for (let x = 0; x <= n; x++) {
      s += Math.abs(x - n * m) * pmf;
      pmf *= ((n - x) / (x + 1)) * (m / (1 - m));
    }
  }
  return s / n;
}

Deno.test("expectedSamplingL1 (de Moivre) equals direct summation over the binomial law", () => {
  const mass = [0.05, 0.1, 0.2, 0.3, 0.35];
  for (const n of [1, 2, 3, 7, 10, 29, 50]) {
    assertAllClose(expectedSamplingL1(mass, n), enumeratedL1(mass, n), { rtol: 1e-10 });
  }
  // zero and unit masses contribute nothing; large n approaches Σ √(2 m(1 − m)/(π n))
  assert.equal(expectedSamplingL1([0, 1], 10), 0);
  const n = 1e6,
    normal = mass.reduce((s, m) => s + Math.sqrt((2 * m * (1 - m)) / (Math.PI * n)), 0);
  assertAllClose(expectedSamplingL1(mass, n), normal, { rtol: 1e-3 });
});

Deno.test("samplingL1: its mean matches the closed form; same seed, same values", () => {
  const mass = [0.1, 0.4, 0.3, 0.15, 0.05], n = 500, reps = 400;
  const s = samplingL1(mass, n, createPrng(3), reps);
  let v = 0;
  for (const x of s.values) v += (x - s.mean) ** 2 / (reps - 1);
  // tolerance 5 standard errors of the simulated mean
  assertAllClose(s.mean, expectedSamplingL1(mass, n), { rtol: 0, atol: 5 * Math.sqrt(v / reps) });
  for (let i = 1; i < reps; i++) assert.ok(s.values[i - 1]! <= s.values[i]!);
  assert.deepEqual(samplingL1(mass, n, createPrng(3), reps).values, s.values);
});

Deno.test("samplingL1: draws beyond the bins' total mass land outside and count in full", () => {
  // one draw, mass [0.5]: inside → |1 − 0.5| = 0.5; outside → 1 + 0.5 = 1.5; mean 1
  const reps = 4000, s = samplingL1([0.5], 1, createPrng(9), reps);
  assert.equal(s.values[0], 0.5);
  assert.equal(s.values[reps - 1], 1.5);
  // sd of the mean = 0.5/√reps; 5σ
  assertAllClose(s.mean, 1, { rtol: 0, atol: 5 * 0.5 / Math.sqrt(reps) });
});

Deno.test("samplingL1 and expectedSamplingL1: bad input names the argument", () => {
  const p = createPrng(1);
  assert.throws(() => samplingL1([0.5, 0.5], 0, p), /n must be an integer >= 1, got 0/);
  assert.throws(
    () => samplingL1([0.5, 0.5], 10, p, 0),
    /replicates must be an integer >= 1, got 0/,
  );
  assert.throws(() => samplingL1([0.7, 0.7], 10, p), /mass must sum to at most 1, got 1.4/);
  assert.throws(() => samplingL1([], 10, p), /mass must not be empty/);
  assert.throws(
    () => expectedSamplingL1([0.5, -0.1], 10),
    /mass\[1\] must be a finite number >= 0, got -0.1/,
  );
  assert.throws(() => expectedSamplingL1([0.5], 2.5), /n must be an integer >= 1, got 2.5/);
  assert.throws(
    () => samplingL1([1], 1, 3 as unknown as () => number),
    /prng must be a function, got 3/,
  );
});
