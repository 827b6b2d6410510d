/**
 * A multilayer perceptron for flattened MNIST in TensorFlow.js, written as a
 * pure function of a flat list of parameter tensors so that gradients,
 * per-example gradients and parameter vectors are easy to take.
 *
 * Speed: tfjs's own dense gradient uses `matMul` with `transposeA/B`, which
 * the wasm backend runs ~10× slower than on pre-transposed inputs (measured
 * in TFJS-NOTES: MLP step 19 → 4.7 ms). {@link dense} therefore has a custom
 * gradient that transposes explicitly.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { type Prng, sampleNormal } from "../stats/random.ts";
import type { ModelSpec } from "./model_spec.ts";

/** A model as a pure function of its parameters. */
export interface Model {
  readonly name: string;
  /** Current parameter tensors (owned by the model; replaced by training). */
  params: tf.Tensor[];
  /** Number of scalar parameters. */
  readonly parameterCount: number;
  /**
   * How to rebuild the architecture (not the weights) elsewhere, e.g. in a
   * worker of a `GradientPool`; absent for ad hoc models.
   */
  readonly spec?: ModelSpec;
  /** Logits (batch × classes) for inputs x (batch × features). */
  logits(params: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D;
  /**
   * Per-example gradients of the summed loss, one row per example
   * (batch × parameterCount), in the order of `params` flattened.
   */
  perExampleGradients?(params: tf.Tensor[], x: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Tensor2D;
}

/**
 * y = x W + b with a gradient that uses explicitly transposed operands
 * (dx = dy Wᵀ, dW = xᵀ dy, db = Σ_rows dy).
 */
export const dense: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D = tf.customGrad(
  // deno-lint-ignore no-explicit-any
  ((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: any) => {
    save([x, w]);
    return {
      value: tf.add(tf.matMul(x, w), b),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [
          tf.matMul(dy, tf.transpose(sw)),
          tf.matMul(tf.transpose(sx), dy),
          tf.sum(dy, 0),
        ];
      },
    };
    // deno-lint-ignore no-explicit-any
  }) as any,
) as never;

/**
 * y = x W + b differentiable in W and b only: x is data, so the backward
 * pass skips dx = dy Wᵀ (for a 784-wide first layer the largest of the three
 * products).
 */
export function denseFixedInput(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad(
    // deno-lint-ignore no-explicit-any
    ((wi: tf.Tensor2D, bi: tf.Tensor1D, save: any) => {
      // saving x keeps it alive: tf.grads disposes forward intermediates
      save([x]);
      return {
        value: tf.add(tf.matMul(x, wi), bi),
        gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
          tf.matMul(tf.transpose(saved[0]!), dy),
          tf.sum(dy, 0),
        ],
      };
      // deno-lint-ignore no-explicit-any
    }) as any,
    // deno-lint-ignore no-explicit-any
  ) as any;
  return op(w, b);
}

/**
 * y = x W + b differentiable in x only: W and b are constants, so the
 * backward pass skips the weight gradient (per-example passes, which
 * differentiate activations and rebuild weight gradients themselves).
 */
export function denseFixedParams(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad(
    // deno-lint-ignore no-explicit-any
    ((xi: tf.Tensor2D, save: any) => {
      save([w]);
      return {
        value: tf.add(tf.matMul(xi, w), b),
        gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
          tf.matMul(dy, tf.transpose(saved[0]!)),
        ],
      };
      // deno-lint-ignore no-explicit-any
    }) as any,
    // deno-lint-ignore no-explicit-any
  ) as any;
  return op(x);
}

/**
 * Mean softmax cross-entropy, −(1/B) Σ_i Σ_k y_ik log softmax(z_i)_k, with
 * its gradient in closed form: ∂/∂z_i = (softmax(z_i) Σ_k y_ik − y_i)/B
 * (one fused backward step instead of autodiff through log-softmax).
 * Labels may be soft (any non-negative rows).
 */
