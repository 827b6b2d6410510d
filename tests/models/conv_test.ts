import assert from "node:assert/strict";
import { initBackend, tf } from "../../lib/models/tf.ts";
import {
  conv2d,
  conv2dFixedFilter,
  convGeometry,
  type ConvOptions,
  perExampleConv2dWeightGradients,
} from "../../lib/models/conv.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

await initBackend("wasm");

type Shape4 = [number, number, number, number];

interface Case {
  name: string;
  x: Shape4;
  w: Shape4;
  opts: ConvOptions;
}

// stride 1 and 2, "same" (symmetric and asymmetric pads), "valid" with an
// unused trailing row (the weight-gradient conv is cropped), a numeric pad, a
// 1×1 stride-2 shortcut on an odd input (the input-gradient δ is cropped)
const CASES: Case[] = [
  { name: "3×3 s1 same", x: [2, 5, 6, 3], w: [3, 3, 3, 4], opts: {} },
  { name: "3×3 s2 same, odd input", x: [2, 7, 7, 2], w: [3, 3, 2, 3], opts: { stride: 2 } },
  { name: "3×3 s2 same, even input", x: [3, 6, 8, 2], w: [3, 3, 2, 2], opts: { stride: 2 } },
  { name: "3×3 s2 valid", x: [2, 6, 6, 2], w: [3, 3, 2, 3], opts: { stride: 2, pad: "valid" } },
  { name: "2×3 s1 pad 1", x: [2, 5, 5, 2], w: [2, 3, 2, 2], opts: { pad: 1 } },
  { name: "1×1 s2 same, odd input", x: [2, 7, 7, 3], w: [1, 1, 3, 4], opts: { stride: 2 } },
];

function data(seed: number, c: Case) {
  const prng = createPrng(seed);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const g = convGeometry(c.x[1], c.x[2], c.w[0], c.w[1], c.opts);
  const yShape: Shape4 = [c.x[0], g.outH, g.outW, c.w[3]];
  return {
    x: Float32Array.from(sampleNormal(prng, size(c.x))),
    w: Float32Array.from(sampleNormal(prng, size(c.w))),
    // L = Σ r ⊙ y, so ∂L/∂y = r
    r: Float32Array.from(sampleNormal(prng, size(yShape))),
    yShape,
  };
}

/** Forward value and gradients of L = Σ r ⊙ conv(x, w) on the active backend. */
function lossGrads(
  c: Case,
  d: ReturnType<typeof data>,
  conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D,
) {
  return tf.tidy(() => {
    const x = tf.tensor4d(d.x, c.x), w = tf.tensor4d(d.w, c.w);
    const r = tf.tensor4d(d.r, d.yShape);
    const y = conv(x, w);
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), r))
    )([x, w]);
    return { y: y.dataSync().slice(), gx: gx!.dataSync().slice(), gw: gw!.dataSync().slice() };
  });
}

/** tfjs's own conv2d and its registered gradients on the pure-JS cpu backend. */
async function cpuReference(c: Case, d: ReturnType<typeof data>) {
  await initBackend("cpu");
  const pad = c.opts.pad ?? "same";
  const ref = lossGrads(c, d, (x, w) => {
    const g = convGeometry(c.x[1], c.x[2], c.w[0], c.w[1], c.opts);
    const [t, b, l, r] = g.pads;
    return tf.conv2d(
      x,
      w,
      c.opts.stride ?? 1,
      typeof pad === "number" ? [[0, 0], [t, b], [l, r], [0, 0]] : pad,
    );
  });
  await initBackend("wasm");
  return ref;
}

Deno.test("conv2d on wasm: value and both gradients equal tfjs's cpu-backend conv2d gradients", async () => {
  for (const [k, c] of CASES.entries()) {
    const d = data(10 + k, c);
    const ref = await cpuReference(c, d);
    const ours = lossGrads(c, d, (x, w) => conv2d(x, w, c.opts));
    // float32 sums of ≤ 3·3·4·… terms of unit size: agreement to ~1e-5 relative
    const tol = { rtol: 1e-4, atol: 1e-4 };
    assertAllClose(ours.y, ref.y, tol);
    assertAllClose(ours.gx, ref.gx, tol);
    assertAllClose(ours.gw, ref.gw, tol);
  }
});

