import assert from "node:assert/strict";
import { initBackend, tf } from "../../lib/models/tf.ts";
import { createMlp, crossEntropy, type Model } from "../../lib/models/mlp.ts";
import { createResNet } from "../../lib/models/resnet.ts";
import { GradientPool } from "../../lib/models/gradient_pool.ts";
import { modelFromSpec } from "../../lib/models/model_spec.ts";
import { TfjsOracle } from "../../lib/models/tfjs_oracle.ts";
import { trainModel } from "../../lib/models/train.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

await initBackend("wasm");

/** A batch of n standard-normal inputs with labels i mod classes, one-hot. */
function batchOf(seed: number, n: number, features: number, classes: number) {
  const x = tf.tensor2d(Float32Array.from(sampleNormal(createPrng(seed), n * features)), [
    n,
    features,
  ]);
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  const y = tf.oneHot(tf.tensor1d(labels, "int32"), classes) as tf.Tensor2D;
  return { x, y, labels };
}

function inProcess(model: Model, params: tf.Tensor[], x: tf.Tensor2D, y: tf.Tensor2D) {
  return tf.tidy(() =>
    tf.grads((...p: tf.Tensor[]) => crossEntropy(model.logits(p, x), y))(params)
      .map((g) => g.dataSync().slice() as Float32Array)
  );
}

async function pooled(
  model: Model,
  opts: { shards: number; workers?: number },
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  params = model.params,
) {
  const pool = await GradientPool.create(model, opts);
  try {
    const g = await pool.meanGradient(params, x, y);
    const out = g.map((t) => t.dataSync().slice() as Float32Array);
    for (const t of g) t.dispose();
    return out;
  } finally {
    pool.close();
  }
}

/** A tiny GroupNorm ResNet on 7×7 inputs: every layer kind at low cost. */
function tinyResNet(seed: number) {
  return createResNet({
    prng: createPrng(seed),
    widths: [2, 4],
    blocksPerStage: 1,
    norm: "group",
    groups: 2,
    side: 7,
    classes: 3,
  });
}

Deno.test("GradientPool: one shard is the in-process gradient bit for bit (MLP, GroupNorm ResNet)", async () => {
  const mlp = createMlp({ sizes: [6, 5, 3], prng: createPrng(1) });
  const a = batchOf(2, 9, 6, 3);
  assert.deepEqual(
    await pooled(mlp, { shards: 1 }, a.x, a.y),
    inProcess(mlp, mlp.params, a.x, a.y),
  );
  const net = tinyResNet(3);
  const b = batchOf(4, 5, 49, 3);
  assert.deepEqual(
    await pooled(net, { shards: 1 }, b.x, b.y),
    inProcess(net, net.params, b.x, b.y),
  );
});

Deno.test("GradientPool: shards give the mean gradient (float32 order only); workers do not change a bit", async () => {
  const net = tinyResNet(5);
  // 7 examples in 3 shards (2, 2, 3) and 2 examples in 3 shards (one empty shard)
  for (const n of [7, 2]) {
    const { x, y } = batchOf(6 + n, n, 49, 3);
    const ref = inProcess(net, net.params, x, y);
    const one = await pooled(net, { shards: 3, workers: 1 }, x, y);
    const three = await pooled(net, { shards: 3, workers: 3 }, x, y);
    const two = await pooled(net, { shards: 3, workers: 2 }, x, y);
    assert.deepEqual(three, one);
    assert.deepEqual(two, one);
    // float32 sums in another order: relative error ~1e-7, tolerance 1e-5 of the largest entry
    one.forEach((g, k) => assertAllClose(g, ref[k]!, { rtol: 1e-5, atol: 1e-6 }));
  }
});

Deno.test("GradientPool: new parameter tensors are sent again; the same ones are not needed twice", async () => {
  const mlp = createMlp({ sizes: [4, 3, 2], prng: createPrng(7) });
  const { x, y } = batchOf(8, 6, 4, 2);
  const pool = await GradientPool.create(mlp, { shards: 2 });
  try {
    const first = await pool.meanGradient(mlp.params, x, y);
    const moved = mlp.params.map((p, k) => tf.sub(p, tf.mul(first[k]!, 0.5)));
    const second = await pool.meanGradient(moved, x, y);
    const ref = inProcess(mlp, moved, x, y);
    second.forEach((g, k) => assertAllClose(g.dataSync(), ref[k]!, { rtol: 1e-5, atol: 1e-6 }));
    // and back to the first parameters
    const again = await pool.meanGradient(mlp.params, x, y);
    again.forEach((g, k) => assert.deepEqual(g.dataSync(), first[k]!.dataSync()));
    for (const t of [...first, ...moved, ...second, ...again]) t.dispose();
  } finally {
    pool.close();
  }
});

