import assert from "node:assert/strict";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { adaptiveSharpness, scaledMatVec } from "../../lib/curvature/adaptive_sharpness.ts";
import { hessianMatrix } from "../../lib/curvature/hessian_vector.ts";
import { mlpParameterCount, reluRescalingFactors } from "../../lib/curvature/relu_rescaling.ts";
import { hessianSharpness } from "../../lib/curvature/sharpness.ts";
import type { GradientOracle, RowMatrix } from "../../lib/noise/oracle.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { denseMatVec, withSpectrum } from "./_spectra.ts";

/** Largest eigenvalue of a dense symmetric row-major matrix (ml-matrix). */
function lambdaMaxOf(a: Float64Array, n: number): number {
  const m = new Matrix(Array.from({ length: n }, (_, i) => [...a.subarray(n * i, n * i + n)]));
  return Math.max(...new EigenvalueDecomposition(m, { assumeSymmetric: true }).realEigenvalues);
}

Deno.test("adaptiveSharpness: λ_max and trace of diag|θ| H diag|θ| equal the dense eigenvalue and Σ θ_i² H_ii", () => {
  const prng = createPrng(11), n = 10;
  const { a } = withSpectrum(prng, [9, 4, 3, 2, 1, 0.5, 0.2, 0.1, -0.3, -1]);
  const theta = sampleNormal(prng, n);
  const want = new Float64Array(n * n);
  let trace = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) want[i * n + j] = Math.abs(theta[i]! * theta[j]!) * a[i * n + j]!;
    trace += theta[i]! * theta[i]! * a[i * n + i]!;
  }
  const s = adaptiveSharpness(denseMatVec(a, n), theta, {
    prng: createPrng(1),
    tol: 1e-10,
    traceProbes: 4000,
    tracePrng: createPrng(2),
  });
  assertAllClose(s.lambdaMax, lambdaMaxOf(want, n), { rtol: 1e-9 });
  assert.notEqual(Math.round(s.lambdaMax * 1e3), 9e3); // differs from λ_max(H) = 9
  assertAllClose(s.trace!.estimate, trace, { atol: 5 * s.trace!.standardError });
  // the signs of θ do not matter
  const flipped = adaptiveSharpness(denseMatVec(a, n), theta.map((v) => -v), {
    prng: createPrng(1),
    tol: 1e-10,
  });
  assertAllClose(flipped.lambdaMax, s.lambdaMax, { rtol: 1e-9 });
});

Deno.test("adaptiveSharpness is unchanged by any positive diagonal rescaling θ' = Tθ, H' = T⁻¹HT⁻¹; λ_max is not", () => {
  const prng = createPrng(12), n = 8;
  const { a } = withSpectrum(prng, [5, 3, 2, 1, 0.5, 0.4, 0.1, 0.05]);
  const theta = sampleNormal(prng, n);
  const t = Float64Array.from({ length: n }, (_, i) => (i < 4 ? 10 : 0.1));
  const a2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a2[i * n + j] = a[i * n + j]! / (t[i]! * t[j]!);
  }
  const opts = () => ({ prng: createPrng(3), tol: 1e-10 });
  const before = adaptiveSharpness(denseMatVec(a, n), theta, opts());
  const after = adaptiveSharpness(denseMatVec(a2, n), theta.map((v, i) => v * t[i]!), opts());
  assertAllClose(after.lambdaMax, before.lambdaMax, { rtol: 1e-9 });
  const plainBefore = hessianSharpness(denseMatVec(a, n), n, opts()).lambdaMax;
  const plainAfter = hessianSharpness(denseMatVec(a2, n), n, opts()).lambdaMax;
  assert.ok(plainAfter / plainBefore > 10, `λ_max ${plainBefore} → ${plainAfter}`);
});

/**
 * A ReLU MLP sizes[0]-h-k with squared loss on a fixed data set, in the createMlp layout
 * (W0 row-major, b0, W1, b1), with its exact gradient by backpropagation (float64).
 */
class TinyReluMlp implements GradientOracle {
  readonly dim: number;
  readonly size: number;
  private theta: Float64Array;
  constructor(readonly sizes: number[], readonly x: Float64Array[], readonly y: Float64Array[]) {
    this.dim = mlpParameterCount(sizes);
    this.size = x.length;
    this.theta = new Float64Array(this.dim);
  }
  getParams() {
    return Float64Array.from(this.theta);
  }
  setParams(theta: ArrayLike<number>) {
    this.theta = Float64Array.from(theta);
  }
  /** Loss and gradient of example i. */
  private example(i: number, grad?: Float64Array): number {
    const [d, h, k] = this.sizes as [number, number, number], th = this.theta;
    const w1 = d * h + h, x = this.x[i]!, y = this.y[i]!;
    const z = new Float64Array(h), a = new Float64Array(h);
    for (let o = 0; o < h; o++) {
      let s = th[d * h + o]!;
      for (let j = 0; j < d; j++) s += x[j]! * th[j * h + o]!;
      z[o] = s;
      a[o] = Math.max(0, s);
    }
    let loss = 0;
    const r = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = th[w1 + h * k + c]!;
      for (let o = 0; o < h; o++) s += a[o]! * th[w1 + o * k + c]!;
      r[c] = s - y[c]!;
      loss += 0.5 * r[c]! * r[c]!;
    }
    if (grad) {
      for (let c = 0; c < k; c++) {
        grad[w1 + h * k + c] = grad[w1 + h * k + c]! + r[c]!;
        for (let o = 0; o < h; o++) grad[w1 + o * k + c] = grad[w1 + o * k + c]! + a[o]! * r[c]!;
      }
      for (let o = 0; o < h; o++) {
        if (z[o]! <= 0) continue;
        let delta = 0;
        for (let c = 0; c < k; c++) delta += th[w1 + o * k + c]! * r[c]!;
        grad[d * h + o] = grad[d * h + o]! + delta;
        for (let j = 0; j < d; j++) grad[j * h + o] = grad[j * h + o]! + x[j]! * delta;
      }
    }
    return loss;
  }
  loss(indices?: ArrayLike<number>) {
    const idx = indices ?? Array.from({ length: this.size }, (_, i) => i);
    let s = 0;
    for (let q = 0; q < idx.length; q++) s += this.example(idx[q]!);
    return s / idx.length;
  }
  batchGradient(indices: ArrayLike<number>) {
    const g = new Float64Array(this.dim);
    for (let q = 0; q < indices.length; q++) this.example(indices[q]!, g);
    return g.map((v) => v / indices.length);
  }
  fullGradient() {
    return this.batchGradient(Array.from({ length: this.size }, (_, i) => i));
  }
  perExampleGradients(indices: ArrayLike<number>): RowMatrix {
    const rows = indices.length, data = new Float64Array(rows * this.dim);
    for (let q = 0; q < rows; q++) {
      const g = new Float64Array(this.dim);
      this.example(indices[q]!, g);
      data.set(g, q * this.dim);
    }
    return { rows, cols: this.dim, data };
  }
}

