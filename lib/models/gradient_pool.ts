/**
 * Minibatch gradients computed by a pool of workers, each holding its own
 * TensorFlow.js wasm backend, so that one gradient uses every core.
 *
 * Why: the wasm backend runs single-threaded here (tfjs sees Deno as Node
 * and disables its threads; see shared TFJS-NOTES), so a convolutional
 * network's gradient uses one core of the machine. Two processes each with
 * its own backend measured 1.82× the throughput of one on 2 cores.
 *
 * How: a batch of B examples is cut into `shards` contiguous shards; worker
 * w computes the mean-loss gradient of shards w, w + W, w + 2W, … exactly as
 * the main thread would (same model code, same backend), and the pool
 * combines them in shard order, g = Σ_s (n_s / B) g_s. The result depends on
 * the number of shards (the order of float32 sums) but not on the number of
 * workers or cores: a run is reproducible bit for bit on any machine, and
 * with one shard it equals the in-process gradient bit for bit.
 *
 * Parameters, the batch and the per-shard gradients travel through
 * SharedArrayBuffers (no copies through messages); parameters are written
 * again only when the caller passes different tensors (tfjs tensors are
 * immutable, so the same tensor ids mean the same values).
 *
 * Every call comes in two forms: `meanGradient` (a promise; the thread stays
 * free, as a training loop with a live progress bar needs) and
 * `meanGradientSync` (the calling thread blocks in `Atomics.wait` until the
 * workers are done), so that synchronous numerical code (Lanczos on
 * finite-difference Hessian-vector products, per-example passes) can run on
 * every core through an oracle (`TfjsOracle`'s `pool` option) without being
 * rewritten as async. Both forms compute the same numbers bit for bit.
 *
 * @module
 */
import { readFloat32, tf } from "./tf.ts";
import type { Model } from "./mlp.ts";
import { type ModelSpec, specOutputs } from "./model_spec.ts";
import { assertInteger } from "../stats/validate.ts";

/** Options of {@link GradientPool.create}. */
export interface GradientPoolOptions {
  /** Shards each batch is cut into (integer ≥ 1, default 2); fixes the result's float order. */
  shards?: number;
  /** Workers (integer ≥ 1, default min(shards, logical cores)); does not change results. */
  workers?: number;
}

/** A message from a worker. */
type Reply = { type: "ready" } | { type: "done" } | { type: "error"; message: string };

/** What a call asks the workers for: shard gradients, per-example gradient rows, or logits. */
type Job = "grad" | "rows" | "logits";

/** Bytes of each worker's error text in the shared error buffer of the synchronous calls. */
const ERROR_BYTES = 2048;

/**
 * A pool of workers computing minibatch gradients of one architecture.
 * Create with {@link GradientPool.create}; `close()` ends the workers.
 *
 * @example
 * ```ts
 * import { createMlp, crossEntropy, GradientPool, initBackend, tf } from "./mod.ts";
 * import { createPrng } from "../stats/random.ts";
 * await initBackend("wasm");
 * const model = createMlp({ sizes: [4, 3, 2], prng: createPrng(1) });
 * const x = tf.randomNormal([6, 4]) as tf.Tensor2D;
 * const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0], "int32"), 2) as tf.Tensor2D;
 * const pool = await GradientPool.create(model, { shards: 2 });
 * const g = await pool.meanGradient(model.params, x, y);
 * pool.close();
 * const ref = tf.grads((...p: tf.Tensor[]) => crossEntropy(model.logits(p, x), y))(model.params);
 * const d = tf.max(tf.abs(tf.sub(g[0]!, ref[0]!))).dataSync()[0]!;
 * if (d > 1e-6) throw new Error(`pooled gradient differs by ${d}`);
 * ```
 */
export class GradientPool {
  /** Shards per batch. */
  readonly shards: number;
  /** Worker count. */
  readonly workers: number;
  /** Scalar parameters of the model. */
  readonly parameterCount: number;
  readonly #shapes: number[][];
  readonly #offsets: number[];
  readonly #workers: Worker[];
  readonly #pending: ((r: Reply) => void)[][];
  readonly #params: Float32Array;
  readonly #grads: Float32Array;
  /** Per worker: the sequence number of its last finished synchronous job, then its status (0 ok, 1 error). */
  readonly #signal: Int32Array;
  readonly #errors: Uint8Array;
  readonly #outputs: number;
  #seq = 0;
  #data: Float32Array = new Float32Array(new SharedArrayBuffer(4));
  #rows: Float32Array = new Float32Array(new SharedArrayBuffer(4));
  #sum: Float32Array | undefined;
  #paramIds: number[] = [];
  #version = 0;
  #busy = false;
  #closed = false;

