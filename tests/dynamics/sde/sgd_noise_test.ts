import assert from "node:assert/strict";
import { sgdNoiseCovariance } from "../../../lib/dynamics/sde/sgd_noise.ts";
import { assertAllClose } from "../../_assert.ts";

Deno.test("sgdNoiseCovariance: |H|/S and clipped H/S from the eigen-decomposition", () => {
  // H = R diag(3, −1) Rᵀ with R the rotation by 30°
  const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
  const rot = (l1: number, l2: number) => [
    l1 * c * c + l2 * s * s,
    (l1 - l2) * c * s,
    (l1 - l2) * c * s,
    l1 * s * s + l2 * c * c,
  ];
  assertAllClose(sgdNoiseCovariance(rot(3, -1), 2, "abs"), rot(1.5, 0.5), { atol: 1e-15 });
  assertAllClose(sgdNoiseCovariance(rot(3, -1), 2, "clip"), rot(1.5, 0), { atol: 1e-15 });
  assertAllClose(sgdNoiseCovariance(rot(-3, -1), 1, "abs"), rot(3, 1), { atol: 1e-15 });
  assertAllClose(sgdNoiseCovariance([-2], 4, "clip"), [0], { atol: 0 });
  // 3-D (Jacobi path) with eigenvalues 2, −1, 0.5 along a random orthonormal basis
  const q = [
    [2 / 3, 2 / 3, 1 / 3],
    [-2 / 3, 1 / 3, 2 / 3],
    [1 / 3, -2 / 3, 2 / 3],
  ];
  const build = (l: number[]) =>
    Array.from({ length: 9 }, (_, k) => {
      const r = Math.floor(k / 3), col = k % 3;
      return l.reduce((acc, lv, e) => acc + lv * q[r]![e]! * q[col]![e]!, 0);
    });
  assertAllClose(sgdNoiseCovariance(build([2, -1, 0.5]), 1), build([2, 1, 0.5]), { atol: 1e-12 });
  assertAllClose(sgdNoiseCovariance(build([2, -1, 0.5]), 1, "clip"), build([2, 0, 0.5]), {
    atol: 1e-12,
  });
  assert.throws(() => sgdNoiseCovariance([1, 2, 3], 1), {
    name: "RangeError",
    message: "hessian must have a square number of entries > 0, got 3",
  });
});
