import assert from "node:assert/strict";
import {
  defineParams,
  isQuickMode,
  ParametersCellError,
  paramRows,
  paramSources,
  ranged,
  resolveParams,
} from "../../lib/notebook/params.ts";
import { display, type Displayable, JUPYTER_DISPLAY } from "../../lib/display/mime.ts";
import { RUN_MIME, type RunInfo } from "../../lib/notebook/run_info.ts";

const envOf = (vars: Record<string, string>) => (k: string) => vars[k];
const defaults = { epochs: 10, lr: 0.1, sizes: [16, 32], name: "mlp", gd: true };

Deno.test("resolveParams: defaults in full mode, quick values in quick mode", () => {
  const full = resolveParams("nb", defaults, { epochs: 1 }, {}, envOf({}));
  assert.equal(full.epochs, 10);
  assert.equal(full.quick, false);
  const quick = resolveParams(
    "nb",
    defaults,
    { epochs: 1, sizes: [4] },
    {},
    envOf({ SGD_QUICK: "1" }),
  );
  assert.equal(quick.epochs, 1);
  assert.deepEqual(quick.sizes, [4]);
  assert.equal(quick.lr, 0.1);
  assert.equal(quick.quick, true);
  assert.equal(isQuickMode(envOf({ SGD_QUICK: "true" })), true);
  assert.equal(isQuickMode(envOf({ SGD_QUICK: "0" })), false);
});

Deno.test("resolveParams: SGD_PARAMS per notebook and '*', then explicit overrides win", () => {
  const env = envOf({
    SGD_QUICK: "1",
    SGD_PARAMS: JSON.stringify({ "*": { lr: 0.5, unrelated: 3 }, nb: { epochs: 4 } }),
  });
  const p = resolveParams("nb", defaults, { epochs: 1 }, { name: "resnet" }, env);
  assert.deepEqual({ ...p }, {
    epochs: 4,
    lr: 0.5,
    sizes: [16, 32],
    name: "resnet",
    gd: true,
    quick: true,
  });
  assert.ok(Object.isFrozen(p));
});

Deno.test("resolveParams: unknown or ill-typed overrides are errors naming the key", () => {
  assert.throws(
    () => resolveParams("nb", defaults, {}, {}, envOf({ SGD_PARAMS: '{"nb":{"epoch":3}}' })),
    {
      name: "TypeError",
      message:
        'unknown parameter "epoch" from SGD_PARAMS["nb"]; known: epochs, lr, sizes, name, gd',
    },
  );
  assert.throws(
    () => resolveParams("nb", defaults, {}, {}, envOf({ SGD_PARAMS: '{"nb":{"epochs":"3"}}' })),
    { message: 'parameter "epochs" from SGD_PARAMS["nb"] must be number, got string ("3")' },
  );
  assert.throws(
    () => resolveParams("nb", defaults, {}, { sizes: ["a"] as unknown as number[] }, envOf({})),
    /parameter "sizes" from overrides must be number\[\], got string\[\]/,
  );
  assert.throws(
    () => resolveParams("nb", defaults, { lr: NaN }, {}, envOf({})),
    /parameter "lr" from the quick values of nb must be finite, got NaN/,
  );
  assert.throws(
    () => resolveParams("nb", defaults, {}, {}, envOf({ SGD_PARAMS: "{oops" })),
    /SGD_PARAMS must be JSON/,
  );
  assert.throws(
    () => resolveParams("nb", defaults, {}, {}, envOf({ SGD_PARAMS: "[1]" })),
    /SGD_PARAMS must be a JSON object/,
  );
  // a typo in the quick values is caught even in full mode
  assert.throws(
    () => resolveParams("nb", defaults, { epoch: 1 } as never, {}, envOf({})),
    /unknown parameter "epoch"/,
  );
});

Deno.test("resolveParams: defaults are not modified", () => {
  const d = { a: 1 };
  resolveParams("nb", d, { a: 2 }, {}, envOf({ SGD_QUICK: "1" }));
  assert.deepEqual(d, { a: 1 });
});

