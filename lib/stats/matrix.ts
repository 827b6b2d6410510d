/**
 * Dense row-major matrices as small typed records ({@link RowMatrix}, {@link DenseMatrix}) and the
 * few operations the estimators share: checks of shape, finiteness and orthonormal rows, the
 * projection V u onto orthonormal rows, symmetrisation (M + Mᵀ)/2, diagonal and scaled copies.
 * No ML here; depends only on validate.ts.
 *
 * @module
 */
import { assertFinite, assertFiniteArray, assertInteger, assertNoOverflow } from "./validate.ts";

/** A dense row-major matrix: `data[r * cols + c]`. */
export interface RowMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array | Float32Array;
}

/** A {@link RowMatrix} whose data is a `Float64Array` (row-major). */
export interface DenseMatrix extends RowMatrix {
  readonly data: Float64Array;
}

/**
 * Throws a RangeError naming `name` unless `m` has integer `rows, cols >= 1`, `data` of length
 * rows·cols and finite entries.
 *
 * @param name the argument's name, used in the message
 * @param m the matrix to check
 * @example
 * ```ts
 * import { assertRowMatrix } from "./matrix.ts";
 * assertRowMatrix("m", { rows: 1, cols: 2, data: new Float64Array([1, 2]) });
 * ```
 */
export function assertRowMatrix(name: string, m: RowMatrix): void {
  assertMatrixShape(name, m);
  assertFiniteArray(`${name}.data`, m.data);
}

/** The O(1) part of {@link assertRowMatrix}: types, rows, cols and the data length. */
function assertMatrixShape(name: string, m: RowMatrix): void {
  if (m === null || typeof m !== "object") {
    throw new TypeError(`${name} must be a matrix { rows, cols, data }, got ${m}`);
  }
  const data: unknown = m.data;
  if (
    data === null || typeof data !== "object" ||
    typeof (data as ArrayLike<number>).length !== "number"
  ) {
    throw new TypeError(`${name}.data must be an array of numbers, got ${data}`);
  }
  if (!Number.isInteger(m.rows) || m.rows < 1 || !Number.isInteger(m.cols) || m.cols < 1) {
    throw new RangeError(`${name} must have rows, cols >= 1, got ${m.rows}×${m.cols}`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new RangeError(
      `${name}.data must have length rows·cols = ${m.rows * m.cols}, got ${m.data.length}`,
    );
  }
}

/**
 * Throws a RangeError unless `basis` is a well-formed k × dim matrix (k ≤ dim) with orthonormal
 * rows, |V Vᵀ − I| ≤ 1e-6 entrywise.
 *
 * @param basis the rows v_0..v_{k−1}
 * @param dim the number of columns it must have
 * @example
 * ```ts
 * import { assertOrthonormalRows } from "./matrix.ts";
 * assertOrthonormalRows({ rows: 1, cols: 2, data: new Float64Array([0.6, 0.8]) }, 2);
 * ```
 */
export function assertOrthonormalRows(basis: RowMatrix, dim: number): void {
  assertInteger("dim", dim, 1);
  assertRowMatrix("basis", basis);
  if (basis.cols !== dim) {
    throw new RangeError(`basis must have ${dim} columns, got ${basis.cols}`);
  }
  if (basis.rows > dim) {
    throw new RangeError(`basis must have at most ${dim} rows, got ${basis.rows}`);
  }
  const { rows: k, data } = basis;
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let t = 0; t < dim; t++) s += data[i * dim + t]! * data[j * dim + t]!;
      const dev = Math.abs(s - (i === j ? 1 : 0));
      if (dev > 1e-6) {
        throw new RangeError(
          `basis rows must be orthonormal: <v_${i}, v_${j}> = ${s} (tolerance 1e-6)`,
        );
      }
    }
  }
}

