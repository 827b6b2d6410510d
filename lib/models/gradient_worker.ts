/**
 * The worker side of {@link GradientPool}: builds the architecture from its
 * spec on its own wasm backend, and on each request computes the mean-loss
 * gradient of its shards of the batch into the shared gradient buffer.
 * Not imported by anything else.
 *
 * @module
 */
import { initBackend, readFloat32, tf } from "./tf.ts";
import { crossEntropy, type Model } from "./mlp.ts";
import { modelFromSpec, type ModelSpec } from "./model_spec.ts";

interface Init {
  type: "init";
  spec: ModelSpec;
  shapes: number[][];
  params: SharedArrayBuffer;
  grads: SharedArrayBuffer;
}
interface Grad {
  /** "grad": each shard's mean-loss gradient; "rows": per-example gradients into `rows` */
  type: "grad" | "rows";
  rows?: SharedArrayBuffer;
  version: number;
  data: SharedArrayBuffer;
  batch: number;
  features: number;
  classes: number;
  shards: { s: number; lo: number; hi: number }[];
}

let model: Model | undefined;
let params: Float32Array, grads: Float32Array;
let offsets: number[] = [];
let version = -1;

function init(m: Init): void {
  model = modelFromSpec(m.spec);
  const shapes = model.params.map((p) => p.shape.join());
  if (shapes.join("|") !== m.shapes.map((s) => s.join()).join("|")) {
    throw new Error(`the spec rebuilds shapes ${shapes.join("|")}, not the model's`);
  }
  params = new Float32Array(m.params);
  grads = new Float32Array(m.grads);
  offsets = [];
  let n = 0;
  for (const p of model.params) {
    offsets.push(n);
    n += p.size;
  }
}

function gradient(m: Grad): void {
  const mdl = model!;
  if (m.version !== version) {
    // the wasm backend copies a new tensor's values into its heap at once, so views of the
    // shared buffer (which the main thread rewrites between calls) are safe, and no 45 MB
    // array is allocated per step (fresh allocations cost ~4 ms/MB on the test machine)
    const next = mdl.params.map((p, k) =>
      tf.tensor(params.subarray(offsets[k]!, offsets[k]! + p.size), p.shape)
    );
    for (const p of mdl.params) p.dispose();
    mdl.params = next;
    version = m.version;
  }
  const data = new Float32Array(m.data);
  const n = params.length;
  for (const { s, lo, hi } of m.shards) {
    const rows = hi - lo;
    tf.tidy(() => {
      const x = tf.tensor2d(data.subarray(lo * m.features, hi * m.features), [rows, m.features]);
      const yStart = m.batch * m.features;
      const y = tf.tensor2d(
        data.subarray(yStart + lo * m.classes, yStart + hi * m.classes),
        [rows, m.classes],
      );
      if (m.type === "rows") {
        // rows lo … hi − 1 of the batch's per-example gradients
        const g = mdl.perExampleGradients!(mdl.params, x, y);
        readFloat32(g, new Float32Array(m.rows!), lo * n);
        return;
      }
      const g = tf.grads((...p: tf.Tensor[]) => crossEntropy(mdl.logits(p, x), y))(mdl.params);
      g.forEach((t, k) => readFloat32(t, grads, s * n + offsets[k]!));
    });
  }
}

let ready: Promise<string> | undefined;

self.onmessage = async (e: MessageEvent<Init | Grad>) => {
  const post = (r: unknown) => (self as unknown as Worker).postMessage(r);
  try {
    ready ??= initBackend("wasm");
    await ready;
    if (e.data.type === "init") {
      init(e.data);
      post({ type: "ready" });
    } else {
      gradient(e.data);
      post({ type: "done" });
    }
  } catch (err) {
    post({ type: "error", message: (err as Error)?.message ?? String(err) });
  }
};
