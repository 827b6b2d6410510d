import assert from "node:assert/strict";
import { GridIlu0 } from "../../../lib/dynamics/fokker_planck/milu.ts";
import { CsrBuilder, csrMul } from "../../../lib/dynamics/fokker_planck/sparse.ts";
import { assertAllClose } from "../../_assert.ts";
import { denseSolve, toDense, uniform } from "./_helpers.ts";

/** A random diagonally dominant M-matrix with 5-point (or, with `xOnly`, x-only) couplings. */
function mMatrix(nx: number, ny: number, seed: number, xOnly = false) {
  const u = uniform(seed), b = new CsrBuilder(nx * ny, 9);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const r = j * nx + i;
      let sum = 0;
      const link = (c: number) => {
        const v = u();
        b.add(r, c, -v);
        sum += v;
      };
      if (i > 0) link(r - 1);
      if (i < nx - 1) link(r + 1);
      if (!xOnly && j > 0) link(r - nx);
      if (!xOnly && j < ny - 1) link(r + nx);
      b.add(r, r, sum + 0.1 + u());
    }
  }
  return b.toCsr();
}

Deno.test("GridIlu0: with no fill-in (couplings along x only) ILU(0) and MILU(0) are the exact LU", () => {
  const a = mMatrix(6, 5, 1, true), r = uniform(2);
  const rhs = Float64Array.from({ length: 30 }, () => r() - 0.5), z = new Float64Array(30);
  for (const omega of [0, 0.95]) {
    new GridIlu0(a, 6, 5, omega).apply(rhs, z);
    assertAllClose(z, denseSolve(toDense(a), rhs), { rtol: 1e-12, atol: 1e-15 });
  }
});

Deno.test("GridIlu0: MILU with ω = 1 keeps the row sums (LU·1 = A·1); ILU(0) does not", () => {
  const a = mMatrix(7, 6, 3), n = 42, ones = new Float64Array(n).fill(1);
  const rowSums = new Float64Array(n), z = new Float64Array(n);
  csrMul(a, ones, rowSums);
  new GridIlu0(a, 7, 6, 1).apply(rowSums, z); // (LU)⁻¹ A 1 = 1 exactly in exact arithmetic
  assertAllClose(z, ones, { rtol: 1e-12 });
  new GridIlu0(a, 7, 6, 0).apply(rowSums, z);
  assert.ok(z.some((v) => Math.abs(v - 1) > 1e-6));
});

Deno.test("GridIlu0: a zero pivot is a RangeError; create falls back to ILU(0) when MILU's pivot changes sign", () => {
  const b = new CsrBuilder(9, 9);
  assert.throws(() => new GridIlu0(b.toCsr(), 3, 3, 0), {
    name: "RangeError",
    message: "ILU(0): zero or non-finite pivot 0 at row 0",
  });
  // identity plus a_03 = 10 and a_10 = 10: eliminating row 1 makes fill-in at (1, 3), outside
  // the 5-point pattern; ILU(0) drops it (pivot 1), MILU moves 0.95·10·10 onto the diagonal
  // (pivot 1 − 95 = −94, a sign change)
  for (let r = 0; r < 9; r++) b.add(r, r, 1);
  b.add(0, 3, 10);
  b.add(1, 0, 10);
  const a = b.toCsr();
  assert.throws(() => new GridIlu0(a, 3, 3, 0.95), {
    name: "RangeError",
    message: "ILU(0): zero or non-finite pivot -94 at row 1",
  });
  const r = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), z1 = new Float64Array(9);
  const z0 = new Float64Array(9);
  GridIlu0.create(a, 3, 3).apply(r, z1);
  new GridIlu0(a, 3, 3, 0).apply(r, z0);
  assert.deepEqual(z1, z0);
});
