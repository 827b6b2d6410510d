import assert from "node:assert/strict";
import { initBackend, tf } from "../../lib/models/tf.ts";
import { createResNet, type ResNetOptions } from "../../lib/models/resnet.ts";
import { loadMnist } from "../../lib/models/mnist.ts";
import { TfjsOracle } from "../../lib/models/tfjs_oracle.ts";
import { trainModel } from "../../lib/models/train.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import {
  assertBatchIsMeanOfRows,
  assertGradientIsLossDerivative,
} from "../noise/_oracle_contract.ts";

await initBackend("wasm");

/** A tiny ResNet on 7×7 random "images": every code path (stride 2 on an odd map, 1×1 shortcut, both heads) at low cost. */
function tiny(seed: number, norm: "group" | "none", groups = 2, n = 20) {
  const prng = createPrng(seed);
  const side = 7;
  const x = Float32Array.from(sampleNormal(prng, n * side * side));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const opts: ResNetOptions = {
    prng,
    widths: [2, 4],
    blocksPerStage: 2,
    norm,
    groups,
    // both heads: flatten without norm, average pool with GroupNorm
    head: norm === "none" ? "flatten" : "average",
    side,
    classes: 3,
  };
  const model = createResNet(opts);
  return { model, oracle: new TfjsOracle(model, x, labels, { classes: 3, chunkSize: 6 }) };
}

Deno.test("ResNet: parameter counts of the 8-16-32 nets equal the closed forms", () => {
  const conv = (cin: number, cout: number, k = 3) => k * k * cin * cout;
  // default: conv biases, no norm, flatten head on the 7×7×32 map
  const plain = conv(1, 8) + 8 + // stem
    2 * (conv(8, 8) + 8) + // stage 1: identity shortcut
    conv(8, 16) + conv(16, 16) + conv(8, 16, 1) + 3 * 16 + // stage 2
    conv(16, 32) + conv(32, 32) + conv(16, 32, 1) + 3 * 32 + // stage 3
    7 * 7 * 32 * 10 + 10; // head
  const net = createResNet({ prng: createPrng(1) });
  assert.equal(net.parameterCount, plain);
  assert.equal(net.params.reduce((s, p) => s + p.size, 0), plain);
  assert.equal(net.name, "ResNet 8-16-32 ×1 (no norm, flatten head)");
  // GroupNorm: no conv biases, a scale and a shift per channel; average-pool head
  const gn = (c: number) => 2 * c;
  const grouped = conv(1, 8) + gn(8) +
    2 * (conv(8, 8) + gn(8)) +
    conv(8, 16) + conv(16, 16) + conv(8, 16, 1) + 3 * gn(16) +
    conv(16, 32) + conv(32, 32) + conv(16, 32, 1) + 3 * gn(32) +
    32 * 10 + 10;
  const gnNet = createResNet({ prng: createPrng(1), norm: "group", head: "average" });
  assert.equal(gnNet.parameterCount, grouped);
  assert.equal(gnNet.name, "ResNet 8-16-32 ×1 (GroupNorm 4, average-pool head)");
});

for (const norm of ["group", "none"] as const) {
  Deno.test(`ResNet (${norm}): per-example rows equal single-example batch gradients and average to the batch gradient`, () => {
    const { oracle } = tiny(2, norm);
    // float32 arithmetic along two different routes: agreement to ~1e-5 relative
    assertBatchIsMeanOfRows(oracle, [0, 3, 5, 8, 13, 19, 2], {
      rtol: 1e-3,
      atol: 1e-5,
      singles: true,
    });
  });

  Deno.test(`ResNet (${norm}): gradient equals central finite differences of the loss`, () => {
    // ReLU kinks within a step h of θ spoil difference quotients (with one
    // channel per group and 20 examples, by 10% at h = 1e-2; they converge as
    // h → 1e-4): one group and 4 examples keep the kinks few
    const { oracle } = tiny(3, norm, 1, 4);
    // float32 forward pass: round-off in the loss ~1e-7, i.e. ~1e-4 in a
    // difference quotient at h = 1e-3; O(h²) truncation is smaller; tolerance 1e-3
    const d = oracle.dim;
    assertGradientIsLossDerivative(oracle, {
      h: 1e-3,
      atol: 1e-3,
      coordinates: [0, 5, 17, 40, 77, d - 12, d - 1],
    });
  });
}

Deno.test("ResNet: SGD on 512 MNIST digits lowers the training loss; same seed, same weights", async () => {
  const run = async () => {
    const prng = createPrng(5);
    const data = loadMnist({ prng, trainSize: 512, testSize: 128 });
    const model = createResNet({ prng, widths: [4, 8], groups: 2 });
    const train = new TfjsOracle(model, data.xTrain, data.yTrain);
    const test = new TfjsOracle(model, data.xTest, data.yTest);
    const h = await trainModel(model, train, test, {
      lr: 0.05,
      batchSize: 32,
      epochs: 2,
      prng,
    });
    const theta = train.getParams();
    train.dispose();
    test.dispose();
    return { h, theta };
  };
  const a = await run(), b = await run();
  assert.deepEqual(a.theta, b.theta);
  const first = a.h[0]!.trainLoss, last = a.h[a.h.length - 1]!.trainLoss;
  // ln 10 ≈ 2.30 at chance; two epochs of 16 steps bring it well below
  assert.ok(last < 0.8 * first, `training loss ${first} → ${last}`);
});

Deno.test("ResNet: bad options are named", () => {
  const prng = createPrng(1);
  assert.throws(
    () => createResNet({ prng, widths: [] }),
    /widths must be >= 1 positive integers, got \[\]/,
  );
  assert.throws(
    () => createResNet({ prng, widths: [6, 8], norm: "group", groups: 4 }),
    /groups must be a positive integer dividing every width, got 4/,
  );
  assert.throws(
    () => createResNet({ prng, blocksPerStage: 0 }),
    /blocksPerStage must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => createResNet({ prng, norm: "batch" as "group" }),
    /norm must be "group" or "none", got "batch"/,
  );
  assert.throws(
    () => createResNet({ prng, head: "max" as "average" }),
    /head must be "flatten" or "average", got "max"/,
  );
  assert.throws(
    () => createResNet({ prng, inputSd: 0 }),
    /inputMean must be finite and inputSd finite and > 0, got 0.1307, 0/,
  );
  const net = createResNet({ prng, widths: [2], groups: 2 });
  assert.throws(
    () => tf.tidy(() => net.logits(net.params, tf.zeros([1, 100]) as tf.Tensor2D)),
    /Size\(100\) must match the product of shape 1,28,28,1/,
  );
});
