import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import {
  assertOrthonormalRows,
  assertRowMatrix,
  diagonalMatrix,
  projectOntoRows,
  scaledMatrix,
  symmetrise,
} from "../../lib/stats/matrix.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("projectOntoRows: V u equals ml-matrix's product; writes into out", () => {
  const prng = createPrng(1);
  const v = { rows: 3, cols: 5, data: sampleNormal(prng, 15) }, u = sampleNormal(prng, 5);
  const vm = new Matrix(
    Array.from({ length: 3 }, (_, i) => [...v.data.subarray(5 * i, 5 * i + 5)]),
  );
  const expected = vm.mmul(Matrix.columnVector([...u])).to1DArray();
  assertAllClose(projectOntoRows(v, u), expected, { rtol: 1e-14, atol: 1e-15 });
  const out = new Float64Array(3);
  assert.equal(projectOntoRows(v, u, out), out);
  assertAllClose(out, expected, { rtol: 1e-14, atol: 1e-15 });
});

Deno.test("symmetrise: (M + Mᵀ)/2 in place, diagonal unchanged, symmetric input unchanged", () => {
  const m = sampleNormal(createPrng(2), 16);
  const mm = new Matrix(Array.from({ length: 4 }, (_, i) => [...m.subarray(4 * i, 4 * i + 4)]));
  const expected = mm.add(mm.transpose()).div(2).to1DArray();
  const got = symmetrise(m.slice(), 4);
  assertAllClose(got, expected, { rtol: 1e-15, atol: 1e-16 });
  for (let i = 0; i < 4; i++) {
    assert.equal(got[5 * i], m[5 * i]);
    for (let j = 0; j < 4; j++) assert.equal(got[4 * i + j], got[4 * j + i]);
  }
  assert.deepEqual(symmetrise(got.slice(), 4), got);
  assert.throws(() => symmetrise(new Float64Array(5), 2), /data must have length n² = 4, got 5/);
});

Deno.test("diagonalMatrix and scaledMatrix: closed forms; input left unmodified", () => {
  assert.deepEqual([...diagonalMatrix([1, -2, 3]).data], [1, 0, 0, 0, -2, 0, 0, 0, 3]);
  const m = { rows: 2, cols: 1, data: new Float64Array([1, 2]) };
  const s = scaledMatrix(m, 0.5);
  assert.deepEqual([...s.data], [0.5, 1]);
  assert.deepEqual([s.rows, s.cols], [2, 1]);
  assert.deepEqual([...m.data], [1, 2]);
  assert.throws(() => diagonalMatrix([]), /values must (hold|have) at least 1 values, got 0/);
  assert.throws(() => diagonalMatrix([1, NaN]), /values\[1\] must be finite, got NaN/);
  assert.throws(() => scaledMatrix(m, Infinity), /factor must be a finite number, got Infinity/);
});

Deno.test("assertRowMatrix and assertOrthonormalRows: accept good input, name bad input", () => {
  assertOrthonormalRows({ rows: 2, cols: 2, data: new Float64Array([0.6, 0.8, -0.8, 0.6]) }, 2);
  assert.throws(
    () => assertRowMatrix("g", { rows: 0, cols: 2, data: new Float64Array(0) }),
    /g must have rows, cols >= 1, got 0×2/,
  );
  assert.throws(
    () => assertRowMatrix("g", { rows: 2, cols: 2, data: new Float64Array(3) }),
    /g.data must have length rows·cols = 4, got 3/,
  );
  assert.throws(
    () => assertRowMatrix("g", { rows: 1, cols: 2, data: new Float64Array([0, NaN]) }),
    /g.data\[1\] must be finite, got NaN/,
  );
  assert.throws(
    () => assertOrthonormalRows({ rows: 1, cols: 2, data: new Float64Array([1, 0]) }, 3),
    /basis must have 3 columns, got 2/,
  );
  assert.throws(
    () => assertOrthonormalRows({ rows: 2, cols: 1, data: new Float64Array([1, 1]) }, 1),
    /basis must have at most 1 rows, got 2/,
  );
  assert.throws(
    () => assertOrthonormalRows({ rows: 2, cols: 2, data: new Float64Array([1, 0, 1, 0]) }, 2),
    /basis rows must be orthonormal: <v_0, v_1> = 1/,
  );
});
