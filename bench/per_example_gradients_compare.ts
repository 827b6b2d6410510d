/**
 * Per-example gradients and plain minibatch gradients of the MLP 784-128-10,
 * the default ResNet (8-16-32, no norm, flatten head) and, without
 * `--quick`, ResNet-18's layout (64-128-256-512, two blocks per stage,
 * 11.2 M parameters; per-example at batch 8, minibatch gradients at batch
 * 32) of lib/models/, timed in this library (tfjs, wasm backend: in this
 * thread, and split over a {@link GradientPool} of workers, one backend per
 * core) and in PyTorch (`bench/reference/per_example_gradients.py`,
 * functorch vmap, Debian's python3-torch, 2 threads) on the same real MNIST
 * digits, in one run. Prints examples per second for both and the ratio
 * PyTorch / tfjs (the target: ≤ 3).
 *
 * The PyTorch reference runs twice when it can: as installed, and tuned as a
 * careful user would run it (OpenBLAS with 1 thread so that its threads do
 * not fight torch's, and jemalloc, which makes timings stable: see
 * shared/TFJS-NOTES.md; needs `apt-get install libopenblas0-pthread
 * libjemalloc2`). Ratios are given against both.
 *
 * tfjs timings stop when the result tensor is computed (the wasm backend is
 * synchronous), as PyTorch's stop with its result tensors in memory; copying
 * the rows out to JavaScript (`readFloat32` into a reused array; `dataSync`
 * allocates a fresh one per call, which costs more than the copy) is timed on
 * its own line. The
 * pool's per-example rows land in a shared buffer, already in JavaScript.
 *
 * Usage: `deno run -A bench/per_example_gradients_compare.ts [--quick]`.
 * Run it on an otherwise idle machine: only ratios within one run compare.
 *
 * @module
 */
import { createMlp, crossEntropy, type Model } from "../lib/models/mlp.ts";
import { createResNet } from "../lib/models/resnet.ts";
import { GradientPool } from "../lib/models/gradient_pool.ts";
import { initBackend, readFloat32, tf } from "../lib/models/tf.ts";
import { loadMnist } from "../lib/models/mnist.ts";
import { createPrng } from "../lib/stats/random.ts";
import { printTable } from "./_reference.ts";

const quick = Deno.args.includes("--quick");
const BATCH = 128;
const MIN_SECONDS = quick ? 0.5 : 3;
const root = new URL("../", import.meta.url).pathname;
const JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

/** Examples per second of `fn` on batches of `batch`, after two warm-up calls. */
async function throughput(fn: () => void | Promise<void>, batch: number): Promise<number> {
  await fn();
  await fn();
  let reps = 0;
  const start = performance.now();
  while (reps < 3 || performance.now() - start < MIN_SECONDS * 1000) {
    await fn();
    reps++;
  }
  return (batch * reps) / ((performance.now() - start) / 1000);
}

type Task = "per_example" | "batch_gradient";

interface Row {
  model: string;
  parameters: number;
  task: Task;
  /** how this library ran it */
  how: "in-process" | "+ copy to JS" | `pool, ${number} workers`;
  batch: number;
  examplesPerS: number;
}

await initBackend("wasm");
const data = loadMnist({ prng: createPrng(1), trainSize: BATCH, testSize: 0 });
const xAll = tf.tensor2d(data.xTrain, [BATCH, 784]);
const yAll = tf.oneHot(tf.tensor1d(data.yTrain, "int32"), 10) as tf.Tensor2D;
// ResNet-18 (11.2 M parameters) at the batch sizes: one per-example row is 45 MB
const models: { name: string; model: Model; perExample: number; gradient: number }[] = [
  {
    name: "mlp",
    model: createMlp({ sizes: [784, 128, 10], prng: createPrng(2) }),
    perExample: BATCH,
    gradient: BATCH,
  },
  {
    name: "resnet",
    model: createResNet({ prng: createPrng(3) }),
    perExample: BATCH,
    gradient: BATCH,
  },
];
if (!quick) {
  models.push({
    name: "resnet18",
    model: createResNet({ prng: createPrng(4), widths: [64, 128, 256, 512], blocksPerStage: 2 }),
    perExample: 8,
    gradient: 32,
  });
}
const ours: Row[] = [];
for (const { name, model: m, perExample, gradient } of models) {
  const rows = (b: number) => [tf.slice(xAll, 0, b), tf.slice(yAll, 0, b)] as tf.Tensor2D[];
  const [xp, yp] = rows(perExample), [xg, yg] = rows(gradient);
  const rowsOut = new Float32Array(perExample * m.parameterCount);
  const row = (task: Task, how: Row["how"], batch: number, examplesPerS: number) =>
    ours.push({ model: name, parameters: m.parameterCount, task, how, batch, examplesPerS });
  row(
    "per_example",
    "in-process",
    perExample,
    await throughput(
      () => tf.tidy(() => void m.perExampleGradients!(m.params, xp!, yp!)),
      perExample,
    ),
  );
  row(
    "per_example",
    "+ copy to JS",
    perExample,
    await throughput(
      // into one reused array, as streaming code does (a fresh 52 MB array costs ~230 ms here)
      () => tf.tidy(() => void readFloat32(m.perExampleGradients!(m.params, xp!, yp!), rowsOut)),
      perExample,
    ),
  );
  row(
    "batch_gradient",
    "in-process",
    gradient,
    await throughput(
      () =>
        tf.tidy(() =>
          void tf.grads((...p: tf.Tensor[]) => crossEntropy(m.logits(p, xg!), yg!))(m.params)
        ),
      gradient,
    ),
  );
  // the same work split over a pool of workers, one wasm backend per core
  const pool = await GradientPool.create(m, { shards: 2 });
  const how = `pool, ${pool.workers} workers` as const;
  row(
    "per_example",
    how,
    perExample,
    await throughput(
      async () => void await pool.perExampleGradients(m.params, xp!, yp!),
      perExample,
    ),
  );
  row(
    "batch_gradient",
    how,
    gradient,
    await throughput(async () => {
      for (const g of await pool.meanGradient(m.params, xg!, yg!)) g.dispose();
    }, gradient),
  );
  pool.close();
  for (const t of [xp, yp, xg, yg]) t!.dispose();
}

