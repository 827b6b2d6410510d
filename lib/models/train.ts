/**
 * Minibatch SGD and full-batch GD for a tfjs {@link Model}, with the
 * training history the notebooks plot.
 *
 * One epoch is one pass over a fresh seeded permutation of the training set
 * in batches of `batchSize` (the last, shorter batch is dropped unless the
 * batch is the whole set: `batchSize = N` is gradient descent, one step per
 * epoch). Update: θ ← θ − η ∇L̂_S(θ) (Eq. 2 of the post).
 *
 * @module
 */
import { tf } from "./tf.ts";
import { crossEntropy, type Model } from "./mlp.ts";
import type { TfjsOracle } from "./tfjs_oracle.ts";
import { GradientPool } from "./gradient_pool.ts";
import { type Prng, samplePermutation } from "../stats/random.ts";
import { assertInteger, assertPositive } from "../stats/validate.ts";
import { Progress } from "../display/progress.ts";

/** One evaluation point of a training run. */
export interface HistoryPoint {
  epoch: number;
  step: number;
  /** seconds of training so far (evaluation time excluded) */
  seconds: number;
  trainLoss: number;
  testAccuracy: number;
}

/** Options of {@link trainModel}. */
export interface TrainOptions {
  lr: number;
  batchSize: number;
  epochs: number;
  prng: Prng;
  /** evaluate every this many epochs (default 1) */
  evalEvery?: number;
  /** label of the progress bar; none when omitted */
  label?: string;
  /** called after each epoch with the current epoch (for snapshots) */
  onEpoch?: (epoch: number) => void;
  /**
   * Compute each step's gradient in a {@link GradientPool} of workers with
   * this many shards (integer ≥ 1; workers = min(shards, cores)). Omitted:
   * in this thread. The result depends on the shard count (float32 sum
   * order), not on the machine's cores.
   */
  shards?: number;
  /**
   * Training examples on which `trainLoss` is evaluated (default all): for a
   * network whose forward pass over the whole set costs minutes.
   */
  lossIndices?: ArrayLike<number>;
}

/**
 * Trains `model` in place on `train` and evaluates on `test`.
 * @returns the history, evaluated at epoch 0 and every `evalEvery` epochs
 */
export async function trainModel(
  model: Model,
  train: TfjsOracle,
  test: TfjsOracle,
  options: TrainOptions,
): Promise<HistoryPoint[]> {
  const { lr, batchSize, epochs, shards } = options;
  assertPositive("lr", lr);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > train.size) {
    throw new RangeError(`batchSize must be an integer in [1, ${train.size}], got ${batchSize}`);
  }
  assertInteger("epochs", epochs, 0);
  if (shards !== undefined) assertInteger("shards", shards, 1);
  const pool = shards === undefined || epochs === 0
    ? undefined
    : await GradientPool.create(model, { shards });
  try {
    return await run(model, train, test, options, pool);
  } finally {
    pool?.close();
  }
}

async function run(
  model: Model,
  train: TfjsOracle,
  test: TfjsOracle,
  { lr, batchSize, epochs, prng, evalEvery = 1, label, onEpoch, lossIndices }: TrainOptions,
  pool: GradientPool | undefined,
): Promise<HistoryPoint[]> {
  const history: HistoryPoint[] = [];
  let seconds = 0, step = 0;
  const evaluate = (epoch: number) => {
    const trainLoss = train.loss(lossIndices);
    if (!Number.isFinite(trainLoss)) {
      throw new RangeError(
        `training diverged at epoch ${epoch}: loss ${trainLoss} (lr ${lr}, batch ${batchSize})`,
      );
    }
    history.push({ epoch, step, seconds, trainLoss, testAccuracy: test.accuracy() });
  };
  evaluate(0);
  const steps = Math.floor(train.size / batchSize);
  // one tick per step, flushed as it goes, so a live bar moves during long epochs
  const progress = label
    ? new Progress(`${label} (steps)`, Math.max(1, epochs * steps))
    : undefined;
  await progress?.flush();
  for (let e = 1; e <= epochs; e++) {
    const perm = samplePermutation(prng, train.size);
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) {
      const batch = perm.subarray(s * batchSize, (s + 1) * batchSize);
      const next = pool ? await pooledStep(pool, model, train, batch, lr) : tf.tidy(() => {
        const ci = tf.tensor1d(batch, "int32");
        const xb = tf.gather(train.x, ci), yb = tf.gather(train.y, ci);
        const grads = tf.grads((...p: tf.Tensor[]) => crossEntropy(model.logits(p, xb), yb))(
          model.params,
        );
        return model.params.map((p, k) => tf.sub(p, tf.mul(grads[k]!, lr)));
      });
      for (const p of model.params) p.dispose();
      model.params = next;
      step++;
      if (progress) {
        progress.tick();
        await progress.flush();
      }
    }
    // wait for the backend before reading the clock
    model.params[0]!.dataSync();
    seconds += (performance.now() - t0) / 1000;
    onEpoch?.(e);
    if (e % evalEvery === 0 || e === epochs) evaluate(e);
  }
  await progress?.done();
  return history;
}

/** θ − η ∇L̂_S(θ) with the gradient from the pool. */
async function pooledStep(
  pool: GradientPool,
  model: Model,
  train: TfjsOracle,
  batch: Int32Array,
  lr: number,
): Promise<tf.Tensor[]> {
  const [xb, yb] = tf.tidy(() => {
    const ci = tf.tensor1d(batch, "int32");
    return [tf.gather(train.x, ci), tf.gather(train.y, ci)] as [tf.Tensor2D, tf.Tensor2D];
  });
  try {
    const grads = await pool.meanGradient(model.params, xb, yb);
    const next = tf.tidy(() => model.params.map((p, k) => tf.sub(p, tf.mul(grads[k]!, lr))));
    for (const g of grads) g.dispose();
    return next;
  } finally {
    xb.dispose();
    yb.dispose();
  }
}
