import assert from "node:assert/strict";
import { BicgstabSolver, dot } from "../../../lib/dynamics/fokker_planck/bicgstab.ts";
import { GridMatrix } from "../../../lib/dynamics/fokker_planck/grid_matrix.ts";
import { GridIlu0 } from "../../../lib/dynamics/fokker_planck/milu.ts";
import { CsrBuilder, csrMul } from "../../../lib/dynamics/fokker_planck/sparse.ts";
import { assertAllClose } from "../../_assert.ts";
import { uniform } from "./_helpers.ts";

/**
 * A non-symmetric convection–diffusion matrix on an n × n grid: 5-point diffusion plus upwind
 * convection with Péclet number `pe` per cell, shifted by `shift` on the diagonal.
 */
function convectionDiffusion(n: number, pe: number, shift: number) {
  const b = new CsrBuilder(n * n, 9);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const r = j * n + i;
      let diag = shift;
      const link = (c: number, v: number) => {
        b.add(r, c, -v);
        diag += v;
      };
      if (i > 0) link(r - 1, 1 + pe);
      if (i < n - 1) link(r + 1, 1);
      if (j > 0) link(r - n, 1 + 0.5 * pe);
      if (j < n - 1) link(r + n, 1);
      b.add(r, r, diag + (i === 0 || j === 0 ? 1 : 0));
    }
  }
  return b.toCsr();
}

Deno.test("dot sums a_i b_i", () => {
  assert.equal(dot(Float64Array.of(1, 2, 3), Float64Array.of(4, -5, 6)), 12);
});

Deno.test("BicgstabSolver with MILU(0): converges to a known solution of a non-symmetric grid system", () => {
  const n = 24, a = convectionDiffusion(n, 3, 1e-3), r = uniform(4);
  const xTrue = Float64Array.from({ length: n * n }, () => r());
  const b = new Float64Array(n * n);
  csrMul(a, xTrue, b);
  const solver = new BicgstabSolver(new GridMatrix(a, n, n), GridIlu0.create(a, n, n), 1e-12, 500);
  const x = new Float64Array(n * n);
  solver.solve(b, x);
  // relative residual ≤ 1e-11 (checked by the solver); the condition number here is ~1e3, so
  // the error is below 1e-8
  assertAllClose(x, xTrue, { rtol: 1e-8, atol: 1e-8 });
  assert.ok(solver.iterations > 0 && solver.iterations < 100, `${solver.iterations} iterations`);
  // started from the answer: no iteration needed
  solver.solve(b, x);
  assert.equal(solver.iterations, 0);
  solver.solve(new Float64Array(n * n), x);
  assert.ok(x.every((v) => v === 0));
});

Deno.test("BicgstabSolver: too few iterations is a RangeError naming maxIterations, the residual and the tolerance", () => {
  const n = 16, a = convectionDiffusion(n, 0, 1e-3);
  const id = { apply: (v: Float64Array, o: Float64Array) => o.set(v) };
  const solver = new BicgstabSolver(new GridMatrix(a, n, n), id, 1e-12, 2);
  assert.throws(() => solver.solve(new Float64Array(n * n).fill(1), new Float64Array(n * n)), {
    name: "RangeError",
    message:
      /^BiCGSTAB did not converge in 2 iterations \(maxIterations = 2\): relative residual .* > tolerance 1e-12$/,
  });
});
