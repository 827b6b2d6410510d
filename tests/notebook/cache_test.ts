import assert from "node:assert/strict";
import { serialize } from "node:v8";
import { cacheEnabledFrom, ResultCache } from "../../lib/notebook/cache.ts";
import {
  canonicalJson,
  hashKey,
  libraryClosure,
  libraryVersion,
} from "../../lib/notebook/cache_key.ts";
import { CACHE_EXTENSION, decodeEntry, encodeEntry } from "../../lib/notebook/cache_file.ts";
import {
  type CountedPrng,
  countedPrng,
  isCountedPrng,
  splitCountedPrng,
} from "../../lib/notebook/counted_prng.ts";
import { createPrng, splitPrng } from "../../lib/stats/random.ts";

const tempDirs: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const d of tempDirs) Deno.removeSync(d, { recursive: true });
});

/** A cache in a fresh temporary folder whose messages are collected. */
function tempCache(enabled = true) {
  const dir = Deno.makeTempDirSync({ prefix: "sgd-cache-test-" });
  tempDirs.push(dir);
  const lines: string[] = [];
  const cache = new ResultCache({ dir, enabled, log: (l) => void lines.push(l) });
  return { dir, lines, cache, files: () => [...Deno.readDirSync(dir)].map((e) => e.name).sort() };
}

/** A deterministic "expensive" computation that draws from `prng`. */
function experiment(size: number, prng: () => number) {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = prng() - 0.5;
  return {
    x,
    mean: x.reduce((a, b) => a + b, 0) / size,
    counts: new Int32Array([1, 2, 3]),
    special: [NaN, -0, Infinity],
    nested: { label: "run", map: new Map([[1, new Float32Array([0.1, 0.2])]]) },
  };
}

Deno.test("canonicalJson: key order does not matter; typed arrays are hashed by type and bytes", () => {
  assert.equal(canonicalJson({ b: 1, a: [2, "x"] }), canonicalJson({ a: [2, "x"], b: 1 }));
  assert.equal(canonicalJson({ a: 1, skip: undefined }), '{"a":1}');
  assert.equal(canonicalJson(-0), "0");
  const f = canonicalJson({ w: new Float32Array([1, 2]) });
  assert.match(f, /"\$typed":"Float32Array","length":2,"sha256":"[0-9a-f]{64}"/);
  assert.notEqual(f, canonicalJson({ w: new Float64Array([1, 2]) }));
  assert.notEqual(f, canonicalJson({ w: new Float32Array([1, 2.5]) }));
  assert.equal(hashKey({ b: 1, a: 2 }), hashKey({ a: 2, b: 1 }));
  assert.notEqual(hashKey({ a: 2 }), hashKey({ a: 3 }));
});

