/**
 * TensorFlow.js for the model side of the library, on the WebAssembly backend
 * (SIMD). Deno is detected as Node by tfjs, but tfjs-node cannot be installed
 * here; the wasm backend is the fast option that loads in Deno with no setup
 * (see shared TFJS-NOTES). `initBackend()` must be awaited once before use.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

export { tf };

/**
 * Selects and initialises a tfjs backend.
 * @param name `"wasm"` (default, fast) or `"cpu"` (pure JS, slow, for checks)
 * @returns the active backend name
 */
export async function initBackend(name: "wasm" | "cpu" = "wasm"): Promise<string> {
  if (name !== "wasm" && name !== "cpu") {
    throw new RangeError(`backend must be "wasm" or "cpu", got "${name}"`);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend "${name}" failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}

/** The tfjs version string (for report metadata). */
export const tfVersion: string = tf.version.tfjs;

/**
 * Copies the values of a tensor, as float32, into `out` at `offset` (by
 * default a new Float32Array of the tensor's size) and returns `out`.
 *
 * Why not `dataSync()`: it returns a freshly allocated array on every call,
 * and fresh large allocations are slow where page faults are (on the test
 * machine ~230 ms for 52 MB, the 128 per-example gradient rows of the MLP
 * 784-128-10, against 4 ms to copy the same values into a reused array).
 * Streaming code passes the same `out` every call. The copy reads a view of
 * the wasm heap (the backend's public `typedArrayFromHeap`) when the tensor
 * lives on the wasm backend (else `dataSync`).
 *
 * @param t a float32, int32 or bool tensor (not disposed)
 * @param out destination (default: new, of length `t.size`)
 * @param offset where in `out` the values start (default 0)
 * @returns `out`
 * @throws TypeError for a disposed or string tensor; RangeError when `out` is too short
 * @example
 * ```ts
 * import { initBackend, readFloat32, tf } from "./tf.ts";
 * await initBackend("wasm");
 * const out = readFloat32(tf.tensor1d([1, 2, 3]), new Float32Array(5), 2);
 * if (out.join() !== "0,0,1,2,3") throw new Error(out.join());
 * ```
 */
export function readFloat32(t: tf.Tensor, out?: Float32Array, offset = 0): Float32Array {
  if (!(t instanceof tf.Tensor) || t.isDisposed) {
    throw new TypeError(
      `t must be a live tensor, got ${t instanceof tf.Tensor ? "a disposed one" : t}`,
    );
  }
  if (t.dtype !== "float32" && t.dtype !== "int32" && t.dtype !== "bool") {
    throw new TypeError(`t must be numeric (float32, int32 or bool), got ${t.dtype}`);
  }
  out ??= new Float32Array(t.size);
  if (!Number.isInteger(offset) || offset < 0 || offset + t.size > out.length) {
    throw new RangeError(
      `out (length ${out.length}) must hold ${t.size} values from offset ${offset}`,
    );
  }
  // deno-lint-ignore no-explicit-any
  const backend = tf.backend() as any;
  const onHeap = tf.getBackend() === "wasm" && typeof backend.typedArrayFromHeap === "function" &&
    backend.dataIdMap?.has(t.dataId);
  out.set(
    onHeap ? backend.typedArrayFromHeap(t) as Float32Array : t.dataSync() as Float32Array,
    offset,
  );
  return out;
}
