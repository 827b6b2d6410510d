/**
 * Seeded randomness. Every sampler takes its {@link Prng} as an argument, so
 * the same seed gives the same numbers, bit for bit, and no global state is
 * touched: normal, Rademacher, α-stable and Pareto draws, permutations and the
 * partial Fisher–Yates shuffle that draws minibatches, random orthonormal frames.
 *
 * The generator is MT19937 (Matsumoto & Nishimura 1998), written here as numpy writes it in C:
 * the state is twisted a block of 624 words at a time into an `Int32Array` of tempered outputs
 * ({@link WordBlock}), which the samplers read in place. The twist runs in a small WebAssembly
 * module, four words per SIMD instruction (0.5 ns a word here, against 2.1 ns for the same
 * loop in JavaScript, which remains the fallback where WebAssembly SIMD is missing; see
 * {@link mt19937Words}). The `pure-rand` package's MT19937 (the generator library of
 * fast-check, which this module used before) returns one word per method call and twists one
 * word per call; the tests check that all three give the same words, and that the words equal
 * numpy's `MT19937.random_raw`. Doubles are made exactly as numpy's legacy
 * `RandomState.random_sample` makes them, `((a >>> 5)·2^26 + (b >>> 6)) / 2^53` from two
 * 32-bit outputs, so `createPrng(seed)` reproduces
 * `numpy.random.RandomState(seed).random_sample()` bit for bit (a test checks this against
 * draws made by numpy).
 *
 * Bulk samplers read the block of a generator made by {@link createPrng} directly
 * ({@link wordBlockOf}) instead of calling it once per number, and calls and block reads may be
 * interleaved freely: they continue one MT19937 stream (tested). {@link fillUniform} takes two
 * words per double, so its numbers are those of the calls; the particle simulators' ziggurat
 * (dynamics/sde/ziggurat.ts) takes one word per attempt, so its normals are not a function of
 * the doubles the calls would have returned.
 *
 * @module
 */
import type { DenseMatrix } from "./matrix.ts";
import {
  assertAllocation,
  assertFinite,
  assertFunction,
  assertInteger,
  assertOneOf,
} from "./validate.ts";

/**
 * How many rejected draws in a row a rejection sampler accepts before it decides that its
 * generator is degenerate (a constant, NaN, or values outside [0, 1)) and throws, instead of
 * looping forever. A uniform generator is rejected 1000 times in a row with probability
 * about 0.22^1000.
 */
export const MAX_REJECTIONS = 1000;

/** One draw of `prng`, checked to lie in [0, 1). */
function uniform(prng: Prng): number {
  const u = prng();
  if (!(u >= 0 && u < 1)) {
    throw new RangeError(`prng must return numbers in [0, 1), got ${u}`);
  }
  return u;
}

function degenerate(prng: string, last: number): RangeError {
  return new RangeError(
    `${prng} gave ${MAX_REJECTIONS} rejected draws in a row (last ${last}): ` +
      `it must return uniform numbers in [0, 1)`,
  );
}

/** A source of uniform doubles on [0, 1). */
export type Prng = () => number;

const MT_N = 624, MT_M = 397;
const MT_MATRIX_A = 0x9908b0df, MT_UPPER = 0x80000000, MT_LOWER = 0x7fffffff;

/**
 * The raw output of a generator made by {@link createPrng}, one block at a time: MT19937's
 * tempered 32-bit words, read in place by bulk samplers. Reading `words[pos]` and advancing
 * `pos` consumes the word exactly as the generator's own calls would (a double takes the next
 * two words, `a` then `b`); `refill()` twists the next 624 words into `words` and sets `pos`
 * to 0. Each word is stored as a signed 32-bit integer (`w >>> 0` is the unsigned output).
 */
export interface WordBlock {
  /** The current block of tempered outputs (624 words; the same array after every refill). */
  readonly words: Int32Array;
  /** Index of the next unread word of `words`; `words.length` when the block is used up. */
  pos: number;
  /** Twists the next block of outputs into `words` and sets `pos` to 0. */
  refill(): void;
}

/** The block twist in WebAssembly: its module's memory and its exported function. */
interface WasmTwist {
  /** The state (words 0 .. 623) and a sentinel word 624, read by `twist`, written back. */
  state: Int32Array;
  /** The 624 tempered outputs that `twist` writes. */
  out: Int32Array;
  twist: () => void;
}

