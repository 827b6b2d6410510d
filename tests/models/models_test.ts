import assert from "node:assert/strict";
import { initBackend, readFloat32, tf } from "../../lib/models/tf.ts";
import {
  createMlp,
  crossEntropy,
  dense,
  denseFixedInput,
  denseFixedParams,
} from "../../lib/models/mlp.ts";
import { loadMnist, mnistAll } from "../../lib/models/mnist.ts";
import { TfjsOracle } from "../../lib/models/tfjs_oracle.ts";
import { GradientPool } from "../../lib/models/gradient_pool.ts";
import { trainModel } from "../../lib/models/train.ts";
import { createPrng, sampleNormal, samplePermutation } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import {
  assertBatchIsMeanOfRows,
  assertGradientIsLossDerivative,
} from "../noise/_oracle_contract.ts";

await initBackend("wasm");

Deno.test("mnistAll: 10,000 real digits, 784 pixels in [0, 1], all ten classes", () => {
  const { x, y } = mnistAll();
  assert.equal(y.length, 10_000);
  assert.equal(x.length, 10_000 * 784);
  const counts = new Array(10).fill(0);
  for (const v of y) counts[v]++;
  assert.ok(counts.every((c) => c > 800), `class counts ${counts}`);
  let max = 0;
  for (const v of x) max = Math.max(max, v);
  assert.equal(max, 1);
});

Deno.test("loadMnist: seeded split is reproducible and disjoint; sizes checked", () => {
  const a = loadMnist({ prng: createPrng(3), trainSize: 100, testSize: 50 });
  const b = loadMnist({ prng: createPrng(3), trainSize: 100, testSize: 50 });
  assert.deepEqual(a.yTrain, b.yTrain);
  assert.deepEqual(a.xTest, b.xTest);
  assert.equal(a.xTrain.length, 100 * 784);
  const c = loadMnist({ prng: createPrng(4), trainSize: 100, testSize: 50 });
  assert.notDeepEqual(a.yTrain, c.yTrain);
  assert.throws(
    () => loadMnist({ prng: createPrng(1), trainSize: 9000, testSize: 2000 }),
    /trainSize \+ testSize must be <= 10000, got 9000 \+ 2000/,
  );
  assert.throws(
    () => loadMnist({ prng: createPrng(1), trainSize: 0 }),
    /trainSize must be an integer >= 1, got 0/,
  );
});

function smallProblem(seed: number) {
  const prng = createPrng(seed);
  const n = 24, d = 6;
  const x = Float32Array.from(sampleNormal(prng, n * d));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const model = createMlp({ sizes: [d, 5, 3], prng });
  return { model, oracle: new TfjsOracle(model, x, labels, { classes: 3, chunkSize: 7 }), n, d };
}

Deno.test("dense custom gradients equal tfjs's own matMul gradient (all, fixed input, fixed params)", () => {
  const prng = createPrng(8);
  const x = tf.tensor2d(Float32Array.from(sampleNormal(prng, 12)), [4, 3]);
  const w = tf.tensor2d(Float32Array.from(sampleNormal(prng, 6)), [3, 2]);
  const b = tf.tensor1d([0.1, -0.2]);
  type D = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
  const loss = (layer: D) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
    tf.sum(tf.square(layer(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D)));
  const reference = tf.grads(loss((xx, ww, bb) => tf.add(tf.matMul(xx, ww), bb)))([x, w, b]);
  const close = (a: tf.Tensor, k: number) =>
    assertAllClose(a.dataSync(), reference[k]!.dataSync(), { rtol: 1e-5, atol: 1e-6 });
  tf.grads(loss(dense))([x, w, b]).forEach(close);
  // x as data: gradients in w and b only
  const fixedInput = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => loss(denseFixedInput)(x, ww, bb))([
    w,
    b,
  ]);
  fixedInput.forEach((g, k) => close(g, k + 1));
  // w and b as constants: the gradient in x only
  close(tf.grad((xx: tf.Tensor) => loss(denseFixedParams)(xx, w, b))(x), 0);
});

