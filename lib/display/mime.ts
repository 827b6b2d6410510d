/**
 * The Jupyter display protocol as Deno's kernel implements it: an object with
 * a `[Symbol.for("Jupyter.display")]()` method returning a MIME bundle is
 * rendered by the kernel. Nothing here touches `Deno.jupyter`, so these
 * objects can be imported and tested under `deno test`.
 *
 * @module
 */

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

/** The parts of `Deno.jupyter` the library uses. */
export interface JupyterApi {
  display?: (obj: unknown, options: { raw: boolean }) => Promise<void>;
  broadcast?: (type: string, content: Record<string, unknown>) => Promise<void>;
}

/**
 * `Deno.jupyter` inside `deno jupyter`, undefined elsewhere (outside the
 * kernel merely reading `Deno.jupyter` throws).
 */
export function jupyterApi(): JupyterApi | undefined {
  try {
    return (Deno as unknown as { jupyter?: JupyterApi }).jupyter;
  } catch {
    return undefined;
  }
}

/**
 * Displays an object now, in the running Jupyter cell, and waits until the
 * kernel has sent it. Prefer `await display(x)` (and `await show(spec)`) to
 * leaving `x` as the last expression of a cell: Deno's kernel sends that
 * `execute_result` late enough that headless runners miss it now and then
 * (measured: 3 to 4 of 25 figures lost per run under load, 0 of 25 with an
 * awaited display). Outside a kernel (`deno test`, scripts) the plain-text
 * form is printed.
 */
export async function display(obj: Displayable): Promise<void> {
  if (obj === null || typeof obj !== "object" || typeof obj[JUPYTER_DISPLAY] !== "function") {
    throw new TypeError(`obj must have a [Symbol.for("Jupyter.display")]() method, got ${obj}`);
  }
  const bundle = obj[JUPYTER_DISPLAY]();
  const jupyter = jupyterApi();
  if (jupyter?.display) await jupyter.display(bundle, { raw: true });
  else console.log(String(bundle["text/plain"] ?? ""));
}