/** Byte offset of the tempered outputs in the module's memory (the state is at 0). */
const WASM_OUT = 4096;

/**
 * A WebAssembly module with one function, `twist`, that twists the MT19937 state held at the
 * start of its memory and writes the tempered outputs at {@link WASM_OUT}, four words per SIMD
 * instruction (the recurrence reaches 227 words back at the nearest, so four lanes never depend
 * on each other). Written out here as bytes (the format is small enough; no assembler is
 * needed at run time): the same words as the JavaScript twist, tested against numpy's, against
 * pure-rand's and against the JavaScript twist. Undefined where WebAssembly or its SIMD is not
 * available (the JavaScript twist is used there).
 */
function wasmTwist(): WasmTwist | undefined {
  const uleb = (n: number): number[] => {
    const o: number[] = [];
    do {
      const b = n & 0x7f;
      n >>>= 7;
      o.push(n !== 0 ? b | 0x80 : b);
    } while (n !== 0);
    return o;
  };
  const sleb = (n: number): number[] => {
    const o: number[] = [];
    for (n |= 0;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...o, b];
      o.push(b | 0x80);
    }
  };
  // instructions (WebAssembly core 2.0, with the fixed-width SIMD opcodes after the 0xfd prefix)
  const get = (i: number) => [0x20, i], set = (i: number) => [0x21, i];
  const i32 = (v: number) => [0x41, ...sleb(v)];
  const simd = (op: number) => [0xfd, ...uleb(op)];
  const load = (offset: number) => [...simd(0x00), 0, ...uleb(offset)]; // v128.load
  const store = (offset: number) => [...simd(0x0b), 0, ...uleb(offset)]; // v128.store
  const splat = simd(0x11), and = simd(0x4e), or = simd(0x50), xor = simd(0x51);
  const shl = simd(0xab), shrS = simd(0xac), shrU = simd(0xad);
  const add = [0x6a], ltU = [0x49];
  const iAnd = [0x71], iOr = [0x72], iXor = [0x73], iShl = [0x74], iShrS = [0x75], iShrU = [0x76];
  const iLoad = (offset: number) => [0x28, 2, ...uleb(offset)];
  const iStore = (offset: number) => [0x36, 2, ...uleb(offset)];
  // locals: 0 byte offset k (i32), 1 y, 2 a, 3 upper, 4 lower, 5 matrix, 6 b, 7 c (v128), 8 y0
  const K = 0, Y = 1, A = 2, UP = 3, LO = 4, MA = 5, MB = 6, MC = 7, Y0 = 8;
  // four words k .. k+3: y = (mt[k] & upper) | (mt[k+1] & lower);
  // mt[k] = mt[k + M (mod N)] ^ (y >>> 1) ^ ((y << 31 >> 31) & matrix); out[k] = temper(mt[k])
  const four = (source: number) => [
    ...get(K),
    ...load(0),
    ...get(UP),
    ...and,
    ...get(K),
    ...load(4),
    ...get(LO),
    ...and,
    ...or,
    ...set(Y),
    ...get(K),
    ...i32(source),
    ...add,
    ...load(0),
    ...get(Y),
    ...i32(1),
    ...shrU,
    ...xor,
    ...get(Y),
    ...i32(31),
    ...shl,
    ...i32(31),
    ...shrS,
    ...get(MA),
    ...and,
    ...xor,
    ...set(A),
    ...get(K),
    ...get(A),
    ...store(0),
    ...get(A),
    ...get(A),
    ...i32(11),
    ...shrU,
    ...xor,
    ...set(A),
    ...get(A),
    ...get(A),
    ...i32(7),
    ...shl,
    ...get(MB),
    ...and,
    ...xor,
    ...set(A),
    ...get(A),
    ...get(A),
    ...i32(15),
    ...shl,
    ...get(MC),
    ...and,
    ...xor,
    ...set(A),
    ...get(K),
    ...get(A),
    ...get(A),
    ...i32(18),
    ...shrU,
    ...xor,
    ...store(WASM_OUT),
  ];
  const loop = (from: number, to: number, source: number) => [
    ...i32(from),
    ...set(K),
    ...[0x03, 0x40], // loop
    ...four(source),
    ...get(K),
    ...i32(16),
    ...add,
    ...set(K),
    ...get(K),
    ...i32(to),
    ...ltU,
    ...[0x0d, 0], // br_if to the loop's start
    0x0b,
  ];
  const body = [
    ...[3, 1, 0x7f, 7, 0x7b, 1, 0x7f], // locals: 1 i32, 7 v128, 1 i32
    ...i32(MT_UPPER),
    ...splat,
    ...set(UP),
    ...i32(MT_LOWER),
    ...splat,
    ...set(LO),
    ...i32(MT_MATRIX_A),
    ...splat,
    ...set(MA),
    ...i32(0x9d2c5680),
    ...splat,
    ...set(MB),
    ...i32(0xefc60000),
    ...splat,
    ...set(MC),
    // the sentinel word 624 = the new word 0, read as mt[227 + M] and as mt[623 + 1]
    ...i32(0),
    ...iLoad(0),
    ...i32(MT_UPPER),
    ...iAnd,
    ...i32(0),
    ...iLoad(4),
    ...i32(MT_LOWER),
    ...iAnd,
    ...iOr,
    ...set(Y0),
    ...i32(MT_N * 4),
    ...i32(0),
    ...iLoad(MT_M * 4),
    ...get(Y0),
    ...i32(1),
    ...iShrU,
    ...iXor,
    ...get(Y0),
    ...i32(31),
    ...iShl,
    ...i32(31),
    ...iShrS,
    ...i32(MT_MATRIX_A),
    ...iAnd,
    ...iXor,
    ...iStore(0),
    // words 0 .. 227 read mt[k + M] (old, or the sentinel), words 228 .. 623 the new mt[k + M − N]
    ...loop(0, 228 * 4, MT_M * 4),
    ...loop(228 * 4, MT_N * 4, (MT_M - MT_N) * 4),
    0x0b,
  ];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const name = (text: string) => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
  const bytes = new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0], // "\0asm", version 1
    ...section(1, [1, 0x60, 0, 0]), // one type: () → ()
    ...section(3, [1, 0]), // one function, of type 0
    ...section(5, [1, 0, 1]), // one memory of one page (64 KiB), never grown
    ...section(7, [2, ...name("memory"), 2, 0, ...name("twist"), 0, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
  try {
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(bytes)) return undefined;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const buffer = (exports.memory as WebAssembly.Memory).buffer;
    return {
      state: new Int32Array(buffer, 0, MT_N + 1),
      out: new Int32Array(buffer, WASM_OUT, MT_N),
      twist: exports.twist as () => void,
    };
  } catch {
    return undefined;
  }
}

