import assert from "node:assert/strict";
import {
  AsymmetricDoubleWell,
  Quadratic,
  sharpFlatLandscape2d,
  sharpFlatSettings,
  SoftMinQuadratics,
  StyblinskiTang,
} from "../../lib/dynamics/landscapes.ts";
import type { Landscape } from "../../lib/dynamics/landscape.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

/** Central differences of the loss (gradient) and of the gradient (Hessian) at θ. */
function finiteDifferences(l: Landscape, theta: Float64Array, h: number) {
  const d = l.dim;
  const grad = new Float64Array(d), hess = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const tp = theta.slice(), tm = theta.slice();
    tp[j]! += h;
    tm[j]! -= h;
    grad[j] = (l.loss(tp) - l.loss(tm)) / (2 * h);
    const gp = l.gradient(tp), gm = l.gradient(tm);
    for (let r = 0; r < d; r++) hess[r * d + j] = (gp[r]! - gm[r]!) / (2 * h);
  }
  return { grad, hess };
}

function checkAgainstFiniteDifferences(
  l: Landscape,
  points: Float64Array[],
  tol: number,
): void {
  for (const theta of points) {
    // the unchecked fast path agrees exactly with the checked methods (read at an offset)
    const shifted = Float64Array.from([7, ...theta]);
    const g = new Float64Array(l.dim), h = new Float64Array(l.dim * l.dim).fill(NaN);
    assert.ok(l.derivatives !== undefined, "the library landscapes implement the fast path");
    l.derivatives(shifted, 1, g, h);
    assert.deepEqual(g, l.gradient(theta));
    assertAllClose(h, l.hessian(theta), { rtol: 1e-15, atol: 1e-15 });
    g.fill(NaN);
    l.derivatives(shifted, 1, g, null);
    assert.deepEqual(g, l.gradient(theta));
    // step 1e-5: truncation O(h²·L''') ≈ 1e-10·|L'''|, round-off ≈ 1e-16·|L|/h ≈ 1e-11·|L|
    const { grad, hess } = finiteDifferences(l, theta, 1e-5);
    assertAllClose(l.gradient(theta), grad, { atol: tol, rtol: tol });
    assertAllClose(l.hessian(theta), hess, { atol: tol, rtol: tol });
  }
}

function randomPoints(seed: number, count: number, dim: number, lo: number, hi: number) {
  const prng = createPrng(seed);
  return Array.from(
    { length: count },
    () => Float64Array.from({ length: dim }, () => lo + (hi - lo) * prng()),
  );
}

Deno.test("Quadratic: value, gradient A(θ − c) and Hessian A; finite differences agree", () => {
  const q = new Quadratic({ matrix: [3, 1, 0, 1, 2, -0.5, 0, -0.5, -1], center: [1, -1, 0.5] });
  assert.equal(q.loss([1, -1, 0.5]), 0);
  // ½ (θ−c)ᵀA(θ−c) for θ − c = e₁: A₁₁/2
  assert.equal(q.loss([2, -1, 0.5]), 1.5);
  checkAgainstFiniteDifferences(q, randomPoints(1, 5, 3, -2, 2), 1e-7);
  assert.equal(q.constantHessian, true);
});

Deno.test("Quadratic: rejects a non-square, non-symmetric or non-finite matrix", () => {
  assert.throws(
    () => new Quadratic({ matrix: [1, 2, 3] }),
    { name: "RangeError", message: "matrix must have a square number of entries > 0, got 3" },
  );
  assert.throws(() => new Quadratic({ matrix: [1, 2, 3, 4] }), {
    name: "RangeError",
    message: "matrix must be symmetric, got matrix[0,1] = 2 but matrix[1,0] = 3",
  });
  assert.throws(() => new Quadratic({ matrix: [1, NaN, NaN, 1] }), {
    name: "RangeError",
    message: "matrix[1] must be finite, got NaN",
  });
  assert.throws(() => new Quadratic({ matrix: [1], center: [0, 0] }), {
    name: "RangeError",
    message: "center must have length 1, got 2",
  });
});

Deno.test("landscapes: points are read at an offset and written at an offset (particle arrays)", () => {
  const q = new Quadratic({ matrix: [2, 0, 0, 4] });
  const cloud = Float64Array.of(9, 9, 1, 2, 9);
  const out = new Float64Array(6);
  q.gradient(cloud, out, 2, 3);
  assert.deepEqual(Array.from(out), [0, 0, 0, 2, 8, 0]);
  assert.equal(q.loss(cloud, 2), 0.5 * (2 + 16));
  const h = q.hessian(cloud, new Float64Array(5), 1, 1);
  assert.deepEqual(Array.from(h), [0, 2, 0, 0, 4]);
});

