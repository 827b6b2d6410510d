/**
 * 2-D convolution for TensorFlow.js with gradients that run on the wasm
 * backend, and per-example weight gradients for a whole batch at once.
 *
 * Why: the wasm backend registers no `Conv2DBackpropFilter` kernel (training
 * a CNN fails with "not registered for backend 'wasm'"), and its
 * `Conv2DBackpropInput` is several times slower than a forward convolution
 * (measured in TFJS-NOTES; here 90–100 ms vs 10–14 ms for 128 × 28×28×8
 * → 8). Both gradients are therefore written as *forward* convolutions, which
 * the backend runs through XNNPACK:
 *
 * With explicit padding (p_t, p_b, p_l, p_r), stride s and a K_h × K_w filter,
 *
 *   y[b, i, j, o] = Σ_{u,v,c} x̃[b, s·i + u, s·j + v, c] · w[u, v, c, o],
 *
 * x̃ the zero-padded input. Then
 *
 * - weight gradient: ∂L/∂w[u, v, c, o] = Σ_{b,i,j} x̃[b, s·i + u, s·j + v, c] · δ[b, i, j, o]
 *   with δ = ∂L/∂y is one stride-1 convolution of xᵀ (shape c × H × W × b:
 *   the batch becomes the channel axis that the convolution sums over) with
 *   the filter δᵀ (H_o × W_o × b × o) dilated by s;
 * - input gradient: ∂L/∂x = δ (with s − 1 zeros inserted between entries when
 *   s > 1) convolved with the filter flipped in both spatial axes and with
 *   input/output channels swapped, padded by K − 1 − p on the leading side;
 * - per-example weight gradients ∂ℓ_b/∂w (no sum over b): one
 *   `depthwiseConv2d` of xᵀ with δᵀ, the batch as channels and the output
 *   channels as the channel multiplier (see
 *   {@link perExampleConv2dWeightGradients}).
 *
 * @module
 */
import { tf } from "./tf.ts";

/** Padding of a convolution: TensorFlow's "same" / "valid", or p zeros on every side. */
export type ConvPadding = "same" | "valid" | number;

/** Options of the convolutions of this module. */
export interface ConvOptions {
  /** Stride s in both spatial directions (integer ≥ 1, default 1). */
  stride?: number;
  /** Padding (default "same"). */
  pad?: ConvPadding;
}

/** The resolved geometry of a convolution. */
export interface ConvGeometry {
  stride: number;
  /** Explicit padding [top, bottom, left, right]. */
  pads: [number, number, number, number];
  /** Input height and width. */
  inH: number;
  inW: number;
  /** Filter height and width. */
  kH: number;
  kW: number;
  /** Output height and width: ⌊(H + p_t + p_b − K)/s⌋ + 1. */
  outH: number;
  outW: number;
}

