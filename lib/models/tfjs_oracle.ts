/**
 * A {@link GradientOracle} backed by a TensorFlow.js {@link Model} and a
 * fixed training set: the seam through which every estimator of the library
 * runs on a real network.
 *
 * Gradients are computed in float32 by tfjs and returned as Float64Array
 * (per-example gradients as a Float32Array RowMatrix, to halve memory).
 * Large index sets are processed in chunks of `chunkSize` examples so that
 * memory stays bounded.
 *
 * At fixed parameters, {@link TfjsOracle.cachePerExampleGradients} computes
 * every ∇ℓ_i once (N × dim float32 numbers) and answers later gradient calls
 * from those rows: a minibatch gradient then costs S·dim additions instead of
 * a forward and backward pass, which is what makes sampling thousands of
 * minibatch noise vectors of a convolutional network affordable.
 *
 * With a {@link GradientPool} (option `pool`), batch gradients, per-example
 * gradients and logits are computed by the pool's workers, one per core,
 * through its synchronous calls: every estimator of the library then runs on
 * all cores unchanged. Per-example rows and logits are those of the model in
 * this thread (each row depends on its own example only); a batch gradient
 * is the same mean summed in the pool's shard order (float32 rounding only).
 *
 * @module
 */
import { readFloat32, tf } from "./tf.ts";
import { crossEntropy, type Model } from "./mlp.ts";
import type { GradientPool } from "./gradient_pool.ts";
import { checkIndices, type RowMatrix } from "../noise/oracle.ts";
import type { LogitOracle } from "../noise/logit_oracle.ts";
import { assertArrayLike, assertFiniteArray, assertInteger } from "../stats/validate.ts";

/** Flattens a list of tensors into one Float64Array. */
export function flattenTensors(ts: tf.Tensor[]): Float64Array {
  const size = ts.reduce((s, t) => s + t.size, 0);
  const out = new Float64Array(size);
  let off = 0;
  for (const t of ts) {
    out.set(readFloat32(t), off);
    off += t.size;
  }
  return out;
}

/** Oracle of the mean cross-entropy of `model` on (x, labels). */
/**
 * Runs the model on the first example once, so that data the model cannot take (a feature count
 * it was not built for, more or fewer classes than its outputs) is a named error here rather than
 * an engine error in the first loss or gradient.
 */
function checkShapes(model: Model, x: tf.Tensor2D, features: number, classes: number): void {
  let outputs: number;
  try {
    outputs = tf.tidy(() =>
      model.logits(model.params, tf.slice(x, [0, 0], [1, features])).shape[1]
    );
  } catch (e) {
    throw new RangeError(
      `x has ${features} features per example (x.length / labels.length), which ${model.name} ` +
        `does not take: ${(e as Error).message}`,
    );
  }
  if (outputs !== classes) {
    throw new RangeError(
      `classes must equal the ${outputs} outputs of ${model.name}, got ${classes}`,
    );
  }
}

export class TfjsOracle implements LogitOracle {
  readonly model: Model;
  readonly dim: number;
  readonly size: number;
  readonly chunkSize: number;
  /** Number of classes. */
  readonly classes: number;
  /** The class labels (a copy). */
  readonly labels: Int32Array;
  /** Inputs, size × features. */
  readonly x: tf.Tensor2D;
  /** One-hot targets, size × classes. */
  readonly y: tf.Tensor2D;
  /** The pool gradients and logits are computed in, if any (owned by the caller, who closes it). */
  readonly pool: GradientPool | undefined;
  private cache: { rows: RowMatrix; mean: Float64Array } | undefined;