Deno.test("landscapes: non-finite points, short inputs and short outputs are rejected", () => {
  const q = new Quadratic({ matrix: [1, 0, 0, 1] });
  assert.throws(() => q.loss([0, NaN]), {
    name: "RangeError",
    message: "x[1] must be finite, got NaN",
  });
  assert.throws(() => q.gradient([0, 0, 0], undefined, 2), {
    name: "RangeError",
    message: "x must hold 2 values from offset 2, got length 3",
  });
  assert.throws(() => q.hessian([0, 0], new Float64Array(3)), {
    name: "RangeError",
    message: "out must hold 4 values from outOffset 0, got length 3",
  });
  const w = new AsymmetricDoubleWell({ curvatureMin: 1, curvatureBarrier: 1, barrierHeight: 1 });
  assert.throws(() => w.slope(Infinity), {
    name: "RangeError",
    message: "x must be a finite number, got Infinity",
  });
});

const WELL = {
  curvatureMin: 4,
  curvatureBarrier: 1.5,
  barrierHeight: 0.7,
  curvatureOther: 0.8,
  barrierHeightOther: 1.3,
  xMin: -0.5,
};

Deno.test("AsymmetricDoubleWell: curvature at the minimum, at the barrier top and the barrier height are exact", () => {
  const w = new AsymmetricDoubleWell(WELL);
  const exact = [
    [w.value(w.xMin), 0],
    [w.slope(w.xMin), 0],
    [w.curvature(w.xMin), 4],
    [w.value(w.xBarrier), 0.7],
    [w.slope(w.xBarrier), 0],
    [w.curvature(w.xBarrier), -1.5],
    [w.value(w.xOther), 0.7 - 1.3],
    [w.slope(w.xOther), 0],
    [w.curvature(w.xOther), 0.8],
  ];
  // exact up to round-off of a degree-5 polynomial evaluation
  for (const [got, want] of exact) assertAllClose(got!, want!, { atol: 1e-13 });
  assert.equal(w.xMin, -0.5);
  assert.ok(w.xMin < w.xBarrier && w.xBarrier < w.xOther);
  assert.equal(w.lossOther, 0.7 - 1.3);
});

Deno.test("AsymmetricDoubleWell: a, b, c are the only critical points; L rises a→b and falls b→c", () => {
  const w = new AsymmetricDoubleWell(WELL);
  const n = 20000, lo = w.xMin - 2, hi = w.xOther + 2;
  for (let i = 0; i <= n; i++) {
    const x = lo + ((hi - lo) * i) / n;
    const s = w.slope(x);
    if (x < w.xMin - 1e-12 || (x > w.xBarrier + 1e-12 && x < w.xOther - 1e-12)) {
      assert.ok(s < 0, `slope ${s} at ${x} should be < 0`);
    } else if ((x > w.xMin + 1e-12 && x < w.xBarrier - 1e-12) || x > w.xOther + 1e-12) {
      assert.ok(s > 0, `slope ${s} at ${x} should be > 0`);
    }
  }
});

Deno.test("AsymmetricDoubleWell: L, L' and L'' are continuous across the knots x_a, x_b, x_c", () => {
  const w = new AsymmetricDoubleWell(WELL);
  const e = 1e-9;
  for (const k of [w.xMin, w.xBarrier, w.xOther]) {
    for (const f of [w.value, w.slope, w.curvature]) {
      // one-sided limits differ by O(e · L''') ≈ 1e-8 when the function is continuous
      assertAllClose(f.call(w, k - e), f.call(w, k + e), { atol: 1e-7 });
    }
  }
});

Deno.test("AsymmetricDoubleWell: gradient and Hessian equal finite differences (points off the knots)", () => {
  const w = new AsymmetricDoubleWell(WELL);
  checkAgainstFiniteDifferences(w, randomPoints(2, 40, 1, w.xMin - 1.5, w.xOther + 1.5), 1e-7);
  assert.equal(w.constantHessian, false);
});

Deno.test("AsymmetricDoubleWell: rejects non-positive curvatures and heights", () => {
  assert.throws(
    () => new AsymmetricDoubleWell({ curvatureMin: 1, curvatureBarrier: -1, barrierHeight: 1 }),
    { name: "RangeError", message: "curvatureBarrier must be a finite number > 0, got -1" },
  );
  assert.throws(
    () => new AsymmetricDoubleWell({ curvatureMin: 1, curvatureBarrier: 1, barrierHeight: 0 }),
    { name: "RangeError", message: "barrierHeight must be a finite number > 0, got 0" },
  );
  assert.throws(
    () =>
      new AsymmetricDoubleWell({
        curvatureMin: NaN,
        curvatureBarrier: 1,
        barrierHeight: 1,
      }),
    { name: "RangeError", message: "curvatureMin must be a finite number > 0, got NaN" },
  );
});

