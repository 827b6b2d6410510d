/**
 * The Jupyter display protocol as Deno's kernel implements it: an object with
 * a `[Symbol.for("Jupyter.display")]()` method returning a MIME bundle is
 * rendered by the kernel. Only `display` reaches the kernel (through
 * `delivery.ts`), so these objects can be imported and tested under `deno test`.
 *
 * @module
 */

import { publish } from "./delivery.ts";

/** The symbol Deno's Jupyter kernel looks for. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, string | object>;

/** Something the kernel can display. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/** Escapes &, <, >, " for HTML text and attributes. */
export function escapeHtml(s: string): string {
  if (typeof s !== "string") throw new TypeError(`s must be a string, got ${String(s)}`);
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/**
 * Displays an object now, in the running Jupyter cell, and waits until the kernel has published
 * it (`delivery.ts`: so it lands under this cell even when it is the cell's last output). Prefer
 * `await display(x)` (and `await show(spec)`) to leaving `x` as the last expression of a cell:
 * Deno's kernel queues that `execute_result` after the cell has ended, so it can be stamped with
 * the next cell in a live front end, and headless runners missed it now and then (measured: 3 to
 * 4 of 25 figures lost per run under load, 0 of 25 with an awaited display). Outside a kernel
 * (`deno test`, scripts) the plain-text form is printed.
 */
export async function display(obj: Displayable): Promise<void> {
  if (obj === null || typeof obj !== "object" || typeof obj[JUPYTER_DISPLAY] !== "function") {
    throw new TypeError(`obj must have a [Symbol.for("Jupyter.display")]() method, got ${obj}`);
  }
  const bundle = obj[JUPYTER_DISPLAY]();
  if (!(await publish("display_data", { data: bundle, metadata: {} }))) {
    console.log(String(bundle["text/plain"] ?? ""));
  }
}