Deno.test("conv2d: weight gradient equals central finite differences of the loss (float64 sums of float32 outputs)", () => {
  const c = CASES[1]!;
  const d = data(3, c);
  const ours = lossGrads(c, d, (x, w) => conv2d(x, w, c.opts));
  const loss = (w: Float32Array) =>
    tf.tidy(() => {
      const y = conv2d(tf.tensor4d(d.x, c.x), tf.tensor4d(w, c.w), c.opts).dataSync();
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i]! * d.r[i]!;
      return s;
    });
  // L is linear in w: central differences are exact up to float32 round-off of y
  // (~1e-6 per entry, ~1e-4 summed), divided by 2h = 0.2: tolerance 2e-3
  const h = 0.1;
  for (const j of [0, 5, 17, d.w.length - 1]) {
    const wp = d.w.slice(), wm = d.w.slice();
    wp[j]! += h;
    wm[j]! -= h;
    const fd = (loss(wp) - loss(wm)) / (2 * h);
    assert.ok(Math.abs(fd - ours.gw[j]!) < 2e-3, `w[${j}]: fd ${fd} vs ${ours.gw[j]}`);
  }
});

Deno.test("conv2dFixedFilter: same value and input gradient as conv2d", () => {
  for (const c of [CASES[0]!, CASES[2]!]) {
    const d = data(4, c);
    const a = lossGrads(c, d, (x, w) => conv2d(x, w, c.opts));
    const b = tf.tidy(() => {
      const x = tf.tensor4d(d.x, c.x), w = tf.tensor4d(d.w, c.w);
      const r = tf.tensor4d(d.r, d.yShape);
      const gx = tf.grad((a: tf.Tensor) =>
        tf.sum(tf.mul(conv2dFixedFilter(a as tf.Tensor4D, w, c.opts), r))
      )(x);
      return { y: conv2dFixedFilter(x, w, c.opts).dataSync().slice(), gx: gx.dataSync().slice() };
    });
    assertAllClose(b.y, a.y, { rtol: 1e-6, atol: 1e-6 });
    assertAllClose(b.gx, a.gx, { rtol: 1e-6, atol: 1e-6 });
  }
});

Deno.test("perExampleConv2dWeightGradients: rows equal single-example weight gradients", () => {
  for (const [k, c] of CASES.entries()) {
    const d = data(20 + k, c);
    const [bs] = c.x;
    const per = tf.tidy(() => {
      const x = tf.tensor4d(d.x, c.x), r = tf.tensor4d(d.r, d.yShape);
      return perExampleConv2dWeightGradients(x, r, c.w, c.opts).dataSync().slice();
    });
    const wSize = c.w.reduce((a, b) => a * b, 1);
    const xSize = d.x.length / bs, rSize = d.r.length / bs;
    for (let b = 0; b < bs; b++) {
      const one: Case = { ...c, x: [1, c.x[1], c.x[2], c.x[3]] };
      const single = lossGrads(one, {
        x: d.x.slice(b * xSize, (b + 1) * xSize),
        w: d.w,
        r: d.r.slice(b * rSize, (b + 1) * rSize),
        yShape: [1, d.yShape[1], d.yShape[2], d.yShape[3]],
      }, (x, w) => conv2d(x, w, c.opts));
      assertAllClose(per.subarray(b * wSize, (b + 1) * wSize), single.gw, {
        rtol: 1e-4,
        atol: 1e-4,
      });
    }
  }
});

Deno.test("convGeometry: TensorFlow 'same' pads, output sizes and named errors", () => {
  assert.deepEqual(convGeometry(6, 6, 3, 3, { stride: 2 }).pads, [0, 1, 0, 1]);
  assert.deepEqual(convGeometry(7, 7, 3, 3, { stride: 2 }).pads, [1, 1, 1, 1]);
  assert.equal(convGeometry(6, 6, 3, 3, { stride: 2, pad: "valid" }).outH, 2);
  assert.throws(() => convGeometry(0, 6, 3, 3), /inH must be an integer >= 1, got 0/);
  assert.throws(
    () => convGeometry(6, 6, 3, 3, { stride: 0 }),
    /stride must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => convGeometry(6, 6, 3, 3, { pad: 3 }),
    /pad 3 must be smaller than the filter 3×3/,
  );
  assert.throws(
    () => convGeometry(6, 6, 3, 3, { pad: -1 }),
    /pad must be "same", "valid" or an integer >= 0, got -1/,
  );
  assert.throws(
    () => convGeometry(2, 2, 3, 3, { pad: "valid" }),
    /a 3×3 filter does not fit the padded 2×2 input/,
  );
  assert.throws(
    () => conv2d(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D, tf.zeros([3, 3, 3, 1]) as tf.Tensor4D),
    /x has 2 channels but the filter expects 3/,
  );
});
