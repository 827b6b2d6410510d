import assert from "node:assert/strict";
import {
  escapeFromRun,
  exactMeanFirstPassageTime1D,
  fluxOverPopulation1D,
  kramersEscapeTime,
  meanFirstPassageTime1D,
  pathParameter,
  xieEscapeTime,
} from "../../lib/dynamics/escape.ts";
import { AsymmetricDoubleWell } from "../../lib/dynamics/landscapes.ts";
import { levelInterpolatedCurvature } from "../../lib/dynamics/noise_curvature.ts";
import { simulateLangevin } from "../../lib/dynamics/sde/mod.ts";
import type { ParticleRun } from "../../lib/dynamics/sde/mod.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

// quartic double well L = x⁴/4 − x²/2: minimum −1 (h_a = 2), barrier 0 (h_b = −1), ΔL = 1/4
const quartic = (diffusion: number | ((x: number) => number)) => ({
  reflecting: -3,
  absorbing: 0.5,
  gradient: (x: number) => x ** 3 - x,
  diffusion,
});

Deno.test("exactMeanFirstPassageTime1D: pure diffusion has T(x0) = ((b−a)² − (x0−a)²)/(2D)", () => {
  for (const [a, b, x0, D] of [[0, 2, 0.5, 0.3], [1, -1, 0.2, 2]] as const) {
    const t = exactMeanFirstPassageTime1D({
      reflecting: a,
      absorbing: b,
      gradient: () => 0,
      diffusion: D,
    }, x0);
    assertAllClose(t, ((b - a) ** 2 - (x0 - a) ** 2) / (2 * D), { rtol: 1e-10 });
  }
});

Deno.test("exactMeanFirstPassageTime1D: constant drift matches the closed form", () => {
  // L' = c on [a, b] = [0, 1], reflecting at 0: T(0) = (e^{c/D} − 1 − c/D) D / c²
  const c = 1.5, D = 0.4;
  const t = exactMeanFirstPassageTime1D({
    reflecting: 0,
    absorbing: 1,
    gradient: () => c,
    diffusion: D,
  }, 0);
  assertAllClose(t, ((Math.exp(c / D) - 1 - c / D) * D) / (c * c), { rtol: 1e-9 });
});

Deno.test("meanFirstPassageTime1D (L†T = −1 on the grid) equals the exact double integral to 1e-3, constant and state-dependent D, second order", () => {
  for (const D of [0.05, (x: number) => 0.03 * (1 + x * x)]) {
    const exact = exactMeanFirstPassageTime1D(quartic(D), -1);
    const coarse = meanFirstPassageTime1D(quartic(D), -1, 500).atStart;
    const fine = meanFirstPassageTime1D(quartic(D), -1, 1000).atStart;
    assert.ok(Math.abs(fine / exact - 1) < 1e-3, `grid ${fine} vs exact ${exact}`);
    // error ratio on halving h: 4 for a second-order scheme (allow 3.3–4.7)
    const ratio = (coarse - exact) / (fine - exact);
    assert.ok(ratio > 3.3 && ratio < 4.7, `convergence ratio ${ratio}`);
  }
});

Deno.test("flux over population (Eq. 11) agrees with the MFPT better and better as the temperature falls", () => {
  let previous = Infinity;
  for (const D of [0.1, 0.05, 0.025]) {
    const mfpt = meanFirstPassageTime1D(quartic(D), -1, 1500).atStart;
    const fop = fluxOverPopulation1D(quartic(D), 1500).time;
    const rel = Math.abs(fop / mfpt - 1);
    assert.ok(
      rel < previous,
      `D = ${D}: relative gap ${rel} did not shrink (previous ${previous})`,
    );
    previous = rel;
  }
  assert.ok(previous < 5e-3, `gap at D = 0.025: ${previous}`);
});

Deno.test("Kramers' formula is approached as the temperature falls (relative error shrinking)", () => {
  // the smooth quartic well (analytic: the leading correction is O(D/ΔL));
  // ΔL/D = 5, 10, 20
  const errors = [0.05, 0.025, 0.0125].map((D) => {
    const exact = exactMeanFirstPassageTime1D({ ...quartic(D), absorbing: 0.6 }, -1);
    return Math.abs(kramersEscapeTime({ deltaL: 0.25, hA: 2, hB: -1, diffusion: D }) / exact - 1);
  });
  assert.ok(errors[0]! > errors[1]! && errors[1]! > errors[2]!, `errors ${errors}`);
  // O(D/ΔL): halving D about halves the error
  assert.ok(errors[1]! / errors[2]! > 1.6 && errors[1]! / errors[2]! < 2.4, `errors ${errors}`);
});

