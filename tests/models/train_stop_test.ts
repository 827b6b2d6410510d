/**
 * trainModel's `stopAtLoss`: the run stops at the first checked step whose training loss is at
 * most the target, against a reference that steps the same seeded order by hand and evaluates the
 * loss after every step.
 */
import assert from "node:assert/strict";
import { initBackend, tf } from "../../lib/models/tf.ts";
import { createMlp, crossEntropy } from "../../lib/models/mlp.ts";
import { TfjsOracle } from "../../lib/models/tfjs_oracle.ts";
import { type HistoryPoint, trainModel, type TrainOptions } from "../../lib/models/train.ts";
import { createPrng, sampleNormal, samplePermutation } from "../../lib/stats/random.ts";

await initBackend("wasm");

const N = 24, BATCH = 4, STEPS = N / BATCH, EPOCHS = 5, LR = 0.3, ORDER = 9;

function smallProblem() {
  const prng = createPrng(4);
  const d = 6;
  const x = Float32Array.from(sampleNormal(prng, N * d));
  const labels = Int32Array.from({ length: N }, (_, i) => i % 3);
  const model = createMlp({ sizes: [d, 5, 3], prng });
  return { model, oracle: new TfjsOracle(model, x, labels, { classes: 3, chunkSize: 7 }) };
}

/**
 * Steps by hand as trainModel does (a fresh permutation per epoch from the seeded order, the
 * batch's cross-entropy gradient, θ − η g): the loss after every step (index k: after k steps)
 * and the parameters after every step.
 */
function reference(lossIndices?: number[]) {
  const { model, oracle } = smallProblem();
  const prng = createPrng(ORDER);
  const losses = [oracle.loss(lossIndices)];
  const thetas = [oracle.getParams()];
  for (let e = 0; e < EPOCHS; e++) {
    const perm = samplePermutation(prng, N);
    for (let s = 0; s < STEPS; s++) {
      const batch = perm.subarray(s * BATCH, (s + 1) * BATCH);
      const next = tf.tidy(() => {
        const ci = tf.tensor1d(batch, "int32");
        const xb = tf.gather(oracle.x, ci), yb = tf.gather(oracle.y, ci);
        const grads = tf.grads((...p: tf.Tensor[]) => crossEntropy(model.logits(p, xb), yb))(
          model.params,
        );
        return model.params.map((p, k) => tf.sub(p, tf.mul(grads[k]!, LR)));
      });
      for (const p of model.params) p.dispose();
      model.params = next;
      losses.push(oracle.loss(lossIndices));
      thetas.push(oracle.getParams());
    }
  }
  return { losses, thetas, order: prng };
}

async function train(extra: Partial<TrainOptions> = {}) {
  const { model, oracle } = smallProblem();
  const prng = createPrng(ORDER);
  const epochs: number[] = [];
  const h = await trainModel(model, oracle, oracle, {
    lr: LR,
    batchSize: BATCH,
    epochs: EPOCHS,
    prng,
    onEpoch: (e) => epochs.push(e),
    ...extra,
  });
  return { h, theta: oracle.getParams(), onEpoch: epochs, next: prng() };
}

/** The first step k ≥ 0 (a multiple of `every`) with losses[k] ≤ target, or -1. */
function firstAt(losses: number[], target: number, every = 1): number {
  return losses.findIndex((l, k) => k % every === 0 && l <= target);
}

/** A target whose first step is not a multiple of `avoid` (and not step 0). */
function targetStoppingOff(losses: number[], avoid: number): { target: number; k: number } {
  for (let j = 2; j < losses.length; j++) {
    const k = firstAt(losses, losses[j]!);
    if (k > 1 && k % avoid !== 0) return { target: losses[j]!, k };
  }
  throw new Error("no such target in the reference run");
}

function assertStopPoint(h: HistoryPoint[], k: number, loss: number) {
  const last = h.at(-1)!;
  assert.equal(last.step, k, "step of the stop");
  assert.equal(last.epoch, k / STEPS, "epoch of the stop (fractional in mid-epoch)");
  assert.equal(last.trainLoss, loss, "loss at the stop");
  // one point per completed epoch before it (evalEvery 1), none after
  assert.deepEqual(h.map((p) => p.step), [
    ...Array.from({ length: Math.floor((k - 1) / STEPS) + 1 }, (_, e) => e * STEPS),
    k,
  ]);
}