  private constructor(model: Model, shards: number, workers: number) {
    this.shards = shards;
    this.workers = workers;
    this.#shapes = model.params.map((p) => [...p.shape]);
    this.#offsets = [];
    let n = 0;
    for (const p of model.params) {
      this.#offsets.push(n);
      n += p.size;
    }
    this.parameterCount = n;
    this.#params = new Float32Array(new SharedArrayBuffer(4 * n));
    this.#grads = new Float32Array(new SharedArrayBuffer(4 * n * shards));
    this.#signal = new Int32Array(new SharedArrayBuffer(8 * workers));
    this.#errors = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES * workers));
    this.#outputs = specOutputs(model.spec!);
    this.#pending = Array.from({ length: workers }, () => []);
    this.#workers = Array.from({ length: workers }, (_, w) => {
      const worker = new Worker(new URL("./gradient_worker.ts", import.meta.url).href, {
        type: "module",
      });
      worker.onmessage = (e: MessageEvent<Reply>) => this.#pending[w]!.shift()?.(e.data);
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        for (const resolve of this.#pending[w]!.splice(0)) {
          resolve({ type: "error", message: e.message });
        }
      };
      return worker;
    });
  }

  /**
   * Starts the workers and builds the model's architecture in each.
   *
   * @param model a model with a {@link Model.spec} (any {@link createMlp} or
   *   {@link createResNet} model); its current weights are not copied yet
   * @param options shards and workers
   * @returns the ready pool
   * @throws TypeError when the model has no spec; RangeError for bad counts
   */
  static async create(model: Model, options: GradientPoolOptions = {}): Promise<GradientPool> {
    const spec: ModelSpec | undefined = model?.spec;
    if (!spec) {
      throw new TypeError(
        `model must carry a spec (built by createMlp or createResNet), got ${model?.name}`,
      );
    }
    const shards = options.shards ?? 2;
    assertInteger("shards", shards, 1);
    const workers = options.workers ?? Math.min(shards, navigator.hardwareConcurrency || 1);
    assertInteger("workers", workers, 1);
    if (workers > shards) {
      throw new RangeError(`workers must be <= shards (${shards}), got ${workers}`);
    }
    const pool = new GradientPool(model, shards, workers);
    try {
      await Promise.all(pool.#workers.map((_, w) =>
        pool.#call(w, {
          type: "init",
          spec,
          shapes: pool.#shapes,
          params: pool.#params.buffer,
          grads: pool.#grads.buffer,
          signal: pool.#signal.buffer,
          errors: pool.#errors.buffer,
          slot: w,
        })
      ));
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  #call(w: number, message: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending[w]!.push((r) =>
        r.type === "error" ? reject(new Error(`gradient worker ${w}: ${r.message}`)) : resolve()
      );
      this.#workers[w]!.postMessage(message);
    });
  }

  /**
   * The gradient of the mean cross-entropy over the batch with respect to
   * `params` (the same as `tf.grads` of `crossEntropy(model.logits(params, x), yOneHot)`
   * up to the order of float32 sums; bit for bit with one shard).
   *
   * @param params parameter tensors of the pool's architecture, in order
   * @param x inputs, batch × features
   * @param yOneHot targets, batch × classes
   * @returns one gradient tensor per parameter (the caller disposes them)
   * @throws RangeError for shapes that do not match; Error when a worker fails
   *   or a call is already running
   */
  async meanGradient(
    params: tf.Tensor[],
    x: tf.Tensor2D,
    yOneHot: tf.Tensor2D,
  ): Promise<tf.Tensor[]> {
    const { batch, bounds } = await this.#run("grad", params, x, yOneHot);
    return this.#tensors(this.#combine(batch, bounds));
  }

  /**
   * {@link meanGradient} with the calling thread blocked until the workers are done, as one
   * flat vector (parameters in order, flattened): the same numbers bit for bit.
   *
   * @returns the gradient, a view of the pool's buffer valid until the next call (copy what
   *   you keep)
   * @throws as {@link meanGradient}
   */
  meanGradientSync(params: tf.Tensor[], x: tf.Tensor2D, yOneHot: tf.Tensor2D): Float32Array {
    const { batch, bounds } = this.#runSync("grad", params, x, yOneHot);
    return this.#combine(batch, bounds);
  }

  /** g = Σ_s (n_s / B) g_s, in shard order, into the pool's sum buffer. */
  #combine(batch: number, bounds: number[]): Float32Array {
    const n = this.parameterCount;
    this.#sum ??= new Float32Array(n);
    const out = this.#sum.fill(0);
    for (let s = 0; s < this.shards; s++) {
      const weight = (bounds[s + 1]! - bounds[s]!) / batch;
      if (weight === 0) continue;
      const g = this.#grads.subarray(s * n, (s + 1) * n);
      for (let i = 0; i < n; i++) out[i] = out[i]! + weight * g[i]!;
    }
    return out;
  }

  /** One tensor per parameter from a flat vector (tfjs may keep the array it is given: a copy). */
  #tensors(flat: Float32Array): tf.Tensor[] {
    // the wasm backend copies a new tensor's values into its heap at once, so views of the sum
    // buffer are safe there; other backends may keep the array
    const src = tf.getBackend() === "wasm" ? flat : flat.slice();
    return this.#shapes.map((shape, k) =>
      tf.tensor(src.subarray(this.#offsets[k]!, this.#offsets[k]! + sizeOf(shape)), shape)
    );
  }

  /**
   * Per-example gradients ∇ℓ_i (of each example's own loss), row i for example i,
   * computed by the workers, each on its shard of the batch (the rows of the
   * model's `perExampleGradients` in this thread: each row depends on its own
   * example only; measured bit for bit on the default ResNet). Stream a data set through it in chunks of a few
   * examples per worker: for 11 M parameters one row is 45 MB.
   *
   * @param params parameter tensors of the pool's architecture, in order
   * @param x inputs, batch × features
   * @param yOneHot targets, batch × classes
   * @returns batch × parameterCount rows, row-major: a view of the pool's
   *   shared buffer, valid until the next call (copy what you keep)
   * @throws as {@link meanGradient}
   */
  async perExampleGradients(
    params: tf.Tensor[],
    x: tf.Tensor2D,
    yOneHot: tf.Tensor2D,
  ): Promise<Float32Array> {
    const { batch } = await this.#run("rows", params, x, yOneHot);
    return this.#rows.subarray(0, batch * this.parameterCount);
  }

  /**
   * {@link perExampleGradients} with the calling thread blocked until the workers are done:
   * the same rows bit for bit.
   *
   * @returns batch × parameterCount rows, a view valid until the next call
   * @throws as {@link meanGradient}
   */
  perExampleGradientsSync(params: tf.Tensor[], x: tf.Tensor2D, yOneHot: tf.Tensor2D): Float32Array {
    const { batch } = this.#runSync("rows", params, x, yOneHot);
    return this.#rows.subarray(0, batch * this.parameterCount);
  }

  /**
   * The logits of the batch (the model's forward pass, each worker on its shards), the calling
   * thread blocked until done: for the many forward passes of finite differences of the logits.
   * Each row depends on its own example only (the networks here have no batch statistics).
   *
   * @param params parameter tensors of the pool's architecture, in order
   * @param x inputs, batch × features
   * @returns batch × outputs, row-major: a view valid until the next call
   * @throws as {@link meanGradient}
   */
  logitsSync(params: tf.Tensor[], x: tf.Tensor2D): Float32Array {
    const { batch } = this.#runSync("logits", params, x, undefined);
    return this.#rows.subarray(0, batch * this.#outputs);
  }

  #checkBatch(x: tf.Tensor2D, yOneHot: tf.Tensor2D | undefined): void {
    if (yOneHot === undefined) {
      if (x?.rank !== 2) throw new RangeError(`x must be 2-D, got [${x?.shape}]`);
    } else if (x?.rank !== 2 || yOneHot?.rank !== 2 || x.shape[0] !== yOneHot.shape[0]) {
      throw new RangeError(
        `x and yOneHot must be 2-D with equal rows, got [${x?.shape}] and [${yOneHot?.shape}]`,
      );
    }
    if (x.shape[0] < 1) throw new RangeError(`the batch must hold >= 1 example, got ${x.shape[0]}`);
  }

  /**
   * Checks the call, sends the parameters (when new) and the batch, and runs `type` on every
   * worker's shards; one call at a time.
   */
  async #run(
    type: Job,
    params: tf.Tensor[],
    x: tf.Tensor2D,
    yOneHot: tf.Tensor2D,
  ): Promise<{ batch: number; bounds: number[] }> {
    const { batch, bounds, messages } = this.#begin(type, params, x, yOneHot);
    try {
      await Promise.all(messages.map((m, w) => m === undefined ? undefined : this.#call(w, m)));
    } finally {
      this.#busy = false;
    }
    return { batch, bounds };
  }

  /**
   * {@link #run} with the calling thread blocked in `Atomics.wait` until every worker has
   * signalled its sequence number (the workers answer through the shared signal buffer, not
   * by message, since this thread's event loop does not turn while it waits).
   */
  #runSync(
    type: Job,
    params: tf.Tensor[],
    x: tf.Tensor2D,
    yOneHot: tf.Tensor2D | undefined,
  ): { batch: number; bounds: number[] } {
    const { batch, bounds, messages } = this.#begin(type, params, x, yOneHot);
    try {
      const seq = ++this.#seq;
      const sig = this.#signal, errors: string[] = [];
      messages.forEach((m, w) => m && this.#workers[w]!.postMessage({ ...m, sync: seq }));
      messages.forEach((m, w) => {
        if (m === undefined) return;
        for (let v = Atomics.load(sig, 2 * w); v !== seq; v = Atomics.load(sig, 2 * w)) {
          Atomics.wait(sig, 2 * w, v);
        }
        if (Atomics.load(sig, 2 * w + 1) !== 0) {
          const bytes = this.#errors.slice(w * ERROR_BYTES, (w + 1) * ERROR_BYTES);
          const text = new TextDecoder().decode(bytes.subarray(0, Math.max(0, bytes.indexOf(0))));
          errors.push(`gradient worker ${w}: ${text}`);
        }
      });
      if (errors.length > 0) throw new Error(errors.join("; "));
    } finally {
      this.#busy = false;
    }
    return { batch, bounds };
  }

  /**
   * Checks the call and marks the pool busy; writes the parameters (when new) and the batch to
   * the shared buffers; returns each worker's job message (undefined for a worker without a
   * non-empty shard). The caller clears `#busy`.
   */
  #begin(
    type: Job,
    params: tf.Tensor[],
    x: tf.Tensor2D,
    yOneHot: tf.Tensor2D | undefined,
  ): { batch: number; bounds: number[]; messages: (Record<string, unknown> | undefined)[] } {
    if (this.#closed) throw new Error("the gradient pool is closed");
    if (this.#busy) throw new Error("the gradient pool runs one call at a time; await the last");
    this.#checkParams(params);
    this.#checkBatch(x, yOneHot);
    const [batch, features] = x.shape, classes = yOneHot?.shape[1] ?? 0;
    this.#writeParams(params);
    const need = batch * (features + classes);
    if (this.#data.length < need) this.#data = new Float32Array(new SharedArrayBuffer(4 * need));
    readFloat32(x, this.#data, 0);
    if (yOneHot) readFloat32(yOneHot, this.#data, batch * features);
    const width = type === "rows" ? this.parameterCount : type === "logits" ? this.#outputs : 0;
    if (this.#rows.length < batch * width) {
      this.#rows = new Float32Array(new SharedArrayBuffer(4 * batch * width));
    }
    const bounds = Array.from(
      { length: this.shards + 1 },
      (_, s) => Math.floor((s * batch) / this.shards),
    );
    const messages = this.#workers.map((_, w) => {
      const shards = [];
      for (let s = w; s < this.shards; s += this.workers) {
        if (bounds[s + 1]! > bounds[s]!) shards.push({ s, lo: bounds[s]!, hi: bounds[s + 1]! });
      }
      return shards.length === 0 ? undefined : {
        type,
        version: this.#version,
        data: this.#data.buffer,
        rows: this.#rows.buffer,
        batch,
        features,
        classes,
        outputs: this.#outputs,
        shards,
      };
    });
    this.#busy = true;
    return { batch, bounds, messages };
  }

  #checkParams(params: tf.Tensor[]): void {
    if (!Array.isArray(params) || params.length !== this.#shapes.length) {
      throw new RangeError(
        `params must be ${this.#shapes.length} tensors, got ${params?.length ?? params}`,
      );
    }
    params.forEach((p, k) => {
      if (p.shape.join() !== this.#shapes[k]!.join()) {
        throw new RangeError(`params[${k}] must have shape [${this.#shapes[k]}], got [${p.shape}]`);
      }
    });
  }

  #writeParams(params: tf.Tensor[]): void {
    const ids = params.map((p) => p.id);
    if (ids.length === this.#paramIds.length && ids.every((id, k) => id === this.#paramIds[k])) {
      return;
    }
    params.forEach((p, k) => readFloat32(p, this.#params, this.#offsets[k]));
    this.#paramIds = ids;
    this.#version++;
  }

  /** Ends the workers; later calls throw. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#workers) w.terminate();
    for (const queue of this.#pending) {
      for (const resolve of queue.splice(0)) resolve({ type: "error", message: "pool closed" });
    }
  }
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
