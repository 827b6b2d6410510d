/**
 * Minibatch SGD and full-batch GD for a tfjs {@link Model}, with the
 * training history the notebooks plot.
 *
 * One epoch is one pass over a fresh seeded permutation of the training set
 * in batches of `batchSize` (the last, shorter batch is dropped unless the
 * batch is the whole set: `batchSize = N` is gradient descent, one step per
 * epoch). Update: θ ← θ − η ∇L̂_S(θ) (Eq. 2 of the post).
 *
 * With `stopAtLoss`, a run stops at the first step after which the training loss is at most a
 * target (runs compared at matched training loss, each ending below it by at most one step's
 * progress, also when the loss is checked only every few steps: the steps since the last check
 * are then replayed one at a time).
 *
 * @module
 */
import { tf } from "./tf.ts";
import { crossEntropy, type Model } from "./mlp.ts";
import type { TfjsOracle } from "./tfjs_oracle.ts";
import { GradientPool } from "./gradient_pool.ts";
import { type Prng, samplePermutation } from "../stats/random.ts";
import { assertFinite, assertInteger, assertObject, assertPositive } from "../stats/validate.ts";
import { Progress } from "../display/progress.ts";

/** One evaluation point of a training run. */
export interface HistoryPoint {
  /**
   * epochs completed: an integer, except at a `stopAtLoss` stop in mid-epoch, where it is
   * `step / (steps per epoch)` (e.g. 3.25 after a quarter of the fourth epoch)
   */
  epoch: number;
  /** SGD steps taken so far (exact, also at a `stopAtLoss` stop) */
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
  /**
   * Stop at matched training loss: the training loss (the one the history reports, over
   * `lossIndices` or all training examples) is computed before training, after every
   * `every`-th step (global step count: steps `every`, `2·every`, …; default 1: after every
   * step) and at the end of every epoch, and training stops right after the first step at which
   * it is ≤ `target` — in mid-epoch if need be; a model already at the target (step 0) is not
   * trained. With `every` = k > 1 a check at the target replays the (at most k) steps since the
   * previous check one at a time from that check's parameters and stops at the first of them at
   * the target: the same stop as checking after every step, unless the loss dipped below the
   * target and rose above it again between two checks; about N/k + k checks instead of N
   * (replayed steps count as checking, not as `seconds`). The stop pushes
   * one last history point with the exact `step` and `epoch = step / (steps per epoch)`
   * (fractional in mid-epoch; at the end of an epoch the integer epoch, after its `onEpoch`),
   * and finishes the progress bar. The checks cost one forward pass each and are not counted in
   * `seconds`; a check whose loss is not finite throws (divergence), as an evaluation does. A
   * target never reached: all `epochs` are run, as without the option. Absent: no checks,
   * everything as before.
   */
  stopAtLoss?: StopAtLoss;
}

/** When {@link TrainOptions.stopAtLoss} stops a run. */
export interface StopAtLoss {
  /** stop right after the first step at which the training loss is ≤ this (a finite number) */
  target: number;
  /**
   * check after every this many steps of the run and at the end of every epoch (integer ≥ 1,
   * default 1); on a check at the target, the steps since the previous check are replayed one
   * at a time and the run stops at the first of them at the target (the parameters of the last
   * check are kept for that: one more copy of the weights)
   */
  every?: number;
}

/** Throws (naming the argument and its value) unless `stop` is a valid {@link StopAtLoss}. */
function validateStopAtLoss(stop: unknown): void {
  assertObject("stopAtLoss", stop);
  const { target, every } = stop as StopAtLoss;
  assertFinite("stopAtLoss.target", target);
  if (every !== undefined) assertInteger("stopAtLoss.every", every, 1);
}

/**
 * Trains `model` in place on `train` and evaluates on `test`.
 * @returns the history, evaluated at epoch 0 and every `evalEvery` epochs (and where
 *   `stopAtLoss` stops the run)
 */
