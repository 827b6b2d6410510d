import assert from "node:assert/strict";
import { initBackend, tf } from "../../lib/models/tf.ts";
import { createMlp } from "../../lib/models/mlp.ts";
import { createResNet } from "../../lib/models/resnet.ts";
import { TfjsOracle } from "../../lib/models/tfjs_oracle.ts";
import { trainModel } from "../../lib/models/train.ts";
import {
  dataFingerprint,
  modelFingerprint,
  trainModelCached,
} from "../../lib/models/cached_training.ts";
import { ResultCache } from "../../lib/notebook/cache.ts";
import { type CountedPrng, countedPrng } from "../../lib/notebook/counted_prng.ts";
import { sgnShape } from "../../lib/noise/sgn_shape.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";

await initBackend("wasm");

const tempDirs: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const d of tempDirs) Deno.removeSync(d, { recursive: true });
});

function tempCache(enabled = true) {
  const dir = Deno.makeTempDirSync({ prefix: "sgd-train-cache-test-" });
  tempDirs.push(dir);
  const lines: string[] = [];
  return { dir, lines, cache: new ResultCache({ dir, enabled, log: (l) => void lines.push(l) }) };
}

/** A small classification problem: 40 points in 6 dimensions, 3 classes, an MLP 6-5-3. */
function problem({ initSeed = 4, dataSeed = 5 } = {}) {
  const n = 40, d = 6;
  const x = Float32Array.from(sampleNormal(createPrng(dataSeed), n * d));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const model = createMlp({ sizes: [d, 5, 3], prng: createPrng(initSeed) });
  const train = new TfjsOracle(model, x.subarray(0, 30 * d), labels.subarray(0, 30), {
    classes: 3,
  });
  const test = new TfjsOracle(model, x.subarray(30 * d), labels.subarray(30), { classes: 3 });
  const dispose = () => {
    train.dispose();
    test.dispose();
    for (const p of model.params) p.dispose();
  };
  return { model, train, test, dispose };
}

/** A history without its wall-clock seconds. */
const untimed = (h: { seconds: number }[]) => h.map(({ seconds: _, ...rest }) => rest);

const base = { lr: 0.2, batchSize: 5, epochs: 6, evalEvery: 2, snapshotEpochs: [0, 3, 6] };

/** Trains through the cache and returns everything a notebook would use afterwards. */
async function cachedRun(
  cache: ResultCache,
  { seed = 9, skip = 0, options = {}, init = {} }: {
    seed?: number;
    skip?: number;
    options?: Partial<typeof base>;
    init?: { initSeed?: number; dataSeed?: number };
  } = {},
) {
  const p = problem(init);
  const prng = countedPrng(seed);
  prng.advance(skip);
  const r = await trainModelCached(p.model, p.train, p.test, { ...base, ...options, prng, cache });
  const theta = p.train.getParams();
  const after = [prng(), prng()];
  p.dispose();
  return { ...r, theta, after, state: prng.state };
}

Deno.test("trainModelCached: a miss trains exactly as trainModel; the hit loads the same bits", async () => {
  const { cache, lines } = tempCache();
  // the reference: plain trainModel with the same generator, snapshots by onEpoch
  const p = problem();
  const snaps = new Map<number, Float64Array>([[0, p.train.getParams()]]);
  const prng = createPrng(9);
  const history = await trainModel(p.model, p.train, p.test, {
    ...base,
    prng,
    onEpoch: (e) => {
      if (base.snapshotEpochs.includes(e)) snaps.set(e, p.train.getParams());
    },
  });
  const reference = { history, theta: p.train.getParams(), snaps, after: [prng(), prng()] };
  p.dispose();

  const miss = await cachedRun(cache);
  assert.equal(miss.fromCache, false);
  assert.match(
    lines.at(-1)!,
    /^MLP 6-5-3: trained in \d+\.\d s, saved to cache .*train-[0-9a-f]{32}\.sgdcache$/,
  );
  const hit = await cachedRun(cache);
  assert.equal(hit.fromCache, true);
  assert.equal(hit.file, miss.file);
  assert.match(
    lines.at(-1)!,
    /^MLP 6-5-3: loaded from cache .* \(trained in \d+\.\d s on .* UTC\)$/,
  );
  // seconds are wall time: equal between the miss and the hit, not with the reference run
  assert.deepEqual(hit.history, miss.history);
  for (const r of [miss, hit]) {
    assert.deepEqual(r.theta, reference.theta);
    assert.deepEqual(untimed(r.history), untimed(reference.history));
    assert.deepEqual(r.snapshots, reference.snaps);
    // the data-order generator made the same draws: 30 per epoch
    assert.deepEqual(r.after, reference.after);
    assert.deepEqual(r.state, { seed: 9, draws: 6 * 30 + 2 });
  }
});