/**
 * y = V u for a k × dim matrix V: y_i = Σ_t V_it u_t, summed in order t = 0..dim−1. Unchecked
 * (call {@link assertOrthonormalRows} or {@link assertRowMatrix} once, outside loops).
 *
 * @param basis V (k × dim)
 * @param u a vector of length dim
 * @param out where to write y (length k; default a new array)
 * @returns `out`
 * @example
 * ```ts
 * import { projectOntoRows } from "./matrix.ts";
 * const v = { rows: 1, cols: 2, data: new Float64Array([0, 1]) };
 * if (projectOntoRows(v, [3, 4])[0] !== 4) throw new Error("projection on e₂");
 * ```
 */
export function projectOntoRows(
  basis: RowMatrix,
  u: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  assertMatrixShape("basis", basis);
  const { rows: k, cols: dim, data } = basis;
  if (u === null || typeof u !== "object" || !(u.length >= dim)) {
    throw new RangeError(`u must have at least basis.cols = ${dim} values, got ${u?.length ?? u}`);
  }
  if (out === undefined) out = new Float64Array(k);
  else if (!(out instanceof Float64Array) || out.length < k) {
    throw new RangeError(`out must be a Float64Array of at least ${k} values, got ${out}`);
  }
  for (let i = 0; i < k; i++) {
    let s = 0;
    const off = i * dim;
    for (let t = 0; t < dim; t++) s += data[off + t]! * u[t]!;
    if (!Number.isFinite(s)) {
      throw new RangeError(
        `basis row ${i} · u is ${s}: basis.data and u must be finite and not overflow`,
      );
    }
    out[i] = s;
  }
  return out;
}

/**
 * Replaces a square row-major n × n matrix by its symmetric part (M + Mᵀ)/2, in place: for
 * i < j both entries become 0.5·(M_ij + M_ji); the diagonal is unchanged.
 *
 * @param data the n² entries, row-major
 * @param n the size
 * @returns `data`
 * @example
 * ```ts
 * import { symmetrise } from "./matrix.ts";
 * if (symmetrise(new Float64Array([1, 2, 4, 3]), 2).join() !== "1,3,3,3") throw new Error("(M + Mᵀ)/2");
 * ```
 */
export function symmetrise(data: Float64Array, n: number): Float64Array {
  if (!(data instanceof Float64Array)) {
    throw new TypeError(`data must be a Float64Array, got ${data}`);
  }
  assertInteger("n", n, 0);
  if (data.length !== n * n) {
    throw new RangeError(`data must have length n² = ${n * n}, got ${data.length}`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (data[i * n + j]! + data[j * n + i]!);
      data[i * n + j] = s;
      data[j * n + i] = s;
    }
  }
  return data;
}

/**
 * The k × k diagonal matrix diag(v).
 *
 * @param values the diagonal v (finite)
 * @returns a new {@link DenseMatrix}
 * @example
 * ```ts
 * import { diagonalMatrix } from "./matrix.ts";
 * if (diagonalMatrix([2, 3]).data.join() !== "2,0,0,3") throw new Error("diag(2, 3)");
 * ```
 */
export function diagonalMatrix(values: ArrayLike<number>): DenseMatrix {
  assertFiniteArray("values", values, 1);
  const k = values.length, data = new Float64Array(k * k);
  for (let i = 0; i < k; i++) data[i * k + i] = values[i]!;
  return { rows: k, cols: k, data };
}

/**
 * The matrix f·M, entry by entry (a new matrix; `m` is left unmodified).
 *
 * @param m the matrix
 * @param factor f (finite)
 * @returns a new {@link DenseMatrix} of the shape of `m`
 * @example
 * ```ts
 * import { scaledMatrix } from "./matrix.ts";
 * const m = { rows: 1, cols: 2, data: new Float64Array([1, 2]) };
 * if (scaledMatrix(m, 3).data.join() !== "3,6") throw new Error("3·M");
 * ```
 */
export function scaledMatrix(m: DenseMatrix, factor: number): DenseMatrix {
  assertFinite("factor", factor);
  assertRowMatrix("m", m);
  const data = m.data.map((x) => x * factor);
  assertNoOverflow("factor", "factor·m.data", data.reduce((a, x) => Math.max(a, Math.abs(x)), 0));
  return { ...m, data };
}