Deno.test("resolveParams: --set (SGD_SET) wins over SGD_PARAMS; each value says where it came from", () => {
  const env = envOf({
    SGD_QUICK: "1",
    SGD_PARAMS: JSON.stringify({ "*": { lr: 0.5 }, nb: { epochs: 4, name: "a" } }),
    SGD_SET: JSON.stringify({ nb: { epochs: 7 } }),
  });
  const p = resolveParams("nb", defaults, { epochs: 1, sizes: [4] }, {}, env);
  assert.equal(p.epochs, 7);
  assert.equal(p.name, "a");
  assert.deepEqual(paramSources(p), {
    epochs: "--set",
    lr: "SGD_PARAMS",
    sizes: "quick",
    name: "SGD_PARAMS",
    gd: "default",
  });
  const rows = paramRows(p);
  assert.deepEqual(rows[0], {
    parameter: "epochs",
    value: "7",
    from: "--set",
    default: "10",
    range: "",
  });
  assert.deepEqual(rows[4], {
    parameter: "gd",
    value: "true",
    from: "default",
    default: "",
    range: "",
  });
  // the record displays as that table; JSON and spreads see only the values
  const text = String(p[JUPYTER_DISPLAY]()["text/plain"]);
  assert.match(text, /^parameters of nb \(quick mode, from SGD_QUICK=1\)/);
  assert.match(text, /\nsizes \| \[4\] \| quick \| \[16,32\] \| \n/);
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(p))), [...Object.keys(defaults), "quick"]);
  // a quick value hiding an edited default is visible in full mode as "default"
  const full = resolveParams("nb", defaults, { epochs: 1 }, {}, envOf({}));
  assert.equal(paramSources(full).epochs, "default");
  assert.throws(() => paramSources({}), /params must be a record returned by defineParams/);
});

Deno.test("resolveParams: array elements are checked one by one (type, finiteness)", () => {
  const set = (v: string) => envOf({ SGD_SET: `{"nb":{"sizes":${v}}}` });
  assert.throws(() => resolveParams("nb", defaults, {}, {}, set('[1,"x"]')), {
    name: "TypeError",
    message:
      'parameter "sizes" from --set["nb"], element 1, must be number, got string ("x") in [1,"x"]',
  });
  assert.throws(
    () => resolveParams("nb", defaults, {}, {}, set("[1,1e999]")),
    /parameter "sizes" from --set\["nb"\], element 1, must be finite, got Infinity/,
  );
  assert.throws(
    () => resolveParams("nb", defaults, {}, {}, set("[[1]]")),
    /parameter "sizes" from --set\["nb"\] must be number\[\], got object\[\]/,
  );
  assert.throws(
    () => resolveParams("nb", defaults, {}, {}, set("3")),
    /parameter "sizes" from --set\["nb"\] must be number\[\], got number \(3\)/,
  );
  assert.deepEqual(resolveParams("nb", defaults, {}, {}, set("[]")).sizes, []);
  assert.throws(
    () => resolveParams("nb", defaults, {}, {}, envOf({ SGD_SET: '{"nb":3}' })),
    /--set\["nb"\] must be an object of parameters, got 3/,
  );
});

