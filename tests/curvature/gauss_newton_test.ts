import assert from "node:assert/strict";
import { fisherFormsInFrame, logitJacobianInFrame } from "../../lib/curvature/gauss_newton.ts";
import { makeHvp } from "../../lib/curvature/hessian_vector.ts";
import { projectedHessian } from "../../lib/curvature/projected_hessian.ts";
import type { LogitOracle } from "../../lib/noise/logit_oracle.ts";
import type { DenseMatrix } from "../../lib/stats/matrix.ts";
import { createPrng, randomOrthonormalBasis, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

/**
 * Softmax regression z = W x (θ = W, c × p row-major): every matrix has a closed form. J_x v = V x
 * (V = v as c × p), g = (p − e_y) ⊗ x, and H = G = (1/n) Σ (diag p − p pᵀ) ⊗ x xᵀ (logits linear in θ).
 */
class SoftmaxRegression implements LogitOracle {
  readonly dim: number;
  readonly size: number;
  th: Float64Array;
  constructor(
    readonly x: Float64Array,
    readonly features: number,
    readonly classes: number,
    readonly labels: Int32Array,
    theta: Float64Array,
  ) {
    this.size = labels.length;
    this.dim = classes * features;
    this.th = theta.slice();
  }
  getParams() {
    return this.th.slice();
  }
  setParams(t: ArrayLike<number>) {
    this.th = Float64Array.from(t);
  }
  private all() {
    return Int32Array.from({ length: this.size }, (_, i) => i);
  }
  logits(indices?: ArrayLike<number>) {
    const idx = indices ?? this.all(), c = this.classes, p = this.features;
    const out = new Float64Array(idx.length * c);
    for (let t = 0; t < idx.length; t++) {
      for (let j = 0; j < c; j++) {
        let s = 0;
        for (let f = 0; f < p; f++) s += this.th[j * p + f]! * this.x[idx[t]! * p + f]!;
        out[t * c + j] = s;
      }
    }
    return { rows: idx.length, cols: c, data: out };
  }
  probs(i: number): Float64Array {
    const z = this.logits([i]).data, m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  }
  loss(indices?: ArrayLike<number>) {
    const idx = indices ?? this.all();
    let s = 0;
    for (let t = 0; t < idx.length; t++) s -= Math.log(this.probs(idx[t]!)[this.labels[idx[t]!]!]!);
    return s / idx.length;
  }
  perExampleGradients(indices: ArrayLike<number>) {
    const c = this.classes, p = this.features, d = this.dim;
    const out = new Float64Array(indices.length * d);
    for (let t = 0; t < indices.length; t++) {
      const i = indices[t]!, pr = this.probs(i);
      for (let j = 0; j < c; j++) {
        const r = pr[j]! - (j === this.labels[i] ? 1 : 0);
        for (let f = 0; f < p; f++) out[t * d + j * p + f] = r * this.x[i * p + f]!;
      }
    }
    return { rows: indices.length, cols: d, data: out };
  }
  batchGradient(indices: ArrayLike<number>) {
    const g = this.perExampleGradients(indices), out = new Float64Array(this.dim);
    for (let t = 0; t < indices.length; t++) {
      for (let j = 0; j < this.dim; j++) {
        out[j] = out[j]! + g.data[t * this.dim + j]! / indices.length;
      }
    }
    return out;
  }
  fullGradient() {
    return this.batchGradient(this.all());
  }
  /** The exact G (= H), dim × dim. */
  gaussNewton(): Float64Array {
    const c = this.classes, p = this.features, d = this.dim, g = new Float64Array(d * d);
    for (let i = 0; i < this.size; i++) {
      const pr = this.probs(i);
      for (let a = 0; a < c; a++) {
        for (let b = 0; b < c; b++) {
          const l = (a === b ? pr[a]! : 0) - pr[a]! * pr[b]!;
          for (let f = 0; f < p; f++) {
            for (let h = 0; h < p; h++) {
              g[(a * p + f) * d + b * p + h] = g[(a * p + f) * d + b * p + h]! +
                l * this.x[i * p + f]! * this.x[i * p + h]! / this.size;
            }
          }
        }
      }
    }
    return g;
  }
}

function problem(seed: number, n = 60, features = 4, classes = 3, labelsFromModel = false) {
  const prng = createPrng(seed);
  const x = sampleNormal(prng, n * features);
  const theta = sampleNormal(prng, classes * features, 0, 0.8);
  const o = new SoftmaxRegression(x, features, classes, new Int32Array(n), theta);
  for (let i = 0; i < n; i++) {
    if (labelsFromModel) {
      const pr = o.probs(i), u = prng();
      let acc = 0, y = classes - 1;
      for (let j = 0; j < classes; j++) {
        if (u < (acc += pr[j]!)) {
          y = j;
          break;
        }
      }
      o.labels[i] = y;
    } else o.labels[i] = Math.floor(prng() * classes);
  }
  return { o, theta, basis: randomOrthonormalBasis(createPrng(seed + 1), 3, classes * features) };
}

/** V M Vᵀ for a dense dim × dim M. */
function project(m: Float64Array, v: DenseMatrix): Float64Array {
  const k = v.rows, d = v.cols, out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < d; i++) {
        let r = 0;
        for (let j = 0; j < d; j++) r += m[i * d + j]! * v.data[b * d + j]!;
        s += v.data[a * d + i]! * r;
      }
      out[a * k + b] = s;
    }
  }
  return out;
}

