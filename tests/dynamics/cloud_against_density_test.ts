import assert from "node:assert/strict";
import { cloudAgainstDensity } from "../../lib/dynamics/cloud_against_density.ts";
import { cellMass } from "../../lib/stats/density_distance.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("cloudAgainstDensity: a standard normal sample against N(0, 1) on a grid: L1, √n·KS, tail fraction and variance", () => {
  const n = 20000, h = 0.01, lower = -6, cells = 1200, binCells = 10;
  const centres = Array.from({ length: cells }, (_, i) => lower + (i + 0.5) * h);
  const density = Float64Array.from(centres, (x) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI));
  const sample = sampleNormal(createPrng(9), n);
  const c = cloudAgainstDensity([sample], [density], [cellMass(density, h, binCells)], {
    lower,
    upper: lower + cells * h,
    bins: cells / binCells,
    cellWidth: h,
    threshold: 1,
  });
  assert.equal(c.n, n);
  // brute force: the fraction above 1 and the population variance
  assertAllClose(c.above[0]!, sample.filter((x) => x > 1).length / n, { rtol: 1e-15 });
  const mean = sample.reduce((a, x) => a + x, 0) / n;
  assertAllClose(c.spread[0]!.variance, sample.reduce((a, x) => a + (x - mean) ** 2, 0) / n, {
    rtol: 1e-12,
  });
  // Gaussian: relative SE of a sample variance √(2/n); P(θ > 1) = 0.158655, binomial SE; 5σ each
  assertAllClose(c.spread[0]!.relativeSe, Math.sqrt(2 / n), { rtol: 0.1 });
  assertAllClose(c.spread[0]!.variance, 1, { atol: 5 * Math.sqrt(2 / n) });
  assertAllClose(c.above[0]!, 0.158655, { atol: 5 * Math.sqrt(0.158655 * 0.841345 / n) });
  // √n·KS of a sample from the law: below the 1% critical value 1.628
  assert.ok(c.ksRootN[0]! < 1.628, `√n·KS ${c.ksRootN[0]}`);
  // L1 between the histogram and its own law: sum over 120 bins of ≈ √(2 p/(π n)) each, well under 0.1
  assert.ok(c.l1[0]! > 0 && c.l1[0]! < 0.1, `L1 ${c.l1[0]}`);
  assertAllClose(c.hist[0]!.mass.reduce((a, m) => a + m, 0), 1, { rtol: 1e-12 });
});

Deno.test("cloudAgainstDensity: mismatched lists and too few particles name the sizes", () => {
  const grid = { lower: 0, upper: 1, bins: 1, cellWidth: 1, threshold: 0.5 };
  const s = new Float64Array([0.2, 0.7]);
  assert.throws(() => cloudAgainstDensity([s, s], [[1]], [[1]], grid), {
    name: "RangeError",
    message: "densities and binMasses must have one entry per snapshot (2), got 1 and 1",
  });
  assert.throws(() => cloudAgainstDensity([new Float64Array([0.2])], [[1]], [[1]], grid), {
    name: "RangeError",
    message: "snapshots must hold at least 2 particles, got 1",
  });
  assert.throws(() => cloudAgainstDensity([s], [[1]], [[1]], { ...grid, cellWidth: 0 }), {
    name: "RangeError",
    message: /cellWidth must be a finite number > 0, got 0/,
  });
});
