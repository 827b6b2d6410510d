import assert from "node:assert/strict";
import { AsymmetricDoubleWell } from "../../lib/dynamics/landscapes.ts";
import {
  doubleWellNoiseCurvature,
  levelInterpolatedCurvature,
  separableNoiseCurvature,
  sgdDiffusion,
} from "../../lib/dynamics/noise_curvature.ts";
import { SeparableValley } from "../../lib/dynamics/separable_valley.ts";
import { assertAllClose } from "../_assert.ts";

const well = new AsymmetricDoubleWell({
  curvatureMin: 2,
  curvatureBarrier: 1,
  barrierHeight: 0.015,
  curvatureOther: 0.5,
  barrierHeightOther: 0.02,
});

Deno.test("doubleWellNoiseCurvature: equals L'' at a, c and |L''| at b, bounded below, continuous at the barrier", () => {
  const F = doubleWellNoiseCurvature(well);
  assertAllClose(F(well.xMin), well.curvature(well.xMin), { rtol: 1e-12 });
  assertAllClose(F(well.xOther), well.curvature(well.xOther), { rtol: 1e-12 });
  assertAllClose(F(well.xBarrier), Math.abs(well.curvature(well.xBarrier)), { rtol: 1e-12 });
  for (let k = 0; k <= 400; k++) {
    const x = well.xMin - 0.5 + (k / 400) * (well.xOther - well.xMin + 1);
    assert.ok(F(x) >= 0.5 - 1e-12 && F(x) <= 2 + 1e-12, `F(${x}) = ${F(x)}`);
  }
  const e = 1e-9;
  assertAllClose(F(well.xBarrier + e), F(well.xBarrier - e), { rtol: 1e-6 });
});

Deno.test("doubleWellNoiseCurvature: each side is the level interpolation of its own minimum; otherSide false keeps a's", () => {
  const F = doubleWellNoiseCurvature(well),
    Fa = doubleWellNoiseCurvature(well, { otherSide: false });
  const a = levelInterpolatedCurvature((x) => well.value(x), {
    lossMin: 0,
    deltaL: 0.015,
    hA: 2,
    hB: 1,
  });
  const c = levelInterpolatedCurvature((x) => well.value(x), {
    lossMin: 0.015 - 0.02,
    deltaL: 0.02,
    hA: 0.5,
    hB: 1,
  });
  for (const x of [well.xMin - 0.3, well.xMin + 0.05, well.xBarrier - 0.01]) {
    assert.equal(F(x), a(x));
    assert.equal(Fa(x), a(x));
  }
  for (const x of [well.xBarrier + 0.01, well.xOther, well.xOther + 0.4]) {
    assert.equal(F(x), c(x));
    assert.equal(Fa(x), a(x));
  }
});

Deno.test("separableNoiseCurvature: h for walls; h at the minimum, 2h = |B''| at the barrier top; level interpolation between", () => {
  const v = new SeparableValley([
    { kind: "wall", curvature: 3, barrier: 1 },
    { kind: "two-sided", curvature: 4, barrier: 0.25 },
  ]);
  const wall = separableNoiseCurvature(v, 0), two = separableNoiseCurvature(v, 1);
  assert.equal(wall(0.7), 3);
  const w = v.barrierTop(1);
  assertAllClose(two(0), 4, { rtol: 1e-15 });
  assertAllClose(two(w), Math.abs(v.curvature(1, w)), { rtol: 1e-12 });
  assertAllClose(two(-w), 8, { rtol: 1e-12 });
  // halfway up the barrier in loss: F = h + (2h − h)/2
  const x = w * Math.sqrt(1 - Math.SQRT1_2); // 2u² − u⁴ = ½
  assertAllClose(two(x), 6, { rtol: 1e-12 });
  assert.throws(() => separableNoiseCurvature(v, 2), {
    name: "RangeError",
    message: "i must be an axis index in [0, 2), got 2",
  });
});

Deno.test("sgdDiffusion: D = ηF/(2S) for constant and state-dependent F; bad input named", () => {
  assert.equal(sgdDiffusion(4, 0.1, 2), (0.1 * 4) / (2 * 2));
  const D = sgdDiffusion((x) => 1 + x * x, 0.05, 3);
  assertAllClose(D(2), (0.05 * 5) / 6, { rtol: 1e-15 });
  assert.throws(() => sgdDiffusion(1, 0, 2), {
    name: "RangeError",
    message: "learningRate must be a finite number > 0, got 0",
  });
  assert.throws(() => sgdDiffusion(-1, 0.1, 2), {
    name: "RangeError",
    message: "curvature must be a finite number > 0, got -1",
  });
  assert.throws(() => sgdDiffusion(1, 0.1, NaN), {
    name: "RangeError",
    message: "batchSize must be a finite number > 0, got NaN",
  });
});
