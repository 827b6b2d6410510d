import assert from "node:assert/strict";
import {
  assertAllocation,
  assertFinite,
  assertFiniteArray,
  assertFiniteOrNaNArray,
  assertFunction,
  assertInInterval,
  assertInteger,
  assertIntegerInRange,
  assertLength,
  assertNoOverflow,
  assertNotConstant,
  assertOneOf,
  assertPositive,
  assertString,
  MAX_ELEMENTS,
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

Deno.test("assertIntegerInRange / assertAllocation: sizes are bounded by the stated limit before allocating", () => {
  assertIntegerInRange("k", 3, 1, 3);
  assertIntegerInRange("n", MAX_ELEMENTS, 0);
  assert.throws(
    () => assertIntegerInRange("k", 4, 1, 3),
    /^RangeError: k must be an integer in \[1, 3\], got 4$/,
  );
  assert.throws(() => assertIntegerInRange("k", 1.5, 1, 3), /got 1.5$/);
  assert.throws(
    () => assertIntegerInRange("n", 1e12, 0),
    /n must be an integer in \[0, 134217728\], got 1000000000000/,
  );
  assertAllocation("k·dim", MAX_ELEMENTS);
  assert.throws(
    () => assertAllocation("k·dim", 2 ** 40),
    /^RangeError: k·dim = 1099511627776 values exceeds the allocation limit of 134217728 \(2\^27\)$/,
  );
  assert.throws(() => assertAllocation("n", NaN), /n = NaN values/);
});

Deno.test("assertInInterval: open and closed ends, non-finite values named", () => {
  assertInInterval("level", 0.5, 0, 1, "()");
  assertInInterval("beta", -1, -1, 1);
  assert.throws(
    () => assertInInterval("level", 1, 0, 1, "()"),
    /^RangeError: level must be in \(0, 1\), got 1$/,
  );
  assert.throws(() => assertInInterval("alpha", 0, 0, 2, "(]"), /alpha must be in \(0, 2\], got 0/);
  assert.throws(() => assertInInterval("beta", NaN, -1, 1), /beta must be in \[-1, 1\], got NaN/);
  assert.throws(() => assertInInterval("u", Infinity, 0, Infinity, "[]"), /got Infinity/);
});

Deno.test("assertLength / assertFunction: lengths and types named with the value", () => {
  assertLength("y", [1, 2], 2);
  assert.throws(() => assertLength("y", [1], 2), /^RangeError: y must have length 2, got 1$/);
  assert.throws(
    () => assertLength("y", 3 as unknown as number[], 2),
    /^TypeError: y must be an array/,
  );
  assertFunction("prng", () => 0);
  assert.throws(() => assertFunction("prng", 3), /^TypeError: prng must be a function, got 3$/);
});

Deno.test("assertNotConstant / assertNoOverflow: degenerate samples and overflowing inputs say so", () => {
  assertNotConstant("x", [1, 1, 2]);
  assert.throws(
    () => assertNotConstant("x", new Float64Array(100)),
    /^RangeError: x must not be constant, got all values equal to 0$/,
  );
  assertNoOverflow("x", "Σx²", 1e300);
  assert.throws(
    () => assertNoOverflow("x", "Σ(x − x̄)²", Infinity),
    /^RangeError: x overflows double precision: Σ\(x − x̄\)² is Infinity; rescale x$/,
  );
});

Deno.test("assertString / assertFiniteOrNaNArray: strings and finite-or-NaN values pass, others are named", () => {
  assertString("title", "");
  assert.throws(() => assertString("title", 3), {
    name: "TypeError",
    message: "title must be a string, got 3",
  });
  assertFiniteOrNaNArray("z", [1, NaN, -2]);
  assertFiniteOrNaNArray("z", new Float64Array(0));
  assert.throws(() => assertFiniteOrNaNArray("z", [1, -Infinity]), {
    name: "RangeError",
    message: "z[1] must be finite or NaN (a gap), got -Infinity",
  });
  assert.throws(() => assertFiniteOrNaNArray("z", ["1"] as unknown as number[]), {
    name: "RangeError",
    message: 'z[0] must be finite or NaN (a gap), got "1"',
  });
  assert.throws(() => assertFiniteOrNaNArray("z", 5 as unknown as number[]), {
    name: "TypeError",
    message: "z must be an array of numbers, got 5",
  });
});
