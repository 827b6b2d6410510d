import assert from "node:assert/strict";
import {
  copyCsr,
  CsrBuilder,
  csrMul,
  csrMulTranspose,
  csrTranspose,
  diagonalPositions,
  shiftedIdentity,
} from "../../../lib/dynamics/fokker_planck/sparse.ts";
import { assertAllClose } from "../../_assert.ts";
import { denseMul, toDense, uniform } from "./_helpers.ts";

/** A random n×n matrix with at most `width` columns per row, built twice: CSR and dense. */
function randomMatrix(n: number, width: number, seed: number) {
  const u = uniform(seed), b = new CsrBuilder(n, width);
  const dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2 * width; k++) {
      const c = k % 2 === 0 ? Math.floor(u() * n) : i; // repeats: the diagonal and random columns
      const distinct = new Set([i, ...dense[i]!.flatMap((v, j) => (v !== 0 ? [j] : []))]);
      if (!distinct.has(c) && distinct.size >= width) continue;
      const v = u() - 0.5;
      b.add(i, c, v);
      dense[i]![c] = dense[i]![c]! + v;
    }
  }
  return { csr: b.toCsr(), dense };
}

Deno.test("CsrBuilder: sums repeated entries, sorts columns, keeps the diagonal, matches the dense sum", () => {
  const { csr, dense } = randomMatrix(12, 4, 1);
  // the same additions in the same order: exact
  assert.deepEqual(toDense(csr), dense);
  for (let i = 0; i < csr.rows; i++) {
    const cols = Array.from(csr.colIndex.subarray(csr.rowPtr[i]!, csr.rowPtr[i + 1]!));
    assert.deepEqual(cols, [...cols].sort((a, b) => a - b));
    assert.ok(cols.includes(i));
  }
});

Deno.test("CsrBuilder: a row with more than `width` distinct columns is an internal error", () => {
  const b = new CsrBuilder(3, 2);
  b.add(0, 1, 1);
  assert.throws(() => b.add(0, 2, 1), { message: "internal: row 0 has more than 2 entries" });
});

Deno.test("csrMul, csrMulTranspose and csrTranspose agree with the dense products", () => {
  for (const seed of [2, 3, 4]) {
    const { csr, dense } = randomMatrix(15, 5, seed);
    const u = uniform(seed + 100), x = Float64Array.from({ length: 15 }, () => u() - 0.5);
    const out = new Float64Array(15);
    csrMul(csr, x, out);
    // CSR rows are summed in column order like the dense rows (zeros add nothing): equal to
    // round-off of a 15-term sum at most
    assertAllClose(out, denseMul(dense, x), { rtol: 1e-14, atol: 1e-16 });
    const dt = dense[0]!.map((_, j) => dense.map((row) => row[j]!));
    csrMulTranspose(csr, x, out);
    assertAllClose(out, denseMul(dt, x), { rtol: 1e-14, atol: 1e-16 });
    const t = csrTranspose(csr);
    assert.deepEqual(toDense(t), dt);
    csrMul(t, x, out);
    assertAllClose(out, denseMul(dt, x), { rtol: 1e-14, atol: 1e-16 });
  }
});

Deno.test("copyCsr is independent; diagonalPositions finds the diagonal or throws; shiftedIdentity is I − cA", () => {
  const { csr, dense } = randomMatrix(8, 3, 5);
  const copy = copyCsr(csr);
  copy.values[0] = 99;
  assert.notEqual(csr.values[0], 99);
  const d = diagonalPositions(csr);
  for (let i = 0; i < 8; i++) assert.equal(csr.colIndex[d[i]!], i);
  const m = shiftedIdentity(csr, 0.3, d);
  const expected = dense.map((row, i) => row.map((v, j) => -0.3 * v + (i === j ? 1 : 0)));
  assertAllClose(toDense(m).flat(), expected.flat(), { rtol: 1e-15 });
  const noDiagonal = {
    rows: 2,
    cols: 2,
    rowPtr: Int32Array.of(0, 1, 2),
    colIndex: Int32Array.of(1, 1),
    values: Float64Array.of(1, 1),
  };
  assert.throws(() => diagonalPositions(noDiagonal), {
    message: "internal: row 0 has no diagonal entry",
  });
});
