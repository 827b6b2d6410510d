import assert from "node:assert/strict";
import { fisherFormsInFrame, logitJacobianInFrame } from "../../lib/curvature/gauss_newton.ts";
import { initBackend, tf } from "../../lib/models/tf.ts";
import { createMlp } from "../../lib/models/mlp.ts";
import { TfjsOracle } from "../../lib/models/tfjs_oracle.ts";
import { createPrng, randomOrthonormalBasis, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

await initBackend("cpu");

Deno.test("TfjsOracle.logits: the model's logits in chunks; labels and classes kept", () => {
  const prng = createPrng(3);
  const n = 13, d = 5;
  const x = Float32Array.from(sampleNormal(prng, n * d));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const model = createMlp({ sizes: [d, 4, 3], prng });
  const o = new TfjsOracle(model, x, labels, { classes: 3, chunkSize: 4 });
  const z = o.logits();
  const ref = tf.tidy(() => model.logits(model.params, tf.tensor2d(x, [n, d])).dataSync());
  assert.equal(z.rows, n);
  assert.equal(z.cols, 3);
  assertAllClose(z.data, Array.from(ref), { rtol: 0, atol: 0 });
  assertAllClose(o.logits([4, 1]).data, [...z.data.subarray(12, 15), ...z.data.subarray(3, 6)], {
    rtol: 0,
  });
  assert.deepEqual(o.labels, labels);
  assert.equal(o.classes, 3);
  o.dispose();
});

Deno.test("Gauss–Newton forms on a float32 MLP: A_x(p − e_y) from logit differences equals the backpropagated gradients in the frame", () => {
  const prng = createPrng(4);
  const n = 40, d = 6;
  const x = Float32Array.from(sampleNormal(prng, n * d));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const model = createMlp({ sizes: [d, 8, 3], prng });
  const o = new TfjsOracle(model, x, labels, { classes: 3, chunkSize: 16 });
  const theta = o.getParams();
  const basis = randomOrthonormalBasis(createPrng(5), 4, o.dim);
  const f = fisherFormsInFrame(logitJacobianInFrame(o, theta, basis, { precision: 2 ** -23 }));
  const rows = o.perExampleGradients(Int32Array.from({ length: n }, (_, i) => i));
  const vg = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 4; a++) {
      let s = 0;
      for (let j = 0; j < o.dim; j++) s += basis.data[a * o.dim + j]! * rows.data[i * o.dim + j]!;
      vg[i * 4 + a] = s;
    }
  }
  // float32 logits, step cbrt(2⁻²³)(1 + ‖θ‖): roundoff and truncation about 1e-4 of the entries, but a
  // ReLU kink crossed by the step mixes the two sides on that example (seen: one entry of 160 off by
  // 10%). So: most entries within 1e-3 of the scale, and the relative Frobenius error within 0.03
  // (the notebook's check of the same identity); a wrong A (e.g. p − e_y of the wrong sign) gives ≥ 1.
  const scale = Math.hypot(...vg) / Math.sqrt(vg.length);
  const close = f.gradients.data.filter((v, i) => Math.abs(v - vg[i]!) <= 1e-3 * scale).length;
  assert.ok(close >= 0.9 * vg.length, `${close} of ${vg.length}`);
  const err = Math.hypot(...f.gradients.data.map((v, i) => v - vg[i]!)) / Math.hypot(...vg);
  assert.ok(err < 0.03, `relative error ${err}`);
  assert.deepEqual(o.getParams(), theta);
  o.dispose();
});