const WASM = wasmTwist();

/** The generator whose state the WebAssembly memory holds (its own copy is then stale). */
let wasmOwner: Mt19937 | undefined;

/** MT19937 (32-bit), seeded by `init_genrand` like numpy's `RandomState(seed)`. */
class Mt19937 implements WordBlock {
  readonly #state = new Int32Array(MT_N);
  readonly words = new Int32Array(MT_N);
  readonly #wasm: boolean;
  pos = MT_N;

  constructor(seed: number, wasm = WASM !== undefined) {
    this.#wasm = wasm;
    const mt = this.#state;
    mt[0] = seed | 0;
    for (let i = 1; i < MT_N; i++) {
      const prev = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) | 0;
    }
  }

  refill(): void {
    if (this.#wasm && WASM !== undefined) {
      // the state moves into the module's memory once and stays there while this generator is
      // the one refilling; only the outputs are copied out per block
      if (wasmOwner !== this) {
        if (wasmOwner !== undefined) wasmOwner.#state.set(WASM.state.subarray(0, MT_N));
        WASM.state.set(this.#state);
        wasmOwner = this;
      }
      WASM.twist();
      this.words.set(WASM.out);
      this.pos = 0;
      return;
    }
    const mt = this.#state, out = this.words;
    // the twist, with the tempering of each new word fused in (one pass over the block)
    for (let k = 0; k < MT_N; k++) {
      const y = (mt[k]! & MT_UPPER) | (mt[k + 1 === MT_N ? 0 : k + 1]! & MT_LOWER);
      const src = k + MT_M < MT_N ? k + MT_M : k + MT_M - MT_N;
      let a = mt[src]! ^ (y >>> 1) ^ (-(y & 1) & MT_MATRIX_A);
      mt[k] = a;
      a ^= a >>> 11;
      a ^= (a << 7) & 0x9d2c5680;
      a ^= (a << 15) & 0xefc60000;
      a ^= a >>> 18;
      out[k] = a;
    }
    this.pos = 0;
  }

  /** The next word (signed), refilling at the end of the block. */
  word(): number {
    if (this.pos >= MT_N) this.refill();
    return this.words[this.pos++]!;
  }

  /** The next 53-bit double on [0, 1) from the next two words. */
  double(): number {
    const a = this.word(), b = this.word();
    return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
  }
}

