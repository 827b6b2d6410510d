import assert from "node:assert/strict";
import {
  broadenedDensity,
  hutchinsonTrace,
  spectralDensity,
} from "../../lib/curvature/stochastic_spectrum.ts";
import type { MatVec } from "../../lib/curvature/hessian_vector.ts";
import { createPrng, fillRademacher } from "../../lib/stats/random.ts";
import { assertAllClose, meanSd } from "../_assert.ts";
import { denseMatVec, rademacherVariance, withSpectrum } from "./_spectra.ts";

Deno.test("hutchinsonTrace: within 3 standard errors; the standard error matches 2(‖A‖_F² − Σ A_ii²)/m", () => {
  const prng = createPrng(40);
  const lambda = Array.from({ length: 40 }, (_, i) => 5 - 0.2 * i);
  const { a, n } = withSpectrum(prng, lambda);
  const m = 4000;
  const t = hutchinsonTrace(denseMatVec(a, n), n, { prng, samples: m });
  const trace = lambda.reduce((s, x) => s + x, 0);
  const se = Math.sqrt(rademacherVariance(a, n) / m);
  assert.ok(Math.abs(t.estimate - trace) <= 3 * se, `${t.estimate} vs ${trace} ± ${se}`);
  // the estimated SE against the closed form: the sample sd of m values with
  // kurtosis κ has relative sd ≈ sqrt((κ − 1)/(4m)); 5 of those as tolerance
  const { mean, sd } = meanSd(t.samples);
  let m4 = 0;
  for (const s of t.samples) m4 += (s - mean) ** 4;
  const kurtosis = m4 / m / sd ** 4;
  const rel = 5 * Math.sqrt((kurtosis - 1) / (4 * m));
  assertAllClose(t.standardError, se, { rtol: rel });
  assert.equal(t.samples.length, m);
  assertAllClose(t.estimate, mean, { rtol: 1e-14 });
});

Deno.test("hutchinsonTrace: exact for diagonal matrices (zero variance), reproducible", () => {
  const d = [1, -2, 3.5];
  const mv: MatVec = (v) => v.map((x, i) => d[i]! * x);
  const t = hutchinsonTrace(mv, 3, { prng: createPrng(41), samples: 5 });
  assertAllClose(t.estimate, 2.5, { rtol: 1e-15 });
  assert.equal(t.standardError, 0);
  const { a, n } = withSpectrum(createPrng(42), [1, 2, 3, 4]);
  const t1 = hutchinsonTrace(denseMatVec(a, n), n, { prng: createPrng(7), samples: 10 });
  const t2 = hutchinsonTrace(denseMatVec(a, n), n, { prng: createPrng(7), samples: 10 });
  assert.deepEqual(t1.samples, t2.samples);
});

Deno.test("hutchinsonTrace: bad input", () => {
  const mv: MatVec = (v) => v.slice();
  const prng = createPrng(43);
  assert.throws(
    () => hutchinsonTrace(mv, 3, { prng, samples: 1 }),
    /samples must be an integer >= 2, got 1/,
  );
  assert.throws(
    () => hutchinsonTrace(mv, 0, { prng, samples: 2 }),
    /dim must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => hutchinsonTrace((v) => v.map(() => Infinity), 3, { prng, samples: 2 }),
    /matvec gave a non-finite quadratic form at probe 0/,
  );
  assert.throws(
    () => hutchinsonTrace(() => new Float64Array(2), 3, { prng, samples: 2 }),
    /matvec must return length 3, got 2/,
  );
});

// ---------------------------------------------------------------- SLQ

function matPow(a: Float64Array, n: number, p: number): Float64Array {
  let r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) r[i * n + i] = 1;
  for (let k = 0; k < p; k++) {
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < n; l++) {
        const ril = r[i * n + l]!;
        for (let j = 0; j < n; j++) next[i * n + j]! += ril * a[l * n + j]!;
      }
    }
    r = next;
  }
  return r;
}

function moment(d: { nodes: Float64Array; weights: Float64Array }, p: number): number {
  let s = 0;
  for (let i = 0; i < d.nodes.length; i++) s += d.weights[i]! * d.nodes[i]! ** p;
  return s;
}

Deno.test("spectralDensity: moments p = 0, 1, 2 match tr(Aᵖ)/n within sampling error", () => {
  const prng = createPrng(50);
  const lambda = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3 + (i % 7));
  const { a, n } = withSpectrum(prng, lambda);
  const probes = 100;
  const d = spectralDensity(denseMatVec(a, n), n, { prng, steps: 12, probes });
  assert.equal(d.nodes.length, 12 * probes);
  assertAllClose(moment(d, 0), 1, { rtol: 1e-12 });
  for (const p of [1, 2]) {
    const ap = matPow(a, n, p);
    const exact = lambda.reduce((s, x) => s + x ** p, 0) / n;
    // each probe is a Hutchinson sample of tr(Aᵖ)/n: sd = sqrt(2(‖Aᵖ‖_F² − Σ (Aᵖ)_ii²)/probes)/n
    const sd = Math.sqrt(rademacherVariance(ap, n) / probes) / n;
    assert.ok(
      Math.abs(moment(d, p) - exact) <= 5 * sd,
      `p = ${p}: ${moment(d, p)} vs ${exact} ± ${sd}`,
    );
  }
});