// the same digits for the reference
const dir = await Deno.makeTempDir({ prefix: "peg_bench_" });
await Deno.writeFile(`${dir}/x.f32`, new Uint8Array(data.xTrain.buffer));
await Deno.writeFile(`${dir}/y.i32`, new Uint8Array(data.yTrain.buffer));

interface Reference {
  torch: string;
  vmap: string;
  threads: number;
  results: {
    model: string;
    parameters: number;
    task: string;
    batch: number;
    examples_per_s: number;
  }[];
}

async function reference(env: Record<string, string>): Promise<Reference | string> {
  const args = [
    `${root}bench/reference/per_example_gradients.py`,
    "--x",
    `${dir}/x.f32`,
    "--y",
    `${dir}/y.i32`,
    ...(quick ? ["--quick"] : []),
    "--plan",
    JSON.stringify(models.flatMap(({ name, perExample, gradient }) => [
      { model: name, task: "per_example", batch: perExample },
      { model: name, task: "batch_gradient", batch: gradient },
    ])),
  ];
  try {
    const out = await new Deno.Command("/usr/bin/python3", { args, env, stderr: "piped" })
      .output();
    const text = new TextDecoder().decode(out.stdout).trim();
    if (out.code !== 0) {
      return `exit ${out.code}: ${new TextDecoder().decode(out.stderr).trim().split("\n").pop()}`;
    }
    return JSON.parse(text.split("\n").pop()!) as Reference;
  } catch (e) {
    return (e as Error).message;
  }
}

let hasJemalloc = false;
try {
  hasJemalloc = Deno.statSync(JEMALLOC).isFile;
} catch { /* absent */ }
const configs: [string, Record<string, string>][] = [["as installed", {}]];
if (hasJemalloc) {
  configs.push(["tuned", {
    OPENBLAS_NUM_THREADS: "1",
    LD_PRELOAD: JEMALLOC,
    MALLOC_CONF: "dirty_decay_ms:-1,muzzy_decay_ms:-1",
  }]);
}
const refs: [string, Reference | string][] = [];
for (const [label, env] of configs) refs.push([label, await reference(env)]);
await Deno.remove(dir, { recursive: true });

const fmt = (v: number) => v >= 100 ? v.toFixed(0) : v.toPrecision(3);
console.log(
  `\nPer-example gradients, batch ${BATCH} real MNIST digits${quick ? " (quick)" : ""}; ` +
    `tfjs ${tf.version.tfjs} ${tf.getBackend()}, Deno ${Deno.version.deno}`,
);
for (const [label, r] of refs) {
  console.log(
    typeof r === "string"
      ? `PyTorch ${label}: unavailable (${r})`
      : `PyTorch ${label}: torch ${r.torch}, ${r.vmap} vmap, ${r.threads} threads`,
  );
}
if (!hasJemalloc) {
  console.log(`PyTorch tuned: skipped (${JEMALLOC} missing: apt-get install libjemalloc2)`);
}
const header = ["model", "params", "task", "batch", "tfjs", "tfjs ex/s"];
for (const [label] of refs) header.push(`torch ${label} ex/s`, `ratio (${label})`);
const table: string[][] = [header];
for (const o of ours) {
  const row = [o.model, String(o.parameters), o.task, String(o.batch), o.how, fmt(o.examplesPerS)];
  for (const [, r] of refs) {
    const match = typeof r === "string"
      ? undefined
      : r.results.find((e) => e.model === o.model && e.task === o.task);
    row.push(
      match ? fmt(match.examples_per_s) : "–",
      match ? `${(match.examples_per_s / o.examplesPerS).toFixed(2)}×` : "–",
    );
  }
  table.push(row);
}
printTable(table, "left");
console.log(
  "ratio = PyTorch examples/s ÷ tfjs examples/s (the target: ≤ 3×)" +
    (quick ? "; ResNet-18 rows only without --quick" : ""),
);