/**
 * The first `n` raw 32-bit outputs of MT19937 seeded with `seed` (unsigned), the words behind
 * {@link createPrng}: numpy's `RandomState(seed)._bit_generator.random_raw(n)`. `twist` picks
 * the implementation of the block twist: "wasm" (WebAssembly SIMD, what createPrng uses where
 * it is available), "js" (the plain JavaScript fallback) or "auto"; both give the same words.
 *
 * @param seed an integer seed in [0, 2^32)
 * @param n how many words (integer ≥ 0)
 * @param twist "auto" (default), "wasm" or "js"
 * @returns a new Uint32Array of length n
 * @throws RangeError for a bad seed or n; Error for "wasm" where WebAssembly SIMD is missing
 * @example
 * ```ts
 * import { mt19937Words } from "./random.ts";
 * const w = mt19937Words(42, 2); // numpy: RandomState(42)._bit_generator.random_raw(2)
 * if (w[0] !== 1608637542 || w[1] !== 3421126067) throw new Error(String(w));
 * ```
 */
export function mt19937Words(
  seed: number,
  n: number,
  twist: "auto" | "wasm" | "js" = "auto",
): Uint32Array {
  checkSeed(seed);
  assertInteger("n", n);
  assertAllocation("n", n);
  assertOneOf("twist", twist, ["auto", "wasm", "js"] as const);
  if (twist === "wasm" && WASM === undefined) {
    throw new Error("twist 'wasm' needs WebAssembly with SIMD, which this runtime lacks");
  }
  const g = new Mt19937(seed, twist === "auto" ? WASM !== undefined : twist === "wasm");
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.word() >>> 0;
  return out;
}

/** The generator behind each Prng made by {@link createPrng}. */
const BLOCKS = new WeakMap<Prng, Mt19937>();

/**
 * Creates a seeded uniform generator on [0, 1) (MT19937, 53-bit doubles, the
 * same stream as `numpy.random.RandomState(seed).random_sample()`).
 *
 * @param seed an integer seed in [0, 2^32)
 * @returns a {@link Prng}
 * @example
 * ```ts
 * import { createPrng } from "./random.ts";
 * const a = createPrng(42), b = createPrng(42);
 * if (a() !== b()) throw new Error("not reproducible");
 * ```
 */
export function createPrng(seed: number): Prng {
  checkSeed(seed);
  const g = new Mt19937(seed), words = g.words;
  const prng = (): number => {
    const p = g.pos;
    if (p > MT_N - 2) return g.double();
    g.pos = p + 2;
    return ((words[p]! >>> 5) * 67108864 + (words[p + 1]! >>> 6)) / 9007199254740992;
  };
  BLOCKS.set(prng, g);
  return prng;
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 4294967296) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
}

/**
 * The block of raw words behind a generator made by {@link createPrng}, for bulk samplers that
 * read it in place; `undefined` for any other {@link Prng} (which bulk samplers then call once
 * per double instead, giving the same numbers for the same doubles).
 *
 * @param prng a uniform source
 * @returns its {@link WordBlock}, or undefined
 * @example
 * ```ts
 * import { createPrng, wordBlockOf } from "./random.ts";
 * const prng = createPrng(42), block = wordBlockOf(prng)!;
 * if (block.pos >= block.words.length) block.refill();
 * const a = block.words[block.pos++]! >>> 0; // numpy: RandomState(42)._bit_generator.random_raw()
 * if (a !== 1608637542) throw new Error(String(a));
 * ```
 */
export function wordBlockOf(prng: Prng): WordBlock | undefined {
  return BLOCKS.get(prng);
}

