import assert from "node:assert/strict";
import {
  mlpParameterCount,
  reluRescalingFactors,
  rescaleReluLayer,
} from "../../lib/curvature/relu_rescaling.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

/** Reference forward pass of a ReLU MLP in the createMlp layout (W_l row-major, then b_l). */
function forward(theta: ArrayLike<number>, sizes: number[], x: ArrayLike<number>): Float64Array {
  let a = Float64Array.from(x), off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fin = sizes[l]!, fout = sizes[l + 1]!, z = new Float64Array(fout);
    for (let o = 0; o < fout; o++) {
      let s = theta[off + fin * fout + o]!;
      for (let i = 0; i < fin; i++) s += a[i]! * theta[off + i * fout + o]!;
      z[o] = l + 2 < sizes.length ? Math.max(0, s) : s;
    }
    off += fin * fout + fout;
    a = z;
  }
  return a;
}

Deno.test("rescaleReluLayer leaves the network's outputs unchanged (rtol 1e-12) for α from 1e-3 to 1e3", () => {
  const prng = createPrng(1);
  for (const sizes of [[5, 4, 3], [6, 5, 4, 3]]) {
    const theta = sampleNormal(prng, mlpParameterCount(sizes));
    const xs = Array.from({ length: 8 }, () => sampleNormal(prng, sizes[0]!));
    for (let hidden = 1; hidden <= sizes.length - 2; hidden++) {
      for (const alpha of [1e-3, 0.1, 7, 1e3]) {
        const t = rescaleReluLayer(theta, sizes, hidden, alpha);
        for (const x of xs) {
          assertAllClose(forward(t, sizes, x), forward(theta, sizes, x), {
            rtol: 1e-12,
            atol: 1e-12,
          });
        }
      }
    }
  }
});

Deno.test("rescaleReluLayer changes the parameters: α on W, b into the layer, 1/α on W out of it", () => {
  const sizes = [2, 3, 2];
  const theta = Float64Array.from({ length: mlpParameterCount(sizes) }, (_, i) => i + 1);
  const t = rescaleReluLayer(theta, sizes, 1, 2);
  // W0: 6 entries, b0: 3, W1: 6, b1: 2
  const want = [
    ...theta.slice(0, 9).map((v) => 2 * v),
    ...theta.slice(9, 15).map((v) => v / 2),
    16,
    17,
  ];
  assert.deepEqual(Array.from(t), want);
  assert.equal(mlpParameterCount(sizes), 17);
  const f = reluRescalingFactors([4, 3, 2, 1], 2, 10); // W0 12, b0 3, W1 6, b1 2, W2 2, b2 1
  assert.deepEqual(Array.from(f), [...Array(15).fill(1), ...Array(8).fill(10), 0.1, 0.1, 1]);
});

Deno.test("rescaleReluLayer: α = 1 is the identity, α then 1/α returns θ; the input is not modified", () => {
  const sizes = [3, 4, 2], prng = createPrng(2);
  const theta = sampleNormal(prng, mlpParameterCount(sizes));
  const copy = Float64Array.from(theta);
  assert.deepEqual(rescaleReluLayer(theta, sizes, 1, 1), theta);
  assertAllClose(rescaleReluLayer(rescaleReluLayer(theta, sizes, 1, 3), sizes, 1, 1 / 3), theta, {
    rtol: 1e-15,
  });
  assert.deepEqual(theta, copy);
});

Deno.test("rescaleReluLayer: bad input names the argument", () => {
  const th = new Float64Array(mlpParameterCount([2, 2, 2]));
  assert.throws(
    () => rescaleReluLayer(th, [2, 2], 1, 2),
    /sizes must be >= 3 positive integers \(an MLP with a hidden layer\), got \[2, 2\]/,
  );
  assert.throws(
    () => rescaleReluLayer(th, [2, 0, 2], 1, 2),
    /sizes must be >= 3 positive integers/,
  );
  assert.throws(
    () => rescaleReluLayer(th, [2, 2, 2], 2, 2),
    /hidden must be an integer in \[1, 1\] \(a hidden layer\), got 2/,
  );
  assert.throws(
    () => rescaleReluLayer(th, [2, 2, 2], 0, 2),
    /hidden must be an integer in \[1, 1\] \(a hidden layer\), got 0/,
  );
  assert.throws(
    () => rescaleReluLayer(th, [2, 2, 2], 1, 0),
    /alpha must be > 0 \(ReLU is only positively homogeneous\), got 0/,
  );
  assert.throws(() => rescaleReluLayer(th, [2, 2, 2], 1, -1), /alpha must be > 0/);
  assert.throws(
    () => rescaleReluLayer(th, [2, 2, 2], 1, NaN),
    /alpha must be a finite number, got NaN/,
  );
  assert.throws(
    () => rescaleReluLayer(th.subarray(1), [2, 2, 2], 1, 2),
    /theta must have length 12 \(MLP \[2, 2, 2\]\), got 11/,
  );
  const bad = th.slice();
  bad[3] = Infinity;
  assert.throws(
    () => rescaleReluLayer(bad, [2, 2, 2], 1, 2),
    /theta\[3\] must be finite, got Infinity/,
  );
});