Deno.test("GradientPool: no tensors left behind by a call", async () => {
  const mlp = createMlp({ sizes: [4, 3, 2], prng: createPrng(9) });
  const { x, y } = batchOf(10, 6, 4, 2);
  const pool = await GradientPool.create(mlp, { shards: 2 });
  try {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      for (const g of await pool.meanGradient(mlp.params, x, y)) g.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  } finally {
    pool.close();
  }
});

Deno.test("GradientPool: bad input is an error naming the argument", async () => {
  const mlp = createMlp({ sizes: [4, 3, 2], prng: createPrng(11) });
  const { x, y } = batchOf(12, 6, 4, 2);
  const adHoc: Model = { ...mlp, spec: undefined };
  await assert.rejects(() => GradientPool.create(adHoc), /model must carry a spec/);
  await assert.rejects(() => GradientPool.create(mlp, { shards: 0 }), /shards/);
  await assert.rejects(() => GradientPool.create(mlp, { shards: 2, workers: 3 }), /workers/);
  const pool = await GradientPool.create(mlp, { shards: 2 });
  try {
    await assert.rejects(() => pool.meanGradient(mlp.params.slice(1), x, y), /params must be 4/);
    const wrong = [tf.zeros([3, 4]), ...mlp.params.slice(1)];
    await assert.rejects(() => pool.meanGradient(wrong, x, y), /params\[0\] must have shape/);
    await assert.rejects(
      () => pool.meanGradient(mlp.params, x, tf.zeros([5, 2]) as tf.Tensor2D),
      /equal rows/,
    );
    // a worker's failure comes back as an error: the architecture expects 4 features
    await assert.rejects(
      () => pool.meanGradient(mlp.params, tf.zeros([6, 5]) as tf.Tensor2D, y),
      /gradient worker/,
    );
  } finally {
    pool.close();
  }
  await assert.rejects(() => pool.meanGradient(mlp.params, x, y), /closed/);
  assert.throws(() => modelFromSpec({ kind: "cnn" } as never), /spec must be/);
});

Deno.test("trainModel with shards: reproducible bit for bit, and the in-process run up to float32 order", async () => {
  const run = async (shards?: number) => {
    const prng = createPrng(13);
    const n = 24;
    const x = Float32Array.from(sampleNormal(prng, n * 6));
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    const model = createMlp({ sizes: [6, 5, 3], prng });
    const oracle = new TfjsOracle(model, x, labels, { classes: 3 });
    const h = await trainModel(model, oracle, oracle, {
      lr: 0.2,
      batchSize: 8,
      epochs: 3,
      prng: createPrng(14),
      shards,
    });
    return { h, theta: oracle.getParams() };
  };
  const a = await run(2), b = await run(2), ref = await run();
  assert.deepEqual(a.theta, b.theta);
  // 9 steps of float32 gradients summed in another order: differences ~1e-7 relative
  assertAllClose(a.theta, ref.theta, { rtol: 1e-4, atol: 1e-5 });
  assert.ok(a.h[3]!.trainLoss < a.h[0]!.trainLoss);
});

Deno.test("GradientPool.perExampleGradients: the model's per-example rows, in order, for any split", async () => {
  const net = tinyResNet(15);
  const { x, y } = batchOf(16, 5, 49, 3);
  const ref = net.perExampleGradients!(net.params, x, y);
  const want = ref.dataSync().slice() as Float32Array;
  ref.dispose();
  for (const [shards, workers] of [[1, 1], [3, 2], [5, 1]]) {
    const pool = await GradientPool.create(net, { shards, workers });
    try {
      const rows = await pool.perExampleGradients(net.params, x, y);
      assert.equal(rows.length, 5 * net.parameterCount);
      // one example's row from a smaller batch: the same sums; tolerance for float order
      assertAllClose(rows, want, { rtol: 1e-5, atol: 1e-6 });
      // a second, shorter call reuses the buffer
      const { x: x2, y: y2 } = batchOf(17, 2, 49, 3);
      const two = await pool.perExampleGradients(net.params, x2, y2);
      assert.equal(two.length, 2 * net.parameterCount);
    } finally {
      pool.close();
    }
  }
});

Deno.test("trainModel lossIndices: the training loss of the history is the loss on those examples", async () => {
  const prng = createPrng(19);
  const n = 24;
  const x = Float32Array.from(sampleNormal(prng, n * 6));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const model = createMlp({ sizes: [6, 5, 3], prng });
  const oracle = new TfjsOracle(model, x, labels, { classes: 3 });
  const subset = [0, 5, 7];
  const h = await trainModel(model, oracle, oracle, {
    lr: 0.2,
    batchSize: 8,
    epochs: 1,
    prng: createPrng(20),
    lossIndices: subset,
  });
  assert.equal(h[1]!.trainLoss, oracle.loss(subset));
  assert.notEqual(h[1]!.trainLoss, oracle.loss());
});

