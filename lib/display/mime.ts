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
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}
