/**
 * {@link trainModel} through the cache of results (`lib/notebook/cache.ts`): a run whose inputs
 * have all been seen before loads its trained weights, history and snapshots from disk instead of
 * training, bit for bit what training gives.
 *
 * The key holds everything the run depends on: the model's name, parameter shapes and initial
 * parameters (so the architecture, its initialisation and its seed), the training and test data
 * (hashes of the inputs and targets, so the split), the step size, batch size, epochs,
 * evaluation interval and snapshot epochs, the state of the data-order generator (a
 * {@link CountedPrng}: seed and draws so far), the TensorFlow.js version and backend, and (added
 * by the cache) the source of every file of `lib/` that `lib/models/mod.ts` imports, the package
 * lock and the Deno/V8 versions. On a hit the
 * generator is advanced by the draws the run made (one per training example per epoch), so code
 * that keeps drawing from it sees the same numbers as after a real run.
 *
 * @module
 */
import { readFloat32, tf } from "./tf.ts";
import type { Model } from "./mlp.ts";
import type { TfjsOracle } from "./tfjs_oracle.ts";
import { type HistoryPoint, trainModel } from "./train.ts";
import { defaultCache, ResultCache } from "../notebook/cache.ts";
import { sha256Hex } from "../notebook/cache_key.ts";
import { type CountedPrng, isCountedPrng } from "../notebook/counted_prng.ts";
import { assertInteger, assertPositive } from "../stats/validate.ts";

/** What identifies a model's state: its name, parameter shapes and the hash of its parameters. */
export interface ModelFingerprint {
  name: string;
  shapes: number[][];
  /** SHA-256 of the float32 parameters, in order */
  parameters: string;
}

/** The name, parameter shapes and a SHA-256 of the current parameters of `model`. */
export function modelFingerprint(model: Model): ModelFingerprint {
  if (typeof model !== "object" || model === null || !Array.isArray(model.params)) {
    throw new TypeError(`model must be a Model with a params array, got ${model}`);
  }
  return {
    name: model.name,
    shapes: model.params.map((p) => [...p.shape]),
    parameters: sha256Hex(...model.params.map((p) => p.dataSync() as Float32Array)),
  };
}

/** What identifies an oracle's data. */
export interface DataFingerprint {
  size: number;
  features: number;
  classes: number;
  /** SHA-256 of the float32 inputs and one-hot targets */
  sha256: string;
}

const dataPrints = new WeakMap<TfjsOracle, DataFingerprint>();

/**
 * The size and a SHA-256 of the inputs and targets of `oracle` (computed once per oracle).
 * @param name how an error names the argument
 */
export function dataFingerprint(oracle: TfjsOracle, name = "oracle"): DataFingerprint {
  if (typeof oracle !== "object" || oracle === null || !(oracle.x instanceof tf.Tensor)) {
    throw new TypeError(`${name} must be a TfjsOracle, got ${oracle}`);
  }
  let fp = dataPrints.get(oracle);
  if (!fp) {
    fp = {
      size: oracle.size,
      features: oracle.x.shape[1],
      classes: oracle.y.shape[1],
      sha256: sha256Hex(oracle.x.dataSync() as Float32Array, oracle.y.dataSync() as Float32Array),
    };
    dataPrints.set(oracle, fp);
  }
  return fp;
}

/** The parameters of `model` as one float32 vector (the order of `params`, each flattened). */
export function flatParams(model: Model): Float32Array {
  const out = new Float32Array(model.params.reduce((s, p) => s + p.size, 0));
  let off = 0;
  for (const p of model.params) {
    readFloat32(p, out, off);
    off += p.size;
  }
  return out;
}

/** Replaces the parameters of `model` by `flat` (shapes kept; the old tensors are disposed). */
export function setFlatParams(model: Model, flat: Float32Array): void {
  const total = model.params.reduce((s, p) => s + p.size, 0);
  if (!(flat instanceof Float32Array) || flat.length !== total) {
    throw new RangeError(
      `flat must be a Float32Array of length ${total}, got ${flat?.constructor?.name} of ` +
        `length ${flat?.length}`,
    );
  }
  let off = 0;
  const next = model.params.map((p) => {
    const t = tf.tensor(flat.slice(off, off + p.size), p.shape);
    off += p.size;
    return t;
  });
  for (const p of model.params) p.dispose();
  model.params = next;
}

/** Options of {@link trainModelCached}. */
export interface CachedTrainOptions {
  lr: number;
  batchSize: number;
  epochs: number;
  /** the data order: a counted generator, whose state is part of the key */
  prng: CountedPrng;
  /** evaluate every this many epochs (integer ≥ 1, default 1) */
  evalEvery?: number;
  /** label of the progress bar and of the cache messages (default: the model's name) */
  label?: string;
  /** epochs after which the parameters are kept (0: before training) */
  snapshotEpochs?: readonly number[];
  /** the cache (default: {@link defaultCache}, from the environment) */
  cache?: ResultCache;
  /** gradients from a pool of workers with this many shards (see {@link trainModel}; in the key) */
  shards?: number;
  /** training examples on which the training loss is evaluated (default all; in the key) */
  lossIndices?: ArrayLike<number>;
}