Deno.test("stopAtLoss: stops right after the first step whose training loss is ≤ target (mid-epoch)", async () => {
  const ref = reference();
  // the hand-stepped reference is trainModel's run without the option, bit for bit
  const plain = await train();
  assert.deepEqual(plain.theta, ref.thetas.at(-1));
  assert.deepEqual(plain.h.map((p) => p.trainLoss), ref.losses.filter((_, k) => k % STEPS === 0));

  const { target, k } = targetStoppingOff(ref.losses, STEPS);
  const r = await train({ stopAtLoss: { target } });
  assertStopPoint(r.h, k, ref.losses[k]!);
  assert.ok(ref.losses.slice(0, k).every((l) => l > target), "no earlier step is at the target");
  assert.deepEqual(r.theta, ref.thetas[k], "parameters after exactly k steps");
  // onEpoch only for the epochs completed
  assert.deepEqual(r.onEpoch, Array.from({ length: Math.floor(k / STEPS) }, (_, e) => e + 1));
  assert.ok(r.h.at(-1)!.epoch % 1 !== 0, `a mid-epoch stop (${r.h.at(-1)!.epoch})`);

  // the same over lossIndices: the loss checked is the one the history reports
  const idx = [0, 3, 5, 8, 13, 21];
  const refIdx = reference(idx);
  const t2 = targetStoppingOff(refIdx.losses, STEPS);
  const r2 = await train({ stopAtLoss: { target: t2.target }, lossIndices: idx });
  assertStopPoint(r2.h, t2.k, refIdx.losses[t2.k]!);
  assert.deepEqual(r2.theta, refIdx.thetas[t2.k]);
});

Deno.test("stopAtLoss: a stop at the end of an epoch gives the integer epoch, after its onEpoch", async () => {
  const ref = reference();
  const j = ref.losses.findIndex((_, k) => {
    const first = firstAt(ref.losses, ref.losses[k]!);
    return first > 0 && first % STEPS === 0;
  });
  assert.ok(j > 0, "a target first reached at an epoch's end");
  const k = firstAt(ref.losses, ref.losses[j]!);
  const r = await train({ stopAtLoss: { target: ref.losses[j]! }, evalEvery: 2 });
  assert.equal(r.h.at(-1)!.step, k);
  assert.equal(r.h.at(-1)!.epoch, k / STEPS);
  assert.ok(Number.isInteger(r.h.at(-1)!.epoch));
  assert.deepEqual(r.onEpoch, Array.from({ length: k / STEPS }, (_, e) => e + 1));
  // one point for the stop, also when the epoch is one evalEvery evaluates
  assert.equal(r.h.filter((p) => p.step === k).length, 1);
  assert.deepEqual(r.theta, ref.thetas[k]);
});

/**
 * The rule of `every` = k: checks after every k-th step of the run and at every epoch end; at a
 * check at the target, the first step since the previous check at the target. -1: never.
 */
function stopWith(losses: number[], target: number, every: number): number {
  if (losses[0]! <= target) return 0;
  let previous = 0;
  for (let k = 1; k < losses.length; k++) {
    if (k % every !== 0 && k % STEPS !== 0) continue;
    if (losses[k]! <= target) {
      for (let j = previous + 1; j <= k; j++) if (losses[j]! <= target) return j;
    }
    previous = k;
  }
  return -1;
}

Deno.test("stopAtLoss every > 1: checks every k steps and at epoch ends, then replays to the first step at the target", async () => {
  const ref = reference();
  const every = 4;
  // every loss of the reference as a target: the run stops where the rule says, with the
  // reference's parameters after exactly that many steps (the replayed steps repeat bit for bit)
  const targets = [...new Set(ref.losses.slice(1))];
  let replayed = 0, dipped = 0;
  // tensors a run leaves (its model and oracle): the same with replays (saved weights disposed)
  let before = tf.memory().numTensors;
  await train({ stopAtLoss: { target: targets[5]! } });
  const kept = tf.memory().numTensors - before;
  for (const target of targets) {
    before = tf.memory().numTensors;
    // never at a check: every epoch is run
    const k = stopWith(ref.losses, target, every) < 0
      ? EPOCHS * STEPS
      : stopWith(ref.losses, target, every);
    const r = await train({ stopAtLoss: { target, every } });
    assert.equal(tf.memory().numTensors - before, kept);
    assert.equal(r.h.at(-1)!.step, k, `target ${target}`);
    assert.equal(r.h.at(-1)!.trainLoss, ref.losses[k]);
    assert.deepEqual(r.theta, ref.thetas[k]);
    // a stop between checks: only the replay finds it
    if (k % every !== 0 && k % STEPS !== 0) replayed++;
    // a stop later than checking every step: the loss dipped below the target between checks
    if (k !== firstAt(ref.losses, target)) dipped++;
  }
  assert.ok(replayed > 0, "some targets stop between two checks");
  assert.ok(dipped > 0, "some targets tell the rule from checking every step");
  assert.ok(dipped < targets.length / 2, "mostly the same stop as checking every step");
});