Deno.test("trainModelCached: any change of the inputs retrains", async () => {
  const { cache } = tempCache();
  assert.equal((await cachedRun(cache)).fromCache, false);
  assert.equal((await cachedRun(cache)).fromCache, true);
  const changes = [
    { options: { lr: 0.1 } },
    { options: { batchSize: 6 } },
    { options: { epochs: 7 } },
    { options: { evalEvery: 3 } },
    { options: { snapshotEpochs: [0, 6] } },
    { seed: 10 },
    { skip: 1 }, // the same seed, one draw further on
    { init: { initSeed: 7 } }, // other initial weights
    { init: { dataSeed: 6 } }, // other data
  ];
  for (const change of changes) {
    const r = await cachedRun(cache, change);
    assert.equal(r.fromCache, false, JSON.stringify(change));
    assert.equal((await cachedRun(cache, change)).fromCache, true, JSON.stringify(change));
  }
});

Deno.test("trainModelCached: a truncated or corrupted file is retrained, never used", async () => {
  const { cache, lines } = tempCache();
  const first = await cachedRun(cache);
  for (const damage of ["truncate", "flip"]) {
    const bytes = Deno.readFileSync(first.file!);
    if (damage === "truncate") {
      Deno.writeFileSync(first.file!, bytes.subarray(0, bytes.length >> 1));
    } else {
      bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x10;
      Deno.writeFileSync(first.file!, bytes);
    }
    const again = await cachedRun(cache);
    assert.equal(again.fromCache, false, damage);
    assert.deepEqual(again.theta, first.theta);
    assert.deepEqual(untimed(again.history), untimed(first.history));
    assert.match(
      lines.filter((l) => /corrupt/.test(l)).at(-1)!,
      damage === "truncate" ? /truncated/ : /checksum/,
    );
    assert.equal((await cachedRun(cache)).fromCache, true);
  }
});

Deno.test("trainModelCached: with the cache off it trains every time, same results", async () => {
  const { cache, dir } = tempCache(false);
  const a = await cachedRun(cache), b = await cachedRun(cache);
  assert.equal(a.fromCache || b.fromCache, false);
  assert.equal(a.file, undefined);
  assert.deepEqual(a.theta, b.theta);
  assert.deepEqual([...Deno.readDirSync(dir)], []);
});

Deno.test("tensor count returns to its baseline after trainModel, trainModelCached (miss and hit)", async () => {
  const { cache } = tempCache();
  const p = problem();
  const init = p.train.getParams();
  const baseline = tf.memory().numTensors;
  await trainModel(p.model, p.train, p.test, { ...base, prng: createPrng(1) });
  assert.equal(tf.memory().numTensors, baseline, "trainModel");
  for (const what of ["miss", "hit"]) {
    p.train.setParams(init);
    const r = await trainModelCached(p.model, p.train, p.test, {
      ...base,
      prng: countedPrng(2),
      cache,
    });
    assert.equal(r.fromCache, what === "hit");
    assert.equal(tf.memory().numTensors, baseline, what);
  }
  p.dispose();
});