  /**
   * @param model the network (its `params` are read and replaced by setParams)
   * @param x inputs, size × features, row-major
   * @param labels class labels 0..classes−1
   * @param options.classes number of classes (default 10)
   * @param options.chunkSize examples per tfjs call (default 1,024)
   * @param options.pool a {@link GradientPool} of the model's architecture: batch and
   *   per-example gradients and logits are computed by its workers (default: in this thread)
   */
  constructor(
    model: Model,
    x: Float32Array,
    labels: Int32Array,
    { classes = 10, chunkSize = 1024, pool }: {
      classes?: number;
      chunkSize?: number;
      pool?: GradientPool;
    } = {},
  ) {
    assertInteger("classes", classes, 2);
    assertInteger("chunkSize", chunkSize, 1);
    if (pool !== undefined && pool?.parameterCount !== model.parameterCount) {
      throw new RangeError(
        `pool must compute gradients of ${model.parameterCount} parameters (the model's), got ${pool?.parameterCount}`,
      );
    }
    this.pool = pool;
    assertFiniteArray("x", x);
    assertArrayLike("labels", labels);
    const n = labels.length;
    if (n < 1 || x.length % n !== 0) {
      throw new RangeError(`x length ${x.length} is not a multiple of labels length ${n}`);
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(labels[i]) || labels[i]! < 0 || labels[i]! >= classes) {
        throw new RangeError(
          `labels[${i}] must be an integer in [0, ${classes}), got ${labels[i]}`,
        );
      }
    }
    this.model = model;
    this.dim = model.parameterCount;
    this.size = n;
    this.chunkSize = chunkSize;
    this.classes = classes;
    this.labels = Int32Array.from(labels);
    const features = x.length / n;
    this.x = tf.tensor2d(x, [n, features]);
    this.y = tf.oneHot(tf.tensor1d(labels, "int32"), classes) as tf.Tensor2D;
    checkShapes(model, this.x, features, classes);
  }

  /** Releases the data tensors. */
  dispose(): void {
    this.x.dispose();
    this.y.dispose();
  }

  getParams(): Float64Array {
    return flattenTensors(this.model.params);
  }

  setParams(theta: ArrayLike<number>): void {
    this.cache = undefined;
    if (theta.length !== this.dim) {
      throw new RangeError(`theta must have length ${this.dim}, got ${theta.length}`);
    }
    const next: tf.Tensor[] = [];
    let off = 0;
    for (const p of this.model.params) {
      const part = new Float32Array(p.size);
      for (let k = 0; k < p.size; k++) {
        const v = theta[off + k]!;
        if (!Number.isFinite(v)) throw new RangeError(`theta[${off + k}] must be finite, got ${v}`);
        part[k] = v;
      }
      next.push(tf.tensor(part, p.shape));
      off += p.size;
    }
    for (const p of this.model.params) p.dispose();
    this.model.params = next;
  }

  private chunks(indices: ArrayLike<number>): Int32Array[] {
    checkIndices(indices, this.size);
    const all = Int32Array.from(indices);
    const out: Int32Array[] = [];
    for (let s = 0; s < all.length; s += this.chunkSize) {
      out.push(all.subarray(s, s + this.chunkSize));
    }
    return out;
  }

  /**
   * The inputs and targets of one chunk of examples: the data tensors themselves
   * (a reshape shares their memory) when the chunk is the whole set in order, a
   * slice when the indices are consecutive (every full-data pass), a gather
   * otherwise. Gathering the whole training set cost 26 ms per 1,024 MLP rows
   * against 4 ms for the matrix product itself; a slice is a view-sized copy, but
   * on a machine where fresh memory is slow (about 4 ms per MB on the test VM) the
   * copy of 1,024 MNIST rows took 12.7 ms against 4.6 ms for the MLP's logits of
   * all 2,000: a full pass in one chunk copies nothing.
   */
  private batch(c: Int32Array): [tf.Tensor2D, tf.Tensor2D] {
    let consecutive = true;
    for (let k = 1; k < c.length && consecutive; k++) consecutive = c[k] === c[0]! + k;
    if (consecutive && c[0] === 0 && c.length === this.size) {
      // new tensors on the same data: callers may dispose them (and tidy does) without
      // touching this.x and this.y
      return [tf.reshape(this.x, this.x.shape), tf.reshape(this.y, this.y.shape)];
    }
    if (consecutive) {
      return [
        tf.slice(this.x, [c[0]!, 0], [c.length, -1]) as tf.Tensor2D,
        tf.slice(this.y, [c[0]!, 0], [c.length, -1]) as tf.Tensor2D,
      ];
    }
    const ci = tf.tensor1d(c, "int32");
    return [tf.gather(this.x, ci), tf.gather(this.y, ci)];
  }

  /**
   * `f` on the inputs and targets of one chunk through the pool, the chunk's tensors disposed
   * after (the pool copies them into its shared buffer).
   */
  private viaPool<T>(
    c: Int32Array,
    f: (pool: GradientPool, xb: tf.Tensor2D, yb: tf.Tensor2D) => T,
  ): T {
    const [xb, yb] = tf.tidy(() => this.batch(c));
    try {
      return f(this.pool!, xb, yb);
    } finally {
      xb.dispose();
      yb.dispose();
    }
  }

  private all(): Int32Array {
    return Int32Array.from({ length: this.size }, (_, i) => i);
  }

  loss(indices?: ArrayLike<number>): number {
    const idx = indices ?? this.all();
    let total = 0;
    for (const c of this.chunks(idx)) {
      total += tf.tidy(() => {
        const [xb, yb] = this.batch(c);
        const l = crossEntropy(this.model.logits(this.model.params, xb), yb);
        return l.dataSync()[0]! * c.length;
      });
    }
    return total / idx.length;
  }

  /**
   * The logits z(θ) of the given examples (all when omitted), float32 values as a
   * Float64Array, rows × classes (for the Gauss–Newton and Fisher forms of
   * `lib/curvature/gauss_newton.ts`).
   */
  logits(indices?: ArrayLike<number>): RowMatrix {
    const idx = indices ?? this.all();
    const out = new Float64Array(idx.length * this.classes);
    let row = 0;
    for (const c of this.chunks(idx)) {
      if (this.pool) {
        const z = this.viaPool(c, (pool, xb) => pool.logitsSync(this.model.params, xb));
        out.set(z, row * this.classes);
        row += c.length;
        continue;
      }
      const z = tf.tidy(() => this.model.logits(this.model.params, this.batch(c)[0]));
      out.set(z.dataSync() as Float32Array, row * this.classes);
      row += c.length;
      z.dispose();
    }
    return { rows: idx.length, cols: this.classes, data: out };
  }

  /** Classification accuracy on the given examples (all when omitted). */
  accuracy(indices?: ArrayLike<number>): number {
    const idx = indices ?? this.all();
    let correct = 0;
    for (const c of this.chunks(idx)) {
      correct += tf.tidy(() => {
        const [xb, yb] = this.batch(c);
        const pred = tf.argMax(this.model.logits(this.model.params, xb), 1);
        const truth = tf.argMax(yb, 1);
        return tf.sum(tf.cast(tf.equal(pred, truth), "int32")).dataSync()[0]!;
      });
    }
    return correct / idx.length;
  }

  /**
   * Computes ∇ℓ_i(θ) for all N examples at the current parameters (one
   * {@link perExampleGradients} pass) and keeps them: until the next
   * `setParams` or {@link dropGradientCache}, `fullGradient`,
   * `batchGradient` and `perExampleGradients` are answered from these rows
   * (batch gradients as row means accumulated in float64), with no tfjs call.
   * Memory: 4·N·dim bytes.
   *
   * @returns the cached N × dim rows (shared with the oracle: do not modify)
   * @throws TypeError when the model has no per-example gradients
   */
  cachePerExampleGradients(): RowMatrix {
    if (this.cache) return this.cache.rows;
    const rows = this.perExampleGradients(this.all());
    const mean = new Float64Array(this.dim);
    const d = this.dim, data = rows.data;
    for (let i = 0; i < this.size; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) mean[j] = mean[j]! + data[off + j]!;
    }
    for (let j = 0; j < d; j++) mean[j] = mean[j]! / this.size;
    this.cache = { rows, mean };
    return rows;
  }

  /** The cached per-example gradients, if {@link cachePerExampleGradients} is in force. */
  get gradientCache(): RowMatrix | undefined {
    return this.cache?.rows;
  }

  /** Releases the per-example gradient cache (gradients are computed by tfjs again). */
  dropGradientCache(): void {
    this.cache = undefined;
  }

  fullGradient(): Float64Array {
    if (this.cache) return this.cache.mean.slice();
    return this.batchGradient(this.all());
  }

  batchGradient(indices: ArrayLike<number>): Float64Array {
    if (this.cache) {
      checkIndices(indices, this.size);
      const d = this.dim, data = this.cache.rows.data, out = new Float64Array(d);
      for (let k = 0; k < indices.length; k++) {
        const off = indices[k]! * d;
        for (let j = 0; j < d; j++) out[j] = out[j]! + data[off + j]!;
      }
      const inv = 1 / indices.length;
      for (let j = 0; j < d; j++) out[j] = out[j]! * inv;
      return out;
    }
    const out = new Float64Array(this.dim);
    for (const c of this.chunks(indices)) {
      const w = c.length / indices.length;
      if (this.pool) {
        const data = this.viaPool(
          c,
          (pool, xb, yb) => pool.meanGradientSync(this.model.params, xb, yb),
        );
        for (let j = 0; j < this.dim; j++) out[j] = out[j]! + w * data[j]!;
        continue;
      }
      const g = tf.tidy(() => {
        const [xb, yb] = this.batch(c);
        const grads = tf.grads((...p: tf.Tensor[]) => crossEntropy(this.model.logits(p, xb), yb))(
          this.model.params,
        );
        return tf.concat(grads.map((t) => tf.reshape(t, [-1])));
      });
      const data = readFloat32(g);
      for (let j = 0; j < this.dim; j++) out[j] = out[j]! + w * data[j]!;
      g.dispose();
    }
    return out;
  }

  perExampleGradients(indices: ArrayLike<number>): RowMatrix {
    if (this.cache) {
      checkIndices(indices, this.size);
      const d = this.dim, data = this.cache.rows.data as Float32Array;
      const out = new Float32Array(indices.length * d);
      for (let k = 0; k < indices.length; k++) {
        const off = indices[k]! * d;
        out.set(data.subarray(off, off + d), k * d);
      }
      return { rows: indices.length, cols: d, data: out };
    }
    const per = this.model.perExampleGradients;
    if (!per) throw new TypeError(`model ${this.model.name} has no per-example gradients`);
    const out = new Float32Array(indices.length * this.dim);
    let row = 0;
    for (const c of this.chunks(indices)) {
      if (this.pool) {
        const g = this.viaPool(
          c,
          (pool, xb, yb) => pool.perExampleGradientsSync(this.model.params, xb, yb),
        );
        out.set(g, row * this.dim);
        row += c.length;
        continue;
      }
      const g = tf.tidy(() => {
        const [xb, yb] = this.batch(c);
        return per.call(this.model, this.model.params, xb, yb);
      });
      readFloat32(g, out, row * this.dim);
      row += c.length;
      g.dispose();
    }
    return { rows: indices.length, cols: this.dim, data: out };
  }
}