Deno.test("crossEntropy: closed-form gradient equals autodiff of −mean Σ y log softmax(z), soft labels too", () => {
  const prng = createPrng(9);
  const z = tf.tensor2d(Float32Array.from(sampleNormal(prng, 15, 0, 3)), [5, 3]);
  // one-hot rows and soft rows that do not sum to one
  const y = tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.2, 0.5, 0.1, 0, 0.3, 1.4], [5, 3]);
  const plain = (zz: tf.Tensor, yy: tf.Tensor) =>
    tf.neg(tf.mean(tf.sum(tf.mul(yy, tf.logSoftmax(zz as tf.Tensor2D)), 1))) as tf.Scalar;
  const scaled = (f: typeof plain) => (zz: tf.Tensor, yy: tf.Tensor) => tf.mul(f(zz, yy), 2.5);
  const ours = (zz: tf.Tensor, yy: tf.Tensor) => crossEntropy(zz as tf.Tensor2D, yy as tf.Tensor2D);
  assertAllClose(ours(z, y).dataSync(), plain(z, y).dataSync(), { rtol: 1e-6 });
  const g1 = tf.grads(scaled(ours))([z, y]), g2 = tf.grads(scaled(plain))([z, y]);
  for (let k = 0; k < 2; k++) {
    assertAllClose(g1[k]!.dataSync(), g2[k]!.dataSync(), { rtol: 1e-5, atol: 1e-6 });
  }
});

Deno.test("TfjsOracle: gradient equals central finite differences of the float64-evaluated loss", () => {
  const { oracle } = smallProblem(1);
  // float32 forward pass: roundoff in the loss ~1e-7, so h = 1e-2 balances it
  // against the O(h²) truncation of central differences; tolerance 2e-3.
  assertGradientIsLossDerivative(oracle, {
    h: 1e-2,
    atol: 2e-3,
    coordinates: [0, 7, 20, oracle.dim - 1],
  });
});

Deno.test("TfjsOracle: chunked batch gradient is the mean of per-example rows (eps trick) and of single-example gradients", () => {
  const { oracle } = smallProblem(2);
  assertBatchIsMeanOfRows(oracle, [0, 3, 5, 8, 13, 21, 23, 2, 9], {
    rtol: 1e-4,
    atol: 1e-6,
    singles: true,
  });
});

Deno.test("TfjsOracle: setParams/getParams round trip; bad input named", () => {
  const { oracle } = smallProblem(3);
  const theta = oracle.getParams();
  assert.equal(theta.length, 6 * 5 + 5 + 5 * 3 + 3);
  oracle.setParams(theta.map((v) => v * 2));
  assertAllClose(oracle.getParams(), theta.map((v) => v * 2), { rtol: 1e-6 });
  assert.throws(() => oracle.setParams([1]), /theta must have length 53, got 1/);
  assert.throws(
    () => oracle.batchGradient([24]),
    /indices\[0\] must be an integer in \[0, 24\), got 24/,
  );
  assert.throws(
    () =>
      new TfjsOracle(oracle.model, new Float32Array(10), new Int32Array([0, 9]), { classes: 3 }),
    /labels\[1\] must be an integer in \[0, 3\), got 9/,
  );
});

Deno.test("trainModel: SGD lowers the loss; same seed gives bit-identical runs; GD is batchSize = N", async () => {
  const run = async () => {
    const { model, oracle } = smallProblem(4);
    const h = await trainModel(model, oracle, oracle, {
      lr: 0.1,
      batchSize: 4,
      epochs: 5,
      prng: createPrng(9),
    });
    return { h, theta: oracle.getParams() };
  };
  const a = await run(), b = await run();
  assert.deepEqual(a.theta, b.theta);
  assert.equal(a.h.length, 6);
  assert.ok(a.h[5]!.trainLoss < a.h[0]!.trainLoss, `${a.h[0]!.trainLoss} → ${a.h[5]!.trainLoss}`);
  assert.equal(a.h[5]!.step, 30);
  const { model, oracle } = smallProblem(4);
  const gd = await trainModel(model, oracle, oracle, {
    lr: 0.1,
    batchSize: 24,
    epochs: 2,
    prng: createPrng(9),
  });
  assert.equal(gd[2]!.step, 2);
  await assert.rejects(
    () =>
      trainModel(model, oracle, oracle, { lr: 0.1, batchSize: 25, epochs: 1, prng: createPrng(1) }),
    /batchSize must be an integer in \[1, 24\], got 25/,
  );
  await assert.rejects(
    () =>
      trainModel(model, oracle, oracle, {
        lr: 1e30,
        batchSize: 24,
        epochs: 3,
        prng: createPrng(1),
      }),
    /training diverged at epoch/,
  );
});