Deno.test("tensor count returns to its baseline after notebook 02's main loop (train, SGN at two points)", async () => {
  const { cache } = tempCache();
  const n = 48, side = 8;
  const x = Float32Array.from({ length: n * side * side }, (_, i) => ((i * 7919) % 101) / 100);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const model = createResNet({ prng: createPrng(3), widths: [2, 4], side });
  const train = new TfjsOracle(model, x, labels, { chunkSize: 16 });
  const test = new TfjsOracle(model, x.subarray(0, 16 * side * side), labels.subarray(0, 16));
  const baseline = tf.memory().numTensors;
  const init = train.getParams();
  for (let pass = 0; pass < 2; pass++) {
    train.setParams(init);
    await trainModelCached(model, train, test, {
      lr: 0.05,
      batchSize: 8,
      epochs: 1,
      prng: countedPrng(4),
      cache,
    });
    const trained = train.getParams();
    for (const theta of [trained, init]) {
      train.setParams(theta);
      train.cachePerExampleGradients();
      sgnShape(train, {
        batchSizes: [4, 8],
        batches: 60,
        coordinates: 2,
        resamples: 10,
        prng: createPrng(5),
      });
      train.dropGradientCache();
    }
    train.setParams(trained);
    assert.equal(tf.memory().numTensors, baseline, `pass ${pass}`);
  }
  train.dispose();
  test.dispose();
  for (const p of model.params) p.dispose();
});

Deno.test("fingerprints: the model's parameters and the oracle's data, by content", () => {
  const a = problem(), b = problem(), c = problem({ initSeed: 8, dataSeed: 9 });
  assert.deepEqual(modelFingerprint(a.model), modelFingerprint(b.model));
  assert.notEqual(modelFingerprint(a.model).parameters, modelFingerprint(c.model).parameters);
  assert.deepEqual(modelFingerprint(a.model).shapes, [[6, 5], [5], [5, 3], [3]]);
  assert.deepEqual(dataFingerprint(a.train), dataFingerprint(b.train));
  assert.notEqual(dataFingerprint(a.train).sha256, dataFingerprint(c.train).sha256);
  assert.notEqual(dataFingerprint(a.train).sha256, dataFingerprint(a.test).sha256);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => dataFingerprint({} as any, "train"), /train must be a TfjsOracle/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => modelFingerprint(null as any), /model must be a Model/);
  for (const p of [a, b, c]) p.dispose();
});

Deno.test("trainModelCached: bad input is an error naming the argument", async () => {
  const { cache } = tempCache();
  const p = problem(), q = problem();
  const ok = { ...base, prng: countedPrng(1), cache };
  const bad: [Record<string, unknown>, RegExp, ...[unknown?, unknown?]][] = [
    [
      { prng: createPrng(1) },
      /prng must be a CountedPrng \(countedPrng\(seed\)\).*got a plain generator/,
    ],
    [{ lr: -1 }, /lr must be a finite number > 0, got -1/],
    [{ batchSize: 31 }, /batchSize must be an integer in \[1, 30\], got 31/],
    [{ epochs: 1.5 }, /epochs must be an integer/],
    [{ evalEvery: 0 }, /evalEvery must be an integer >= 1, got 0/],
    [{ snapshotEpochs: [0, 7] }, /snapshotEpochs\[1\] must be an integer in \[0, 6\], got 7/],
    [{ snapshotEpochs: 3 }, /snapshotEpochs must be an array of epochs, got 3/],
    [{ cache: {} }, /cache must be a ResultCache/],
  ];
  for (const [change, message] of bad) {
    await assert.rejects(
      () => trainModelCached(p.model, p.train, p.test, { ...ok, ...change } as typeof ok),
      message,
    );
  }
  await assert.rejects(
    () => trainModelCached(p.model, q.train, p.test, ok),
    /train must be an oracle of model/,
  );
  await assert.rejects(
    () => trainModelCached(p.model, p.train, q.test, ok),
    /test must be an oracle of model/,
  );
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    () => trainModelCached(p.model, p.train, p.test, null as any),
    /options must be an object, got null/,
  );
  p.dispose();
  q.dispose();
  // nothing was trained or written by a rejected call
  assert.deepEqual(cache.list(), []);
  const prng: CountedPrng = countedPrng(1);
  assert.deepEqual(prng.state, { seed: 1, draws: 0 });
});
