/**
 * A small residual network (He et al. 2016) for 28 × 28 × 1 MNIST digits in
 * TensorFlow.js, written like {@link createMlp} as a pure function of a flat
 * list of parameter tensors, with per-example gradients for a whole batch.
 *
 * Architecture (depth and width are parameters): a fixed input
 * standardisation (x − 0.1307)/0.3081; a stem 3×3 conv → [norm] → ReLU; then
 * for each stage k with width c_k,
 * `blocksPerStage` basic blocks
 *
 *   a ↦ ReLU( n₂(conv₂(ReLU(n₁(conv₁(a))))) + shortcut(a) ),
 *
 * where conv₁ has stride 2 in the first block of every stage after the first
 * (halving the resolution: 28 → 14 → 7 → 4) and the shortcut is the identity,
 * or a 1×1 conv (+ norm) with that stride when the shape changes; then a
 * dense layer from the last feature map to the class logits.
 *
 * The head reads the flattened last feature map by default. The classic
 * global-average-pool head is an option (`head: "average"`), but measured
 * here (and in PyTorch with the same architecture) it leaves these narrow
 * nets on a plateau near chance for several epochs of plain SGD on a few
 * thousand MNIST digits, while the flatten head reaches ~90% test accuracy
 * in three epochs. GroupNorm is an option too but not the default: on the
 * wasm backend its broadcasting subtract/multiply kernels made a training
 * step 2.4× slower (300 vs 126 ms for 64 digits, widths 8-16-32).
 *
 * Normalisation is GroupNorm (Wu & He 2018) or none. **Not BatchNorm**: in
 * training mode BatchNorm normalises each example by statistics of the whole
 * batch, so the loss of example i depends on every other example of the
 * batch; "the gradient of example i" is then not defined independently of the
 * batch it sits in, the minibatch gradient is not a mean of per-example
 * gradients, and the SGN decomposition U = (1/S)Σ(∇ℓ_i − ∇L) on which every
 * notebook rests does not hold. GroupNorm normalises within each example.
 * Without normalisation, the second conv of each residual branch is scaled at
 * initialisation by L^{−1/2}, L the number of residual blocks (the
 * m = 2 case of Fixup, Zhang, Dauphin & Ma 2019), so the signal does not grow
 * with depth.
 *
 * Convolutions use {@link conv2d} from `conv.ts` (gradients as forward
 * convolutions: the wasm backend has no `Conv2DBackpropFilter`).
 *
 * @module
 */
import { tf } from "./tf.ts";
import {
  conv2d,
  conv2dFixedFilter,
  conv2dFixedInput,
  convGeometry,
  perExampleConv2dWeightGradients,
} from "./conv.ts";
import { crossEntropy, dense, denseFixedParams, type Model } from "./mlp.ts";
import { type Prng, sampleNormal } from "../stats/random.ts";
import { assertInteger, assertOneOf } from "../stats/validate.ts";

/** Options of {@link createResNet}. */
export interface ResNetOptions {
  /** Weight source. */
  prng: Prng;
  /** Channels of each stage; every stage after the first halves the resolution (default [8, 16, 32]). */
  widths?: number[];
  /** Residual blocks per stage (integer ≥ 1, default 1). */
  blocksPerStage?: number;
  /** `"none"` (default) or `"group"` (GroupNorm). */
  norm?: "group" | "none";
  /**
   * `"flatten"` (default): the dense head reads the whole last feature map;
   * `"average"`: global average pooling first (the classic ResNet head).
   */
  head?: "flatten" | "average";
  /**
   * Fixed input standardisation x ↦ (x − mean)/sd before the stem (default
   * 0.1307 and 0.3081, the usual MNIST pixel mean and standard deviation).
   */
  inputMean?: number;
  inputSd?: number;
  /** Groups of GroupNorm; must divide every width (default 4). */
  groups?: number;
  /** Input side (default 28) and channels (default 1). */
  side?: number;
  channels?: number;
  /** Number of classes (default 10). */
  classes?: number;
}

interface ConvSpec {
  kind: "conv";
  w: number;
  b: number | undefined;
  k: number;
  stride: number;
  cin: number;
  cout: number;
  inSide: number;
  outSide: number;
}
interface NormSpec {
  kind: "norm";
  gamma: number;
  beta: number;
  channels: number;
  groups: number;
  side: number;
}
interface DenseSpec {
  kind: "dense";
  w: number;
  b: number;
  cin: number;
  cout: number;
}
type Spec = ConvSpec | NormSpec | DenseSpec;

interface Block {
  conv1: ConvSpec;
  norm1?: NormSpec;
  conv2: ConvSpec;
  norm2?: NormSpec;
  shortcut?: { conv: ConvSpec; norm?: NormSpec };
}

/** GroupNorm's ε inside the square root. */
const GN_EPS = 1e-5;

