import assert from "node:assert/strict";
import { bilinearAt, linearAt } from "../../lib/dynamics/grid_interpolation.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("bilinearAt: exact for f = a + bx + cy + dxy anywhere inside the centres; constant beyond", () => {
  const xc = Float64Array.from({ length: 7 }, (_, i) => -1 + 0.3 * i);
  const yc = Float64Array.from({ length: 5 }, (_, j) => 2 + 0.25 * j);
  const f = (x: number, y: number) => 0.5 - 2 * x + 3 * y + 1.5 * x * y;
  const v = Float64Array.from({ length: 35 }, (_, c) => f(xc[c % 7]!, yc[Math.floor(c / 7)]!));
  for (const [x, y] of [[-1, 2], [0, 2.6], [0.35, 2.9], [0.8, 3], [-0.99, 2.01]] as const) {
    assertAllClose(bilinearAt(xc, yc, v, x, y), f(x, y), { rtol: 1e-13, atol: 1e-13 });
  }
  // beyond the box: the value at the nearest point of the box
  assertAllClose(bilinearAt(xc, yc, v, -5, 2.5), f(-1, 2.5), { rtol: 1e-13 });
  assertAllClose(bilinearAt(xc, yc, v, 9, 9), f(0.8, 3), { rtol: 1e-13 });
  assert.throws(() => bilinearAt(xc, yc, v.subarray(1), 0, 2), {
    name: "RangeError",
    message: "values must have nx·ny values for nx, ny ≥ 2, got 34 for 7 × 5",
  });
  assert.throws(() => bilinearAt(xc, yc, v, NaN, 2), {
    name: "RangeError",
    message: "x must be a finite number, got NaN",
  });
});

Deno.test("linearAt: exact for affine values, end values beyond the ends", () => {
  const xs = [0, 0.5, 1, 1.5], ys = xs.map((x) => 3 - 2 * x);
  for (const x of [0, 0.2, 0.75, 1.5]) {
    assertAllClose(linearAt(xs, ys, x), 3 - 2 * x, { rtol: 1e-15 });
  }
  assert.equal(linearAt(xs, ys, -1), 3);
  assert.equal(linearAt(xs, ys, 7), 0);
  assert.throws(() => linearAt([0], [1], 0), {
    name: "RangeError",
    message: "centers (≥ 2) and values must have equal lengths, got 1 and 1",
  });
});