Deno.test("resolveParams: declared ranges hold for defaults, quick values and every override", () => {
  const decl = {
    batchSize: ranged(64, { integer: true, min: 1 }),
    lr: ranged(0.1, { min: 0, max: 1 }),
    sizes: ranged([16, 32], { integer: true, min: 2 }),
    model: ranged("mlp", { oneOf: ["mlp", "resnet"] }),
    seed: 1,
  };
  const p = resolveParams("nb", decl, { batchSize: 8 }, {}, envOf({ SGD_QUICK: "1" }));
  assert.deepEqual({ ...p }, {
    batchSize: 8,
    lr: 0.1,
    sizes: [16, 32],
    model: "mlp",
    seed: 1,
    quick: true,
  });
  assert.equal(paramRows(p)[0]!.range, "integer, ≥ 1");
  const set = (o: unknown) => envOf({ SGD_SET: JSON.stringify({ nb: o }) });
  assert.throws(() => resolveParams("nb", decl, {}, {}, set({ batchSize: -5 })), {
    name: "RangeError",
    message: 'parameter "batchSize" from --set["nb"] must be >= 1, got -5',
  });
  assert.throws(
    () => resolveParams("nb", decl, {}, {}, set({ batchSize: 2.5 })),
    /"batchSize" from --set\["nb"\] must be an integer, got 2.5/,
  );
  assert.throws(
    () => resolveParams("nb", decl, {}, {}, set({ lr: 3 })),
    /"lr" from --set\["nb"\] must be <= 1, got 3/,
  );
  assert.throws(
    () => resolveParams("nb", decl, {}, {}, set({ sizes: [4, 1] })),
    /"sizes" from --set\["nb"\], element 1, must be >= 2, got 1/,
  );
  assert.throws(
    () => resolveParams("nb", decl, {}, {}, set({ model: "vgg" })),
    /"model" from --set\["nb"\] must be one of "mlp", "resnet", got "vgg"/,
  );
  assert.throws(
    () => resolveParams("nb", decl, { batchSize: 0 }, {}, envOf({})),
    /"batchSize" from the quick values of nb must be >= 1, got 0/,
  );
  assert.throws(
    () => resolveParams("nb", { n: ranged(0, { min: 1 }) }, {}, {}, envOf({})),
    /parameter "n" from the defaults of nb must be >= 1, got 0/,
  );
  assert.throws(
    () => resolveParams("nb", decl, {}, {}, envOf({ SGD_PARAMS: '{"*":{"batchSize":0}}' })),
    /"batchSize" from SGD_PARAMS\["\*"\] must be >= 1, got 0/,
  ); // a step size: strictly positive
  const step = { lr: ranged(0.1, { above: 0, max: 10 }) };
  assert.equal(resolveParams("nb", step, {}, {}, envOf({})).lr, 0.1);
  for (const bad of [0, -5]) {
    assert.throws(
      () => resolveParams("nb", step, {}, {}, envOf({ SGD_PARAMS: `{"nb":{"lr":${bad}}}` })),
      new RegExp(`"lr" from SGD_PARAMS\\["nb"\\] must be > 0, got ${bad}`),
    );
  }
  assert.throws(
    () => ranged(1, { above: 2, max: 2 }),
    /range.above \(2\) must be < range.max \(2\)/,
  );
});

Deno.test("resolveParams: the defaults themselves are checked (types, names), quoting strings", () => {
  assert.throws(
    () => resolveParams("nb", { a: [1, "x"] as unknown as number[] }, {}, {}, envOf({})),
    {
      name: "TypeError",
      message:
        'parameter "a" from the defaults of nb, element 1, must be number, got string ("x") in [1,"x"]',
    },
  );
  assert.throws(
    () => resolveParams("nb", { a: NaN }, {}, {}, envOf({})),
    /parameter "a" from the defaults of nb must be finite, got NaN/,
  );
  assert.throws(
    () => resolveParams("nb", { a: { b: 1 } as unknown as number }, {}, {}, envOf({})),
    /parameter "a" of the defaults of nb must be a number, boolean, string or an array of one of these, got object/,
  );
  assert.throws(
    () => resolveParams("nb", { quick: true }, {}, {}, envOf({})),
    /parameter "quick" of nb is reserved/,
  );
  assert.throws(
    () => resolveParams("nb", { name: "mlp" }, { name: 3 as unknown as string }, {}, envOf({})),
    { message: 'parameter "name" from the quick values of nb must be string, got number (3)' },
  );
  assert.throws(
    () => resolveParams("nb", { n: 1 }, { n: "3" as unknown as number }, {}, envOf({})),
    { message: 'parameter "n" from the quick values of nb must be number, got string ("3")' },
  );
});

Deno.test("ranged: the range itself is checked", () => {
  assert.throws(() => ranged(1, { min: 2, max: 1 }), /range.min \(2\) must be <= range.max \(1\)/);
  assert.throws(
    () => ranged(1, { min: "0" as unknown as number }),
    /range.min must be a number, got "0"/,
  );
  assert.throws(() => ranged(1, { oneOf: [] }), /range.oneOf must be a non-empty array/);
  assert.throws(() => ranged(1, { minimum: 0 } as never), /range.minimum is not a range field/);
});