const rel = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.hypot(...Array.from(a, (x, i) => x - b[i]!)) / Math.hypot(...Array.from(b));

Deno.test("logitJacobianInFrame: A_x = V J_xᵀ of a linear model (only roundoff), θ restored", () => {
  const { o, theta, basis } = problem(1);
  o.setParams(new Float64Array(o.dim)); // a different point: must come back
  const jac = logitJacobianInFrame(o, theta, basis);
  assert.deepEqual(o.getParams(), new Float64Array(o.dim));
  // J_x v = V x with V = v reshaped c × p
  for (const i of [0, 17, 59]) {
    for (let a = 0; a < 3; a++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let f = 0; f < 4; f++) s += basis.data[a * o.dim + j * 4 + f]! * o.x[i * 4 + f]!;
        // central difference of exactly linear logits: roundoff ε|z|/h ≈ 1e-11
        assertAllClose(jac.data[(i * 3 + a) * 3 + j]!, s, { atol: 1e-8 });
      }
    }
  }
  o.setParams(theta);
  assertAllClose(jac.probs.subarray(3, 6), o.probs(1), { rtol: 1e-12 });
});

Deno.test("fisherFormsInFrame: G, empirical Fisher and gradients equal their closed forms; H = G for a linear model", () => {
  const { o, theta, basis } = problem(2);
  const jac = logitJacobianInFrame(o, theta, basis);
  const f = fisherFormsInFrame(jac);
  o.setParams(theta);
  const g = o.gaussNewton();
  // tolerance: FD roundoff ≈ 1e-10 relative, far below any modelling difference
  assertAllClose(f.gaussNewton.data, project(g, basis), { rtol: 1e-7, atol: 1e-9 });
  // per-example projected gradients, the empirical Fisher and the covariance from backprop-style rows
  const rows = o.perExampleGradients(Int32Array.from({ length: o.size }, (_, i) => i));
  const d = o.dim, vg = new Float64Array(o.size * 3);
  for (let i = 0; i < o.size; i++) {
    for (let a = 0; a < 3; a++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += basis.data[a * d + j]! * rows.data[i * d + j]!;
      vg[i * 3 + a] = s;
    }
  }
  assertAllClose(f.gradients.data, vg, { rtol: 1e-7, atol: 1e-9 });
  const ef = new Float64Array(9), mean = new Float64Array(3);
  for (let i = 0; i < o.size; i++) {
    for (let a = 0; a < 3; a++) {
      mean[a] = mean[a]! + vg[i * 3 + a]! / o.size;
      for (let b = 0; b < 3; b++) {
        ef[a * 3 + b] = ef[a * 3 + b]! + vg[i * 3 + a]! * vg[i * 3 + b]! / o.size;
      }
    }
  }
  assertAllClose(f.empiricalFisher.data, ef, { rtol: 1e-7, atol: 1e-9 });
  assertAllClose(f.meanGradient, mean, { rtol: 1e-7, atol: 1e-9 });
  assertAllClose(
    f.gradientCovariance.data,
    ef.map((e, i) => e - mean[Math.floor(i / 3)]! * mean[i % 3]!),
    {
      rtol: 1e-7,
      atol: 1e-9,
    },
  );
  // the Hessian from finite-difference HVPs equals G here (no residual term): HVP error ~1e-6
  const h = projectedHessian(makeHvp(o, theta), basis);
  assertAllClose(h.data, f.gaussNewton.data, { rtol: 1e-5, atol: 1e-7 });
  // and the empirical Fisher with uniformly random labels is far from G (what the tolerances must separate)
  assert.ok(
    rel(f.empiricalFisher.data, f.gaussNewton.data) > 0.3,
    `${rel(f.empiricalFisher.data, f.gaussNewton.data)}`,
  );
  // subset: the mean over examples 0..9 only
  const sub = fisherFormsInFrame(jac, { subset: Int32Array.from({ length: 10 }, (_, i) => i) });
  assertAllClose(sub.gradients.data, f.gradients.data.subarray(0, 30));
  assert.equal(sub.count, 10);
});