Deno.test("canonicalJson: values that cannot be keys are TypeErrors naming their path", () => {
  assert.throws(
    () => canonicalJson({ p: { lr: NaN } }),
    /key\.p\.lr must be a finite number, got NaN/,
  );
  assert.throws(
    () => canonicalJson({ f: () => 1 }),
    /key\.f cannot be part of a cache key: got a function/,
  );
  assert.throws(
    () => canonicalJson({ d: new Date(0) }),
    /key\.d cannot be part of a cache key: a Date/,
  );
  assert.throws(() => canonicalJson([1, undefined]), /key\[1\] must not be undefined/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(
    () => canonicalJson(cyclic, "parts"),
    /parts\.self cannot be part of a cache key: a cycle/,
  );
  // the same object twice (not a cycle) is fine
  const shared = { a: 1 };
  assert.equal(canonicalJson({ x: shared, y: shared }), '{"x":{"a":1},"y":{"a":1}}');
});

Deno.test("countedPrng: the createPrng stream, with its draws counted and advance() skipping", () => {
  const a = countedPrng(7), b = createPrng(7);
  for (let i = 0; i < 5; i++) assert.equal(a(), b());
  assert.deepEqual(a.state, { seed: 7, draws: 5 });
  a.advance(10);
  for (let i = 0; i < 10; i++) b();
  assert.equal(a(), b());
  assert.deepEqual(a.state, { seed: 7, draws: 16 });
  assert.ok(isCountedPrng(a));
  assert.ok(!isCountedPrng(b));
  assert.throws(() => a.advance(-1), /n must be an integer >= 0, got -1/);
  assert.throws(() => countedPrng(-1), /seed must be an integer in \[0, 2\^32\), got -1/);
});

Deno.test("countedPrng: restore() continues from a snapshot taken n draws on, like advance(n)", () => {
  const a = countedPrng(9), b = countedPrng(9), c = createPrng(9);
  a();
  b();
  c();
  const ahead = countedPrng(9);
  ahead.advance(1 + 1000);
  b.restore(ahead.snapshot(), 1000);
  a.advance(1000);
  for (let i = 0; i < 1000; i++) c();
  for (let i = 0; i < 5; i++) {
    const x = c();
    assert.equal(a(), x);
    assert.equal(b(), x);
  }
  assert.deepEqual(b.state, { seed: 9, draws: 1006 });
  assert.throws(() => b.restore([1, 2], 3), /snapshot must be an MT19937 state of 625 numbers/);
});

Deno.test("splitCountedPrng: the stream of splitPrng, and the parent moves on by one draw", () => {
  const p1 = createPrng(5), p2 = createPrng(5);
  const a = splitCountedPrng(p1), b = splitPrng(p2);
  for (let i = 0; i < 5; i++) assert.equal(a(), b());
  assert.equal(p1(), p2());
  assert.deepEqual(a.state.draws, 5);
  assert.throws(() => splitCountedPrng(() => 1), /parent must return numbers in \[0, 1\), got 1/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => splitCountedPrng(3 as any), /parent must be a function/);
});

Deno.test("cached: same parameters load bit-identical values; a changed parameter recomputes", async () => {
  const { cache, lines, files } = tempCache();
  let runs = 0;
  const run = (size: number) =>
    cache.cached("exp", { size }, () => {
      runs++;
      return experiment(size, createPrng(size));
    }, { label: "experiment" });
  const first = await run(50);
  assert.equal(first.hit, false);
  assert.equal(runs, 1);
  assert.match(
    lines.at(-1)!,
    /^experiment: computed in \d+\.\d s, saved to cache .*exp-[0-9a-f]{32}\.sgdcache$/,
  );
  const second = await run(50);
  assert.equal(second.hit, true);
  assert.equal(runs, 1);
  assert.match(
    lines.at(-1)!,
    /^experiment: loaded from cache .*exp-.* \(computed in \d+\.\d s on \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/,
  );
  assert.deepEqual(second.value, first.value);
  assert.deepEqual(second.value, experiment(50, createPrng(50)));
  // bit for bit, NaN, -0 and Infinity included
  const bytesOf = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  assert.deepEqual(bytesOf(second.value.x), bytesOf(experiment(50, createPrng(50)).x));
  assert.ok(Object.is(second.value.special[1], -0));
  assert.equal(second.created, first.created);
  assert.equal(second.seconds, first.seconds);
  const third = await run(51);
  assert.equal(third.hit, false);
  assert.equal(runs, 2);
  assert.equal(files().length, 2);
});

Deno.test("cached: a change of the compute function's source text recomputes", async () => {
  const { cache } = tempCache();
  const a = await cache.cached("code", { n: 1 }, () => 1);
  const b = await cache.cached("code", { n: 1 }, () => 2);
  assert.equal(a.value, 1);
  assert.equal(b.hit, false);
  assert.equal(b.value, 2);
  assert.equal((await cache.cached("code", { n: 1 }, () => 2)).hit, true);
});

Deno.test("cached: the miss returns the value as the cache gives it back (plain data), like a hit", async () => {
  const { cache } = tempCache();
  class Point {
    constructor(readonly x: number) {}
    norm() {
      return Math.abs(this.x);
    }
  }
  const miss = await cache.cached("plain", {}, () => ({ p: new Point(-2) }));
  const hit = await cache.cached("plain", {}, () => ({ p: new Point(-2) }));
  assert.equal(Object.getPrototypeOf(miss.value.p), Object.prototype);
  assert.deepEqual(miss.value, hit.value);
  await assert.rejects(
    () => cache.cached("fn", {}, () => ({ f: () => 1 })),
    /fn: the result of compute cannot be cached/,
  );
});

Deno.test("cached: generators are advanced on a hit, so later draws equal a fresh run's", async () => {
  const { cache } = tempCache();
  const after = async () => {
    const prng = countedPrng(11);
    prng(); // drawn before: the state (seed 11, 1 draw) is part of the key
    const r = await cache.cached("draws", { size: 40 }, () => experiment(40, prng), {
      prngs: { main: prng },
    });
    return { r, next: [prng(), prng(), prng()], state: prng.state };
  };
  const fresh = await after(), loaded = await after();
  assert.equal(fresh.r.hit, false);
  assert.equal(loaded.r.hit, true);
  assert.deepEqual(loaded.next, fresh.next);
  assert.deepEqual(loaded.state, { seed: 11, draws: 44 });
  assert.deepEqual(loaded.r.value, fresh.r.value);
  // a generator in another state is another key
  const moved = countedPrng(11);
  const r = await cache.cached("draws", { size: 40 }, () => experiment(40, moved), {
    prngs: { main: moved },
  });
  assert.equal(r.hit, false);
  await assert.rejects(
    () => cache.cached("draws", {}, () => 1, { prngs: { main: createPrng(1) as CountedPrng } }),
    /prngs\.main must be a CountedPrng \(countedPrng\(seed\)\), so that its state can be part of the key, got a plain generator/,
  );
});

/** Fills the cache with one entry and returns its file. */
async function oneEntry() {
  const t = tempCache();
  let runs = 0;
  const run = () =>
    t.cache.cached("entry", { n: 300 }, () => {
      runs++;
      return experiment(300, createPrng(3));
    });
  const first = await run();
  return { ...t, run, runs: () => runs, file: first.file!, value: first.value };
}

Deno.test("cached: a truncated file is detected, deleted and rebuilt, with one line saying so", async () => {
  for (const keep of [0, 5, 16, 40, 0.5, -1]) {
    const e = await oneEntry();
    const bytes = Deno.readFileSync(e.file);
    const n = keep === 0.5 ? Math.floor(bytes.length / 2) : keep < 0 ? bytes.length - 1 : keep;
    Deno.writeFileSync(e.file, bytes.subarray(0, n));
    const again = await e.run();
    assert.equal(again.hit, false, `truncated to ${n} bytes`);
    assert.equal(e.runs(), 2);
    assert.deepEqual(again.value, e.value);
    const corrupt = e.lines.filter((l) => / is corrupt /.test(l));
    assert.equal(corrupt.length, 1, e.lines.join("\n"));
    assert.match(corrupt[0]!, /entry-[0-9a-f]+\.sgdcache is corrupt \(.*\): deleted, recomputing/);
    // rebuilt: the next run loads it
    assert.equal((await e.run()).hit, true);
  }
});

Deno.test("cached: a changed byte anywhere, a wrong magic or version, extra bytes: rebuilt, never used", async () => {
  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ["payload byte", (b) => (b[b.length - 10] = b[b.length - 10]! ^ 1, b), /checksum mismatch/],
    ["magic", (b) => (b[0] = 0x58, b), /bad magic/],
    ["version", (b) => (b[8] = 99, b), /format version 99, expected 1/],
    ["header byte", (b) => (b[20] = 0xff, b), /unreadable header|lacks its fields/],
    ["appended", (b) => Uint8Array.from([...b, 0, 1]), /too long/],
  ];
  for (const [what, damage, reason] of cases) {
    const e = await oneEntry();
    Deno.writeFileSync(e.file, damage(Deno.readFileSync(e.file)));
    const again = await e.run();
    assert.equal(again.hit, false, what);
    assert.deepEqual(again.value, e.value, what);
    assert.match(e.lines.find((l) => / is corrupt /.test(l)) ?? "", reason, what);
  }
  // a file holding another key (e.g. copied over) is not used either
  const e = await oneEntry();
  const other = await e.cache.cached("entry", { n: 301 }, () => 1);
  Deno.copyFileSync(other.file!, e.file);
  assert.equal((await e.run()).hit, false);
  assert.match(e.lines.find((l) => / is corrupt /.test(l)) ?? "", /holds another key/);
});

Deno.test("encodeEntry/decodeEntry: round trip, and the checks name the reason", () => {
  const head = {
    kind: "k",
    key: "abc",
    label: "l",
    created: "2026-01-01T00:00:00Z",
    seconds: 1,
    draws: { a: 3 },
  };
  const good = encodeEntry(head, serialize({ w: new Float32Array([1.5, -2]) }));
  const back = decodeEntry(good, { kind: "k", key: "abc" });
  assert.deepEqual(back.value, { w: new Float32Array([1.5, -2]) });
  assert.equal(back.header.draws.a, 3);
  assert.equal(new TextDecoder().decode(good.subarray(0, 8)), "SGDCACHE");
  const bytes = encodeEntry(head, new Uint8Array([1, 2, 3]));
  assert.throws(() => decodeEntry(bytes, { kind: "k", key: "abd" }), /holds another key/);
  assert.throws(
    () => decodeEntry(bytes.subarray(0, bytes.length - 1)),
    /truncated: payload of 2 bytes, the header says 3/,
  );
  assert.throws(() => decodeEntry(bytes), /payload does not decode/);
});

Deno.test("cached: a disabled cache computes every time and writes nothing", async () => {
  const { cache, files, lines } = tempCache(false);
  let runs = 0;
  for (let i = 0; i < 2; i++) {
    const r = await cache.cached("off", {}, () => ++runs);
    assert.equal(r.hit, false);
    assert.equal(r.file, undefined);
  }
  assert.equal(runs, 2);
  assert.deepEqual(files(), []);
  assert.deepEqual(lines, []);
});

Deno.test("ResultCache.fromEnv: SGD_CACHE_DIR and SGD_CACHE=off; a bad SGD_CACHE is named", () => {
  const saved = { dir: Deno.env.get("SGD_CACHE_DIR"), flag: Deno.env.get("SGD_CACHE") };
  try {
    Deno.env.set("SGD_CACHE_DIR", "/tmp/somewhere/");
    Deno.env.delete("SGD_CACHE");
    const c = ResultCache.fromEnv();
    assert.equal(c.dir, "/tmp/somewhere");
    assert.equal(c.enabled, true);
    Deno.env.set("SGD_CACHE", "off");
    assert.equal(ResultCache.fromEnv().enabled, false);
    Deno.env.set("SGD_CACHE", "maybe");
    assert.throws(() => ResultCache.fromEnv(), /SGD_CACHE must be "on" or "off", got "maybe"/);
    Deno.env.delete("SGD_CACHE_DIR");
    Deno.env.delete("SGD_CACHE");
    assert.match(ResultCache.fromEnv().dir, /\/data\/cache$/);
  } finally {
    for (const [k, v] of [["SGD_CACHE_DIR", saved.dir], ["SGD_CACHE", saved.flag]] as const) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  }
  assert.equal(cacheEnabledFrom(undefined), true);
  assert.equal(cacheEnabledFrom("0"), false);
});

Deno.test("ResultCache: bad arguments are errors naming the argument", async () => {
  assert.throws(() => new ResultCache({ dir: "" }), /dir must be a folder path, got ""/);
  assert.throws(
    () => new ResultCache({ enabled: "yes" as unknown as boolean }),
    /enabled must be a boolean, got yes/,
  );
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new ResultCache({ log: 3 as any }), /log must be a function/);
  const { cache } = tempCache();
  await assert.rejects(
    () => cache.cached("Bad Kind", {}, () => 1),
    /kind must be lower-case letters/,
  );
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => cache.cached("k", {}, 5 as any), /compute must be a function/);
  await assert.rejects(
    () => cache.cached("k", { lr: Infinity }, () => 1),
    /parts\.lr must be a finite number, got Infinity/,
  );
});

