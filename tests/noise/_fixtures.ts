/** Shared fixtures of the noise/ tests: ml-matrix conversions and a least-squares problem. */
import { Matrix } from "ml-matrix";
import { LeastSquaresOracle } from "../../lib/noise/oracle.ts";
import type { RowMatrix } from "../../lib/stats/matrix.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";

export function toMatrix(m: RowMatrix): Matrix {
  const out = new Matrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) out.set(i, j, m.data[i * m.cols + j]!);
  }
  return out;
}

export function flat(m: Matrix): Float64Array {
  return Float64Array.from(m.to2DArray().flat());
}

/** y = Xθ* + σε with Gaussian X and ε. */
export function leastSquares(seed: number, n: number, d: number, sigma: number) {
  const prng = createPrng(seed);
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  const thetaStar = sampleNormal(prng, d);
  const eps = sampleNormal(prng, n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x.data[i * d + j]! * thetaStar[j]!;
    y[i] = s + sigma * eps[i]!;
  }
  return { oracle: new LeastSquaresOracle(x, y, thetaStar), x, thetaStar, prng };
}

export function all(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function sym(n: number, values: number[]): RowMatrix {
  return { rows: n, cols: n, data: Float64Array.from(values) };
}