/** What {@link trainModelCached} returns. */
export interface CachedTraining {
  /** as {@link trainModel} returns it (the `seconds` are those of the run that trained) */
  history: HistoryPoint[];
  /** parameters after each requested epoch, as `TfjsOracle.getParams()` gives them */
  snapshots: Map<number, Float64Array>;
  /** true when loaded from the cache */
  fromCache: boolean;
  /** the cache file (absent when the cache is off) */
  file?: string;
}

interface Stored {
  history: HistoryPoint[];
  params: Float32Array;
  snapshots: [number, Float32Array][];
}

/**
 * Trains `model` in place like {@link trainModel}, or loads the result of an identical earlier
 * run from the cache. Either way the model ends with the trained parameters, the history is
 * returned, the snapshots are taken, and `prng` has made the same draws.
 *
 * @param model the network (trained in place)
 * @param train its training oracle (`train.model === model`)
 * @param test its test oracle (`test.model === model`)
 */
export async function trainModelCached(
  model: Model,
  train: TfjsOracle,
  test: TfjsOracle,
  options: CachedTrainOptions,
): Promise<CachedTraining> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`options must be an object, got ${options}`);
  }
  const {
    lr,
    batchSize,
    epochs,
    prng,
    evalEvery = 1,
    label,
    snapshotEpochs = [],
    cache = defaultCache(),
    shards,
    lossIndices,
  } = options;
  modelFingerprint(model);
  dataFingerprint(train, "train");
  dataFingerprint(test, "test");
  if (train.model !== model) throw new TypeError("train must be an oracle of model");
  if (test.model !== model) throw new TypeError("test must be an oracle of model");
  assertPositive("lr", lr);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > train.size) {
    throw new RangeError(`batchSize must be an integer in [1, ${train.size}], got ${batchSize}`);
  }
  assertInteger("epochs", epochs, 0);
  assertInteger("evalEvery", evalEvery, 1);
  if (!isCountedPrng(prng)) {
    throw new TypeError(
      "prng must be a CountedPrng (countedPrng(seed)), so that its state can be part of the " +
        `cache key, got ${typeof prng === "function" ? "a plain generator" : typeof prng}`,
    );
  }
  if (!Array.isArray(snapshotEpochs)) {
    throw new TypeError(`snapshotEpochs must be an array of epochs, got ${snapshotEpochs}`);
  }
  snapshotEpochs.forEach((e, i) => {
    if (!Number.isInteger(e) || e < 0 || e > epochs) {
      throw new RangeError(`snapshotEpochs[${i}] must be an integer in [0, ${epochs}], got ${e}`);
    }
  });
  if (!(cache instanceof ResultCache)) {
    throw new TypeError(`cache must be a ResultCache, got ${cache}`);
  }
  const marks = [...new Set(snapshotEpochs)].sort((a, b) => a - b);
  const parts = {
    model: modelFingerprint(model),
    train: dataFingerprint(train),
    test: dataFingerprint(test),
    lr,
    batchSize,
    epochs,
    evalEvery,
    snapshotEpochs: marks,
    // the float32 order of a pooled gradient's sums (absent: in-process, as before)
    ...(shards === undefined ? {} : { shards }),
    ...(lossIndices === undefined ? {} : { lossIndices: Array.from(lossIndices) }),
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
  };
  const want = new Set(marks);
  const result = await cache.cached<Stored>("train", parts, async () => {
    const snapshots: [number, Float32Array][] = [];
    if (want.has(0)) snapshots.push([0, flatParams(model)]);
    const history = await trainModel(model, train, test, {
      lr,
      batchSize,
      epochs,
      prng,
      evalEvery,
      label,
      shards,
      lossIndices,
      onEpoch: (e) => {
        if (want.has(e)) snapshots.push([e, flatParams(model)]);
      },
    });
    return { history, params: flatParams(model), snapshots };
  }, {
    prngs: { order: prng },
    label: label ?? model.name,
    verb: "trained",
    // the library version in the key: every file the models, training and oracles import
    library: ["models/mod.ts"],
  });
  if (result.hit) setFlatParams(model, result.value.params);
  train.dropGradientCache();
  test.dropGradientCache();
  return {
    history: result.value.history,
    snapshots: new Map(result.value.snapshots.map(([e, p]) => [e, Float64Array.from(p)])),
    fromCache: result.hit,
    file: result.file,
  };
}
