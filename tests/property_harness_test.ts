import assert from "node:assert/strict";
import { allFinite, anyNumber, fc, namedOrValid, PROPERTY_RUNS } from "./_property.ts";

Deno.test("property harness: named errors pass, unnamed errors, silent NaN and bad results fail", () => {
  assert.equal(
    namedOrValid(() => {
      throw new RangeError("dt must be > 0, got 0");
    }, ["dt"]),
    true,
  );
  assert.equal(namedOrValid(() => 3, ["dt"]), false);
  assert.throws(() =>
    namedOrValid(() => {
      throw new Error("dt");
    }, ["dt"]), /unnamed engine error/);
  assert.throws(() =>
    namedOrValid(() => {
      throw new RangeError("bad");
    }, ["dt"]), /does not name/);
  assert.throws(() => namedOrValid(() => NaN, ["dt"], Number.isFinite), /invalid result/);
  assert.equal(allFinite({ a: [1, 2], b: new Float64Array([3]) }), true);
  assert.equal(allFinite({ a: [1, NaN] }), false);
  assert.equal(allFinite(new Float32Array([Infinity])), false);
});

Deno.test("property harness: seeded runs are reproducible", () => {
  const seen = (): number[] => {
    const out: number[] = [];
    fc.assert(fc.property(anyNumber, (x) => void out.push(x)), PROPERTY_RUNS);
    return out;
  };
  assert.deepEqual(seen(), seen());
});