Deno.test("trainModel: one SGD step is exactly θ − η∇L̂_S on the first S indices of the seeded permutation (float32)", async () => {
  const { model, oracle, n } = smallProblem(5);
  const lr = 0.3, batchSize = 13; // floor(24 / 13) = 1 step per epoch
  const theta0 = model.params.map((p) => p.dataSync().slice());
  // the batch trainModel must draw: the first S entries of the epoch's permutation
  const batch = samplePermutation(createPrng(21), n).subarray(0, batchSize);
  const grads = tf.tidy(() => {
    const ci = tf.tensor1d(batch, "int32");
    const xb = tf.gather(oracle.x, ci), yb = tf.gather(oracle.y, ci);
    return tf.grads((...p: tf.Tensor[]) => crossEntropy(model.logits(p, xb), yb))(model.params)
      .map((g) => g.dataSync().slice());
  });
  const h = await trainModel(model, oracle, oracle, {
    lr,
    batchSize,
    epochs: 1,
    prng: createPrng(21),
  });
  assert.equal(h[1]!.step, 1);
  const lr32 = Math.fround(lr);
  model.params.forEach((p, k) => {
    const expected = theta0[k]!.map((t, i) => Math.fround(t - Math.fround(grads[k]![i]! * lr32)));
    assert.deepEqual(Array.from(p.dataSync()), Array.from(expected), `parameter tensor ${k}`);
  });
  // a different batch gives a different step: the check above sees which examples were used
  const other = samplePermutation(createPrng(22), n).subarray(0, batchSize);
  assert.notDeepEqual(Array.from(other).sort(), Array.from(batch).sort());
});

Deno.test("crossEntropy equals the closed form on a tiny example", () => {
  const z = tf.tensor2d([[0, Math.log(3)]]);
  const y = tf.tensor2d([[0, 1]]);
  assertAllClose(crossEntropy(z, y).dataSync(), [-Math.log(3 / 4)], { rtol: 1e-6 });
});

Deno.test("TfjsOracle gradient cache: same gradients from cached rows; setParams drops the cache", () => {
  const { oracle } = smallProblem(6);
  const idx = [4, 1, 17, 9, 9];
  const direct = {
    full: oracle.fullGradient(),
    batch: oracle.batchGradient(idx),
    rows: oracle.perExampleGradients(idx).data.slice(),
  };
  assert.equal(oracle.gradientCache, undefined);
  const rows = oracle.cachePerExampleGradients();
  assert.equal(rows.rows, oracle.size);
  assert.equal(oracle.cachePerExampleGradients(), rows, "a second call reuses the cache");
  // float32 rows summed in float64 vs tfjs's float32 reductions: ~1e-6 relative
  assertAllClose(oracle.fullGradient(), direct.full, { rtol: 1e-4, atol: 1e-6 });
  assertAllClose(oracle.batchGradient(idx), direct.batch, { rtol: 1e-4, atol: 1e-6 });
  assertAllClose(oracle.perExampleGradients(idx).data, direct.rows, { rtol: 1e-4, atol: 1e-6 });
  assert.throws(
    () => oracle.batchGradient([24]),
    /indices\[0\] must be an integer in \[0, 24\), got 24/,
  );
  const theta = oracle.getParams();
  oracle.setParams(theta.map((v) => v * 1.5));
  assert.equal(oracle.gradientCache, undefined);
  assert.notDeepEqual(oracle.fullGradient(), direct.full);
  oracle.setParams(theta);
  oracle.cachePerExampleGradients();
  oracle.dropGradientCache();
  assert.equal(oracle.gradientCache, undefined);
});

Deno.test("TfjsOracle: consecutive indices (sliced) and the same examples shuffled (gathered) give one gradient", () => {
  const { oracle } = smallProblem(6);
  const consecutive = Array.from({ length: 12 }, (_, i) => i + 5);
  const shuffled = [...consecutive].reverse();
  assertAllClose(oracle.batchGradient(consecutive), oracle.batchGradient(shuffled), {
    rtol: 1e-5,
    atol: 1e-7,
  });
  assertAllClose(oracle.loss(consecutive), oracle.loss(shuffled), { rtol: 1e-6 });
});