Deno.test("spectralDensity: Gauss quadrature is exact for degree ≤ 2·steps − 1 on the same probes", () => {
  const { a, n } = withSpectrum(createPrng(51), Array.from({ length: 30 }, (_, i) => 1 + i / 10));
  const steps = 4, probes = 3;
  const d = spectralDensity(denseMatVec(a, n), n, { prng: createPrng(52), steps, probes });
  // the same probes, drawn as documented: Rademacher from the same stream, one vector per probe
  const z = new Float64Array(n);
  for (const p of [3, 5, 7]) {
    const ap = matPow(a, n, p);
    let expected = 0;
    const again = createPrng(52);
    for (let s = 0; s < probes; s++) {
      fillRademacher(again, z);
      const az = denseMatVec(ap, n)(z);
      expected += az.reduce((t, x, i) => t + x * z[i]!, 0) / n / probes;
    }
    assertAllClose(moment(d, p), expected, { rtol: 1e-10 });
  }
});

Deno.test("spectralDensity: few distinct eigenvalues give exactly those nodes with weights ≈ multiplicity/n", () => {
  const lambda = [...new Array(10).fill(1), ...new Array(20).fill(3), ...new Array(30).fill(7)];
  const { a, n } = withSpectrum(createPrng(53), lambda);
  const probes = 400;
  const d = spectralDensity(denseMatVec(a, n), n, { prng: createPrng(54), steps: 10, probes });
  // the Krylov space of each probe is 3-dimensional: the run stops at the breakdown
  assert.equal(d.nodes.length, 3 * probes);
  for (const x of d.nodes) assert.ok([1, 3, 7].some((l) => Math.abs(x - l) < 1e-9), `node ${x}`);
  for (const [l, mult] of [[1, 10], [3, 20], [7, 30]]) {
    let w = 0;
    for (let i = 0; i < d.nodes.length; i++) {
      if (Math.abs(d.nodes[i]! - l!) < 1e-6) w += d.weights[i]!;
    }
    // weight = ‖P_λ z‖²/n per probe: variance 2(‖P‖_F² − Σ P_ii²)/n² ≤ 2·mult/n², 5σ
    const sd = Math.sqrt(2 * mult! / probes) / n;
    assert.ok(Math.abs(w - mult! / n) <= 5 * sd, `λ = ${l}: ${w} vs ${mult! / n}`);
  }
});

Deno.test("broadenedDensity: integrates to 1 and keeps the mean of the nodes", () => {
  const { a, n } = withSpectrum(createPrng(55), Array.from({ length: 20 }, (_, i) => i / 4));
  const d = spectralDensity(denseMatVec(a, n), n, { prng: createPrng(56), steps: 8, probes: 5 });
  const sigma = 0.05, lo = -1, hi = 6, g = 7001, dx = (hi - lo) / (g - 1);
  const grid = Float64Array.from({ length: g }, (_, i) => lo + i * dx);
  const phi = broadenedDensity(d, grid, sigma);
  let mass = 0, mean = 0;
  for (let i = 0; i < g; i++) {
    const w = i === 0 || i === g - 1 ? 0.5 : 1;
    mass += w * phi[i]! * dx;
    mean += w * phi[i]! * grid[i]! * dx;
  }
  // trapezoid rule on a smooth Gaussian mixture with dx = σ/50: error far below 1e-8
  assertAllClose(mass, 1, { rtol: 1e-8 });
  assertAllClose(mean, moment(d, 1), { rtol: 1e-8 });
});

Deno.test("spectralDensity and broadenedDensity: bad input", () => {
  const mv: MatVec = (v) => v.slice();
  const prng = createPrng(57);
  assert.throws(
    () => spectralDensity(mv, 3, { prng, steps: 4, probes: 1 }),
    /steps must be <= dim \(3\), got 4/,
  );
  assert.throws(
    () => spectralDensity(mv, 3, { prng, steps: 0, probes: 1 }),
    /steps must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => spectralDensity(mv, 3, { prng, steps: 2, probes: 0 }),
    /probes must be an integer >= 1, got 0/,
  );
  const d = { nodes: new Float64Array([0, 1]), weights: new Float64Array([0.5, 0.5]) };
  assert.throws(() => broadenedDensity(d, [0], 0), /sigma must be a finite number > 0, got 0/);
  assert.throws(() => broadenedDensity(d, [NaN], 1), /grid\[0\] must be finite, got NaN/);
  assert.throws(
    () => broadenedDensity({ nodes: d.nodes, weights: new Float64Array(1) }, [0], 1),
    /weights must have length nodes.length = 2, got 1/,
  );
});
