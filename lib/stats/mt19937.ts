/**
 * MT19937 (Matsumoto & Nishimura 1998), the generator behind random.ts's `createPrng`, written
 * here as numpy writes it in C: the state is twisted a block of 624 words at a time into an
 * `Int32Array` of tempered outputs ({@link WordBlock}), which samplers read in place. The twist
 * runs in a small WebAssembly module, four words per SIMD instruction (0.5 ns a word here,
 * against 2.1 ns for the same loop in JavaScript, which remains the fallback where WebAssembly
 * SIMD is missing; see {@link mt19937Words}). The `pure-rand` package's MT19937 (the generator
 * library of fast-check, which random.ts used before) returns one word per method call and
 * twists one word per call; the tests check that all three give the same words, and that the
 * words equal numpy's `MT19937.random_raw`.
 *
 * @module
 */
import { assertAllocation, assertInteger, assertOneOf } from "./validate.ts";

/** MT19937's state size (words per block). */
export const MT_N = 624;
const MT_M = 397;
const MT_MATRIX_A = 0x9908b0df, MT_UPPER = 0x80000000, MT_LOWER = 0x7fffffff;

/**
 * The raw output of a generator made by `createPrng` (random.ts), one block at a time: MT19937's
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
export class Mt19937 implements WordBlock {
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
 * `createPrng` (random.ts): numpy's `RandomState(seed)._bit_generator.random_raw(n)`. `twist` picks
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
 * import { mt19937Words } from "./mt19937.ts";
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

/** Throws a RangeError unless `seed` is an integer in [0, 2^32). */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 4294967296) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
}
