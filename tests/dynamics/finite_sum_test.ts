import assert from "node:assert/strict";
import {
  MixtureLocationModel,
  simulateMinibatchSgd,
  twoClusterData,
} from "../../lib/dynamics/finite_sum.ts";
import { createPrng } from "../../lib/stats/random.ts";

function model(sigma = 0.3, seed = 11) {
  const data = twoClusterData({
    countA: 40,
    countB: 60,
    centerB: 5 * sigma,
    spreadA: sigma,
    spreadB: sigma,
    prng: createPrng(seed),
  });
  return new MixtureLocationModel({ data, width: sigma, backgroundScale: 6.67 * sigma });
}

Deno.test("finite sum: per-example gradients and curvatures are the derivatives of the per-example losses; L, L', L'', C are their means and variance", () => {
  const m = model();
  for (const theta of [-0.9, -0.1, 0.2, 0.6, 1.4]) {
    let l = 0, g = 0, g2 = 0;
    for (let i = 0; i < m.size; i++) {
      const e = 1e-6, fd = (m.exampleLoss(i, theta + e) - m.exampleLoss(i, theta - e)) / (2 * e);
      const gi = m.exampleSlope(i, theta);
      assert.ok(Math.abs(gi - fd) < 1e-6 * Math.max(1, Math.abs(fd)), `ℓ_${i}'(${theta})`);
      l += m.exampleLoss(i, theta) / m.size;
      g += gi / m.size;
      g2 += gi * gi / m.size;
    }
    assert.ok(Math.abs(m.value(theta) - l) < 1e-12 * Math.abs(l));
    assert.ok(Math.abs(m.slope(theta) - g) < 1e-12 * Math.max(1, Math.abs(g)));
    assert.ok(Math.abs(m.gradientVariance(theta) - (g2 - g * g)) < 1e-10 * g2);
    const e = 1e-5;
    const h = (m.slope(theta + e) - m.slope(theta - e)) / (2 * e);
    assert.ok(Math.abs(m.curvature(theta) - h) < 1e-6 * Math.max(1, Math.abs(h)), `L''(${theta})`);
    const dc = (m.gradientVariance(theta + e) - m.gradientVariance(theta - e)) / (2 * e);
    assert.ok(
      Math.abs(m.gradientVarianceSlope(theta) - dc) < 1e-6 * Math.max(1, Math.abs(dc)),
      `C'(${theta})`,
    );
  }
});

Deno.test("finite sum: two minima and a barrier; the critical points are zeros of L' with alternating curvature", () => {
  const m = model();
  const cps = m.criticalPoints(-2.4, 3.9);
  assert.equal(cps.length, 3);
  assert.ok(cps[0]!.curvature > 0 && cps[1]!.curvature < 0 && cps[2]!.curvature > 0);
  for (const c of cps) {
    assert.ok(Math.abs(m.slope(c.theta)) < 1e-10, `L'(${c.theta}) = ${m.slope(c.theta)}`);
    assert.ok(c.gradientVariance > 0, "the data's noise does not vanish at a critical point");
  }
  assert.ok(cps[1]!.loss > cps[0]!.loss && cps[1]!.loss > cps[2]!.loss);
});

Deno.test("finite sum: rescaling data, width and background by σ leaves ΔL fixed and multiplies h and C by 1/σ²", () => {
  const base = model(1), scaled = model(0.3);
  const a = base.criticalPoints(-8, 13), b = scaled.criticalPoints(-2.4, 3.9);
  assert.ok(Math.abs((a[1]!.loss - a[0]!.loss) - (b[1]!.loss - b[0]!.loss)) < 1e-12);
  for (let k = 0; k < 3; k++) {
    assert.ok(Math.abs(b[k]!.theta - 0.3 * a[k]!.theta) < 1e-12);
    assert.ok(Math.abs(b[k]!.curvature * 0.09 / a[k]!.curvature - 1) < 1e-9);
    assert.ok(Math.abs(b[k]!.gradientVariance * 0.09 / a[k]!.gradientVariance - 1) < 1e-9);
  }
});

Deno.test("minibatch SGD: one step's noise has mean L'(θ) and variance C/S·(N − S)/(N − 1) without replacement, C/S with", () => {
  // 40,000 one-step particles from θ = 0.2; tolerance 5 standard errors of the sample mean and
  // of the sample variance (from the sample's fourth moment), so a wrong finite-population factor
  // (0.9 at S = 10 of N = 100: 20+ standard errors away) fails.
  const m = model(), theta = 0.2, eta = 0.01, count = 40000, S = 10, N = m.size;
  for (const replacement of [false, true]) {
    const run = simulateMinibatchSgd(m, {
      eta,
      batchSize: S,
      initial: [theta],
      count,
      steps: 1,
      prng: createPrng(replacement ? 2 : 1),
      replacement,
    });
    const g = Array.from(run.positions, (x) => (theta - x) / eta);
    const mean = g.reduce((s, v) => s + v, 0) / count;
    const v = g.reduce((s, x) => s + (x - mean) ** 2, 0) / (count - 1);
    const m4 = g.reduce((s, x) => s + (x - mean) ** 4, 0) / count;
    const expected = m.gradientVariance(theta) / S * (replacement ? 1 : (N - S) / (N - 1));
    assert.ok(
      Math.abs(mean - m.slope(theta)) < 5 * Math.sqrt(v / count),
      `mean ${mean} vs ${m.slope(theta)}`,
    );
    assert.ok(
      Math.abs(v - expected) < 5 * Math.sqrt((m4 - v * v) / count),
      `variance ${v} vs ${expected} (replacement ${replacement})`,
    );
  }
});