Deno.test("list and clear: sizes of the entries; clear removes entries and leftovers, nothing else", async () => {
  const { cache, dir, files } = tempCache();
  await cache.cached("a", { n: 1 }, () => new Float64Array(1000));
  await cache.cached("b", { n: 2 }, () => "small");
  Deno.writeTextFileSync(`${dir}/.a-0123.99-x.tmp`, "partial");
  Deno.writeTextFileSync(`${dir}/README.txt`, "not ours");
  const list = cache.list();
  assert.equal(list.length, 3);
  const a = list.find((e) => e.header?.kind === "a")!;
  assert.ok(a.bytes > 8000, `${a.bytes}`);
  assert.equal(a.bytes, Deno.statSync(a.file).size);
  assert.match(list.find((e) => e.file.endsWith(".tmp"))!.problem!, /unfinished write/);
  const removed = cache.clear();
  assert.equal(removed.files, 3);
  assert.equal(removed.bytes, list.reduce((s, e) => s + e.bytes, 0));
  assert.deepEqual(files(), ["README.txt"]);
  assert.deepEqual(new ResultCache({ dir: `${dir}/missing` }).list(), []);
});

Deno.test("libraryVersion: a SHA-256 of lib/, stable within the process", () => {
  assert.match(libraryVersion(), /^[0-9a-f]{64}$/);
  assert.equal(libraryVersion(), libraryVersion());
  assert.match(libraryVersion(["noise/sgn_shape.ts"]), /^[0-9a-f]{64}$/);
  assert.notEqual(libraryVersion(["noise/sgn_shape.ts"]), libraryVersion());
});