Deno.test("fisherFormsInFrame: the sampled true Fisher converges to G at the Monte Carlo rate; the empirical Fisher does only for labels drawn from the model", () => {
  const { o, theta, basis } = problem(3, 400);
  const jac = logitJacobianInFrame(o, theta, basis);
  const errs = [1, 16, 256].map((s) => {
    const f = fisherFormsInFrame(jac, { prng: createPrng(9), samples: s });
    return rel(f.sampledFisher!.data, f.gaussNewton.data);
  });
  // relative error ≈ a/√(n s): measured 0.20, 0.049, 0.0052 with this seed (a ≈ 4: per-example terms
  // are heavy where one class dominates); bounds at 1.75× the 1/√s law from the first, 0.35/√s
  assert.ok(errs[0]! < 0.35 && errs[1]! < 0.35 / 4 && errs[2]! < 0.35 / 16, errs.join());
  assert.ok(errs[2]! < errs[0]! / 4, errs.join());
  // same stream, same numbers
  const a = fisherFormsInFrame(jac, { prng: createPrng(9), samples: 3 }).sampledFisher!.data;
  const b = fisherFormsInFrame(jac, { prng: createPrng(9), samples: 3 }).sampledFisher!.data;
  assert.deepEqual(a, b);
  // labels drawn from the model at θ (well-specified, Kunstner et al.): empirical Fisher ≈ G;
  // uniformly random labels: far from it
  const m = problem(4, 4000, 4, 3, true), u = problem(4, 4000, 4, 3, false);
  const fm = fisherFormsInFrame(logitJacobianInFrame(m.o, m.theta, m.basis));
  const fu = fisherFormsInFrame(logitJacobianInFrame(u.o, u.theta, u.basis));
  assert.ok(
    rel(fm.empiricalFisher.data, fm.gaussNewton.data) < 0.1,
    `${rel(fm.empiricalFisher.data, fm.gaussNewton.data)}`,
  );
  assert.ok(
    rel(fu.empiricalFisher.data, fu.gaussNewton.data) > 0.3,
    `${rel(fu.empiricalFisher.data, fu.gaussNewton.data)}`,
  );
});

Deno.test("gauss_newton: bad input is named", () => {
  const { o, theta, basis } = problem(5, 10);
  assert.throws(
    () => logitJacobianInFrame({ ...o, logits: undefined } as never, theta, basis),
    TypeError,
  );
  assert.throws(
    () => logitJacobianInFrame(o, theta.subarray(1), basis),
    /theta must have length 12, got 11/,
  );
  assert.throws(() => logitJacobianInFrame(o, theta, basis, { step: 0 }), /step/);
  assert.throws(
    () => logitJacobianInFrame(o, theta, basis, { precision: 2 }),
    /precision must be in \(0, 1\), got 2/,
  );
  assert.throws(
    () => logitJacobianInFrame(o, theta, { rows: 1, cols: 12, data: new Float64Array(12).fill(1) }),
    RangeError,
  );
  assert.throws(() => logitJacobianInFrame(o, theta, basis, { indices: [10] }), /indices\[0\]/);
  const nanTheta = theta.slice();
  nanTheta[3] = NaN;
  assert.throws(
    () => logitJacobianInFrame(o, nanTheta, basis),
    /theta\[3\] must be finite, got NaN/,
  );
  const jac = logitJacobianInFrame(o, theta, basis);
  assert.throws(() => fisherFormsInFrame(jac, { samples: 0 }), /samples/);
  assert.throws(() => fisherFormsInFrame(jac, { subset: [10] }), /indices\[0\].*got 10/);
  assert.throws(() => fisherFormsInFrame(null as never), /jac must be a LogitJacobian/);
  assert.throws(
    () => fisherFormsInFrame(jac, { prng: 3 as never }),
    /prng must be a Prng function, got 3/,
  );
});