function padPair(size: number, k: number, s: number, pad: ConvPadding): [number, number] {
  if (pad === "valid") return [0, 0];
  if (pad === "same") {
    // TensorFlow's rule: output ⌈H/s⌉, extra zero on the trailing side
    const out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + k - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  return [pad, pad];
}

/**
 * Resolves the geometry of a convolution of an H × W input with a
 * K_h × K_w filter (see {@link ConvGeometry}).
 *
 * @param inH input height (integer ≥ 1)
 * @param inW input width (integer ≥ 1)
 * @param kH filter height (integer ≥ 1)
 * @param kW filter width (integer ≥ 1)
 * @param options stride and padding
 * @returns stride, explicit pads and output size
 * @throws RangeError for a bad size, stride or padding, a pad ≥ K (the input
 *   gradient needs K − 1 − p ≥ 0), or an empty output
 * @example
 * ```ts
 * import { convGeometry } from "./conv.ts";
 * const g = convGeometry(28, 28, 3, 3, { stride: 2, pad: "same" });
 * if (g.outH !== 14 || g.pads.join() !== "0,1,0,1") throw new Error(JSON.stringify(g));
 * ```
 */
export function convGeometry(
  inH: number,
  inW: number,
  kH: number,
  kW: number,
  { stride = 1, pad = "same" }: ConvOptions = {},
): ConvGeometry {
  for (const [name, v] of [["inH", inH], ["inW", inW], ["kH", kH], ["kW", kW]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${name} must be an integer >= 1, got ${v}`);
    }
  }
  if (!Number.isInteger(stride) || stride < 1) {
    throw new RangeError(`stride must be an integer >= 1, got ${stride}`);
  }
  if (pad !== "same" && pad !== "valid" && !(Number.isInteger(pad) && pad >= 0)) {
    throw new RangeError(`pad must be "same", "valid" or an integer >= 0, got ${pad}`);
  }
  const [pt, pb] = padPair(inH, kH, stride, pad);
  const [pl, pr] = padPair(inW, kW, stride, pad);
  if (Math.max(pt, pb) >= kH || Math.max(pl, pr) >= kW) {
    throw new RangeError(`pad ${pad} must be smaller than the filter ${kH}×${kW}`);
  }
  const outH = Math.floor((inH + pt + pb - kH) / stride) + 1;
  const outW = Math.floor((inW + pl + pr - kW) / stride) + 1;
  if (outH < 1 || outW < 1) {
    throw new RangeError(`a ${kH}×${kW} filter does not fit the padded ${inH}×${inW} input`);
  }
  return { stride, pads: [pt, pb, pl, pr], inH, inW, kH, kW, outH, outW };
}

function explicit(
  [t, b, l, r]: readonly number[],
): [[number, number], [number, number], [number, number], [number, number]] {
  return [[0, 0], [t!, b!], [l!, r!], [0, 0]];
}

function geometryOf(x: tf.Tensor4D, w: tf.Tensor4D, o: ConvOptions): ConvGeometry {
  if (x.rank !== 4 || w.rank !== 4) {
    throw new RangeError(`x and w must be rank 4, got ranks ${x.rank} and ${w.rank}`);
  }
  if (x.shape[3] !== w.shape[2]) {
    throw new RangeError(
      `x has ${x.shape[3]} channels but the filter expects ${w.shape[2]} (w shape [${w.shape}])`,
    );
  }
  return convGeometry(x.shape[1], x.shape[2], w.shape[0], w.shape[1], o);
}

/** The forward convolution y = conv(x, w) with explicit padding. */
function forward(x: tf.Tensor4D, w: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  return tf.conv2d(x, w, g.stride, explicit(g.pads));
}

/** δᵀ: [B, Ho, Wo, O] → [Ho, Wo, B, O], the batch as the filter's input channels. */
function dyAsFilter(dy: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(dy, [1, 2, 0, 3]);
}

/** xᵀ: [B, H, W, C] → [C, H, W, B], the channels as the batch, the batch as channels. */
function xAsBatch(x: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(x, [3, 1, 2, 0]);
}

/** Crops the leading K_h × K_w spatial block of [C, H', W', ·] when the conv produced more. */
function cropFilter(t: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  if (t.shape[1] === g.kH && t.shape[2] === g.kW) return t;
  return tf.slice(t, [0, 0, 0, 0], [t.shape[0], g.kH, g.kW, t.shape[3]]);
}

/**
 * Gradient of Σ δ ⊙ conv(x, w) with respect to w, summed over the batch,
 * computed as one forward convolution (module doc).
 *
 * @param x the convolution's input, B × H × W × C
 * @param dy δ = ∂L/∂y, B × H_o × W_o × O
 * @param filterShape [K_h, K_w, C, O]
 * @param options stride and padding of the forward convolution
 * @returns ∂L/∂w, K_h × K_w × C × O
 */
export function conv2dWeightGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  options: ConvOptions = {},
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(x.shape[1], x.shape[2], filterShape[0], filterShape[1], options);
    // [C, H, W, B] ⋆ [Ho, Wo, B, O] (dilation s) → [C, K', K', O]
    const out = tf.conv2d(xAsBatch(x), dyAsFilter(dy), 1, explicit(g.pads), "NHWC", g.stride);
    return tf.transpose(cropFilter(out, g), [1, 2, 0, 3]);
  });
}

/**
 * The filter of the input gradient: w flipped in both spatial axes with input
 * and output channels swapped, K_h × K_w × O × C.
 *
 * Flipping both spatial axes reverses the flattened K_h·K_w index, so the
 * flip is one product J · w with J the (K_h·K_w)² exchange matrix, exact for
 * finite weights (each entry is one product by 1 plus products by 0). On the
 * wasm backend `tf.reverse` of a 3×3×512×512 filter takes ~70 ms, this
 * product ~2.5 ms, and the channel swap (a batched 2-D transpose) ~13 ms.
 */
function flipFilter(w: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, c, o] = w.shape;
  const k = kh * kw;
  let flat = tf.reshape(w, [k, c * o]) as tf.Tensor2D;
  if (k > 1) {
    const exchange = tf.tidy(() => tf.reverse(tf.eye(k), [0])) as tf.Tensor2D;
    flat = tf.matMul(exchange, flat);
  }
  const swapped = tf.transpose(tf.reshape(flat, [k, c, o]), [0, 2, 1]);
  return tf.reshape(swapped, [kh, kw, o, c]) as tf.Tensor4D;
}

/**
 * Gradient of Σ δ ⊙ conv(x, w) with respect to x, as one forward convolution
 * of the (zero-dilated, for stride > 1) δ with the spatially flipped,
 * channel-swapped filter (module doc).
 *
 * @param dy δ = ∂L/∂y, B × H_o × W_o × O
 * @param w the filter, K_h × K_w × C × O
 * @param inputShape [B, H, W, C] of x
 * @param options stride and padding of the forward convolution
 * @returns ∂L/∂x, B × H × W × C
 */
export function conv2dInputGradient(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  inputShape: [number, number, number, number],
  options: ConvOptions = {},
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(inputShape[1], inputShape[2], w.shape[0], w.shape[1], options);
    const s = g.stride;
    const [bs, ho, wo, o] = dy.shape;
    let d: tf.Tensor4D = dy;
    let dh = ho, dw = wo;
    if (s > 1) {
      // insert s − 1 zeros after every entry: [B, Ho, 1, Wo, 1, O] padded to [B, Ho, s, Wo, s, O]
      const z = tf.pad(tf.reshape(dy, [bs, ho, 1, wo, 1, o]), [
        [0, 0],
        [0, 0],
        [0, s - 1],
        [0, 0],
        [0, s - 1],
        [0, 0],
      ]);
      d = tf.reshape(z, [bs, ho * s, wo * s, o]) as tf.Tensor4D;
      dh = ho * s;
      dw = wo * s;
    }
    // dx[p] = Σ_u d[p + p_t − u] w[u]: a convolution with the flipped filter and
    // leading pad K − 1 − p_t; the trailing pad makes the output exactly H (it can
    // be negative when the zero-dilated δ is longer than needed: crop instead)
    const top = g.kH - 1 - g.pads[0], left = g.kW - 1 - g.pads[2];
    let bottom = g.inH - 1 + g.kH - dh - top, right = g.inW - 1 + g.kW - dw - left;
    if (bottom < 0 || right < 0) {
      d = tf.slice(d, [0, 0, 0, 0], [bs, dh + Math.min(bottom, 0), dw + Math.min(right, 0), o]);
      bottom = Math.max(bottom, 0);
      right = Math.max(right, 0);
    }
    return tf.conv2d(d, flipFilter(w), 1, explicit([top, bottom, left, right]));
  });
}

/**
 * Per-example weight gradients of a convolution: for every example b,
 *
 *   G[b, u, v, c, o] = Σ_{i,j} x̃[b, s·i + u, s·j + v, c] · δ[b, i, j, o],
 *
 * i.e. ∂ℓ_b/∂w when δ[b] = ∂ℓ_b/∂y[b]. Computed as one `depthwiseConv2d` of
 * xᵀ (C × H × W × B: channels as the batch, the batch as channels) with δᵀ
 * (H_o × W_o × B × O: the output channels as the channel multiplier),
 * dilation s, giving C × K_h × K_w × (B·O), then one rank-4 transpose.
 *
 * Measured on the wasm backend for B = 128 and the layers of the default
 * ResNet (10–40 ms per layer), this beats an im2col + batched matmul
 * (the backend's batched matmul is a scalar loop: 18–220 ms), and strided
 * slicing (tens of ms per call) is avoided; rank-5 transposes are also slow
 * there (60 ms for 0.3 M numbers), hence the rank-4 one.
 *
 * @param x the convolution's input, B × H × W × C
 * @param dy per-example output gradients, B × H_o × W_o × O
 * @param filterShape [K_h, K_w, C, O]
 * @param options stride and padding of the forward convolution
 * @returns G, B × K_h × K_w × C × O (a tfjs Tensor of rank 5)
 * @throws RangeError when dy does not have the convolution's output shape
 * @example
 * ```ts
 * import { initBackend, tf } from "./tf.ts";
 * import { conv2dWeightGradient, perExampleConv2dWeightGradients } from "./conv.ts";
 * await initBackend("wasm");
 * const x = tf.randomNormal([3, 5, 5, 2]) as tf.Tensor4D;
 * const dy = tf.randomNormal([3, 5, 5, 4]) as tf.Tensor4D;
 * const per = perExampleConv2dWeightGradients(x, dy, [3, 3, 2, 4]);
 * const sum = conv2dWeightGradient(x, dy, [3, 3, 2, 4]);
 * const diff = tf.max(tf.abs(tf.sub(tf.sum(per, 0), sum))).dataSync()[0]!;
 * if (diff > 1e-4) throw new Error(`rows must sum to the batch gradient, diff ${diff}`);
 * ```
 */
export function perExampleConv2dWeightGradients(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  options: ConvOptions = {},
): tf.Tensor5D {
  return tf.tidy(() => {
    const [kh, kw, c, o] = filterShape;
    const g = convGeometry(x.shape[1], x.shape[2], kh, kw, options);
    const b = x.shape[0];
    if (
      dy.shape[0] !== b || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== o
    ) {
      throw new RangeError(
        `dy must have shape [${b}, ${g.outH}, ${g.outW}, ${o}], got [${dy.shape}]`,
      );
    }
    const out = tf.depthwiseConv2d(
      xAsBatch(x),
      dyAsFilter(dy),
      1,
      explicit(g.pads),
      "NHWC",
      g.stride,
    ) as tf.Tensor4D;
    const cropped = tf.reshape(cropFilter(out, g), [c, kh * kw, b, o]);
    return tf.reshape(tf.transpose(cropped, [2, 1, 0, 3]), [b, kh, kw, c, o]);
  });
}

// deno-lint-ignore no-explicit-any
type AnyFn = any;

const convOps = new Map<string, (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D>();

/**
 * y = conv2d(x, w) (NHWC input B × H × W × C, filter K_h × K_w × C × O, no
 * bias) with a custom gradient made of forward convolutions only
 * ({@link conv2dWeightGradient}, {@link conv2dInputGradient}), so that it
 * trains on the wasm backend, which lacks `Conv2DBackpropFilter`.
 *
 * @param x input, B × H × W × C
 * @param w filter, K_h × K_w × C × O
 * @param options stride (default 1) and padding (default "same")
 * @returns y, B × H_o × W_o × O
 * @example
 * ```ts
 * import { initBackend, tf } from "./tf.ts";
 * import { conv2d } from "./conv.ts";
 * await initBackend("wasm");
 * const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D, w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
 * const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
 *   tf.sum(conv2d(a as tf.Tensor4D, b as tf.Tensor4D)))([x, w]);
 * if (gw!.dataSync()[4] !== 16 || gx!.dataSync()[0] !== 4) throw new Error("gradients");
 * ```
 */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, options: ConvOptions = {}): tf.Tensor4D {
  const g = geometryOf(x, w, options);
  const key = `${g.stride}|${options.pad ?? "same"}`;
  let op = convOps.get(key);
  if (!op) {
    const o = { stride: g.stride, pad: options.pad ?? "same" };
    op = tf.customGrad(
      ((xi: tf.Tensor4D, wi: tf.Tensor4D, save: AnyFn) => {
        save([xi, wi]);
        return {
          value: forward(xi, wi, geometryOf(xi, wi, o)),
          gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
            const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
            return [
              conv2dInputGradient(dy, sw, sx.shape, o),
              conv2dWeightGradient(sx, dy, sw.shape, o),
            ];
          },
        };
      }) as AnyFn,
    ) as never;
    convOps.set(key, op!);
  }
  return op!(x, w);
}

/**
 * y = conv2d(x, w) differentiable in one argument only (`wrt`), the other treated as a
 * constant, so the backward pass computes one gradient instead of two. Both tensors are saved:
 * tf.grads disposes forward intermediates that no kernel saved.
 */
function oneSidedConv2d(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  options: ConvOptions,
  wrt: "x" | "w",
): tf.Tensor4D {
  const g = geometryOf(x, w, options);
  const o = { stride: g.stride, pad: options.pad ?? "same" };
  const op = tf.customGrad(
    ((t: tf.Tensor4D, save: AnyFn) => {
      const [xi, wi] = wrt === "x" ? [t, w] : [x, t];
      save([xi, wi]);
      return {
        value: forward(xi, wi, g),
        gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
          const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
          return [
            wrt === "x"
              ? conv2dInputGradient(dy, sw, sx.shape, o)
              : conv2dWeightGradient(sx, dy, sw.shape, o),
          ];
        },
      };
    }) as AnyFn,
  ) as AnyFn;
  return op(wrt === "x" ? x : w);
}

/**
 * y = conv2d(x, w) differentiable in x only: w is treated as a constant,
 * so the backward pass skips the weight gradient. Used by per-example
 * gradients, which rebuild the weight gradients themselves.
 *
 * @param x input, B × H × W × C
 * @param w filter, K_h × K_w × C × O (not differentiated)
 * @param options stride and padding
 * @returns y, B × H_o × W_o × O
 */
export function conv2dFixedFilter(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  options: ConvOptions = {},
): tf.Tensor4D {
  return oneSidedConv2d(x, w, options, "x");
}

/**
 * y = conv2d(x, w) differentiable in w only: x is treated as data, so the
 * backward pass skips the input gradient (a whole convolution). Used for a
 * network's first layer, whose input is the data.
 *
 * @param x input, B × H × W × C (not differentiated)
 * @param w filter, K_h × K_w × C × O
 * @param options stride and padding
 * @returns y, B × H_o × W_o × O
 */
export function conv2dFixedInput(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  options: ConvOptions = {},
): tf.Tensor4D {
  return oneSidedConv2d(x, w, options, "w");
}