/**
 * Creates the ResNet described in the module doc, with He-normal conv
 * weights (std √(2/(k²·c_in))), zero biases, GroupNorm scales 1 and shifts 0,
 * and a dense head with std √(1/c) weights, all drawn from `prng` in
 * parameter order.
 *
 * `perExampleGradients` adds zero tensors ε to every conv, norm and dense
 * output, takes one gradient of the summed loss with respect to them (row b
 * of ∂L/∂ε is example b's δ), and rebuilds each parameter's per-example
 * gradient from δ and the saved layer input: conv weights by
 * {@link perExampleConv2dWeightGradients}, biases and GroupNorm shifts as
 * Σ_{h,w} δ, GroupNorm scales as Σ_{h,w} δ ⊙ x̂, the dense head as a broadcast
 * outer product. The backward pass skips weight gradients
 * ({@link conv2dFixedFilter}).
 *
 * @param options see {@link ResNetOptions}
 * @returns a {@link Model}; `logits` takes x as B × (side²·channels) rows
 * @throws RangeError for bad widths, depth, groups, side, channels or classes
 * @example
 * ```ts
 * import { initBackend, tf } from "./tf.ts";
 * import { createResNet } from "./resnet.ts";
 * import { createPrng } from "../stats/random.ts";
 * await initBackend("wasm");
 * const net = createResNet({ prng: createPrng(1), widths: [4, 8], groups: 2 });
 * const logits = net.logits(net.params, tf.zeros([2, 784]) as tf.Tensor2D);
 * if (logits.shape.join() !== "2,10") throw new Error(`shape ${logits.shape}`);
 * ```
 */
export function createResNet(options: ResNetOptions): Model {
  const o = resolveOptions(options);
  const arch = buildArchitecture(o);
  const useNorm = o.norm === "group";
  return {
    name: `ResNet ${o.widths.join("-")} ×${o.blocksPerStage} (${
      useNorm ? `GroupNorm ${o.groups}` : "no norm"
    }, ${o.head === "average" ? "average-pool" : "flatten"} head)`,
    params: arch.params,
    parameterCount: arch.params.reduce((s, p) => s + p.size, 0),
    spec: { kind: "resnet", options: specOptions(o) },
    logits: (p, x) => forward(arch, o, p, x).out,
    perExampleGradients: (p, x, yOneHot) => perExampleGradients(arch, o, p, x, yOneHot),
  };
}

type ResolvedOptions = Required<Omit<ResNetOptions, "prng">> & { prng: Prng };

/** The architecture options without the weight source (what rebuilds the network elsewhere). */
function specOptions({ prng: _prng, ...rest }: ResolvedOptions): Omit<ResNetOptions, "prng"> {
  return { ...rest, widths: [...rest.widths] };
}

/** The options with their defaults, checked. */
function resolveOptions(options: ResNetOptions): ResolvedOptions {
  const {
    prng,
    widths = [8, 16, 32],
    blocksPerStage = 1,
    norm = "none",
    head = "flatten",
    inputMean = 0.1307,
    inputSd = 0.3081,
    groups = 4,
    side = 28,
    channels = 1,
    classes = 10,
  } = options;
  if (widths.length < 1 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new RangeError(`widths must be >= 1 positive integers, got [${widths.join(", ")}]`);
  }
  assertInteger("blocksPerStage", blocksPerStage, 1);
  assertInteger("side", side, 1);
  assertInteger("channels", channels, 1);
  assertInteger("classes", classes, 1);
  assertOneOf("norm", norm, ["group", "none"]);
  assertOneOf("head", head, ["flatten", "average"]);
  if (!Number.isFinite(inputMean) || !(inputSd > 0) || !Number.isFinite(inputSd)) {
    throw new RangeError(
      `inputMean must be finite and inputSd finite and > 0, got ${inputMean}, ${inputSd}`,
    );
  }
  if (
    norm === "group" &&
    (!Number.isInteger(groups) || groups < 1 || widths.some((w) => w % groups !== 0))
  ) {
    throw new RangeError(`groups must be a positive integer dividing every width, got ${groups}`);
  }
  return {
    prng,
    widths,
    blocksPerStage,
    norm,
    head,
    inputMean,
    inputSd,
    groups,
    side,
    channels,
    classes,
  };
}

/** The parameters of a ResNet and the layer specs that index into them. */
interface Architecture {
  params: tf.Tensor[];
  /** Every layer with parameters, in the order their outputs are created. */
  specs: Spec[];
  stem: ConvSpec;
  stemNorm?: NormSpec;
  blocks: Block[];
  head: DenseSpec;
  /** Shape (without the batch) of the output of each spec, in `specs` order. */
  outShapes: number[][];
  specIndex: Map<Spec, number>;
}