/**
 * Fills `out` with uniform doubles on [0, 1): exactly the numbers of `out.length` calls of
 * `prng`, read in bulk from the generator's block when `prng` was made by {@link createPrng}.
 *
 * @param prng uniform source
 * @param out array to fill in place
 * @returns `out`
 * @example
 * ```ts
 * import { createPrng, fillUniform } from "./random.ts";
 * const u = fillUniform(createPrng(42), new Float64Array(2));
 * if (u[0] !== createPrng(42)()) throw new Error("same stream as the calls");
 * ```
 */
export function fillUniform(prng: Prng, out: Float64Array): Float64Array {
  assertFunction("prng", prng);
  if (!(out instanceof Float64Array)) throw new TypeError(`out must be a Float64Array, got ${out}`);
  const g = BLOCKS.get(prng), n = out.length;
  if (g === undefined) {
    for (let i = 0; i < n; i++) out[i] = uniform(prng);
    return out;
  }
  const words = g.words;
  let p = g.pos;
  for (let i = 0; i < n; i++) {
    if (p > MT_N - 2) {
      g.pos = p;
      out[i] = g.double();
      p = g.pos;
      continue;
    }
    out[i] = ((words[p]! >>> 5) * 67108864 + (words[p + 1]! >>> 6)) / 9007199254740992;
    p += 2;
  }
  g.pos = p;
  return out;
}

/**
 * Derives an independent-looking child generator from a parent, for giving
 * each sub-task its own stream (the child is seeded by 32 bits drawn from the
 * parent).
 */
export function splitPrng(prng: Prng): Prng {
  assertFunction("prng", prng);
  return createPrng(Math.floor(uniform(prng) * 4294967296));
}

/**
 * Fills `out` with standard normal draws (Marsaglia polar method; two normals
 * per accepted pair, acceptance probability π/4).
 *
 * @param prng uniform source
 * @param out array to fill in place
 * @returns `out`
 */
export function fillNormal<T extends Float64Array | Float32Array>(prng: Prng, out: T): T {
  assertFunction("prng", prng);
  if (!(out instanceof Float64Array || out instanceof Float32Array)) {
    throw new TypeError(`out must be a Float64Array or Float32Array, got ${out}`);
  }
  const n = out.length;
  let i = 0;
  while (i < n) {
    let u = 0, v = 0, s = 0, rejected = 0;
    do {
      if (rejected++ === MAX_REJECTIONS) throw degenerate("prng", u);
      u = 2 * prng() - 1;
      v = 2 * prng() - 1;
      s = u * u + v * v;
    } while (!(s < 1) || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = u * f;
    if (i < n) out[i++] = v * f;
  }
  return out;
}

/**
 * Draws `n` independent normal numbers with the given mean and standard
 * deviation (Marsaglia polar method).
 *
 * @param prng uniform source
 * @param n number of draws (integer ≥ 0)
 * @param mean location (finite)
 * @param sd standard deviation (finite, ≥ 0)
 * @returns a new Float64Array of length `n`
 * @example
 * ```ts
 * import { createPrng, sampleNormal } from "./random.ts";
 * const x = sampleNormal(createPrng(1), 4, 10, 2);
 * if (x.length !== 4) throw new Error("length");
 * ```
 */
export function sampleNormal(prng: Prng, n: number, mean = 0, sd = 1): Float64Array {
  assertInteger("n", n);
  assertAllocation("n", n);
  assertFinite("mean", mean);
  assertFinite("sd", sd);
  if (sd < 0) throw new RangeError(`sd must be >= 0, got ${sd}`);
  const out = fillNormal(prng, new Float64Array(n));
  if (mean !== 0 || sd !== 1) {
    for (let i = 0; i < n; i++) {
      const v = mean + sd * out[i]!;
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `sampleNormal draw ${i} overflowed to ${v}: mean ${mean} and sd ${sd} are too large for doubles`,
        );
      }
      out[i] = v;
    }
  }
  return out;
}

/**
 * Fisher–Yates shuffle of `0..n-1`, or of the first `k` positions only
 * (a uniform random sample of size `k` without replacement, in random order).
 *
 * @param prng uniform source
 * @param n population size
 * @param k how many to draw (default `n`)
 * @returns Int32Array of length `k`
 */
