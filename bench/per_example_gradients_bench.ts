/**
 * Deno.bench timings of per-example gradients (the hot path of the SGN
 * notebooks) for the MLP 784-128-10 and the default ResNet of lib/models/,
 * on one batch of 128 real MNIST digits, with the minibatch gradient and the
 * TfjsOracle gradient cache (a minibatch gradient from cached rows) for
 * context. The side-by-side PyTorch comparison is
 * bench/per_example_gradients_compare.ts.
 * Run: deno bench -A bench/per_example_gradients_bench.ts
 */
import { createMlp, crossEntropy, type Model } from "../lib/models/mlp.ts";
import { createResNet } from "../lib/models/resnet.ts";
import { initBackend, tf } from "../lib/models/tf.ts";
import { loadMnist } from "../lib/models/mnist.ts";
import { TfjsOracle } from "../lib/models/tfjs_oracle.ts";
import { createPrng, samplePermutation } from "../lib/stats/random.ts";

await initBackend("wasm");
const BATCH = 128;
const data = loadMnist({ prng: createPrng(1), trainSize: 1024, testSize: 0 });
const x = tf.tensor2d(data.xTrain.subarray(0, BATCH * 784), [BATCH, 784]);
const y = tf.oneHot(tf.tensor1d(data.yTrain.subarray(0, BATCH), "int32"), 10) as tf.Tensor2D;
const models: [string, Model][] = [
  ["MLP 784-128-10", createMlp({ sizes: [784, 128, 10], prng: createPrng(2) })],
  ["ResNet 8-16-32", createResNet({ prng: createPrng(3) })],
];

for (const [name, m] of models) {
  const group = `${name}, batch ${BATCH}`;
  Deno.bench(`${name}: per-example gradients`, { group, baseline: true }, () => {
    tf.tidy(() => void m.perExampleGradients!(m.params, x, y));
  });
  Deno.bench(`${name}: per-example gradients copied to JS`, { group }, () => {
    tf.tidy(() => void m.perExampleGradients!(m.params, x, y).dataSync());
  });
  Deno.bench(`${name}: minibatch gradient`, { group }, () => {
    tf.tidy(() => void tf.grads((...p: tf.Tensor[]) => crossEntropy(m.logits(p, x), y))(m.params));
  });
}

// a minibatch gradient of S = 128 from the cache of 1,024 per-example rows
const resnet = models[1]![1];
const oracle = new TfjsOracle(resnet, data.xTrain, data.yTrain, { chunkSize: 256 });
oracle.cachePerExampleGradients();
const prng = createPrng(4);
Deno.bench("ResNet 8-16-32: minibatch gradient from the per-example cache", () => {
  oracle.batchGradient(samplePermutation(prng, oracle.size, BATCH));
});
