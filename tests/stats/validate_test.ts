import assert from "node:assert/strict";
import {
  assertFinite,
  assertFiniteArray,
  assertInteger,
  assertOneOf,
  assertPositive,
} from "../../lib/stats/validate.ts";

Deno.test("assertFinite / assertPositive: accept finite (> 0) numbers, name argument and value otherwise", () => {
  assertFinite("x", -3.5);
  assertPositive("x", 1e-300);
  for (const bad of [NaN, Infinity, -Infinity, "1" as unknown as number]) {
    assert.throws(
      () => assertFinite("step", bad),
      /^RangeError: step must be a finite number, got/,
    );
    assert.throws(() => assertPositive("step", bad), /step must be a finite number > 0, got/);
  }
  assert.throws(
    () => assertPositive("diffusion", 0),
    /diffusion must be a finite number > 0, got 0$/,
  );
  assert.throws(() => assertPositive("diffusion", -1), /got -1$/);
  assert.throws(() => assertFinite("s", "1" as unknown as number), /got "1"$/);
});

Deno.test("assertInteger: integers ≥ min pass; fractions, NaN and values below min are named", () => {
  assertInteger("n", 0);
  assertInteger("n", 5, 5);
  assert.throws(() => assertInteger("cells", 2.5, 1), /cells must be an integer >= 1, got 2.5/);
  assert.throws(() => assertInteger("cells", 0, 1), /got 0$/);
  assert.throws(() => assertInteger("cells", NaN), /got NaN$/);
});

Deno.test("assertOneOf: returns the value typed, lists the options when it is not one of them", () => {
  assert.equal(assertOneOf("rule", "sgd", ["sgd", "langevin"] as const), "sgd");
  assert.throws(
    () => assertOneOf("scheme", "euler", ["backward-euler", "tr-bdf2", "crank-nicolson"]),
    /^RangeError: scheme must be "backward-euler", "tr-bdf2" or "crank-nicolson", got "euler"$/,
  );
  assert.throws(() => assertOneOf("x", "b", ["a"]), /x must be "a", got "b"/);
});

Deno.test("assertFiniteArray: length and the index of the first non-finite value", () => {
  assertFiniteArray("x", new Float64Array([1, 2]), 2);
  assert.throws(
    () => assertFiniteArray("y", [1, NaN, Infinity]),
    /y\[1\] must be finite, got NaN/,
  );
  assert.throws(() => assertFiniteArray("y", [], 1), /y must have at least 1 values, got 0/);
  assert.throws(
    () => assertFiniteArray("y", 3 as unknown as number[]),
    /^TypeError: y must be an array/,
  );
});