export async function trainModel(
  model: Model,
  train: TfjsOracle,
  test: TfjsOracle,
  options: TrainOptions,
): Promise<HistoryPoint[]> {
  const { lr, batchSize, epochs, shards, stopAtLoss } = options;
  assertPositive("lr", lr);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > train.size) {
    throw new RangeError(`batchSize must be an integer in [1, ${train.size}], got ${batchSize}`);
  }
  assertInteger("epochs", epochs, 0);
  if (shards !== undefined) assertInteger("shards", shards, 1);
  if (stopAtLoss !== undefined) validateStopAtLoss(stopAtLoss);
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
  {
    lr,
    batchSize,
    epochs,
    prng,
    evalEvery = 1,
    label,
    onEpoch,
    lossIndices,
    stopAtLoss,
  }: TrainOptions,
  pool: GradientPool | undefined,
): Promise<HistoryPoint[]> {
  const history: HistoryPoint[] = [];
  let seconds = 0, step = 0;
  const trainLossAt = (epoch: number) => {
    const trainLoss = train.loss(lossIndices);
    if (!Number.isFinite(trainLoss)) {
      throw new RangeError(
        `training diverged at epoch ${epoch}: loss ${trainLoss} (lr ${lr}, batch ${batchSize})`,
      );
    }
    return trainLoss;
  };
  const evaluate = (epoch: number, trainLoss = trainLossAt(epoch)) => {
    history.push({ epoch, step, seconds, trainLoss, testAccuracy: test.accuracy() });
  };
  evaluate(0);
  const steps = Math.floor(train.size / batchSize);
  // one tick per step, flushed as it goes, so a live bar moves during long epochs
  const progress = label
    ? new Progress(`${label} (steps)`, Math.max(1, epochs * steps))
    : undefined;
  await progress?.flush();
  const target = stopAtLoss?.target, every = stopAtLoss?.every ?? 1;
  if (target !== undefined && history[0]!.trainLoss <= target) {
    await progress?.done();
    return history;
  }
  /** One SGD step on `batch`: θ ← θ − η ∇L̂(θ). */
  const takeStep = async (batch: Int32Array) => {
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
  };
  // stopAtLoss with every > 1: the parameters at the last check and the batches since, to replay
  let saved = target !== undefined && every > 1 ? model.params.map((p) => tf.clone(p)) : undefined;
  let window: Int32Array[] = [];
  try {
    for (let e = 1; e <= epochs; e++) {
      const perm = samplePermutation(prng, train.size);
      let t0 = performance.now();
      // with stopAtLoss: the steps of this epoch after which the loss was ≤ target, and that loss
      let stopAfter = 0, stopLoss = NaN;
      for (let s = 0; s < steps; s++) {
        const batch = perm.subarray(s * batchSize, (s + 1) * batchSize);
        await takeStep(batch);
        step++;
        if (progress) {
          progress.tick();
          await progress.flush();
        }
        if (target === undefined) continue;
        window.push(batch);
        // checked after every `every`-th step of the run and at the end of every epoch
        if (step % every !== 0 && s + 1 < steps) continue;
        // the check is not training time: wait for the backend, stop the clock, restart it after
        model.params[0]!.dataSync();
        seconds += (performance.now() - t0) / 1000;
        let loss = trainLossAt(e - 1 + (s + 1) / steps);
        if (loss <= target && window.length > 1) {
          // at the target: back to the last check, and the steps since replayed one at a time
          // (the same batches and operations: the same parameters bit for bit) until the first
          // at the target; the last of them is this check's point, whose loss is known
          for (const p of model.params) p.dispose();
          model.params = saved!;
          saved = undefined;
          step -= window.length;
          s -= window.length;
          for (const [j, b] of window.entries()) {
            await takeStep(b);
            step++;
            s++;
            if (j + 1 === window.length) break;
            const l = trainLossAt(e - 1 + (s + 1) / steps);
            if (l <= target) {
              loss = l;
              break;
            }
          }
        }
        t0 = performance.now();
        if (loss <= target) {
          stopAfter = s + 1;
          stopLoss = loss;
          break;
        }
        // not at the target: this check is where a later replay starts
        window = [];
        if (saved) {
          for (const p of saved) p.dispose();
          saved = model.params.map((p) => tf.clone(p));
        }
      }
      // wait for the backend before reading the clock
      model.params[0]!.dataSync();
      seconds += (performance.now() - t0) / 1000;
      if (stopAfter > 0) {
        // stopped at matched loss: the epoch is complete only when it was its last step
        if (stopAfter === steps) onEpoch?.(e);
        evaluate(stopAfter === steps ? e : e - 1 + stopAfter / steps, stopLoss);
        break;
      }
      onEpoch?.(e);
      if (e % evalEvery === 0 || e === epochs) evaluate(e);
    }
  } finally {
    for (const p of saved ?? []) p.dispose();
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