Deno.test("SoftMinQuadratics: gradient and Hessian equal finite differences in 2-D and 3-D", () => {
  checkAgainstFiniteDifferences(
    sharpFlatLandscape2d(),
    randomPoints(3, 30, 2, -2, 2),
    1e-6,
  );
  const l3 = new SoftMinQuadratics({
    bowls: [
      { center: [0, 0, 0], hessian: [2, 0.5, 0, 0.5, 1, 0, 0, 0, 3] },
      { center: [1, 1, 0], hessian: [1, 0, 0, 0, 1, 0, 0, 0, 1], depth: -0.2 },
      { center: [-1, 0, 1], hessian: [4, 0, 1, 0, 4, 0, 1, 0, 4], depth: 0.1 },
    ],
    temperature: 0.3,
  });
  checkAgainstFiniteDifferences(l3, randomPoints(4, 20, 3, -1.5, 1.5), 1e-6);
});

Deno.test("sharpFlatSettings: the documented defaults, overridden one by one", () => {
  assert.deepEqual(sharpFlatSettings(), {
    sharpCurvature: 16,
    flatCurvature: 1,
    sharpCenter: [-1, 0],
    flatCenter: [1, 0],
    sharpDepth: 0,
    flatDepth: 0,
    temperature: 0.05,
  });
  assert.equal(sharpFlatSettings({ temperature: 0.1 }).temperature, 0.1);
  assert.equal(sharpFlatSettings({ temperature: 0.1 }).sharpCurvature, 16);
});

Deno.test("sharpFlatLandscape2d: Hessians at the two minima are the sharp and flat curvatures", () => {
  const l = sharpFlatLandscape2d({ sharpCurvature: 20, flatCurvature: 2 });
  // the other bowl's weight at a minimum is exp(−Δq/τ) with Δq ≥ 2, τ = 0.05: ≤ e^−40
  assertAllClose(l.hessian([-1, 0]), [20, 0, 0, 20], { atol: 1e-12 });
  assertAllClose(l.hessian([1, 0]), [2, 0, 0, 2], { atol: 1e-12 });
  assertAllClose(l.gradient([-1, 0]), [0, 0], { atol: 1e-12 });
  assertAllClose(l.loss([1, 0]), 0, { atol: 1e-12 });
  // the bowls cross on y = 0 where √20 (x + 1) = √2 (1 − x); the ridge there curves down along x
  const r = Math.sqrt(10), xCross = (1 - r) / (1 + r);
  const h = l.hessian([xCross, 0]);
  assert.ok(h[0]! < 0, `curvature across the ridge ${h[0]} should be < 0`);
});

Deno.test("SoftMinQuadratics: rejects a bowl that is not positive definite, and bad temperature", () => {
  assert.throws(
    () =>
      new SoftMinQuadratics({
        bowls: [{ center: [0, 0], hessian: [1, 2, 2, 1] }],
        temperature: 1,
      }),
    { name: "RangeError", message: "bowls[0].hessian must be positive definite, got [1, 2, 2, 1]" },
  );
  assert.throws(
    () => new SoftMinQuadratics({ bowls: [{ center: [0], hessian: [1] }], temperature: 0 }),
    { name: "RangeError", message: "temperature must be a finite number > 0, got 0" },
  );
  assert.throws(
    () => new SoftMinQuadratics({ bowls: [], temperature: 1 }),
    { name: "RangeError", message: "bowls must not be empty, got 0" },
  );
});

Deno.test("StyblinskiTang: finite differences, the known minimum, and scaling by k", () => {
  const st = new StyblinskiTang({ dim: 3, scale: 2.5 });
  checkAgainstFiniteDifferences(st, randomPoints(5, 10, 3, -4, 4), 1e-7);
  // global minimiser per coordinate −2.903534 (root of 4t³ − 32t + 5), f = −39.16617 per dim
  const xs = Float64Array.of(-2.903534, -2.903534, -2.903534);
  assertAllClose(st.gradient(xs), [0, 0, 0], { atol: 1e-4 });
  assertAllClose(st.loss(xs), 2.5 * 3 * -39.16617, { rtol: 1e-6 });
  const one = new StyblinskiTang({ dim: 3 });
  assertAllClose(st.hessian(xs), one.hessian(xs).map((v) => 2.5 * v), { rtol: 1e-15 });
  assert.throws(() => new StyblinskiTang({ dim: 0 }), {
    name: "RangeError",
    message: "dim must be an integer >= 1, got 0",
  });
});
