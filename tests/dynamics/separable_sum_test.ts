import assert from "node:assert/strict";
import { SeparableSum } from "../../lib/dynamics/separable_sum.ts";
import { AsymmetricDoubleWell, Quadratic } from "../../lib/dynamics/landscapes.ts";
import { SmoothValley } from "../../lib/dynamics/smooth_valley.ts";

Deno.test("SeparableSum: loss, gradient and diagonal Hessian are those of the parts, coordinate by coordinate", () => {
  const a = new AsymmetricDoubleWell({ curvatureMin: 4, curvatureBarrier: 1, barrierHeight: 0.25 });
  const b = new SmoothValley({ curvatureMin: 2, curvatureBarrier: 1, barrierHeight: 0.3 });
  const c = new Quadratic({ matrix: [3] });
  const l = new SeparableSum([a, b, c]);
  const x = [0.3, -0.2, 1.5];
  assert.equal(l.loss(x), a.value(0.3) + b.value(-0.2) + 1.5 * 1.5 * 1.5);
  assert.deepEqual(Array.from(l.gradient(x)), [a.slope(0.3), b.slope(-0.2), 4.5]);
  assert.deepEqual(Array.from(l.hessian(x)), [
    a.curvature(0.3),
    0,
    0,
    0,
    b.curvature(-0.2),
    0,
    0,
    0,
    3,
  ]);
  assert.equal(l.constantHessian, false);
  assert.equal(new SeparableSum([c, c]).constantHessian, true);
});

Deno.test("SeparableSum: bad parts are named", () => {
  assert.throws(() => new SeparableSum([]), /parts must be a non-empty array/);
  assert.throws(
    () => new SeparableSum([new Quadratic({ matrix: [1, 0, 0, 1] })]),
    /parts\[0\] must be a 1-D landscape, got dim 2/,
  );
});