Deno.test("TfjsOracle: a pass over the whole set in one chunk uses the data tensors without a copy and leaves them alive", async () => {
  const { model, oracle, n, d } = smallProblem(16);
  const x = oracle.x.dataSync().slice() as Float32Array, labels = oracle.labels;
  const whole = new TfjsOracle(model, x, labels, { classes: 3, chunkSize: n });
  const all = Array.from({ length: n }, (_, i) => i);
  // the same examples in one chunk (the data tensors) and in chunks of 7 (slices): float32 order only
  assertAllClose(whole.loss(), oracle.loss(), { rtol: 1e-6 });
  assertAllClose(whole.batchGradient(all), oracle.batchGradient(all), { rtol: 1e-5, atol: 1e-7 });
  assert.deepEqual(whole.logits().data, oracle.logits().data);
  assert.deepEqual(whole.perExampleGradients(all).data, oracle.perExampleGradients(all).data);
  assert.equal(whole.accuracy(), oracle.accuracy());
  // through a pool too (its calls dispose the chunk tensors they are given)
  const pool = await GradientPool.create(model, { shards: 2 });
  try {
    const pooled = new TfjsOracle(model, x, labels, { classes: 3, chunkSize: n, pool });
    assert.deepEqual(pooled.logits().data, oracle.logits().data);
    pooled.batchGradient(all);
    assert.ok(!pooled.x.isDisposed && !pooled.y.isDisposed);
  } finally {
    pool.close();
  }
  assert.ok(!whole.x.isDisposed && !whole.y.isDisposed);
  assert.deepEqual(whole.x.dataSync(), x);
  assert.equal(whole.x.shape.join(), `${n},${d}`);
});

Deno.test("TfjsOracle and createMlp: chunkSize 0 (once a hang), bad sizes and data are named", () => {
  const model = createMlp({ sizes: [2, 3, 2], prng: createPrng(1) });
  const x = new Float32Array([0, 1, 1, 0]), labels = new Int32Array([0, 1]);
  assert.throws(
    () => new TfjsOracle(model, x, labels, { chunkSize: 0 }),
    /^RangeError: chunkSize must be an integer >= 1, got 0$/,
  );
  assert.throws(
    () => new TfjsOracle(model, new Float32Array([0, NaN, 1, 0]), labels),
    /^RangeError: x\[1\] must be finite, got NaN$/,
  );
  assert.throws(
    () => new TfjsOracle(model, x, null as never),
    /^TypeError: labels must be an array/,
  );
  assert.throws(
    () => createMlp({ sizes: [784, -5, 10], prng: createPrng(1) }),
    /^RangeError: sizes must be >= 2 positive integers, got \[784, -5, 10\]$/,
  );
});

Deno.test("TfjsOracle: data the model cannot take is named at construction (features, classes)", () => {
  const model = createMlp({ sizes: [3, 2], prng: createPrng(6) });
  assert.throws(
    () => new TfjsOracle(model, new Float32Array(12), Int32Array.of(0), { classes: 2 }),
    /^RangeError: x has 12 features per example \(x\.length \/ labels\.length\), which MLP 3-2 does not take/,
  );
  assert.throws(
    () => new TfjsOracle(model, new Float32Array(6), Int32Array.of(0, 1), { classes: 3 }),
    { name: "RangeError", message: "classes must equal the 2 outputs of MLP 3-2, got 3" },
  );
});

Deno.test("readFloat32: the tensor's values (as dataSync gives them) at an offset; bad input named", () => {
  const t = tf.tensor2d(Float32Array.from(sampleNormal(createPrng(31), 600)), [20, 30]);
  assert.deepEqual(readFloat32(t), t.dataSync());
  const out = readFloat32(t, new Float32Array(610).fill(7), 5);
  assert.deepEqual(out.subarray(5, 605), t.dataSync());
  assert.equal(out[4], 7);
  assert.equal(out[605], 7);
  assert.throws(() => readFloat32(t, new Float32Array(10)), /out \(length 10\) must hold 600/);
  assert.deepEqual(readFloat32(tf.tensor1d([1, -2], "int32")), Float32Array.from([1, -2]));
  assert.throws(() => readFloat32(tf.tensor1d(["a"], "string")), /t must be numeric/);
  const gone = tf.tensor1d([1]);
  gone.dispose();
  assert.throws(() => readFloat32(gone), /disposed/);
});
