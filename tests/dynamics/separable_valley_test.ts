import assert from "node:assert/strict";
import { SeparableValley } from "../../lib/dynamics/separable_valley.ts";
import { assertAllClose } from "../_assert.ts";

const valley = () =>
  new SeparableValley([
    { kind: "two-sided", curvature: 2, barrier: 0.5 },
    { kind: "one-sided", curvature: 3, barrier: 0.25 },
    { kind: "wall", curvature: 1.5, barrier: 1 },
  ]);

Deno.test("SeparableValley: minimum at 0 with Hessian diag(h), barrier tops with height ΔL and curvature −2h", () => {
  const v = valley();
  assert.equal(v.exits, 3);
  assert.equal(v.loss([0, 0, 0]), 0);
  assertAllClose(v.hessian([0, 0, 0]), [2, 0, 0, 0, 3, 0, 0, 0, 1.5], { rtol: 1e-14 });
  for (const i of [0, 1]) {
    const w = v.barrierTop(i);
    assertAllClose([v.profile(i, w), v.slope(i, w), v.curvature(i, w)], [
      v.axes[i]!.barrier,
      0,
      -2 * v.axes[i]!.curvature,
    ], { rtol: 1e-12, atol: 1e-12 });
  }
  assertAllClose(v.profile(0, -v.barrierTop(0)), 0.5, { rtol: 1e-12 });
  assert.ok(v.profile(1, -v.barrierTop(1)) > 0.25, "the one-sided axis is walled on the − side");
  assert.equal(v.barrierTop(2), Infinity);
});

Deno.test("SeparableValley: gradient and Hessian equal central differences (both sides of the one-sided knot)", () => {
  const v = valley();
  const h = 1e-5;
  for (const p of [[0.3, -0.2, 1.1], [-0.9, 0.45, -0.3], [1.2, 1e-3, 0.2]]) {
    const g = v.gradient(p), H = v.hessian(p);
    for (let j = 0; j < 3; j++) {
      const pp = p.slice(), pm = p.slice();
      pp[j]! += h;
      pm[j]! -= h;
      assertAllClose(g[j]!, (v.loss(pp) - v.loss(pm)) / (2 * h), { rtol: 1e-7, atol: 1e-8 });
      const gp = v.gradient(pp), gm = v.gradient(pm);
      for (let k = 0; k < 3; k++) {
        assertAllClose(H[j * 3 + k]!, (gp[k]! - gm[k]!) / (2 * h), { rtol: 1e-6, atol: 1e-7 });
      }
    }
  }
});

Deno.test("SeparableValley: exitAxis and bad input", () => {
  const v = valley();
  const w0 = v.barrierTop(0), w1 = v.barrierTop(1);
  assert.equal(v.exitAxis([0, 0, 100]), -1);
  assert.equal(v.exitAxis([-1.6 * w0, 0, 0]), 0);
  assert.equal(v.exitAxis([0, -5 * w1, 0]), -1);
  assert.equal(v.exitAxis([0, 1.6 * w1, 0]), 1);
  assert.throws(() => new SeparableValley([]), /axes must not be empty/);
  assert.throws(
    () => new SeparableValley([{ kind: "two-sided", curvature: 0, barrier: 1 }]),
    /axes\[0\].curvature must be a finite number > 0, got 0/,
  );
  assert.throws(
    () => new SeparableValley([{ kind: "door" as never, curvature: 1, barrier: 1 }]),
    /axes\[0\].kind must be/,
  );
  assert.throws(() => v.loss([0, NaN, 0]), /x\[1\] must be finite, got NaN/);
});
