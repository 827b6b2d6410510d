/**
 * The worker side of {@link GradientPool}: builds the architecture from its
 * spec on its own wasm backend, and on each request computes the mean-loss
 * gradient of its shards of the batch into the shared gradient buffer (or
 * per-example gradient rows, or logits, into the shared rows buffer).
 * A request with a `sync` sequence number is answered through the shared
 * signal buffer (the caller blocks in `Atomics.wait`), any other by message.
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
  /** Int32 per worker: [sequence number of the last finished sync job, status 0 ok / 1 error] */
  signal: SharedArrayBuffer;
  /** bytes per worker of the error text of a failed sync job */
  errors: SharedArrayBuffer;
  /** this worker's index */
  slot: number;
}
interface Grad {
  /**
   * "grad": each shard's mean-loss gradient; "rows": per-example gradients into `rows`;
   * "logits": the forward pass into `rows` (batch × outputs)
   */
  type: "grad" | "rows" | "logits";
  /** answer through the signal buffer with this sequence number (the caller blocks) */
  sync?: number;
  outputs: number;
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
let signal: Int32Array, errors: Uint8Array, slot = 0;
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
  signal = new Int32Array(m.signal);
  errors = new Uint8Array(m.errors);
  slot = m.slot;
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
      if (m.type === "logits") {
        readFloat32(mdl.logits(mdl.params, x), new Float32Array(m.rows!), lo * m.outputs);
        return;
      }
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

/** Ends a sync job: status and error text into the shared buffers, then the sequence number. */
function signalDone(seq: number, error: string | undefined): void {
  const size = errors.length / (signal.length / 2), at = slot * size;
  errors.fill(0, at, at + size);
  if (error !== undefined) {
    errors.set(new TextEncoder().encode(error).subarray(0, size - 1), at);
  }
  Atomics.store(signal, 2 * slot + 1, error === undefined ? 0 : 1);
  Atomics.store(signal, 2 * slot, seq);
  Atomics.notify(signal, 2 * slot);
}

self.onmessage = async (e: MessageEvent<Init | Grad>) => {
  const post = (r: unknown) => (self as unknown as Worker).postMessage(r);
  const sync = e.data.type === "init" ? undefined : e.data.sync;
  try {
    ready ??= initBackend("wasm");
    await ready;
    if (e.data.type === "init") {
      init(e.data);
      post({ type: "ready" });
    } else {
      gradient(e.data);
      if (sync === undefined) post({ type: "done" });
      else signalDone(sync, undefined);
    }
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    if (sync === undefined) post({ type: "error", message });
    else signalDone(sync, message);
  }
};
