import assert from "node:assert/strict";
import jStat from "jstat";
import {
  fitSymmetricStable,
  paretoSumStableScale,
  symmetricStablePdf,
  symmetricStableQuartile,
} from "../../lib/stats/stable_density.ts";
import { createPrng, samplePareto, sampleStable } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

interface Fixture {
  scipyVsMpmath: number;
  cases: { alpha: number; x: number[]; pdf: number[] }[];
  pareto: { alpha: number; scale: number; quartiles: [number, number] };
}
const fixture: Fixture = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/stable_pdf/data.json", import.meta.url)),
);

Deno.test("symmetricStablePdf equals scipy levy_stable.pdf for α ∈ [0.6, 2], |x| ≤ 1000", () => {
  // scipy itself agrees with a 30-digit mpmath evaluation to ~8e-7 (stored by
  // make.py): rtol 2e-6; atol 1e-300 for the Gaussian's underflow to 0
  assert.ok(fixture.scipyVsMpmath < 2e-6);
  for (const c of fixture.cases) {
    const got = symmetricStablePdf(c.x, { alpha: c.alpha });
    assertAllClose(got, c.pdf, { rtol: 2e-6, atol: 1e-300 });
    // even in x
    assertAllClose(symmetricStablePdf(c.x.map((v) => -v), { alpha: c.alpha }), got, {
      rtol: 1e-15,
    });
  }
});

Deno.test("symmetricStablePdf: scale and location; α = 2 is N(δ, 2γ²), α = 1 the Cauchy law", () => {
  const x = [-3, -0.5, 0, 1.2, 4];
  const base = symmetricStablePdf(x.map((v) => (v - 1) / 2.5), { alpha: 1.3 });
  assertAllClose(
    symmetricStablePdf(x, { alpha: 1.3, scale: 2.5, loc: 1 }),
    base.map((v) => v / 2.5),
    { rtol: 1e-14 },
  );
  const g = 0.7, d = -0.3;
  const normal = x.map((v) =>
    Math.exp(-((v - d) ** 2) / (4 * g * g)) / Math.sqrt(4 * Math.PI * g * g)
  );
  assertAllClose(symmetricStablePdf(x, { alpha: 2, scale: g, loc: d }), normal, { rtol: 1e-14 });
  const cauchy = x.map((v) => g / (Math.PI * (g * g + (v - d) ** 2)));
  assertAllClose(symmetricStablePdf(x, { alpha: 1, scale: g, loc: d }), cauchy, { rtol: 1e-14 });
});

Deno.test("symmetricStablePdf integrates to 1 (trapezoid on [−200, 200] plus the analytic tails)", () => {
  for (const alpha of [0.8, 1.5, 1.9]) {
    const h = 0.01, n = 40_000;
    const xs = Array.from({ length: n + 1 }, (_, i) => -200 + i * h);
    const f = symmetricStablePdf(xs, { alpha });
    let mass = 0;
    for (let i = 0; i < n; i++) mass += (h * (f[i]! + f[i + 1]!)) / 2;
    // tail beyond |x| = 200 from the leading term of the series:
    // 2 · Γ(α + 1) sin(πα/2)/(πα) · 200^{−α}
    mass += (2 * jStat.gammafn(alpha + 1) * Math.sin((Math.PI * alpha) / 2)) / (Math.PI * alpha) *
      200 ** -alpha;
    // trapezoid error O(h² f'') at the peak ~1e-5
    assert.ok(Math.abs(mass - 1) < 1e-4, `alpha ${alpha}: mass ${mass}`);
  }
});

