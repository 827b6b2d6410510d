import assert from "node:assert/strict";
import {
  CLAIM_KINDS,
  claimCells,
  ClaimLog,
  claimVerdict,
  formatThreshold,
  type Threshold,
  verdictOf,
} from "../../lib/notebook/claims.ts";
import { JUPYTER_DISPLAY } from "../../lib/display/mime.ts";

Deno.test("verdictOf: <=, >= and within, with and without a partly band", () => {
  const le = { op: "<=", reproduced: 0.05, partly: 0.15 } as const;
  assert.equal(verdictOf(0.05, le), "reproduced");
  assert.equal(verdictOf(0.1, le), "partly");
  assert.equal(verdictOf(0.2, le), "not reproduced");
  const ge = { op: ">=", reproduced: 0.9, partly: 0.5 } as const;
  assert.equal(verdictOf(0.95, ge), "reproduced");
  assert.equal(verdictOf(0.6, ge), "partly");
  assert.equal(verdictOf(0.1, ge), "not reproduced");
  const w = { op: "within", target: -0.5, reproduced: 0.05, partly: 0.15 } as const;
  assert.equal(verdictOf(-0.46, w), "reproduced");
  assert.equal(verdictOf(-0.62, w), "partly");
  assert.equal(verdictOf(0, w), "not reproduced");
  assert.equal(verdictOf(0.1, { op: "<=", reproduced: 0.05 }), "not reproduced");
});

Deno.test("verdictOf: non-finite values and inconsistent thresholds are errors", () => {
  assert.throws(() => verdictOf(NaN, { op: "<=", reproduced: 1 }), {
    name: "RangeError",
    message: "value must be finite, got NaN",
  });
  assert.throws(
    () => verdictOf(1, { op: "<=", reproduced: Infinity }),
    /threshold.reproduced must be finite, got Infinity/,
  );
  assert.throws(
    () => verdictOf(1, { op: "<=", reproduced: 1, partly: 0.5 }),
    /threshold.partly \(0.5\) must be looser/,
  );
  assert.throws(
    () => verdictOf(1, { op: ">=", reproduced: 1, partly: 2 }),
    /threshold.partly \(2\) must be looser/,
  );
});

Deno.test("formatThreshold", () => {
  assert.equal(
    formatThreshold({ op: "<=", reproduced: 0.05, partly: 0.15 }),
    "≤ 0.05 (partly ≤ 0.15)",
  );
  assert.equal(
    formatThreshold({ op: "within", target: -0.5, reproduced: 0.05 }),
    "|x − -0.5| ≤ 0.05",
  );
});

