/**
 * Notebook text that lands under its own cell: `await say(...)` sends the lines as a
 * `display_data` message and waits until the kernel has sent it, where `console.log` goes through
 * the Deno kernel's stdout stream, which is flushed after the cell's reply and so shows up under
 * whichever cell runs next (seen in classic Notebook with Run All). Outside a kernel the text is
 * printed.
 *
 * @module
 */
import { display, type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "./mime.ts";
import { assertArrayLike } from "../stats/validate.ts";

/** Lines of plain text as a displayable object. */
export class TextLines implements Displayable {
  readonly text: string;
  constructor(lines: readonly unknown[]) {
    assertArrayLike("lines", lines);
    this.text = Array.from(lines, (l) => (typeof l === "string" ? l : String(l))).join("\n");
  }
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.text };
  }
}

/**
 * Shows lines of text under the running cell, awaited: `await say(\`loss ${loss}\`)`.
 *
 * @param lines the lines (non-strings are converted with `String`)
 * @example
 * ```ts
 * import { say } from "./text.ts";
 * await say("outside a kernel this prints", 42);
 * ```
 */
export async function say(...lines: unknown[]): Promise<void> {
  await display(new TextLines(lines));
}