Deno.test("Monte Carlo first passage (Langevin particles) agrees with the exact MFPT within its interval", () => {
  const D = 0.1;
  const landscape = new AsymmetricDoubleWell({
    curvatureMin: 2,
    curvatureBarrier: 1,
    barrierHeight: 0.25,
  });
  const b = landscape.xBarrier + 0.6;
  const dt = 0.002;
  const run = simulateLangevin(landscape, {
    learningRate: dt,
    diffusion: D,
    initial: [landscape.xMin],
    count: 2000,
    steps: 40_000,
    prng: createPrng(17),
    exit: (x, off) => x[off]! > b,
  });
  const est = escapeFromRun(run);
  const exact = exactMeanFirstPassageTime1D({
    reflecting: landscape.xMin - 4,
    absorbing: b,
    gradient: (x) => landscape.slope(x),
    diffusion: D,
  }, landscape.xMin);
  // 95% interval widened by 3% for the time-discretisation bias of Euler–Maruyama with
  // discrete exit monitoring (O(√dt) overshoot of the boundary; measured ≈ 1–2% at dt = 0.002)
  assert.ok(
    exact > est.interval[0] * 0.97 && exact < est.interval[1] * 1.03,
    `exact ${exact}, MC ${est.mean} [${est.interval}]`,
  );
  // horizon 80 against τ ≈ 55: most, not all, particles escape; the rest are censored
  assert.ok(est.escapedFraction > 0.5 && est.escapedFraction < 1, `escaped ${est.escapedFraction}`);
});

function fakeRun(exitStep: number[], steps: number, dt = 1): ParticleRun {
  return {
    dim: 1,
    count: exitStep.length,
    dt,
    steps,
    positions: new Float64Array(exitStep.length),
    exitStep: Int32Array.from(exitStep),
    exited: exitStep.filter((s) => s >= 0).length,
    snapshots: [],
    snapshotSteps: [],
  };
}

Deno.test("escapeFromRun: censored exponential MLE, Kaplan–Meier by hand, interval coverage", () => {
  const e = escapeFromRun(fakeRun([2, 4, -1, 4, -1], 10, 0.5));
  // total time at risk: (2 + 4 + 4)·0.5 + 2·10·0.5 = 15; 3 escapes
  assert.equal(e.mean, 5);
  assert.equal(e.escapedFraction, 0.6);
  assert.deepEqual(Array.from(e.survival.times), [1, 2]);
  assertAllClose(e.survival.survival, [0.8, 0.8 * (1 - 2 / 4)], { rtol: 1e-15 });
  // coverage of the 95% interval over 400 exponential samples with censoring
  const prng = createPrng(4);
  let covered = 0;
  for (let r = 0; r < 400; r++) {
    const steps = Array.from({ length: 50 }, () => {
      const t = Math.floor(-Math.log(1 - prng()) * 20);
      return t <= 30 ? t : -1;
    });
    const est = escapeFromRun(fakeRun(steps, 30));
    // floor(Exp(20)) is geometric with mean 1/(1 − e^{−1/20}) − 1 = 19.504
    if (est.interval[0] <= 19.504 && 19.504 <= est.interval[1]) covered++;
  }
  // binomial sd of the coverage over 400 reps ≈ 0.011: accept 0.95 ± 0.045
  assert.ok(Math.abs(covered / 400 - 0.95) < 0.045, `coverage ${covered / 400}`);
});

Deno.test("escapeFromRun: no escape is an error that says why", () => {
  assert.throws(
    () => escapeFromRun(fakeRun([-1, -1], 100, 0.1)),
    /no particle escaped within the horizon 10/,
  );
});

