import assert from "node:assert/strict";
import { defineParams, isQuickMode } from "../../lib/notebook/params.ts";

const envOf = (vars: Record<string, string>) => (k: string) => vars[k];
const defaults = { epochs: 10, lr: 0.1, sizes: [16, 32], name: "mlp", gd: true };

Deno.test("defineParams: defaults in full mode, quick values in quick mode", () => {
  const full = defineParams("nb", defaults, { epochs: 1 }, {}, envOf({}));
  assert.equal(full.epochs, 10);
  assert.equal(full.quick, false);
  const quick = defineParams(
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

Deno.test("defineParams: SGD_PARAMS per notebook and '*', then explicit overrides win", () => {
  const env = envOf({
    SGD_QUICK: "1",
    SGD_PARAMS: JSON.stringify({ "*": { lr: 0.5, unrelated: 3 }, nb: { epochs: 4 } }),
  });
  const p = defineParams("nb", defaults, { epochs: 1 }, { name: "resnet" }, env);
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

Deno.test("defineParams: unknown or ill-typed overrides are errors naming the key", () => {
  assert.throws(
    () => defineParams("nb", defaults, {}, {}, envOf({ SGD_PARAMS: '{"nb":{"epoch":3}}' })),
    {
      name: "TypeError",
      message:
        'unknown parameter "epoch" from SGD_PARAMS["nb"]; known: epochs, lr, sizes, name, gd',
    },
  );
  assert.throws(
    () => defineParams("nb", defaults, {}, {}, envOf({ SGD_PARAMS: '{"nb":{"epochs":"3"}}' })),
    { message: 'parameter "epochs" from SGD_PARAMS["nb"] must be number, got string ("3")' },
  );
  assert.throws(
    () => defineParams("nb", defaults, {}, { sizes: ["a"] as unknown as number[] }, envOf({})),
    /parameter "sizes" from overrides must be number\[\], got string\[\]/,
  );
  assert.throws(
    () => defineParams("nb", defaults, { lr: NaN }, {}, envOf({})),
    /parameter "lr" from the quick values of nb must be finite, got NaN/,
  );
  assert.throws(
    () => defineParams("nb", defaults, {}, {}, envOf({ SGD_PARAMS: "{oops" })),
    /SGD_PARAMS must be JSON/,
  );
  assert.throws(
    () => defineParams("nb", defaults, {}, {}, envOf({ SGD_PARAMS: "[1]" })),
    /SGD_PARAMS must be a JSON object/,
  );
  // a typo in the quick values is caught even in full mode
  assert.throws(
    () => defineParams("nb", defaults, { epoch: 1 } as never, {}, envOf({})),
    /unknown parameter "epoch"/,
  );
});

Deno.test("defineParams: defaults are not modified", () => {
  const d = { a: 1 };
  defineParams("nb", d, { a: 2 }, {}, envOf({ SGD_QUICK: "1" }));
  assert.deepEqual(d, { a: 1 });
});
