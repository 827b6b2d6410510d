import assert from "node:assert/strict";
import { assertBoundary, assertInterval } from "../../../lib/dynamics/fokker_planck/grid.ts";

Deno.test("assertBoundary returns a known boundary and names the argument and value otherwise", () => {
  for (const b of ["reflecting", "absorbing", "periodic"]) assert.equal(assertBoundary("b", b), b);
  assert.throws(() => assertBoundary("boundary.top", "sticky"), {
    name: "RangeError",
    message: 'boundary.top must be "reflecting", "absorbing" or "periodic", got "sticky"',
  });
});

Deno.test("assertInterval accepts finite lower < upper only", () => {
  assertInterval("domain", [-1, 2]);
  for (const bad of [[1, 1], [2, 1], [0, Infinity], [NaN, 1]] as [number, number][]) {
    assert.throws(() => assertInterval("domain", bad), {
      name: "RangeError",
      message: `domain must be [lower, upper] with finite lower < upper, got ${bad}`,
    });
  }
});