Deno.test("defineParams: a failing parameters cell shows its own error; later reads name that cell, not 'P is not defined'", async () => {
  // a string where the default is a number: the mistake a user makes when editing the cell
  const P = defineParams("nb", defaults, { epochs: "3" as never }, {}, envOf({}));
  // displaying it (the parameters cell does) raises the original error, quoting the string
  const err = (() => {
    try {
      (P as unknown as Displayable)[JUPYTER_DISPLAY]();
    } catch (e) {
      return e as Error;
    }
  })();
  assert.ok(err instanceof TypeError, String(err));
  assert.match(err.message, /epochs/);
  assert.match(err.message, /"3"/);
  await assert.rejects(display(P as unknown as Displayable), TypeError);
  // a later cell reading any parameter gets one clear error naming the cell and the cause
  assert.throws(() => P.epochs, (e: unknown) => {
    assert.ok(e instanceof ParametersCellError);
    assert.match(
      e.message,
      /the parameters of nb are unusable: its parameters cell failed with TypeError: .*epochs/,
    );
    assert.equal(e.reason, err);
    return true;
  });
  assert.throws(() => ({ ...P }), ParametersCellError);
  assert.throws(() => "epochs" in P, ParametersCellError);
  // awaiting or inspecting it does not throw (symbols and `then` see an empty object)
  assert.equal(await Promise.resolve(P as unknown as object), P);
  assert.equal(typeof Deno.inspect(P), "string");
  // a ranged default typed as a string fails in the parameters cell, not three cells later
  assert.throws(
    () => resolveParams("nb", { lr: ranged("0.1" as never, { above: 0 }) }, {}, {}, envOf({})),
    /parameter "lr" from the defaults of nb must be a number \(its range is numeric\), got "0.1"/,
  );
  // valid input: the same record resolveParams gives
  assert.deepEqual(
    { ...defineParams("nb", defaults, { epochs: 1 }, {}, envOf({})) },
    { ...resolveParams("nb", defaults, { epochs: 1 }, {}, envOf({})) },
  );
});

Deno.test("resolveParams: quick mode switched in the parameters cell wins over SGD_QUICK and says so", () => {
  const envQuick = envOf({ SGD_QUICK: "1" });
  const on = resolveParams("nb", defaults, { epochs: 1 }, { quick: true }, envOf({}));
  assert.equal(on.quick, true);
  assert.equal(on.epochs, 1);
  assert.equal(paramSources(on).epochs, "quick");
  const off = resolveParams("nb", defaults, { epochs: 1 }, { quick: false }, envQuick);
  assert.equal(off.quick, false);
  assert.equal(off.epochs, 10);
  const env = resolveParams("nb", defaults, { epochs: 1 }, {}, envQuick);
  const caption = (p: object) =>
    String((p as Displayable)[JUPYTER_DISPLAY]()["text/plain"]).split("\n")[0]!;
  assert.match(caption(on), /^parameters of nb \(quick mode, from the parameters cell\)/);
  assert.match(caption(off), /^parameters of nb \(full mode, set in the parameters cell\)/);
  assert.match(caption(env), /^parameters of nb \(quick mode, from SGD_QUICK=1\)/);
  assert.match(
    caption(resolveParams("nb", defaults, {}, {}, envOf({}))),
    /^parameters of nb \(full mode\)/,
  );
  assert.throws(
    () => resolveParams("nb", defaults, {}, { quick: "yes" } as never, envOf({})),
    /overrides.quick \(quick mode\) must be true, false or left out, got "yes"/,
  );
});

Deno.test("parameters display: carries the run record (mode, where from, parameters, versions, date)", () => {
  const p = resolveParams("nb", defaults, { epochs: 1 }, { quick: true, lr: 0.2 }, envOf({}));
  const run = (p as Displayable)[JUPYTER_DISPLAY]()[RUN_MIME] as RunInfo;
  assert.equal(run.notebook, "nb");
  assert.equal(run.quick, true);
  assert.equal(run.quickFrom, "parameters cell");
  assert.deepEqual(run.params.find((r) => r.parameter === "lr"), {
    parameter: "lr",
    value: "0.2",
    from: "overrides",
    default: "0.1",
  });
  assert.equal(run.deno, Deno.version.deno);
  assert.equal(run.typescript, Deno.version.typescript);
  // the version deno.json pins
  const pinned = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)))
    .imports["@tensorflow/tfjs"];
  assert.equal(`npm:@tensorflow/tfjs@${run.tfjs}`, pinned);
  assert.ok(Math.abs(Date.parse(run.date) - Date.now()) < 60_000);
});