export function samplePermutation(prng: Prng, n: number, k = n): Int32Array {
  assertInteger("n", n);
  assertAllocation("n", n);
  assertInteger("k", k);
  if (k > n) throw new RangeError(`k must be <= n (${n}), got ${k}`);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  partialShuffle(prng, idx, k);
  return k === n ? idx : idx.slice(0, k);
}

/**
 * Partial Fisher–Yates shuffle in place: for i = 0..k−1, swaps slot i with a uniform slot
 * j ∈ [i, n) (`j = i + ⌊prng()·(n − i)⌋`, one uniform per slot). Afterwards the first k slots
 * hold a uniform random k-subset of the entries, in random order, whatever order the buffer was
 * in before: calling it again on the same buffer draws an independent subset (how minibatches
 * are drawn without replacement within a batch and independently across batches).
 *
 * @param prng uniform source (exactly k draws)
 * @param buffer the entries to shuffle (length n)
 * @param k how many leading slots to fill, 0 ≤ k ≤ n
 * @returns `buffer`
 * @example
 * ```ts
 * import { createPrng, partialShuffle } from "./random.ts";
 * const b = partialShuffle(createPrng(1), Int32Array.from([0, 1, 2, 3]), 2);
 * if ([...b].sort().join() !== "0,1,2,3") throw new Error("a permutation of the entries");
 * ```
 */
export function partialShuffle(prng: Prng, buffer: Int32Array, k: number): Int32Array {
  assertFunction("prng", prng);
  if (!(buffer instanceof Int32Array)) {
    throw new TypeError(`buffer must be an Int32Array, got ${buffer}`);
  }
  const n = buffer.length;
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`k must be an integer in [0, ${n}], got ${k}`);
  }
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(uniform(prng) * (n - i));
    const t = buffer[i]!;
    buffer[i] = buffer[j]!;
    buffer[j] = t;
  }
  return buffer;
}

/**
 * Fills `out` with Rademacher draws, each entry −1 or +1 with probability ½,
 * one `prng()` call per entry (`prng() < 0.5 ? -1 : 1`).
 *
 * @param prng uniform source
 * @param out array to fill in place
 * @returns `out`
 * @example
 * ```ts
 * import { createPrng, fillRademacher } from "./random.ts";
 * const z = fillRademacher(createPrng(1), new Float64Array(8));
 * if (!z.every((v) => v === 1 || v === -1)) throw new Error("±1 entries");
 * ```
 */
export function fillRademacher(prng: Prng, out: Float64Array): Float64Array {
  assertFunction("prng", prng);
  if (!(out instanceof Float64Array)) throw new TypeError(`out must be a Float64Array, got ${out}`);
  for (let i = 0; i < out.length; i++) out[i] = uniform(prng) < 0.5 ? -1 : 1;
  return out;
}

/**
 * A uniformly random k-dimensional orthonormal frame in R^dim (Haar measure
 * on the Stiefel manifold): k standard Gaussian rows orthonormalised by
 * modified Gram–Schmidt, applied twice for stability. For random-projection
 * estimates of covariance matrices: E ‖V x‖² = (k/dim) ‖x‖².
 *
 * @param prng uniform source
 * @param k number of rows, 1 ≤ k ≤ dim
 * @param dim ambient dimension
 * @returns k × dim {@link DenseMatrix} with orthonormal rows
 * @example
 * ```ts
 * import { createPrng, randomOrthonormalBasis } from "./random.ts";
 * const v = randomOrthonormalBasis(createPrng(3), 2, 5);
 * const d = v.data.subarray(0, 5).reduce((s, x, i) => s + x * v.data[5 + i]!, 0);
 * if (Math.abs(d) > 1e-12) throw new Error("rows orthogonal");
 * ```
 */