Deno.test("minibatch SGD: S = N is full-batch gradient descent; the same seed gives the same run", () => {
  const m = model();
  const gd = simulateMinibatchSgd(m, {
    eta: 0.05,
    batchSize: m.size,
    initial: [0.5],
    count: 3,
    steps: 20,
    prng: createPrng(1),
  });
  let t = 0.5;
  for (let k = 0; k < 20; k++) t -= 0.05 * m.slope(t);
  for (const x of gd.positions) assert.ok(Math.abs(x - t) < 1e-12);
  const o = { eta: 0.05, batchSize: 4, initial: [0.5], count: 50, steps: 100, prng: createPrng(9) };
  assert.deepEqual(
    simulateMinibatchSgd(m, o).positions,
    simulateMinibatchSgd(m, { ...o, prng: createPrng(9) }).positions,
  );
});

Deno.test("finite sum: the tabulated valley reads L', C and L back to the accuracy of linear interpolation", () => {
  const m = model(), t = m.tabulated(-2.4, 3.9, 20001);
  const cps = m.criticalPoints(-2.4, 3.9);
  for (const theta of [-2, -0.31, 0.123, 0.77, 1.5, 3]) {
    // h = 3.15e-4: h²/8 · |f''| ≲ 1e-6 for these slopes (|L'''| ≲ 100)
    assert.ok(Math.abs(t.slope(theta) - m.slope(theta)) < 2e-6, `L'(${theta})`);
    assert.ok(Math.abs(t.variance(theta) - m.gradientVariance(theta)) < 2e-5, `C(${theta})`);
    assert.ok(Math.abs(t.loss([theta]) - m.value(theta)) < 1e-6, `L(${theta})`);
  }
  assert.ok(Math.abs(t.hessian([cps[0]!.theta])[0]! - cps[0]!.curvature) < 1e-3);
});

Deno.test("finite sum: bad arguments are named", () => {
  assert.throws(
    () => new MixtureLocationModel({ data: [1], width: 1 }),
    /data must hold at least 2 values, got 1/,
  );
  assert.throws(() => new MixtureLocationModel({ data: [1, NaN], width: 1 }), /data\[1\]/);
  assert.throws(() => new MixtureLocationModel({ data: [1, 2], width: 0 }), /width/);
  assert.throws(
    () => new MixtureLocationModel({ data: [1, 2], width: 1, weight: 1 }),
    /weight must be a number in \(0, 1\), got 1/,
  );
  const m = model();
  assert.throws(() => m.exampleSlope(100, 0), /i/);
  assert.throws(() => m.slope(Infinity), /theta/);
  assert.throws(() => m.criticalPoints(1, 0), /hi must be > lo/);
  assert.throws(
    () =>
      simulateMinibatchSgd(m, {
        eta: 0.1,
        batchSize: 101,
        initial: [0],
        count: 1,
        steps: 1,
        prng: createPrng(1),
      }),
    /batchSize/,
  );
  assert.throws(
    () =>
      simulateMinibatchSgd(m, {
        eta: -1,
        batchSize: 1,
        initial: [0],
        count: 1,
        steps: 1,
        prng: createPrng(1),
      }),
    /eta/,
  );
  assert.throws(
    () =>
      twoClusterData({
        countA: 0,
        countB: 1,
        centerB: 1,
        spreadA: 1,
        spreadB: 1,
        prng: createPrng(1),
      }),
    /countA/,
  );
});

Deno.test("minibatch SGD, several coordinates: one batch moves all; each coordinate alone is the 1-D run with the same batches", () => {
  // two coordinates with the same model: the same batch gives the same step, so θ_0 = θ_1 always
  const m = model();
  const run = simulateMinibatchSgd([m, m], {
    eta: 0.05,
    batchSize: 3,
    initial: [0.1, 0.1],
    count: 20,
    steps: 50,
    prng: createPrng(4),
  });
  for (let p = 0; p < 20; p++) assert.equal(run.positions[2 * p], run.positions[2 * p + 1]);
  // and it is the 1-D run with the same stream of batches
  const one = simulateMinibatchSgd(m, {
    eta: 0.05,
    batchSize: 3,
    initial: [0.1],
    count: 20,
    steps: 50,
    prng: createPrng(4),
  });
  for (let p = 0; p < 20; p++) assert.equal(run.positions[2 * p], one.positions[p]);
  const other = model(0.3, 12);
  assert.throws(
    () =>
      simulateMinibatchSgd([m, new MixtureLocationModel({ data: [1, 2, 3], width: 1 })], {
        eta: 0.1,
        batchSize: 1,
        initial: [0, 0],
        count: 1,
        steps: 1,
        prng: createPrng(1),
      }),
    /every model must have the same size N, got 100 and 3/,
  );
  assert.throws(
    () =>
      simulateMinibatchSgd([], {
        eta: 0.1,
        batchSize: 1,
        initial: [0],
        count: 1,
        steps: 1,
        prng: createPrng(1),
      }),
    /at least one model/,
  );
  assert.ok(
    simulateMinibatchSgd([m, other], {
      eta: 0.05,
      batchSize: 3,
      initial: [0.1, 0.1],
      count: 2,
      steps: 5,
      prng: createPrng(4),
    }).dim === 2,
  );
});
