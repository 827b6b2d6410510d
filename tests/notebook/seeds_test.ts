import assert from "node:assert/strict";
import {
  acrossSeeds,
  combineVerdicts,
  median,
  replicateSeeds,
  strongestVerdict,
  VERDICT_ORDER,
} from "../../lib/notebook/seeds.ts";
import { claimCells, ClaimLog, type Verdict } from "../../lib/notebook/claims.ts";

Deno.test("replicateSeeds: the notebook's seed first, then steps of 1000; bad input is an error", () => {
  assert.deepEqual(replicateSeeds(2026, 1), [2026]);
  assert.deepEqual(replicateSeeds(7, 3), [7, 1007, 2007]);
  assert.throws(() => replicateSeeds(1, 0), /count must be an integer ≥ 1, got 0/);
  assert.throws(() => replicateSeeds(1.5, 2), /base must be an integer, got 1.5/);
});

Deno.test("acrossSeeds: runs each seed in turn, in order, and awaits each run", async () => {
  const order: number[] = [];
  const runs = await acrossSeeds([5, 1005, 2005], async (seed, i) => {
    await new Promise((r) => setTimeout(r, 3 - i));
    order.push(seed);
    return seed + i;
  });
  assert.deepEqual(order, [5, 1005, 2005]);
  assert.deepEqual(runs, [
    { seed: 5, index: 0, result: 5 },
    { seed: 1005, index: 1, result: 1006 },
    { seed: 2005, index: 2, result: 2007 },
  ]);
  await assert.rejects(() => acrossSeeds([], () => 0), /seeds must be a non-empty array/);
  await assert.rejects(() => acrossSeeds([1, 1], () => 0), /seeds must be distinct, got 1, 1/);
  await assert.rejects(() => acrossSeeds([1, NaN], () => 0), /every seed must be an integer/);
});

Deno.test("combineVerdicts: agreement keeps the verdict; otherwise the weakest wins", () => {
  for (const v of VERDICT_ORDER) assert.equal(combineVerdicts([v, v, v]), v);
  assert.equal(combineVerdicts(["reproduced", "partly", "reproduced"]), "partly");
  assert.equal(combineVerdicts(["reproduced", "reproduced", "inconclusive"]), "inconclusive");
  assert.equal(combineVerdicts(["partly", "inconclusive"]), "inconclusive");
  assert.equal(combineVerdicts(["inconclusive", "not reproduced"]), "not reproduced");
  assert.equal(combineVerdicts(["reproduced", "not reproduced", "reproduced"]), "not reproduced");
  // the order does not matter: every permutation of three verdicts gives the same answer
  const all = VERDICT_ORDER as Verdict[];
  for (const a of all) {
    for (const b of all) {
      for (const c of all) {
        const expect = all[Math.min(all.indexOf(a), all.indexOf(b), all.indexOf(c))];
        assert.equal(combineVerdicts([a, b, c]), expect);
        assert.equal(combineVerdicts([c, a, b]), expect);
      }
    }
  }
  assert.throws(() => combineVerdicts([]), /non-empty/);
  assert.throws(() => combineVerdicts(["maybe" as Verdict]), /unknown verdict "maybe"/);
  assert.equal(strongestVerdict(["not reproduced", "partly", "not reproduced"]), "partly");
});

