import assert from "node:assert/strict";
import {
  GridMatrix,
  stencilCoefficients,
} from "../../../lib/dynamics/fokker_planck/grid_matrix.ts";
import { CsrBuilder } from "../../../lib/dynamics/fokker_planck/sparse.ts";
import { assertAllClose } from "../../_assert.ts";
import { denseMul, toDense, uniform } from "./_helpers.ts";

/** A random 9-point matrix on an nx × ny grid with periodic wrap-around (perimeter rows anywhere). */
function randomGridMatrix(nx: number, ny: number, seed: number) {
  const u = uniform(seed), b = new CsrBuilder(nx * ny, 9);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      for (let dj = -1; dj <= 1; dj++) {
        for (let di = -1; di <= 1; di++) {
          const c = ((j + dj + ny) % ny) * nx + ((i + di + nx) % nx);
          b.add(j * nx + i, c, di === 0 && dj === 0 ? 10 + u() : -u());
        }
      }
    }
  }
  return b.toCsr();
}

Deno.test("GridMatrix: stencil-layout product equals the dense product, with and without u 1ᵀ", () => {
  for (const [nx, ny] of [[3, 3], [5, 4], [7, 9]] as const) {
    const a = randomGridMatrix(nx, ny, nx * ny), n = nx * ny, r = uniform(n);
    const x = Float64Array.from({ length: n }, () => r() - 0.5);
    const u = Float64Array.from({ length: n }, () => r());
    const out = new Float64Array(n);
    new GridMatrix(a, nx, ny).mul(x, out);
    // interior rows sum the 9 terms in stencil order, the dense row in column order: round-off
    assertAllClose(out, denseMul(toDense(a), x), { rtol: 1e-13, atol: 1e-14 });
    new GridMatrix(a, nx, ny, u).mul(x, out);
    const sx = x.reduce((s, v) => s + v, 0);
    const expected = denseMul(toDense(a), x).map((v, i) => v + u[i]! * sx);
    assertAllClose(out, expected, { rtol: 1e-13, atol: 1e-14 });
  }
});

Deno.test("stencilCoefficients: interior rows only; an interior entry outside the 3×3 stencil is an internal error", () => {
  const a = randomGridMatrix(4, 4, 3), c = stencilCoefficients(a, 4, 4);
  const d = toDense(a);
  // interior cell (1, 1) = row 5: offsets −5, −4, −3, −1, 0, 1, 3, 4, 5
  assert.deepEqual(
    Array.from(c.subarray(45, 54)),
    [0, 1, 2, 4, 5, 6, 8, 9, 10].map((k) => d[5]![k]),
  );
  assert.ok(c.subarray(0, 9).every((v) => v === 0)); // perimeter row 0 stays in CSR form
  const b = new CsrBuilder(16, 9);
  b.add(5, 15, 1);
  assert.throws(() => stencilCoefficients(b.toCsr(), 4, 4), {
    message: "internal: entry (5, 15) outside the stencil",
  });
});