Deno.test("ClaimLog: writes every record with its computed verdict; rejects duplicates and empty fields", async () => {
  const dir = await Deno.makeTempDir();
  const log = new ClaimLog("01_demo", { seed: 3 }, dir);
  const base = {
    kind: "post-real",
    section: "SGD",
    statement: "s",
    statistic: "slope",
    threshold: { op: "within", target: -0.5, reproduced: 0.05 },
  } as const;
  const rec = log.record({ ...base, id: "a", value: -0.49 });
  assert.equal(rec.verdict, "reproduced");
  log.record({ ...base, id: "b", value: 0.3 });
  const file = JSON.parse(await Deno.readTextFile(`${dir}/01_demo.json`));
  assert.equal(file.notebook, "01_demo");
  assert.deepEqual(file.meta, { seed: 3 });
  assert.deepEqual(file.claims.map((c: { verdict: string }) => c.verdict), [
    "reproduced",
    "not reproduced",
  ]);
  assert.throws(
    () => log.record({ ...base, id: "a", statement: "another", value: 0 }),
    /claim id "a" is already recorded in 01_demo for another statement/,
  );
  assert.throws(
    () => log.record({ ...base, id: "c", statement: "", value: 0 }),
    /claim.statement must be a non-empty string/,
  );
  assert.throws(() => new ClaimLog("../x", {}, dir), /notebook must be an id/);
  const bundle = log[JUPYTER_DISPLAY]() as Record<string, string>;
  assert.match(
    bundle["text/html"]!,
    /<td class="verdict not-reproduced"><b>not reproduced<\/b><\/td>/,
  );
  assert.match(
    bundle["text/plain"]!,
    /\[reproduced\] a \(claim of the post, on real networks\): s — slope = -0.49/,
  );
  // the same claim again (its cell re-run in a live notebook): replaced in place, file rewritten
  log.record({ ...base, id: "a", value: 0.2 });
  const again = JSON.parse(await Deno.readTextFile(`${dir}/01_demo.json`));
  assert.deepEqual(again.claims.map((c: { id: string; verdict: string }) => [c.id, c.verdict]), [
    ["a", "not reproduced"],
    ["b", "not reproduced"],
  ]);
  assert.equal(log.records.length, 2);
  // a new log starts the file afresh
  new ClaimLog("01_demo", {}, dir);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/01_demo.json`)).claims, []);
});

Deno.test("formatThreshold: computed thresholds print with 4 significant digits", () => {
  assert.equal(formatThreshold({ op: "<=", reproduced: 3.8270440086624697 }), "≤ 3.827");
  assert.equal(
    formatThreshold({ op: "<=", reproduced: -0.4793406618460005, partly: 0 }),
    "≤ -0.4793 (partly ≤ 0)",
  );
  assert.equal(formatThreshold({ op: ">=", reproduced: 1e-5 }), "≥ 1.000e-5");
});

Deno.test("verdictOf: a malformed threshold or value is an error, never a verdict", () => {
  const bad = (t: unknown) => () => verdictOf(1, t as Threshold);
  assert.throws(bad({ op: "bogus", reproduced: 1 }), {
    name: "TypeError",
    message: 'threshold.op must be "<=", ">=" or "within", got "bogus"',
  });
  assert.throws(bad({ reproduced: 1 }), /threshold.op must be .* got undefined/);
  assert.throws(bad({ op: "<=", reproduced: "2" }), {
    name: "TypeError",
    message: 'threshold.reproduced must be a number, got "2"',
  });
  assert.throws(
    bad({ op: "<=", reproduced: 1, partly: "3" }),
    /threshold.partly must be a number, got "3"/,
  );
  assert.throws(bad({ op: "within", reproduced: 1 }), {
    name: "TypeError",
    message: 'threshold.target is required for op "within"',
  });
  assert.throws(bad({ op: "<=" }), /threshold.reproduced is required for op "<="/);
  assert.throws(
    bad({ op: "<=", target: 0, reproduced: 1 }),
    /threshold.target is not a field of a "<=" threshold/,
  );
  assert.throws(
    bad({ op: "within", target: NaN, reproduced: 1 }),
    /threshold.target must be finite, got NaN/,
  );
  assert.throws(bad({ op: "within", target: 0, reproduced: -1 }), /must be >= 0, got -1/);
  assert.throws(bad(null), /threshold must be an object, got null/);
  assert.throws(() => verdictOf("0.5" as unknown as number, { op: "<=", reproduced: 1 }), {
    name: "RangeError",
    message: 'value must be finite, got "0.5"',
  });
  assert.throws(
    () => verdictOf(-Infinity, { op: ">=", reproduced: 1 }),
    /value must be finite, got -Infinity/,
  );
});

Deno.test("ClaimLog.record: a NaN value or a bad threshold throws and records nothing", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const log = new ClaimLog("01_check", {}, dir);
    const base = {
      id: "a",
      section: "s",
      statement: "t",
      statistic: "x",
      kind: "finding",
    } as const;
    assert.throws(
      () => log.record({ ...base, value: NaN, threshold: { op: "<=", reproduced: 1 } }),
      /value must be finite, got NaN/,
    );
    assert.throws(
      () =>
        log.record({
          ...base,
          value: 1,
          threshold: { op: "bogus", reproduced: 1 } as unknown as Threshold,
        }),
      /threshold.op/,
    );
    assert.equal(log.records.length, 0);
    assert.deepEqual(JSON.parse(Deno.readTextFileSync(log.path)).claims, []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("claimVerdict: a control that also meets the threshold makes the claim inconclusive", () => {
  const t = { op: "<=", reproduced: 2, partly: 2.2 } as const;
  // heavy tails: α̂ 1.8 on the data; Gaussian data with the same scales gives 1.75 → cannot tell
  assert.deepEqual(claimVerdict(1.8, t, 1.75), {
    verdict: "inconclusive",
    controlVerdict: "reproduced",
  });
  assert.deepEqual(claimVerdict(2.1, t, 2.15), {
    verdict: "inconclusive",
    controlVerdict: "partly",
  });
  // a control on the other side: the verdict stands
  assert.deepEqual(claimVerdict(1.8, t, 2.5), {
    verdict: "reproduced",
    controlVerdict: "not reproduced",
  });
  // a claim that fails stays failed, whatever its control
  assert.deepEqual(claimVerdict(3, t, 1), {
    verdict: "not reproduced",
    controlVerdict: "reproduced",
  });
  assert.deepEqual(claimVerdict(1, t), { verdict: "reproduced" });
  assert.throws(() => claimVerdict(1, t, NaN), /value must be finite, got NaN/);
});

Deno.test("ClaimLog: every claim carries a known kind; a control is checked, its verdict recorded and shown", async () => {
  const dir = await Deno.makeTempDir();
  const log = new ClaimLog("01_kinds", {}, dir);
  const base = {
    id: "tails",
    section: "SGN",
    statement: "heavy tailed",
    statistic: "α̂",
    value: 1.8,
    threshold: { op: "<=", reproduced: 2 },
  } as const;
  assert.throws(() => log.record({ ...base } as never), /claim.kind must be one of "post-real", /);
  assert.throws(() => log.record({ ...base, kind: "post" as never }), /got "post"/);
  assert.throws(
    () => log.record({ ...base, kind: "post-real", control: { description: "", value: 1 } }),
    /claim.control.description must be a non-empty string/,
  );
  assert.throws(
    () =>
      log.record({ ...base, kind: "post-real", control: { description: "g", value: Infinity } }),
    /claim.control.value must be finite, got Infinity/,
  );
  const rec = log.record({
    ...base,
    kind: "post-real",
    control: { description: "Gaussian, same scales", value: 1.75 },
  });
  assert.equal(rec.verdict, "inconclusive");
  assert.equal(rec.controlVerdict, "reproduced");
  const file = JSON.parse(await Deno.readTextFile(`${dir}/01_kinds.json`));
  assert.equal(file.claims[0].kind, "post-real");
  const html = claimCells(rec);
  assert.match(html, /negative control \(Gaussian, same scales\): 1\.75, reproduced/);
  assert.match(html, /<td class="verdict inconclusive"><b>inconclusive<\/b><\/td>$/);
  assert.deepEqual(CLAIM_KINDS.map((k) => k.kind), [
    "post-real",
    "post-model",
    "finding",
    "sampling-identity",
    "numerical-check",
  ]);
  await Deno.remove(dir, { recursive: true });
});
