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