/**
 * Creates the parameters layer by layer (He-normal convolutions, the second convolution of each
 * block scaled by 1/√blocks without normalisation, a dense head), drawing from `prng` in layer
 * order.
 */
class ParameterBuilder {
  readonly params: tf.Tensor[] = [];
  readonly specs: Spec[] = [];
  readonly #o: ResolvedOptions;

  constructor(o: ResolvedOptions) {
    this.#o = o;
  }

  #add(values: Float32Array, shape: number[]): number {
    this.params.push(tf.tensor(values, shape));
    return this.params.length - 1;
  }

  conv(cin: number, cout: number, k: number, stride: number, inSide: number, scale = 1): ConvSpec {
    const w = sampleNormal(
      this.#o.prng,
      k * k * cin * cout,
      0,
      scale * Math.sqrt(2 / (k * k * cin)),
    );
    const spec: ConvSpec = {
      kind: "conv",
      w: this.#add(Float32Array.from(w), [k, k, cin, cout]),
      // GroupNorm removes a per-channel constant: a conv bias before it would be dead
      b: this.#o.norm === "group" ? undefined : this.#add(new Float32Array(cout), [cout]),
      k,
      stride,
      cin,
      cout,
      inSide,
      outSide: convGeometry(inSide, inSide, k, k, { stride }).outH,
    };
    this.specs.push(spec);
    return spec;
  }

  norm(c: number, s: number): NormSpec | undefined {
    if (this.#o.norm !== "group") return undefined;
    const spec: NormSpec = {
      kind: "norm",
      gamma: this.#add(new Float32Array(c).fill(1), [c]),
      beta: this.#add(new Float32Array(c), [c]),
      channels: c,
      groups: this.#o.groups,
      side: s,
    };
    this.specs.push(spec);
    return spec;
  }

  dense(features: number, classes: number): DenseSpec {
    const w = sampleNormal(this.#o.prng, features * classes, 0, Math.sqrt(1 / features));
    const spec: DenseSpec = {
      kind: "dense",
      w: this.#add(Float32Array.from(w), [features, classes]),
      b: this.#add(new Float32Array(classes), [classes]),
      cin: features,
      cout: classes,
    };
    this.specs.push(spec);
    return spec;
  }
}

function buildArchitecture(o: ResolvedOptions): Architecture {
  const { widths, blocksPerStage, side } = o;
  const useNorm = o.norm === "group";
  const totalBlocks = widths.length * blocksPerStage;
  const pb = new ParameterBuilder(o);
  const stem = pb.conv(o.channels, widths[0]!, 3, 1, side);
  const stemNorm = pb.norm(widths[0]!, side);
  const blocks: Block[] = [];
  let cin = widths[0]!, cur = side;
  for (let s = 0; s < widths.length; s++) {
    for (let k = 0; k < blocksPerStage; k++) {
      const cout = widths[s]!, stride = s > 0 && k === 0 ? 2 : 1;
      const conv1 = pb.conv(cin, cout, 3, stride, cur);
      const mid = conv1.outSide;
      const norm1 = pb.norm(cout, mid);
      const conv2 = pb.conv(cout, cout, 3, 1, mid, useNorm ? 1 : 1 / Math.sqrt(totalBlocks));
      const norm2 = pb.norm(cout, mid);
      let shortcut: Block["shortcut"];
      if (stride !== 1 || cin !== cout) {
        const conv = pb.conv(cin, cout, 1, stride, cur);
        shortcut = { conv, norm: pb.norm(cout, mid) };
      }
      blocks.push({ conv1, norm1, conv2, norm2, shortcut });
      cin = cout;
      cur = mid;
    }
  }
  const head = pb.dense(o.head === "average" ? cin : cin * cur * cur, o.classes);
  const specs = pb.specs;
  const outShapes = specs.map((sp): number[] =>
    sp.kind === "conv"
      ? [sp.outSide, sp.outSide, sp.cout]
      : sp.kind === "norm"
      ? [sp.side, sp.side, sp.channels]
      : [sp.cout]
  );
  const specIndex = new Map<Spec, number>(specs.map((sp, i) => [sp, i]));
  return { params: pb.params, specs, stem, stemNorm, blocks, head, outShapes, specIndex };
}

/** One forward pass; with `eps`, ε is added to every spec's output and inputs are tapped. */
function forward(
  arch: Architecture,
  o: ResolvedOptions,
  p: tf.Tensor[],
  xFlat: tf.Tensor2D,
  eps?: tf.Tensor[],
): { out: tf.Tensor2D; taps: (tf.Tensor | undefined)[] } {
  const { specIndex, head } = arch;
  const taps: (tf.Tensor | undefined)[] = new Array(arch.specs.length);
  const bs = xFlat.shape[0];
  const addEps = (t: tf.Tensor, sp: Spec) => (eps ? tf.add(t, eps[specIndex.get(sp)!]!) : t);
  const conv = (a: tf.Tensor4D, sp: ConvSpec): tf.Tensor4D => {
    const w = p[sp.w] as tf.Tensor4D;
    // per-example passes differentiate activations only; training skips the
    // stem's input gradient (its input is the data)
    let z = eps
      ? conv2dFixedFilter(a, w, { stride: sp.stride })
      : sp === arch.stem
      ? conv2dFixedInput(a, w, { stride: sp.stride })
      : conv2d(a, w, { stride: sp.stride });
    if (sp.b !== undefined) z = tf.add(z, p[sp.b]!);
    if (eps) taps[specIndex.get(sp)!] = a;
    return addEps(z, sp) as tf.Tensor4D;
  };
  const gn = (a: tf.Tensor4D, sp: NormSpec | undefined): tf.Tensor4D => {
    if (!sp) return a;
    const [, h, w, c] = a.shape;
    const g = tf.reshape(a, [bs, h, w, sp.groups, c / sp.groups]);
    const { mean, variance } = tf.moments(g, [1, 2, 4], true);
    const xhat = tf.reshape(
      tf.mul(tf.sub(g, mean), tf.rsqrt(tf.add(variance, GN_EPS))),
      [bs, h, w, c],
    ) as tf.Tensor4D;
    if (eps) taps[specIndex.get(sp)!] = xhat;
    return addEps(tf.add(tf.mul(xhat, p[sp.gamma]!), p[sp.beta]!), sp) as tf.Tensor4D;
  };
  const x0 = tf.mul(
    tf.sub(tf.reshape(xFlat, [bs, o.side, o.side, o.channels]), o.inputMean),
    1 / o.inputSd,
  );
  let a = tf.relu(gn(conv(x0 as tf.Tensor4D, arch.stem), arch.stemNorm));
  for (const b of arch.blocks) {
    const h = gn(conv(tf.relu(gn(conv(a, b.conv1), b.norm1)), b.conv2), b.norm2);
    const sc = b.shortcut ? gn(conv(a, b.shortcut.conv), b.shortcut.norm) : a;
    a = tf.relu(tf.add(h, sc));
  }
  const pooled =
    (o.head === "average" ? tf.mean(a, [1, 2]) : tf.reshape(a, [bs, -1])) as tf.Tensor2D;
  if (eps) taps[specIndex.get(head)!] = pooled;
  const out = addEps(
    (eps ? denseFixedParams : dense)(pooled, p[head.w] as tf.Tensor2D, p[head.b] as tf.Tensor1D),
    head,
  ) as tf.Tensor2D;
  return { out, taps };
}

/**
 * Per-example gradients of the summed loss (batch × parameterCount): the gradient with respect
 * to ε added to each layer's output, times the layer's tapped input.
 */
function perExampleGradients(
  arch: Architecture,
  o: ResolvedOptions,
  p: tf.Tensor[],
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const bs = x.shape[0];
    const eps = arch.outShapes.map((s) => tf.zeros([bs, ...s]));
    let taps: tf.Tensor[] = [];
    const deltas = tf.grads((...e: tf.Tensor[]) => {
      const r = forward(arch, o, p, x, e);
      // tf.grads disposes the forward intermediates; keep the tapped inputs
      taps = r.taps.map((t) => tf.keep(t!));
      return tf.mul(crossEntropy(r.out, yOneHot), bs);
    })(eps);
    const cols: tf.Tensor2D[] = new Array(arch.params.length);
    arch.specs.forEach((sp, i) => {
      const d = deltas[i]!, t = taps[i]!;
      if (sp.kind === "conv") {
        const g = perExampleConv2dWeightGradients(
          t as tf.Tensor4D,
          d as tf.Tensor4D,
          [sp.k, sp.k, sp.cin, sp.cout],
          { stride: sp.stride },
        );
        cols[sp.w] = tf.reshape(g, [bs, -1]);
        if (sp.b !== undefined) cols[sp.b] = tf.sum(d, [1, 2]);
      } else if (sp.kind === "norm") {
        cols[sp.gamma] = tf.sum(tf.mul(d, t), [1, 2]);
        cols[sp.beta] = tf.sum(d, [1, 2]);
      } else {
        // broadcast multiply: on wasm ~10× faster than a batched matmul here
        const outer = tf.mul(tf.reshape(t, [bs, sp.cin, 1]), tf.reshape(d, [bs, 1, sp.cout]));
        cols[sp.w] = tf.reshape(outer, [bs, -1]);
        cols[sp.b] = d as tf.Tensor2D;
      }
    });
    const out = tf.concat(cols, 1) as tf.Tensor2D;
    for (const t of taps) if (t !== x) t.dispose();
    return out;
  });
}
