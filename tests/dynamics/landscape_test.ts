import assert from "node:assert/strict";
import type { Landscape } from "../../lib/dynamics/landscape.ts";
import {
  AsymmetricDoubleWell,
  Quadratic,
  sharpFlatLandscape2d,
  StyblinskiTang,
} from "../../lib/dynamics/landscapes.ts";
import { SeparableValley } from "../../lib/dynamics/separable_valley.ts";
import { createPrng } from "../../lib/stats/random.ts";

const LANDSCAPES: [string, Landscape][] = [
  ["Quadratic", new Quadratic({ matrix: [3, 1, 1, 2], center: [0.5, -1], minimumLoss: 0.25 })],
  [
    "AsymmetricDoubleWell",
    new AsymmetricDoubleWell({
      curvatureMin: 4,
      curvatureBarrier: 1,
      barrierHeight: 0.5,
    }),
  ],
  ["SoftMinQuadratics", sharpFlatLandscape2d()],
  ["StyblinskiTang", new StyblinskiTang({ dim: 3, scale: 0.5 })],
  [
    "SeparableValley",
    new SeparableValley([
      { kind: "two-sided", curvature: 2, barrier: 0.5 },
      { kind: "one-sided", curvature: 1, barrier: 1 },
      { kind: "wall", curvature: 3, barrier: 0 },
    ]),
  ],
];

Deno.test("CheckedLandscape: checked gradient and Hessian at offsets equal the derivatives fast path bit for bit", () => {
  const rand = createPrng(11);
  for (const [name, l] of LANDSCAPES) {
    const d = l.dim;
    for (let trial = 0; trial < 20; trial++) {
      const cloud = Float64Array.from({ length: 3 * d + 1 }, () => 4 * rand() - 2);
      const grad = new Float64Array(d), hess = new Float64Array(d * d);
      l.derivatives!(cloud, d + 1, grad, hess);
      const out = new Float64Array(d + 2).fill(7);
      l.gradient(Array.from(cloud), out, d + 1, 2);
      assert.deepEqual(Array.from(out.subarray(2)), Array.from(grad), name);
      assert.deepEqual(Array.from(out.subarray(0, 2)), [7, 7], `${name}: writes outside its slot`);
      assert.deepEqual(Array.from(l.hessian(cloud, undefined, d + 1)), Array.from(hess), name);
      assert.ok(Number.isFinite(l.loss(cloud, d + 1)), name);
    }
  }
});

Deno.test("CheckedLandscape: every landscape names the bad argument (non-finite point, short input or output, wrong type)", () => {
  for (const [name, l] of LANDSCAPES) {
    const d = l.dim;
    const bad = new Float64Array(d).fill(0.1);
    bad[d - 1] = NaN;
    assert.throws(() => l.loss(bad), { message: `x[${d - 1}] must be finite, got NaN` }, name);
    assert.throws(() => l.gradient(bad), /x\[\d+\] must be finite/, name);
    assert.throws(() => l.hessian(new Float64Array(d), new Float64Array(d * d - 1 + 0)), {
      name: "RangeError",
      message: `out must hold ${d * d} values from outOffset 0, got length ${d * d - 1}`,
    }, name);
    assert.throws(() => l.loss(new Float64Array(d), 0.5), /offset 0.5/, name);
    assert.throws(() => l.loss(7 as unknown as number[]), { name: "TypeError" }, name);
    assert.throws(
      () => l.gradient(new Float64Array(d), [0, 0, 0] as unknown as Float64Array),
      { name: "TypeError", message: /out must be a Float64Array/ },
      name,
    );
  }
});

Deno.test("Quadratic: minimumLoss shifts the loss and nothing else", () => {
  const q0 = new Quadratic({ matrix: [2, 0, 0, 1] });
  const q1 = new Quadratic({ matrix: [2, 0, 0, 1], minimumLoss: -3 });
  assert.equal(q1.minimumLoss, -3);
  assert.equal(q1.loss([1, 1]), q0.loss([1, 1]) - 3);
  assert.deepEqual(q1.gradient([1, 1]), q0.gradient([1, 1]));
  assert.throws(() => new Quadratic({ matrix: [1], minimumLoss: NaN }), {
    message: "minimumLoss must be a finite number, got NaN",
  });
});