export const crossEntropy: (logits: tf.Tensor2D, yOneHot: tf.Tensor2D) => tf.Scalar = tf
  .customGrad(
    // deno-lint-ignore no-explicit-any
    ((z: tf.Tensor2D, y: tf.Tensor2D, save: any) => {
      const logp = tf.logSoftmax(z);
      save([logp, y]);
      return {
        value: tf.neg(tf.mean(tf.sum(tf.mul(y, logp), 1))),
        gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
          const [lp, yy] = saved as [tf.Tensor2D, tf.Tensor2D];
          const scale = tf.div(dy, z.shape[0]);
          const dz = tf.mul(tf.sub(tf.mul(tf.exp(lp), tf.sum(yy, 1, true)), yy), scale);
          const dyLabels = tf.mul(tf.neg(lp), scale);
          return [dz, dyLabels];
        },
      };
      // deno-lint-ignore no-explicit-any
    }) as any,
  ) as never;

/**
 * Creates an MLP with ReLU hidden layers and He-normal weights (std
 * √(2/fan_in)), zero biases, drawn from `prng`.
 *
 * @param options.sizes layer widths, e.g. `[784, 128, 10]`
 * @param options.prng weight source
 * @returns a {@link Model}
 */
export function createMlp({ sizes, prng }: { sizes: number[]; prng: Prng }): Model {
  if (!Array.isArray(sizes)) {
    throw new TypeError(`sizes must be an array of layer widths, got ${sizes}`);
  }
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new RangeError(`sizes must be >= 2 positive integers, got [${sizes.join(", ")}]`);
  }
  const params: tf.Tensor[] = [];
  let count = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!, fanOut = sizes[l + 1]!;
    const w = sampleNormal(prng, fanIn * fanOut, 0, Math.sqrt(2 / fanIn));
    params.push(tf.tensor2d(Float32Array.from(w), [fanIn, fanOut]));
    params.push(tf.zeros([fanOut]));
    count += fanIn * fanOut + fanOut;
  }
  const layers = sizes.length - 1;
  const forward = (p: tf.Tensor[], x: tf.Tensor2D, eps?: tf.Tensor2D[]) => {
    let a = x;
    const acts: tf.Tensor2D[] = [];
    for (let l = 0; l < layers; l++) {
      acts.push(a);
      // the first layer's input is data; per-example passes need no weight gradients
      const layer = eps ? denseFixedParams : l === 0 ? denseFixedInput : dense;
      let z = layer(a, p[2 * l] as tf.Tensor2D, p[2 * l + 1] as tf.Tensor1D);
      if (eps) z = tf.add(z, eps[l]!);
      a = l + 1 < layers ? tf.relu(z) : z;
    }
    return { out: a, acts };
  };
  return {
    name: `MLP ${sizes.join("-")}`,
    params,
    parameterCount: count,
    spec: { kind: "mlp", sizes: [...sizes] },
    logits: (p, x) => forward(p, x).out,
    perExampleGradients(p, x, yOneHot) {
      // Per-example gradients without a vmap: add zero tensors ε_l to each
      // pre-activation, take one gradient of the *summed* loss with respect
      // to them (row i of dL/dε_l is example i's δ_l), then rebuild
      // ∂ℓ_i/∂W_l = a_{l-1,i}ᵀ δ_{l,i} as one broadcast multiply
      // [B, in, 1] ⊙ [B, 1, out] and ∂ℓ_i/∂b_l = δ_{l,i}. (On the wasm backend
      // this broadcast takes 7 ms for B = 128, 784 × 128, the batched matmul
      // [B, in, 1] × [B, 1, out] 81 ms: its batched path is a scalar loop.)
      return tf.tidy(() => {
        const batch = x.shape[0];
        const eps = sizes.slice(1).map((s) => tf.zeros([batch, s]) as tf.Tensor2D);
        let acts: tf.Tensor2D[] = [];
        const g = tf.grads((...e: tf.Tensor[]) => {
          const r = forward(p, x, e as tf.Tensor2D[]);
          // tf.grads disposes the forward intermediates; keep the activations
          acts = r.acts.map((a) => tf.keep(a));
          return tf.mul(crossEntropy(r.out, yOneHot), batch);
        })(eps);
        const cols: tf.Tensor2D[] = [];
        for (let l = 0; l < layers; l++) {
          const a = acts[l]!, d = g[l] as tf.Tensor2D;
          const outer = tf.mul(
            tf.reshape(a, [batch, a.shape[1], 1]),
            tf.reshape(d, [batch, 1, d.shape[1]]),
          );
          cols.push(tf.reshape(outer, [batch, -1]) as tf.Tensor2D, d);
        }
        const out = tf.concat(cols, 1) as tf.Tensor2D;
        for (const a of acts) if (a !== x) a.dispose();
        return out;
      });
    },
  };
}