export function randomOrthonormalBasis(prng: Prng, k: number, dim: number): DenseMatrix {
  assertInteger("dim", dim, 1);
  assertInteger("k", k, 1);
  if (k > dim) throw new RangeError(`k must be <= dim (${dim}), got ${k}`);
  assertAllocation("k·dim", k * dim);
  const data = new Float64Array(k * dim);
  for (let i = 0; i < k; i++) {
    const v = data.subarray(i * dim, (i + 1) * dim);
    for (let attempt = 0;; attempt++) {
      if (attempt === MAX_REJECTIONS) throw degenerate("prng", NaN);
      fillNormal(prng, v);
      let n0 = 0;
      for (let t = 0; t < dim; t++) n0 += v[t]! * v[t]!;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < i; j++) {
          const w = data.subarray(j * dim, (j + 1) * dim);
          let c = 0;
          for (let t = 0; t < dim; t++) c += w[t]! * v[t]!;
          for (let t = 0; t < dim; t++) v[t] = v[t]! - c * w[t]!;
        }
      }
      let n = 0;
      for (let t = 0; t < dim; t++) n += v[t]! * v[t]!;
      if (n > 1e-16 * n0) {
        const f = 1 / Math.sqrt(n);
        for (let t = 0; t < dim; t++) v[t] = v[t]! * f;
        break;
      }
    }
  }
  return { rows: k, cols: dim, data };
}

/** Parameters of an α-stable law in Nolan's S1 parameterisation. */
export interface StableParams {
  /** Stability index α ∈ (0, 2]. */
  alpha: number;
  /** Skewness β ∈ [−1, 1] (default 0; irrelevant at α = 2). */
  beta?: number;
  /** Scale γ > 0 (default 1). */
  scale?: number;
  /** Location δ (default 0). */
  loc?: number;
}

/** A uniform draw on (0, 1): redraws the (probability 2^−53) exact zero. */
function openUniform(prng: Prng): number {
  let u = uniform(prng);
  for (let rejected = 1; u === 0; rejected++) {
    if (rejected === MAX_REJECTIONS) throw degenerate("prng", u);
    u = uniform(prng);
  }
  return u;
}

/**
 * Draws `n` independent α-stable numbers S1(α, β, γ, δ) by the
 * Chambers–Mallows–Stuck method (Chambers, Mallows & Stuck 1976, in the form
 * of Weron 1996), in Nolan's S1 parameterisation, the default of
 * `scipy.stats.levy_stable` (characteristic function
 * exp(−γ^α|t|^α (1 − iβ sign(t) tan(πα/2)) + iδt) for α ≠ 1 and
 * exp(−γ|t| (1 + iβ (2/π) sign(t) log|t|) + iδt) for α = 1).
 *
 * With V ~ U(−π/2, π/2) and W ~ Exp(1) independent (V from one uniform, then
 * W from the next, per draw):
 * - α ≠ 1: with B = arctan(β tan(πα/2))/α and C = (1 + β² tan²(πα/2))^{1/(2α)},
 *   X = C · sin(α(V + B)) / (cos V)^{1/α} · [cos(V − α(V + B)) / W]^{(1−α)/α},
 *   and the draw is γX + δ. At α = 2 the law is N(δ, 2γ²) whatever β
 *   (B = 0, C = 1 are used exactly, so tan(π) round-off does not leak in).
 * - α = 1: X = (2/π) [(π/2 + βV) tan V − β log((π/2) W cos V / (π/2 + βV))],
 *   and the draw is γX + (2/π) β γ log γ + δ (the S1 location shift at α = 1,
 *   as in scipy's `levy_stable` pdf, cdf and rvs).
 *
 * @param prng uniform source (two uniforms per draw, plus a redraw in the
 *   rare case of an exact 0)
 * @param n number of draws (integer ≥ 0)
 * @param params `{ alpha, beta = 0, scale = 1, loc = 0 }`, see {@link StableParams}
 * @returns a new Float64Array of length `n`
 * @throws RangeError for α ∉ (0, 2], β ∉ [−1, 1], scale ≤ 0, non-finite
 *   loc, or (for tiny α) a draw that overflows to ±∞
 * @example
 * ```ts
 * import { createPrng, sampleStable } from "./random.ts";
 * const x = sampleStable(createPrng(1), 1000, { alpha: 1.5, beta: 0.3 });
 * if (x.length !== 1000 || !x.every(Number.isFinite)) throw new Error("bad draws");
 * ```
 */