Deno.test("paretoSumStableScale: normalised sums of symmetric Pareto(1.5) draws have the stable limit's quartiles", () => {
  const { alpha, scale, quartiles } = fixture.pareto;
  assertAllClose(paretoSumStableScale(alpha), scale, { rtol: 1e-12 });
  assert.equal(paretoSumStableScale(1), Math.PI / 2);
  const prng = createPrng(7);
  const m = 4000, n = 2000;
  const sums = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const x = samplePareto(prng, n, { alpha, symmetric: true });
    let s = 0;
    for (const v of x) s += v;
    sums[i] = s / n ** (1 / alpha);
  }
  sums.sort();
  const halfIqr = (sums[Math.floor(0.75 * m)]! - sums[Math.floor(0.25 * m)]!) / 2;
  // sd of an empirical quartile √(p(1−p)/m)/f(q) ≈ 0.06 here, ≈ 0.045 for the
  // half-IQR; the finite-n bias (rate n^{1−2/α}) is ≈ −0.03 at n = 2000 (numpy
  // check): tolerance 0.2 ≈ 4 sd + bias, i.e. the formula to ~11%
  const expected = (quartiles[1] - quartiles[0]) / 2;
  assert.ok(Math.abs(halfIqr - expected) < 0.2, `half IQR ${halfIqr} vs ${expected}`);
});

Deno.test("symmetricStablePdf / paretoSumStableScale: bad input named", () => {
  assert.throws(
    () => symmetricStablePdf([0], { alpha: 0.4 }),
    /alpha must be in \[0.5, 2\], got 0.4/,
  );
  assert.throws(
    () => symmetricStablePdf([0], { alpha: 2.1 }),
    /alpha must be in \[0.5, 2\], got 2.1/,
  );
  assert.throws(
    () => symmetricStablePdf([0], { alpha: 1.5, scale: 0 }),
    /scale must be a finite number > 0, got 0/,
  );
  assert.throws(
    () => symmetricStablePdf([0], { alpha: 1.5, loc: NaN }),
    /loc must be a finite number, got NaN/,
  );
  assert.throws(
    () => symmetricStablePdf([0, Infinity], { alpha: 1.5 }),
    /x\[1\] must be finite, got Infinity/,
  );
  assert.throws(() => paretoSumStableScale(2), /alpha must be in \(0, 2\), got 2/);
});

Deno.test("symmetricStableQuartile: closed forms at α = 1, 2 and scipy's at α = 1.5", () => {
  assertAllClose(symmetricStableQuartile(1), 1, { rtol: 1e-10 });
  // √2 Φ⁻¹(3/4)
  assertAllClose(symmetricStableQuartile(2), Math.SQRT2 * 0.6744897501960817, { rtol: 1e-10 });
  const { scale, quartiles } = fixture.pareto;
  // scipy's ppf for scale γ divided by γ; its pdf is good to ~1e-6
  assertAllClose(symmetricStableQuartile(1.5), quartiles[1] / scale, { rtol: 1e-5 });
});

Deno.test("fitSymmetricStable recovers α and γ of stable draws and γ = σ/√2 of Gaussian ones", () => {
  const prng = createPrng(11);
  for (const [alpha, scale] of [[1.3, 0.5], [1.7, 2]] as const) {
    const fit = fitSymmetricStable(sampleStable(prng, 40_000, { alpha, scale }));
    // block-sum α̂ on 4·10^4 draws has sd ≈ 0.05: tolerance 0.2; the median
    // of |x| has relative sd ≈ 1/(2 f(m) m √N) ≈ 0.008
    assert.ok(Math.abs(fit.alpha - alpha) < 0.2, `alpha ${fit.alpha} vs ${alpha}`);
    // q_{3/4}(α) moves by < 2% over α ∈ [1.1, 1.9], so an α̂ off by 0.2 adds < 2%: 6%
    assertAllClose(fit.scale, scale, { rtol: 0.06 });
  }
  const normal = sampleStable(prng, 40_000, { alpha: 2, scale: 1.5 });
  const fit = fitSymmetricStable(normal);
  assert.equal(fit.alpha, 2, `raw α̂ ${fit.rawAlpha} is clipped to 2`);
  assertAllClose(fit.scale, 1.5, { rtol: 0.03 });
  assert.throws(() => fitSymmetricStable(new Float64Array(99)), /at least 100 values, got 99/);
  assert.throws(
    () => fitSymmetricStable(new Float64Array(100)),
    /^RangeError: x must not be constant, got all values equal to 0$/,
  );
  const bad = new Float64Array(200).fill(1);
  bad[150] = NaN;
  assert.throws(() => fitSymmetricStable(bad), /x\[150\] must be finite, got NaN/);
});