Deno.test("adaptiveSharpness of a ReLU MLP does not change under the rescaling of Dinh et al.; λ_max and tr H do", () => {
  const prng = createPrng(13), sizes = [3, 5, 2], n = 30;
  const x = Array.from({ length: n }, () => sampleNormal(prng, 3));
  const y = Array.from({ length: n }, () => sampleNormal(prng, 2));
  const net = new TinyReluMlp(sizes, x, y);
  const theta = sampleNormal(prng, net.dim);
  // the gradient is exact: compare with central differences of the loss
  net.setParams(theta);
  const g = net.fullGradient(), e = 1e-6;
  for (const j of [0, 7, 16, 20, net.dim - 1]) {
    const tp = Float64Array.from(theta), tm = Float64Array.from(theta);
    tp[j] = tp[j]! + e;
    tm[j] = tm[j]! - e;
    net.setParams(tp);
    const lp = net.loss();
    net.setParams(tm);
    assertAllClose(g[j]!, (lp - net.loss()) / (2 * e), { rtol: 1e-6, atol: 1e-9 });
  }
  const measure = (th: Float64Array) => {
    // the exact Hessian by differences of the exact gradient; the step scaled to each coordinate
    const h = hessianMatrix(net, th, { distance: 1e-6 * Math.min(...Array.from(th, Math.abs)) });
    const mv = denseMatVec(h.data, net.dim);
    let trace = 0;
    for (let i = 0; i < net.dim; i++) trace += h.data[i * net.dim + i]!;
    const adaptive = adaptiveSharpness(mv, th, { prng: createPrng(4), tol: 1e-10, maxIter: 60 });
    return { lambda: lambdaMaxOf(h.data, net.dim), trace, adaptive: adaptive.lambdaMax };
  };
  const base = measure(theta);
  for (const alpha of [0.1, 4, 25]) {
    const t = reluRescalingFactors(sizes, 1, alpha);
    const r = measure(theta.map((v, i) => v * t[i]!));
    assertAllClose(r.adaptive, base.adaptive, { rtol: 1e-5 });
    assert.ok(
      Math.abs(Math.log(r.lambda / base.lambda)) > Math.log(1.5),
      `λ_max ${base.lambda} → ${r.lambda} at α = ${alpha}`,
    );
    assert.ok(Math.abs(Math.log(r.trace / base.trace)) > Math.log(1.5), `tr H at α = ${alpha}`);
  }
  // per-neuron rescaling (each hidden unit its own factor) leaves it unchanged too
  const [d, h, k] = sizes as [number, number, number];
  const c = [0.2, 3, 1, 7, 0.5], t = new Float64Array(net.dim).fill(1);
  for (let o = 0; o < h; o++) {
    for (let j = 0; j < d; j++) t[j * h + o] = c[o]!;
    t[d * h + o] = c[o]!;
    for (let q = 0; q < k; q++) t[d * h + h + o * k + q] = 1 / c[o]!;
  }
  assertAllClose(measure(theta.map((v, i) => v * t[i]!)).adaptive, base.adaptive, { rtol: 1e-5 });
});

Deno.test("scaledMatVec and adaptiveSharpness: bad input names the argument", () => {
  const id = (v: Float64Array) => Float64Array.from(v);
  assert.throws(() => scaledMatVec(id, [1, NaN]), /scale\[1\] must be finite, got NaN/);
  assert.throws(() => scaledMatVec(id, []), /scale must not be empty/);
  assert.throws(
    () => scaledMatVec("x" as unknown as typeof id, [1]),
    /matvec must be a function v ↦ A v, got string/,
  );
  assert.throws(
    () => scaledMatVec(id, [1, 2])(new Float64Array(3)),
    /v must have the length of scale \(2\), got 3/,
  );
  assert.throws(
    () => scaledMatVec(() => new Float64Array(1), [1, 2])(new Float64Array(2)),
    /matvec must return length 2, got 1/,
  );
  assert.throws(
    () => adaptiveSharpness(id, [1, Infinity], { prng: createPrng(1) }),
    /theta\[1\] must be finite, got Infinity/,
  );
});
