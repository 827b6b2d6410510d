import assert from "node:assert/strict";
import { CsrBuilder, type CsrMatrix } from "../../../lib/dynamics/fokker_planck/sparse.ts";
import { TridiagonalSolver } from "../../../lib/dynamics/fokker_planck/tridiagonal.ts";
import { assertAllClose } from "../../_assert.ts";
import { denseSolve, toDense, uniform } from "./_helpers.ts";

/** A random column-diagonally-dominant tridiagonal matrix, with corners when `cyclic`. */
function tridiagonal(n: number, cyclic: boolean, seed: number): CsrMatrix {
  const u = uniform(seed), b = new CsrBuilder(n, 3);
  for (let i = 0; i < n; i++) b.add(i, i, 3 + u());
  for (let i = 0; i + 1 < n; i++) {
    b.add(i, i + 1, -u());
    b.add(i + 1, i, -u());
  }
  if (cyclic) {
    b.add(0, n - 1, -u());
    b.add(n - 1, 0, -u());
  }
  return b.toCsr();
}

Deno.test("TridiagonalSolver: twisted elimination matches a dense solve for even and odd sizes", () => {
  for (const n of [3, 4, 5, 8, 33, 64]) {
    const a = tridiagonal(n, false, n), u = uniform(1000 + n);
    const rhs = Float64Array.from({ length: n }, () => u() - 0.5), x = new Float64Array(n);
    new TridiagonalSolver(a).solve(rhs, x);
    // well-conditioned (diagonal ≥ 3, off-diagonals ≤ 1): both solves agree to ~1e-15
    assertAllClose(x, denseSolve(toDense(a), rhs), { rtol: 1e-12, atol: 1e-15 });
  }
});

Deno.test("TridiagonalSolver: periodic (cyclic) matrices through Sherman–Morrison match a dense solve", () => {
  for (const n of [3, 4, 7, 10, 51]) {
    const a = tridiagonal(n, true, 7 * n), u = uniform(2000 + n);
    const rhs = Float64Array.from({ length: n }, () => u() - 0.5), x = new Float64Array(n);
    const solver = new TridiagonalSolver(a);
    solver.solve(rhs, x);
    assertAllClose(x, denseSolve(toDense(a), rhs), { rtol: 1e-12, atol: 1e-15 });
    // the factorisation is reused: a second right-hand side
    const rhs2 = rhs.map((v, i) => v * i);
    solver.solve(rhs2, x);
    assertAllClose(x, denseSolve(toDense(a), rhs2), { rtol: 1e-12, atol: 1e-15 });
  }
});

Deno.test("TridiagonalSolver: zero pivots and entries off the tridiagonal are rejected", () => {
  const b = new CsrBuilder(3, 3);
  b.add(1, 1, 1);
  b.add(2, 2, 1);
  assert.throws(() => new TridiagonalSolver(b.toCsr()), {
    name: "RangeError",
    message: "tridiagonal solve: zero or non-finite pivot 0 at row 0",
  });
  const wide = new CsrBuilder(5, 3);
  for (let i = 0; i < 5; i++) wide.add(i, i, 1);
  wide.add(0, 2, 1);
  assert.throws(() => new TridiagonalSolver(wide.toCsr()), {
    message: "internal: entry (0, 2) is not tridiagonal",
  });
});