Deno.test("GradientPool sync calls: the async calls' numbers bit for bit; logits are the model's", async () => {
  const net = tinyResNet(21);
  const { x, y } = batchOf(22, 7, 49, 3);
  const zRef = net.logits(net.params, x);
  const wantZ = zRef.dataSync().slice() as Float32Array;
  zRef.dispose();
  for (const [shards, workers] of [[1, 1], [3, 2]]) {
    const pool = await GradientPool.create(net, { shards, workers });
    try {
      const g = await pool.meanGradient(net.params, x, y);
      const flat = Float32Array.from(g.flatMap((t) => Array.from(t.dataSync())));
      for (const t of g) t.dispose();
      assert.deepEqual(pool.meanGradientSync(net.params, x, y).slice(), flat);
      const rows = (await pool.perExampleGradients(net.params, x, y)).slice();
      assert.deepEqual(pool.perExampleGradientsSync(net.params, x, y).slice(), rows);
      // each logit row depends on its own example only; tolerance for a kernel that blocks
      // the batch differently (measured: equal bit for bit)
      const z = pool.logitsSync(net.params, x);
      assert.equal(z.length, 7 * 3);
      assertAllClose(z, wantZ, { rtol: 1e-6, atol: 1e-7 });
    } finally {
      pool.close();
    }
  }
});

Deno.test("GradientPool sync calls: a worker's failure and a call while another runs are errors", async () => {
  const mlp = createMlp({ sizes: [4, 3, 2], prng: createPrng(23) });
  const { x, y } = batchOf(24, 6, 4, 2);
  const pool = await GradientPool.create(mlp, { shards: 2 });
  try {
    // the architecture expects 4 features: the workers' error text comes back
    assert.throws(
      () => pool.meanGradientSync(mlp.params, tf.zeros([6, 5]) as tf.Tensor2D, y),
      /gradient worker 0: .*gradient worker 1: /s,
    );
    assert.throws(() => pool.logitsSync(mlp.params, tf.zeros([6]) as never), /x must be 2-D/);
    const running = pool.meanGradient(mlp.params, x, y);
    assert.throws(() => pool.meanGradientSync(mlp.params, x, y), /one call at a time/);
    for (const t of await running) t.dispose();
    // the pool still works after the failures
    const g = pool.meanGradientSync(mlp.params, x, y).slice();
    const ref = inProcess(mlp, mlp.params, x, y);
    assertAllClose(g, Float32Array.from(ref.flatMap((r) => Array.from(r))), {
      rtol: 1e-5,
      atol: 1e-6,
    });
  } finally {
    pool.close();
  }
  assert.throws(() => pool.meanGradientSync(mlp.params, x, y), /closed/);
});

Deno.test("TfjsOracle with a pool: per-example rows and logits as in this thread, batch gradients to float32 order", async () => {
  const net = tinyResNet(25);
  const n = 11;
  const x = Float32Array.from(sampleNormal(createPrng(26), n * 49));
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
  const plain = new TfjsOracle(net, x, labels, { classes: 3, chunkSize: 4 });
  const idx = [3, 4, 5, 6, 0, 9, 10, 1];
  const refRows = plain.perExampleGradients(idx).data;
  const refLogits = plain.logits().data;
  const refGrad = plain.batchGradient(idx);
  for (const shards of [1, 2]) {
    const pool = await GradientPool.create(net, { shards });
    try {
      const pooled = new TfjsOracle(net, x, labels, { classes: 3, chunkSize: 4, pool });
      assert.deepEqual(pooled.perExampleGradients(idx).data, refRows);
      assert.deepEqual(pooled.logits().data, refLogits);
      const g = pooled.batchGradient(idx);
      // one shard: the in-thread chunk gradients bit for bit; two: float32 order only
      if (shards === 1) assert.deepEqual(g, refGrad);
      else assertAllClose(g, refGrad, { rtol: 1e-5, atol: 1e-6 });
      // after setParams the pool is given the new parameters
      const theta = plain.getParams().map((t, i) => t + 0.01 * Math.sin(i));
      pooled.setParams(theta);
      const moved = plain.perExampleGradients(idx).data;
      assert.notDeepEqual(moved, refRows);
      assertAllClose(pooled.batchGradient(idx), plain.batchGradient(idx), {
        rtol: 1e-5,
        atol: 1e-6,
      });
      plain.setParams(theta.map((t, i) => t - 0.01 * Math.sin(i)));
    } finally {
      pool.close();
    }
  }
  const other = await GradientPool.create(createMlp({ sizes: [49, 2, 3], prng: createPrng(27) }), {
    shards: 1,
  });
  try {
    assert.throws(
      () => new TfjsOracle(net, x, labels, { classes: 3, pool: other }),
      /pool must compute gradients of/,
    );
  } finally {
    other.close();
  }
});