Deno.test("stopAtLoss: a target never reached runs every epoch, exactly as without the option", async () => {
  const ref = reference();
  const plain = await train();
  const never = await train({ stopAtLoss: { target: Math.min(...ref.losses) / 2 } });
  assert.deepEqual(never.theta, plain.theta);
  assert.equal(never.next, plain.next, "the data order drew the same numbers");
  assert.deepEqual(never.onEpoch, plain.onEpoch);
  const strip = (h: HistoryPoint[]) => h.map(({ seconds: _, ...p }) => p);
  assert.deepEqual(strip(never.h), strip(plain.h));
  assert.equal(never.h.at(-1)!.step, EPOCHS * STEPS);
});

Deno.test("stopAtLoss: a model already at the target is not trained (step 0)", async () => {
  const ref = reference();
  const r = await train({ stopAtLoss: { target: ref.losses[0]! } });
  assert.equal(r.h.length, 1);
  assert.equal(r.h[0]!.step, 0);
  assert.deepEqual(r.theta, ref.thetas[0]);
  assert.deepEqual(r.onEpoch, []);
  const fresh = createPrng(ORDER);
  assert.equal(r.next, fresh(), "no permutation was drawn");
});

Deno.test("stopAtLoss with shards: the pooled path stops at the first step at the target too", async () => {
  // full batch: one step per epoch, so the run without the option reports the loss after every step
  const run = async (stopAtLoss?: TrainOptions["stopAtLoss"]) => {
    const { model, oracle } = smallProblem();
    const thetas = [oracle.getParams()];
    const h = await trainModel(model, oracle, oracle, {
      lr: LR,
      batchSize: N,
      epochs: 8,
      prng: createPrng(ORDER),
      shards: 2,
      onEpoch: () => thetas.push(oracle.getParams()),
      stopAtLoss,
    });
    return { h, thetas };
  };
  const plain = await run();
  const losses = plain.h.map((p) => p.trainLoss);
  const target = (losses[4]! + losses[5]!) / 2; // GD on this problem lowers the loss at every step
  const k = firstAt(losses, target);
  assert.ok(k >= 3 && k < 8, `first step at the target: ${k} (losses ${losses.join(", ")})`);
  const r = await run({ target });
  assert.equal(r.h.at(-1)!.step, k);
  assert.equal(r.h.at(-1)!.trainLoss, losses[k]);
  assert.deepEqual(r.thetas.at(-1), plain.thetas[k]);
  assert.equal(r.h.length, k + 1);
});

Deno.test("stopAtLoss: bad arguments throw, naming the argument and the value", async () => {
  const cases: [unknown, RegExp, typeof RangeError | typeof TypeError][] = [
    [null, /stopAtLoss must be an object, got null/, TypeError],
    [0.1, /stopAtLoss must be an object, got 0\.1/, TypeError],
    [{}, /stopAtLoss\.target must be a finite number, got undefined/, RangeError],
    [{ target: NaN }, /stopAtLoss\.target must be a finite number, got NaN/, RangeError],
    [{ target: Infinity }, /stopAtLoss\.target must be a finite number, got Infinity/, RangeError],
    [{ target: "0.1" }, /stopAtLoss\.target must be a finite number, got "?0\.1"?/, RangeError],
    [{ target: 0.1, every: 0 }, /stopAtLoss\.every must be an integer >= 1, got 0/, RangeError],
    [
      { target: 0.1, every: 1.5 },
      /stopAtLoss\.every must be an integer >= 1, got 1\.5/,
      RangeError,
    ],
    [{ target: 0.1, every: -2 }, /stopAtLoss\.every must be an integer >= 1, got -2/, RangeError],
  ];
  for (const [stopAtLoss, message, type] of cases) {
    const { model, oracle } = smallProblem();
    const before = oracle.getParams();
    await assert.rejects(
      () =>
        trainModel(model, oracle, oracle, {
          lr: LR,
          batchSize: BATCH,
          epochs: 1,
          prng: createPrng(1),
          stopAtLoss: stopAtLoss as TrainOptions["stopAtLoss"],
        }),
      (e: Error) => e instanceof type && message.test(e.message),
      `${JSON.stringify(stopAtLoss)}`,
    );
    assert.deepEqual(oracle.getParams(), before, "nothing trained before the error");
  }
});