Deno.test("libraryClosure: the files an entry reaches through its imports, and nothing else", () => {
  const sgn = libraryClosure(["noise/sgn_shape.ts"]);
  assert.ok(sgn.includes("noise/sgn_shape.ts"));
  assert.ok(sgn.includes("stats/random.ts"), sgn.join(" "));
  assert.ok(!sgn.some((f) => f.startsWith("dynamics/") || f.startsWith("models/")), sgn.join(" "));
  const models = libraryClosure(["models/mod.ts"]);
  for (const f of ["models/resnet.ts", "models/train.ts", "stats/random.ts", "notebook/cache.ts"]) {
    assert.ok(models.includes(f), `${f} in ${models.join(" ")}`);
  }
  assert.ok(!models.some((f) => f.startsWith("dynamics/") || f.startsWith("curvature/")));
  assert.throws(
    () => libraryClosure(["models/nope.ts"]),
    /library\[0\] must be a file of lib\/, got "models\/nope.ts"/,
  );
  assert.throws(
    () => libraryClosure(["../tools/report.ts"]),
    /library\[0\] must be a \.ts path relative to lib\//,
  );
});

Deno.test("cached: the library option checks its paths and keys on those files only", async () => {
  const { cache } = tempCache();
  const a = await cache.cached("lib", {}, () => 1, { library: ["noise/sgn_shape.ts"] });
  assert.equal(a.hit, false);
  assert.equal(
    (await cache.cached("lib", {}, () => 1, { library: ["noise/sgn_shape.ts"] })).hit,
    true,
  );
  // another set of files is another library version, so another key
  assert.equal((await cache.cached("lib", {}, () => 1)).hit, false);
  await assert.rejects(
    () => cache.cached("lib", {}, () => 1, { library: ["nope.ts"] }),
    /library\[0\] must be a file of lib\//,
  );
});

