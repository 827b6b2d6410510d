import assert from "node:assert/strict";
import { expMoments, SmoothValley } from "../../lib/dynamics/smooth_valley.ts";
import { AsymmetricDoubleWell } from "../../lib/dynamics/landscapes.ts";
import { exactMeanFirstPassageTime1D, kramersEscapeTime } from "../../lib/dynamics/escape.ts";

const RATIOS = [0.25, 0.5, 1, 2, 4, 8]; // h_a/|h_b| over the sweep of notebook 06

Deno.test("expMoments: E_1, E_2 against Simpson quadrature of ∫ s^n e^{zs} on both sides of |z| = 1", () => {
  for (const z of [-3, -1.0000001, -0.9999999, -0.3, 0, 1e-9, 0.5, 0.9999999, 1.0000001, 2.5, 7]) {
    const n = 20000, h = 1 / n;
    let q1 = 0, q2 = 0;
    for (let i = 0; i <= n; i++) {
      const s = i * h, w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
      q1 += w * s * Math.exp(z * s);
      q2 += w * s * s * Math.exp(z * s);
    }
    const [e1, e2] = expMoments(z);
    // Simpson's error with h = 5e-5 is below 1e-13 relative here (|f''''| ≤ z⁴e^z)
    assert.ok(
      Math.abs(e1 - q1 * h / 3) < 1e-12 * Math.max(1, e1),
      `E_1(${z}) ${e1} vs ${q1 * h / 3}`,
    );
    assert.ok(
      Math.abs(e2 - q2 * h / 3) < 1e-12 * Math.max(1, e2),
      `E_2(${z}) ${e2} vs ${q2 * h / 3}`,
    );
  }
});

Deno.test("SmoothValley: h_a, −|h_b| and ΔL are exact for h_a/|h_b| from 1/4 to 8", () => {
  for (const r of RATIOS) {
    const v = new SmoothValley({ curvatureMin: r, curvatureBarrier: 1, barrierHeight: 0.3 });
    assert.ok(Math.abs(v.value(0)) < 1e-15 && v.slope(0) === 0);
    assert.ok(Math.abs(v.curvature(0) - r) < 1e-14 * r, `h_a at ratio ${r}`);
    assert.ok(Math.abs(v.slope(v.xBarrier)) < 1e-14, `L'(x_b) at ratio ${r}`);
    assert.ok(Math.abs(v.curvature(v.xBarrier) + 1) < 1e-13, `L''(x_b) at ratio ${r}`);
    assert.ok(Math.abs(v.value(v.xBarrier) - 0.3) < 1e-14, `ΔL at ratio ${r}`);
  }
});

Deno.test("SmoothValley: loss, slope and curvature agree (quadrature of L', central differences of L')", () => {
  for (const r of RATIOS) {
    const v = new SmoothValley({ curvatureMin: 2 * r, curvatureBarrier: 2, barrierHeight: 0.25 });
    for (const x of [-3, -1.2, -0.1, 0.05, 0.4 * v.xBarrier, v.xBarrier, v.xBarrier + 0.5]) {
      // L(x) = ∫_0^x L' by Simpson (independent of the closed form through E_n)
      const n = 4000, h = x / n;
      let q = 0;
      for (let i = 0; i <= n; i++) q += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * v.slope(i * h);
      assert.ok(
        Math.abs(v.value(x) - q * h / 3) < 1e-11 * Math.max(1, Math.abs(q * h / 3)),
        `L(${x}) at ratio ${r}`,
      );
      const e = 1e-5, fd = (v.slope(x + e) - v.slope(x - e)) / (2 * e);
      assert.ok(Math.abs(v.curvature(x) - fd) < 1e-7 * Math.max(1, Math.abs(fd)), `L''(${x})`);
      const g = new Float64Array(1), hs = new Float64Array(1);
      v.derivatives(Float64Array.of(x), 0, g, hs);
      assert.deepEqual([g[0], hs[0]], [v.gradient([x])[0], v.hessian([x])[0]]);
      assert.equal(v.loss([x]), v.value(x));
    }
  }
});

Deno.test("SmoothValley: 0 and x_b are the only critical points on [−3, x_b + 1]", () => {
  for (const r of RATIOS) {
    const v = new SmoothValley({ curvatureMin: r, curvatureBarrier: 1, barrierHeight: 0.25 });
    for (let x = -3; x < v.xBarrier + 1; x += 0.01) {
      const s = v.slope(x);
      if (x < -1e-9) assert.ok(s < 0, `L'(${x}) = ${s}`);
      else if (x > 1e-9 && x < v.xBarrier - 1e-9) assert.ok(s > 0, `L'(${x}) = ${s}`);
      else if (x > v.xBarrier + 1e-9) assert.ok(s < 0, `L'(${x}) = ${s}`);
    }
  }
});

/** Relative error of the exact MFPT against Kramers' law at temperature D. */
function kramersError(
  valley: { slope(x: number): number; xMin: number; xBarrier: number },
  hA: number,
  hB: number,
  dl: number,
  d: number,
) {
  const t = exactMeanFirstPassageTime1D(
    {
      reflecting: valley.xMin - 3,
      absorbing: valley.xBarrier + 1,
      gradient: (x) => valley.slope(x),
      diffusion: d,
    },
    valley.xMin,
    40001,
  );
  return t / kramersEscapeTime({ deltaL: dl, hA, hB, diffusion: d }) - 1;
}

Deno.test("SmoothValley: Kramers' law is approached like D (smooth), the C² double well only like √D", () => {
  // Halving D halves the error of an O(D) correction (ratio 2) but divides an O(√D) one by √2 in
  // the limit. Measured at ΔL/D = 80 → 160: smooth 2.01, C² well 1.24 (its error still 8%).
  const hA = 4, hB = 1, dl = 0.25;
  const smooth = new SmoothValley({ curvatureMin: hA, curvatureBarrier: hB, barrierHeight: dl });
  const c2 = new AsymmetricDoubleWell({
    curvatureMin: hA,
    curvatureBarrier: hB,
    barrierHeight: dl,
  });
  const d1 = dl / 80, d2 = dl / 160;
  const rs = kramersError(smooth, hA, hB, dl, d1) / kramersError(smooth, hA, hB, dl, d2);
  const rc = kramersError(c2, hA, hB, dl, d1) / kramersError(c2, hA, hB, dl, d2);
  assert.ok(rs > 1.8 && rs < 2.2, `smooth valley: error ratio ${rs}`);
  assert.ok(rc > 1 && rc < 1.5, `C² well: error ratio ${rc}`);
});

Deno.test("SmoothValley: bad parameters and points are named", () => {
  assert.throws(
    () => new SmoothValley({ curvatureMin: 0, curvatureBarrier: 1, barrierHeight: 1 }),
    /curvatureMin/,
  );
  assert.throws(
    () => new SmoothValley({ curvatureMin: 1, curvatureBarrier: NaN, barrierHeight: 1 }),
    /curvatureBarrier/,
  );
  assert.throws(
    () => new SmoothValley({ curvatureMin: 1, curvatureBarrier: 1, barrierHeight: -1 }),
    /barrierHeight/,
  );
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new SmoothValley(null as any), /params/);
  const v = new SmoothValley({ curvatureMin: 1, curvatureBarrier: 1, barrierHeight: 1 });
  assert.throws(() => v.slope(NaN), /x must be a finite number, got NaN/);
  const steep = new SmoothValley({ curvatureMin: 1, curvatureBarrier: 2, barrierHeight: 1 });
  assert.throws(() => steep.value(1e4), /the value overflows/);
});
