import assert from "node:assert/strict";
import {
  gridMask,
  gridVariance,
  massAbove,
  regionMass,
  regionMoments,
} from "../../lib/dynamics/grid_density.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("massAbove: equals the integral of the step function beyond x, for x on, between and beyond cells", () => {
  const p = [0.1, 0.4, 0.3, 0.2], lower = -1, h = 0.5; // total mass 0.5
  // brute force: midpoint sum of the step function on a fine grid
  const brute = (x: number) => {
    let s = 0;
    const n = 200000, a = lower, b = lower + p.length * h, dx = (b - a) / n;
    for (let k = 0; k < n; k++) {
      const t = a + (k + 0.5) * dx;
      if (t > x) s += p[Math.floor((t - lower) / h)]! * dx;
    }
    return s;
  };
  for (const x of [-2, -1, -0.8, 0, 0.3, 1, 1.5]) {
    assertAllClose(massAbove(p, lower, h, x), brute(x), { atol: 1e-6 });
  }
  assert.equal(massAbove(p, lower, h, -5), 0.5 * 0.1 + 0.5 * 0.4 + 0.5 * 0.3 + 0.5 * 0.2);
});

Deno.test("gridVariance: a Gaussian sampled on cells gives σ² + the h²/12 of the cell averaging, to O(h⁴)", () => {
  const h = 0.05,
    sigma = 0.7,
    xs = Float64Array.from({ length: 400 }, (_, i) => -10 + (i + 0.5) * h);
  // cell masses of N(1, σ²) from the erf-free identity: use the exact density at the centre
  const p = Float64Array.from(xs, (x) => Math.exp(-((x - 1) ** 2) / (2 * sigma * sigma)));
  // Σ p (x − μ)² h / Σ p h = σ² to spectral accuracy (Euler–Maclaurin), plus h²/12 exactly
  assertAllClose(gridVariance(p, xs, h), sigma * sigma + (h * h) / 12, { rtol: 1e-12 });
  // the uniform law on [0, 3] in three cells: variance 9/12
  assertAllClose(gridVariance([1, 1, 1], [0.5, 1.5, 2.5], 1), 0.75, { rtol: 1e-15 });
  assert.throws(() => gridVariance([1], [0, 1], 1), {
    name: "RangeError",
    message: "centers must have one value per cell (1), got 2",
  });
});

Deno.test("gridMask, regionMass and regionMoments agree with direct sums; the masked region's moments", () => {
  const xc = [-1, 0, 1], yc = [-0.5, 0.5], vol = 0.5;
  const mask = gridMask(xc, yc, (x, y) => x + y > 0.2);
  assert.deepEqual(Array.from(mask), [0, 0, 1, 0, 1, 1]);
  const p = [1, 2, 3, 4, 5, 6];
  assert.equal(regionMass(p, vol, mask), (3 + 5 + 6) * vol);
  const r = regionMoments(p, xc, yc, vol, mask);
  // points (1, −0.5) w 3, (0, 0.5) w 5, (1, 0.5) w 6 (weights ∝ p)
  const w = [3, 5, 6], pts = [[1, -0.5], [0, 0.5], [1, 0.5]], m = 14;
  const mx = (3 * 1 + 0 + 6) / m, my = (3 * -0.5 + 5 * 0.5 + 6 * 0.5) / m;
  const cov = (a: number, b: number) =>
    w.reduce(
      (s, wi, k) => s + (wi / m) * (pts[k]![a]! - [mx, my][a]!) * (pts[k]![b]! - [mx, my][b]!),
      0,
    );
  assertAllClose(r.mass, m * vol, { rtol: 1e-15 });
  assertAllClose(r.mean, [mx, my], { rtol: 1e-14 });
  assertAllClose(r.covariance, [cov(0, 0), cov(0, 1), cov(1, 1)], { rtol: 1e-13 });
  assert.throws(() => regionMass(p, vol, [1, 0]), {
    name: "RangeError",
    message: "mask must have one entry per cell (6), got 2",
  });
  assert.throws(() => regionMoments(p, xc, yc, vol, new Uint8Array(6)), {
    name: "RangeError",
    message: "the region must hold a positive mass, got 0",
  });
});