Deno.test("concurrent writers of the same entry never leave a partial file for a reader", async () => {
  const { dir, cache, lines, files } = tempCache();
  const moduleUrl = new URL("../../lib/notebook/cache.ts", import.meta.url).href;
  const configFile = new URL("../../deno.json", import.meta.url).pathname;
  const script = `${dir}/../writer-${crypto.randomUUID()}.ts`;
  Deno.writeTextFileSync(
    script,
    `import { ResultCache } from ${JSON.stringify(moduleUrl)};
const cache = new ResultCache({ dir: ${JSON.stringify(dir)}, log: () => {} });
const big = new Float64Array(400_000).map((_, i) => i);
for (let i = 0; i < 15; i++) cache.write("shared", "f".repeat(64), { big }, {
  label: "w", created: new Date().toISOString(), seconds: 0, draws: {},
});
`,
  );
  try {
    const writers = Array.from({ length: 3 }, () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", "--config", configFile, script],
        stdout: "null",
        stderr: "piped",
      }).output());
    let reads = 0, hits = 0;
    let done = false;
    const all = Promise.all(writers).then((r) => (done = true, r));
    while (!done) {
      const got = await cache.read("shared", "f".repeat(64));
      reads++;
      if (got) {
        hits++;
        assert.equal((got.value as { big: Float64Array }).big[399_999], 399_999);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    for (const r of await all) assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    assert.deepEqual(lines.filter((l) => /corrupt/.test(l)), [], `${reads} reads`);
    // the reader ran while the writers replaced the file (and found complete entries)
    assert.ok(hits > 0 && reads > hits, `${hits} hits of ${reads} reads`);
    assert.deepEqual(files(), [`shared-${"f".repeat(32)}${CACHE_EXTENSION}`]);
    assert.ok(await cache.read("shared", "f".repeat(64)));
  } finally {
    Deno.removeSync(script);
  }
});
