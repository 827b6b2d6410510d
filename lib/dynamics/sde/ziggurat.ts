/**
 * Standard normal draws by the ziggurat of Marsaglia & Tsang (2000, "The ziggurat method for
 * generating random variables", J. Stat. Softw. 5(8); their 256-layer table), one 32-bit word per
 * attempt: the noise source of the particle simulators in this folder. Depends on
 * stats/random.ts only.
 *
 * Each attempt takes one 32-bit word w: its low 8 bits give the layer i, its high 24 bits the
 * signed value j = w >> 8 ∈ [−2^23, 2^23) (a sign and a 23-bit magnitude), and x = j·w_i. The
 * layer bits and the value bits are disjoint, which avoids the layer/value correlation that
 * Leong, Zhang, Lee, Luk & Villasenor (2005, J. Stat. Softw. 12(7)) found in the original RNOR,
 * where the layer came from the low bits of the value itself; numpy's single-precision ziggurat
 * (`Generator.standard_normal(dtype=np.float32)`) splits one 32-bit word the same way (8 layer
 * bits, a sign, 23 bits). About 98.5% of attempts land inside their layer's rectangle and are
 * returned at once; the rest take the wedge test (one more uniform double, the exact
 * exp(−x²/2)) or, in the base layer, the tail beyond r = 3.6542 (Marsaglia 1964, pairs of
 * doubles). The values are quantised to 2^−23 of their layer's width (about 10^−7 of x), far
 * below any Monte Carlo error these particles see; the law is tested against scipy's normal
 * (equiprobable bins, tail mass, moments).
 *
 * Which words: for a generator made by `createPrng`, the MT19937 outputs themselves, read in
 * place from its block (`wordBlockOf`; one output per attempt, a double = the next two outputs
 * as in `createPrng`), so a fill is followed by `prng()` calls that continue the same MT19937
 * stream; for any other {@link Prng}, one call per attempt, w = ⌊prng()·2^32⌋ (the top 32 bits of
 * its double), and one call per double. The two kinds therefore give different normals for the
 * same underlying generator; each is reproducible bit for bit.
 *
 * @module
 */
import { type Prng, type WordBlock, wordBlockOf } from "../../stats/random.ts";

const LAYERS = 256;
const ZIG_R = 3.6541528853610088;
/** Acceptance bounds |j| < k_i of the rectangles, in units of the 24-bit signed value j. */
const ZIG_K = new Float64Array(LAYERS);
/** Layer widths per unit of j: x = j·w_i. */
const ZIG_W = new Float64Array(LAYERS);
/** f_i = exp(−x_i²/2) at the layer edges. */
const ZIG_F = new Float64Array(LAYERS);
{
  // Marsaglia & Tsang (2000), zigset for 256 layers of area v, with m1 = 2^23 (the magnitude of
  // the 24-bit signed value j) in place of their 2^31
  const m1 = 8388608, vn = 4.92867323399e-3, last = LAYERS - 1;
  let dn = ZIG_R, tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m1;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[last] = dn / m1;
  ZIG_F[0] = 1;
  ZIG_F[last] = Math.exp(-0.5 * dn * dn);
  for (let i = last - 1; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m1;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
}

/** The radius r of the base layer: draws beyond ±r come from the tail algorithm. */
export const ZIGGURAT_R = ZIG_R;

/** Where the words and doubles of the rare paths (wedges, tail) come from. */
interface Source {
  /** The next 32-bit word, as a signed integer. */
  word(): number;
  /** The next uniform double on [0, 1). */
  double(): number;
}

/** A generator's block read in place (the same words and doubles as its own calls). */
class BlockSource implements Source {
  constructor(readonly g: WordBlock) {}
  word(): number {
    const g = this.g;
    if (g.pos >= g.words.length) g.refill();
    return g.words[g.pos++]!;
  }
  double(): number {
    const a = this.word(), b = this.word();
    return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
  }
}

/** Any other Prng: one call per word (its top 32 bits) and one per double. */
class CallSource implements Source {
  constructor(readonly prng: Prng) {}
  word(): number {
    return Math.floor(this.prng() * 4294967296) | 0;
  }
  double(): number {
    return this.prng();
  }
}

/**
 * Fills `out[from .. to)` with standard normals by the ziggurat, one 32-bit word per attempt
 * (read in place from the generator's block when `prng` comes from `createPrng`).
 *
 * @param prng uniform source
 * @param out array to fill
 * @param from first index (default 0)
 * @param to one past the last index (default `out.length`)
 * @throws RangeError when from or to is not an integer with 0 ≤ from ≤ to ≤ out.length
 */
export function fillZiggurat(prng: Prng, out: Float64Array, from = 0, to = out.length): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to)) {
    throw new RangeError(`from and to must be integers with 0 <= from <= to, got ${from}, ${to}`);
  }
  if (to > out.length) {
    throw new RangeError(`to must be <= out.length = ${out.length}, got ${to}`);
  }
  const block = wordBlockOf(prng);
  if (block !== undefined) {
    fillFromBlock(block, out, from, to);
    return;
  }
  const src = new CallSource(prng);
  for (let n = from; n < to; n++) {
    const w = src.word();
    const j = w >> 8, i = w & 255;
    out[n] = Math.abs(j) < ZIG_K[i]! ? j * ZIG_W[i]! : rareDraw(src, j, i);
  }
}

/**
 * The fast path of {@link fillZiggurat}: the word of each attempt read in place. The inner loop
 * makes no call (a call in it, even on the rare branch, slowed every attempt in V8): an attempt
 * outside its rectangle leaves the loop and is finished outside it.
 */
function fillFromBlock(g: WordBlock, out: Float64Array, from: number, to: number): void {
  const words = g.words, size = words.length;
  let src: BlockSource | undefined;
  let p = g.pos, n = from;
  while (n < to) {
    if (p >= size) {
      g.refill();
      p = 0;
    }
    // the attempts this block can feed without a bounds check on p
    const end = Math.min(to, n + size - p);
    let j = 0, i = 0, rare = false;
    while (n < end) {
      const w = words[p++]!;
      j = w >> 8;
      i = w & 255;
      if (Math.abs(j) >= ZIG_K[i]!) {
        rare = true;
        break;
      }
      out[n++] = j * ZIG_W[i]!;
    }
    if (rare) {
      g.pos = p;
      out[n++] = rareDraw(src ??= new BlockSource(g), j, i);
      p = g.pos;
    }
  }
  g.pos = p;
}

/**
 * The rest of a draw whose attempt (value j, layer i) fell outside its layer's rectangle: the
 * tail beyond r (Marsaglia 1964) in the base layer, else the wedge test, then new attempts.
 */
function rareDraw(src: Source, j: number, i: number): number {
  for (;;) {
    const x = j * ZIG_W[i]!;
    if (Math.abs(j) < ZIG_K[i]!) return x;
    if (i === 0) {
      let a = 0, b = 0;
      do {
        a = -Math.log(openDouble(src)) / ZIG_R;
        b = -Math.log(openDouble(src));
      } while (b + b < a * a);
      return j > 0 ? ZIG_R + a : -ZIG_R - a;
    }
    if (ZIG_F[i]! + src.double() * (ZIG_F[i - 1]! - ZIG_F[i]!) < Math.exp(-0.5 * x * x)) return x;
    const w = src.word();
    j = w >> 8;
    i = w & 255;
  }
}

/** A uniform on (0, 1) (redraws an exact 0). */
function openDouble(src: Source): number {
  let u = src.double();
  while (u === 0) u = src.double();
  return u;
}
