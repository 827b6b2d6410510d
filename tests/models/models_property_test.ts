/**
 * Generated bad and good input for the model side's public entry points (the TensorFlow.js
 * builders, oracle and trainer, on tiny models so the runs stay fast): each call returns a valid
 * result or throws a RangeError/TypeError naming the argument.
 */
import { anyArray, anyNumber, checkCalls, fc, namedOrValid, PROPERTY_RUNS } from "../_property.ts";
import { convGeometry } from "../../lib/models/conv.ts";
import { createMlp } from "../../lib/models/mlp.ts";
import { loadMnist } from "../../lib/models/mnist.ts";
import { createResNet } from "../../lib/models/resnet.ts";
import { initBackend } from "../../lib/models/tf.ts";
import { TfjsOracle } from "../../lib/models/tfjs_oracle.ts";
import { trainModel } from "../../lib/models/train.ts";
import { createPrng } from "../../lib/stats/random.ts";

await initBackend("wasm");
const FEW = { ...PROPERTY_RUNS, numRuns: 30 };
const smallCount = fc.oneof(fc.integer({ min: -2, max: 6 }), anyNumber);

Deno.test("property: convGeometry names bad sizes and strides", () => {
  checkCalls(
    [smallCount, smallCount, smallCount, smallCount, fc.record({ stride: smallCount })],
    (h, w, kh, kw, o) => convGeometry(h, w, kh, kw, o),
    ["inH", "inW", "kH", "kW", "stride"],
    (g) => Number.isInteger(g.outH) && g.outH >= 1 && Number.isInteger(g.outW) && g.outW >= 1,
  );
});

Deno.test("property: createMlp and createResNet name bad sizes and options", () => {
  checkCalls(
    [fc.oneof(fc.array(smallCount, { maxLength: 4 }), anyArray, fc.constant(null))],
    (sizes) => {
      const m = createMlp({ sizes, prng: createPrng(1) });
      m.params.forEach((p) => p.dispose());
      return m.parameterCount;
    },
    ["sizes"],
    (n) => Number.isInteger(n) && n > 0,
    FEW,
  );
  checkCalls(
    [
      fc.oneof(fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 2 }), anyArray),
      smallCount,
      fc.constantFrom("none", "group", "batch"),
      fc.constantFrom("flatten", "average", "max"),
      smallCount,
    ],
    (widths, blocksPerStage, norm, head, groups) => {
      const m = createResNet({
        prng: createPrng(2),
        widths,
        blocksPerStage,
        norm,
        head,
        groups,
        side: 8,
      });
      m.params.forEach((p) => p.dispose());
      return m.parameterCount;
    },
    ["widths", "blocksPerStage", "norm", "head", "groups"],
    (n) => Number.isInteger(n) && n > 0,
    FEW,
  );
});

Deno.test("property: TfjsOracle and trainModel name bad data and options before any work", async () => {
  const model = createMlp({ sizes: [3, 2], prng: createPrng(3) });
  const good = { x: new Float32Array(12).fill(0.5), labels: Int32Array.of(0, 1, 1, 0) };
  checkCalls(
    [
      fc.oneof(fc.constant(good.x), fc.constant(new Float32Array(11)), anyArray),
      fc.oneof(fc.constant(good.labels), anyArray.map((a) => Int32Array.from(a.map((v) => v | 0)))),
      smallCount,
      smallCount,
    ],
    (x, labels, classes, chunkSize) =>
      new TfjsOracle(model, x, labels, { classes, chunkSize }).size,
    ["x", "labels", "classes", "chunkSize"],
    (n) => n === 4,
    FEW,
  );
  const oracle = new TfjsOracle(model, good.x, good.labels, { classes: 2 });
  // the trainer rejects bad options before the first step
  await fc.assert(
    fc.asyncProperty(anyNumber, smallCount, smallCount, async (lr, batchSize, epochs) => {
      let threw = false;
      try {
        await trainModel(model, oracle, oracle, { lr, batchSize, epochs, prng: createPrng(4) });
      } catch (e) {
        threw = true;
        namedOrValid(() => {
          throw e;
        }, ["lr", "batchSize", "epochs", "training diverged"]);
      }
      return threw || (lr > 0 && Number.isInteger(batchSize) && Number.isInteger(epochs));
    }),
    FEW,
  );
});

Deno.test("property: loadMnist names bad split sizes", () => {
  checkCalls(
    [
      fc.oneof(fc.integer({ min: -1, max: 20 }), anyNumber),
      fc.oneof(fc.integer({ min: -1, max: 20 }), anyNumber),
    ],
    (trainSize, testSize) => loadMnist({ prng: createPrng(5), trainSize, testSize }).trainSize,
    ["trainSize", "testSize"],
    (n) => Number.isInteger(n) && n >= 1,
    FEW,
  );
});