Deno.test("median: odd and even counts; non-finite values are errors", () => {
  assert.equal(median([2]), 2);
  assert.equal(median([3, -1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), /median of no values/);
  assert.throws(() => median([1, NaN]), /every value must be finite, got NaN/);
});

Deno.test("ClaimLog.recordSeeds: per-seed verdicts, the weakest wins, the value is the median", async () => {
  const dir = await Deno.makeTempDir();
  const log = new ClaimLog("02_seeds", {}, dir);
  const base = {
    id: "tails",
    kind: "post-real",
    section: "SGN",
    statement: "heavy tailed",
    statistic: "upper end of α̂",
    threshold: { op: "<=", reproduced: 2 },
    control: { description: "Gaussian, same scales" },
  } as const;
  // seed 3026's control also passes: that seed is inconclusive, so the claim is at best inconclusive
  const rec = log.recordSeeds({
    ...base,
    seeds: [
      { seed: 2026, value: 1.8, control: 2.3 },
      { seed: 3026, value: 1.9, control: 1.95 },
      { seed: 4026, value: 1.7, control: 2.4 },
    ],
  });
  assert.equal(rec.value, 1.8);
  assert.deepEqual(rec.control, { description: "Gaussian, same scales", value: 2.3 });
  assert.deepEqual(rec.seeds!.map((s) => s.verdict), ["reproduced", "inconclusive", "reproduced"]);
  assert.deepEqual(rec.seeds!.map((s) => s.controlVerdict), [
    "not reproduced",
    "reproduced",
    "not reproduced",
  ]);
  assert.equal(rec.verdict, "inconclusive");
  assert.equal(rec.controlVerdict, "reproduced");
  const html = claimCells(rec);
  assert.match(html, /1\.8 \(median of 3 seeds\)/);
  assert.match(
    html,
    /per seed \(weakest verdict wins\): 2026: 1\.8 \(control 2\.3\) reproduced · 3026: 1\.9 \(control 1\.95\) inconclusive · 4026: 1\.7 \(control 2\.4\) reproduced/,
  );
  assert.match(html, /negative control \(Gaussian, same scales\): 2\.3 \(median of 3 seeds\)/);
  assert.match(log.toString(), /per seed \(weakest verdict wins\): 2026: 1\.8/);
  // the file keeps every seed
  const file = JSON.parse(await Deno.readTextFile(`${dir}/02_seeds.json`));
  assert.equal(file.claims[0].seeds.length, 3);
  // every seed reproduces: reproduced; the control verdict is then "not reproduced"
  const ok = log.recordSeeds({
    ...base,
    seeds: [{ seed: 1, value: 1.8, control: 2.3 }, { seed: 1001, value: 1.9, control: 2.1 }],
  });
  assert.equal(ok.verdict, "reproduced");
  assert.equal(ok.controlVerdict, "not reproduced");
  assert.equal(ok.value, 1.85);
  assert.equal(log.records.length, 1, "the same claim recorded again replaces the old one");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ClaimLog.recordSeeds: one seed gives the same verdict as record, and no per-seed line", async () => {
  const dir = await Deno.makeTempDir();
  const log = new ClaimLog("02_one", {}, dir);
  const base = {
    kind: "post-real",
    section: "S",
    statement: "small",
    statistic: "x",
    threshold: { op: "within", target: 0, reproduced: 1, partly: 2 },
  } as const;
  const one = log.recordSeeds({ ...base, id: "a", seeds: [{ seed: 9, value: -1.5 }] });
  const plain = log.record({ ...base, id: "b", value: -1.5 });
  assert.equal(one.verdict, plain.verdict);
  assert.equal(one.value, plain.value);
  assert.deepEqual(one.seeds, [{ seed: 9, value: -1.5, verdict: "partly" }]);
  assert.doesNotMatch(claimCells(one), /median|per seed/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ClaimLog.recordSeeds: bad seeds, values and controls are errors that record nothing", async () => {
  const dir = await Deno.makeTempDir();
  const log = new ClaimLog("02_bad", {}, dir);
  const base = {
    id: "a",
    kind: "post-real",
    section: "S",
    statement: "small",
    statistic: "x",
    threshold: { op: "<=", reproduced: 1 },
  } as const;
  assert.throws(() => log.recordSeeds({ ...base, seeds: [] }), /seeds must be a non-empty array/);
  assert.throws(
    () => log.recordSeeds({ ...base, seeds: [{ seed: 1, value: 0 }, { seed: 1, value: 0 }] }),
    /seeds must be distinct/,
  );
  assert.throws(
    () => log.recordSeeds({ ...base, seeds: [{ seed: 1, value: NaN }] }),
    /the value of seed 1 must be finite, got NaN/,
  );
  assert.throws(
    () => log.recordSeeds({ ...base, seeds: [{ seed: 1, value: 0, control: 1 }] }),
    /seed 1 has a control value, but the claim has no control/,
  );
  assert.throws(
    () =>
      log.recordSeeds({ ...base, control: { description: "c" }, seeds: [{ seed: 1, value: 0 }] }),
    /seed 1 lacks a control value, but the claim has control/,
  );
  assert.throws(
    () =>
      log.recordSeeds({
        ...base,
        threshold: { op: "<=", reproduced: 1, partly: 0 },
        seeds: [{ seed: 1, value: 0 }],
      }),
    /threshold.partly \(0\) must be looser/,
  );
  assert.throws(
    () => log.recordSeeds({ ...base, kind: "post" as never, seeds: [{ seed: 1, value: 0 }] }),
    /claim.kind must be one of/,
  );
  assert.equal(log.records.length, 0);
  await Deno.remove(dir, { recursive: true });
});