export function sampleStable(
  prng: Prng,
  n: number,
  { alpha, beta = 0, scale = 1, loc = 0 }: StableParams,
): Float64Array {
  assertInteger("n", n);
  assertFinite("alpha", alpha);
  if (!(alpha > 0 && alpha <= 2)) throw new RangeError(`alpha must be in (0, 2], got ${alpha}`);
  assertFinite("beta", beta);
  if (!(beta >= -1 && beta <= 1)) throw new RangeError(`beta must be in [-1, 1], got ${beta}`);
  assertFinite("scale", scale);
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  assertFinite("loc", loc);
  assertFunction("prng", prng);
  assertAllocation("n", n);
  const out = new Float64Array(n);
  const halfPi = Math.PI / 2;
  if (alpha === 1) {
    const shift = loc + (2 / Math.PI) * beta * scale * Math.log(scale);
    for (let i = 0; i < n; i++) {
      const v = Math.PI * (openUniform(prng) - 0.5);
      const w = -Math.log(openUniform(prng));
      const bv = halfPi + beta * v;
      const x = (2 / Math.PI) *
        (bv * Math.tan(v) - beta * Math.log((halfPi * w * Math.cos(v)) / bv));
      out[i] = scale * x + shift;
    }
  } else {
    const t = alpha === 2 ? 0 : beta * Math.tan(halfPi * alpha);
    const b = Math.atan(t) / alpha;
    const c = Math.pow(1 + t * t, 1 / (2 * alpha));
    const inv = 1 / alpha, expo = (1 - alpha) / alpha;
    for (let i = 0; i < n; i++) {
      const v = Math.PI * (openUniform(prng) - 0.5);
      const w = -Math.log(openUniform(prng));
      const avb = alpha * (v + b);
      // cos(V − α(V + B)) ≥ 0 in exact arithmetic; clamp round-off below 0
      const base = Math.max(0, Math.cos(v - avb)) / w;
      const x = (c * Math.sin(avb)) / Math.pow(Math.cos(v), inv) * Math.pow(base, expo);
      out[i] = scale * x + loc;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new RangeError(
        `sampleStable draw ${i} overflowed to ${out[i]} (alpha ${alpha} is too small for doubles)`,
      );
    }
  }
  return out;
}

/** Parameters of a Pareto law, P(|X| > x) = (x/scale)^{−alpha} for x ≥ scale. */
export interface ParetoParams {
  /** Tail index α > 0. */
  alpha: number;
  /** Minimum magnitude x_m > 0 (default 1). */
  scale?: number;
  /** If true, a random sign is attached, giving a symmetric law (default false). */
  symmetric?: boolean;
}

/**
 * Draws `n` Pareto numbers with tail index α by inversion:
 * |X| = x_m (1 − U)^{−1/α}, U ~ U[0, 1), so P(|X| > x) = (x/x_m)^{−α} for
 * x ≥ x_m; with `symmetric`, a second uniform gives the sign (each ± with
 * probability ½). The variance is infinite for α ≤ 2: the generalized central
 * limit theorem sends normalised sums to an α-stable law (Gnedenko &
 * Kolmogorov 1954).
 *
 * @param prng uniform source (one uniform per draw, two if `symmetric`)
 * @param n number of draws (integer ≥ 0)
 * @param params `{ alpha, scale = 1, symmetric = false }`, see {@link ParetoParams}
 * @returns a new Float64Array of length `n`
 * @example
 * ```ts
 * import { createPrng, samplePareto } from "./random.ts";
 * const x = samplePareto(createPrng(2), 100, { alpha: 1.5, symmetric: true });
 * if (!x.every((v) => Math.abs(v) >= 1)) throw new Error("below x_m");
 * ```
 */
export function samplePareto(
  prng: Prng,
  n: number,
  { alpha, scale = 1, symmetric = false }: ParetoParams,
): Float64Array {
  assertInteger("n", n);
  assertFinite("alpha", alpha);
  if (!(alpha > 0)) throw new RangeError(`alpha must be > 0, got ${alpha}`);
  assertFinite("scale", scale);
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  assertFunction("prng", prng);
  assertAllocation("n", n);
  const out = new Float64Array(n);
  const e = -1 / alpha;
  for (let i = 0; i < n; i++) {
    const m = scale * Math.pow(1 - uniform(prng), e);
    if (m === Infinity) {
      throw new RangeError(`samplePareto draw ${i} overflowed (alpha ${alpha} is too small)`);
    }
    out[i] = symmetric && uniform(prng) < 0.5 ? -m : m;
  }
  return out;
}