Deno.test("xieEscapeTime: the corrected formula and its log-linearity in S/η", () => {
  const p = { deltaL: 0.5, hA: 4, hB: -2, eta: 0.1, batchSize: 8, s: 0.3 };
  assertAllClose(
    xieEscapeTime(p),
    (2 * Math.PI / 2) * Math.exp((2 * 8 * 0.5 / 0.1) * (0.3 / 4 + 0.7 / 2)),
    { rtol: 1e-14 },
  );
  const slope = Math.log(xieEscapeTime({ ...p, batchSize: 16 }) / xieEscapeTime(p)) /
    ((16 - 8) / 0.1);
  assertAllClose(slope, 2 * 0.5 * (0.3 / 4 + 0.7 / 2), { rtol: 1e-12 });
  assert.throws(() => xieEscapeTime({ ...p, s: 1 }), /s must be in \(0, 1\), got 1/);
  assert.throws(() => xieEscapeTime({ ...p, eta: 0 }), /eta must be a finite number > 0, got 0/);
  assert.throws(
    () => kramersEscapeTime({ deltaL: 1, hA: 1, hB: 0, diffusion: 1 }),
    /hB must be a finite number != 0, got 0/,
  );
});

Deno.test("exact and grid MFPT: bad input", () => {
  const o = quartic(0.1);
  assert.throws(() => exactMeanFirstPassageTime1D(o, 2), /x0 must lie between -3 and 0.5, got 2/);
  assert.throws(
    () => exactMeanFirstPassageTime1D({ ...o, absorbing: -3 }, -3),
    /must be distinct finite numbers/,
  );
  assert.throws(
    () => exactMeanFirstPassageTime1D(o, -1, 100),
    /points must be an odd integer >= 101, got 100/,
  );
  assert.throws(
    () => exactMeanFirstPassageTime1D({ ...o, diffusion: (x) => x }, -1),
    /diffusion must be > 0, got -3 at x = -3/,
  );
});

Deno.test("pathParameter: s ∈ (0, 1), s = ½ at equal curvatures, and it reproduces the exact exponent", () => {
  assertAllClose(pathParameter(2, 2), 0.5, { rtol: 0 });
  assertAllClose(pathParameter(2, 2 * (1 + 1e-6)), 0.5, { rtol: 1e-5 });
  for (const [ha, hb] of [[4, 1], [1, 4], [10, 0.5]]) {
    const s = pathParameter(ha!, hb!);
    assert.ok(s > 0 && s < 1, `s = ${s}`);
    // ∫_0^1 du / (h_a + (h_b − h_a) u) by the trapezoid rule on 1e5 cells
    let integral = 0;
    const n = 100_000;
    for (let i = 0; i <= n; i++) {
      integral += (i === 0 || i === n ? 0.5 : 1) / (ha! + (hb! - ha!) * (i / n)) / n;
    }
    assertAllClose(s / ha! + (1 - s) / hb!, integral, { rtol: 1e-8 });
  }
});

Deno.test("Xie et al.'s exponent: the slope of log τ (exact MFPT) in S/η tends to 2ΔL(s/h_a + (1 − s)/|h_b|)", () => {
  const well = new AsymmetricDoubleWell({
    curvatureMin: 4,
    curvatureBarrier: 1,
    barrierHeight: 0.25,
  });
  const F = levelInterpolatedCurvature((x) => well.value(x), {
    lossMin: 0,
    deltaL: 0.25,
    hA: 4,
    hB: 1,
  });
  const logT = (ratio: number) =>
    Math.log(exactMeanFirstPassageTime1D({
      reflecting: well.xMin - 3,
      absorbing: well.xBarrier + 0.5,
      gradient: (x) => well.slope(x),
      diffusion: (x) => F(x) / (2 * ratio), // D = η F / (2S), ratio = S/η
    }, well.xMin));
  const s = pathParameter(4, 1);
  const predicted = 2 * 0.25 * (s / 4 + (1 - s) / 1);
  const measured = (logT(60) - logT(40)) / 20;
  // the prefactor contributes O(1/(S/η)) to the slope: 1% at S/η ≈ 50
  assertAllClose(measured, predicted, { rtol: 0.01 });
  assert.throws(
    () => levelInterpolatedCurvature((x) => x, { lossMin: 0, deltaL: 0, hA: 1, hB: 1 }),
    /deltaL must be a finite number > 0, got 0/,
  );
});

Deno.test("xieEscapeTime: the path parameter s must lie strictly inside (0, 1)", () => {
  const p = { deltaL: 0.5, hA: 4, hB: 1, eta: 0.1, batchSize: 2 };
  for (const s of [0, 1, NaN, -0.5]) {
    assert.throws(() => xieEscapeTime({ ...p, s }), {
      name: "RangeError",
      message: `s must be in (0, 1), got ${s}`,
    });
  }
  assert.ok(Number.isFinite(xieEscapeTime({ ...p, s: 0.5 })));
});
