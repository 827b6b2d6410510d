/**
 * Deno.bench timings of Hessian-vector products (lib/hessian.ts `makeHvp`:
 * a central difference of two gradients, with the float32 step rule
 * `precision: 2 ** -23`) for the MLP 784-128-10 and the default ResNet of
 * lib/models/, at fixed parameters, on the mean loss over 128 and 1,024 real
 * MNIST digits. Deno's "iter/s" column is then Hessian-vector products per
 * second. Beside them, in the same group: one minibatch gradient of the same
 * examples (an HVP costs two of these plus two parameter uploads) and the
 * per-example gradients of the 128 digits (the other hot path of notebooks
 * 02–04; bench/per_example_gradients_bench.ts times them in more detail).
 * Run: deno bench -A bench/hessian_bench.ts
 */
import { makeHvp } from "../lib/curvature/hessian_vector.ts";
import { createMlp, type Model } from "../lib/models/mlp.ts";
import { createResNet } from "../lib/models/resnet.ts";
import { initBackend } from "../lib/models/tf.ts";
import { loadMnist } from "../lib/models/mnist.ts";
import { TfjsOracle } from "../lib/models/tfjs_oracle.ts";
import { createPrng, fillNormal } from "../lib/stats/random.ts";

await initBackend("wasm");
const data = loadMnist({ prng: createPrng(1), trainSize: 1024, testSize: 0 });
const models: [string, Model, number[]][] = [
  ["MLP 784-128-10", createMlp({ sizes: [784, 128, 10], prng: createPrng(2) }), [128, 1024]],
  ["ResNet 8-16-32", createResNet({ prng: createPrng(3) }), [128]],
];

for (const [name, model, sizes] of models) {
  const oracle = new TfjsOracle(model, data.xTrain, data.yTrain, { chunkSize: 256 });
  const theta = oracle.getParams();
  const v = fillNormal(createPrng(4), new Float64Array(oracle.dim));
  const out = new Float64Array(oracle.dim);
  // the ResNet's products take seconds at 1,024 digits: fewer iterations
  const n = name.startsWith("ResNet") ? 10 : 50;
  for (const m of sizes) {
    const idx = Array.from({ length: m }, (_, i) => i);
    const hvp = makeHvp(oracle, theta, { precision: 2 ** -23, indices: idx });
    const group = `${name} (${
      oracle.dim.toLocaleString("en")
    } parameters), mean loss over ${m} digits`;
    Deno.bench(`${name}: Hessian-vector product, ${m} digits`, {
      group,
      baseline: true,
      n,
      warmup: 2,
    }, () => {
      hvp(v, out);
    });
    Deno.bench(`${name}: minibatch gradient, ${m} digits`, { group, n, warmup: 2 }, () => {
      oracle.batchGradient(idx);
    });
    if (m === 128) {
      Deno.bench(`${name}: per-example gradients, ${m} digits`, { group, n, warmup: 2 }, () => {
        oracle.perExampleGradients(idx);
      });
    }
  }
}
