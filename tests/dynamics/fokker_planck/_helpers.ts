/** Helpers shared by the Fokker–Planck tests: densities, distances and generator column sums. */
import type { CsrMatrix } from "../../../lib/dynamics/fokker_planck/mod.ts";

/** Normal density N(m, v) at x. */
export const gauss = (x: number, m: number, v: number): number =>
  Math.exp(-((x - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);

/** L1 distance Σ |p_i − q_i| h. */
export function l1(p: ArrayLike<number>, q: ArrayLike<number>, h: number): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i]! - q[i]!) * h;
  return s;
}

/** Column sums of a generator (zero for a conservative scheme with closed sides). */
export function columnSums(a: CsrMatrix): Float64Array {
  const s = new Float64Array(a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = a.rowPtr[i]!; k < a.rowPtr[i + 1]!; k++) {
      s[a.colIndex[k]!] = s[a.colIndex[k]!]! + a.values[k]!;
    }
  }
  return s;
}

/** max_i |a_i|. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** A CSR matrix as a dense row-major array of rows. */
export function toDense(a: CsrMatrix): number[][] {
  const d = Array.from({ length: a.rows }, () => new Array<number>(a.cols).fill(0));
  for (let i = 0; i < a.rows; i++) {
    for (let k = a.rowPtr[i]!; k < a.rowPtr[i + 1]!; k++) d[i]![a.colIndex[k]!] = a.values[k]!;
  }
  return d;
}

/** Solves the dense system M x = b by Gaussian elimination with partial pivoting. */
export function denseSolve(m: number[][], b: ArrayLike<number>): Float64Array {
  const n = m.length, a = m.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k] = a[r]![k]! - f * a[c]![k]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/** A small seeded uniform generator on [0, 1) (mulberry32) for test matrices. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dense M x. */
export function denseMul(m: number[][], x: ArrayLike<number>): Float64Array {
  return Float64Array.from(m, (row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
}
