/**
 * A table of records for Jupyter: an HTML `<table>` with a caption (for the
 * notebook and the exported report) and a plain-text form (`a | b | c`
 * lines, for terminals and tests). Unlike `console.table`, it survives the
 * HTML export as a real table.
 *
 * @module
 */
import { escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "./mime.ts";
import type { Displayable } from "./mime.ts";
import { assertArrayLike, assertObject, assertString } from "../stats/validate.ts";

/** One row: column name → cell value. */
export type TableRow = Record<string, string | number>;

/**
 * A captioned table for display, columns in the key order of the first row;
 * every row must have exactly those keys. Cells are rendered with `String()`
 * and HTML-escaped, as are the caption and the column names.
 *
 * @param caption the table's caption (plain text)
 * @param rows at least one row
 * @returns a {@link Displayable} with `text/plain` and `text/html`
 * @throws RangeError for no rows; TypeError for a row whose keys differ from the first row's
 * @example
 * ```ts
 * import { tableDisplay } from "./table.ts";
 * import { JUPYTER_DISPLAY } from "./mime.ts";
 * const t = tableDisplay("sizes", [{ S: 16, "α̂": "1.50" }, { S: 32, "α̂": "1.62" }]);
 * const text = t[JUPYTER_DISPLAY]()["text/plain"];
 * if (text !== "sizes\nS | α̂\n16 | 1.50\n32 | 1.62") throw new Error(String(text));
 * ```
 */
export function tableDisplay(caption: string, rows: TableRow[]): Displayable {
  assertString("caption", caption);
  assertArrayLike("rows", rows);
  if (!Array.isArray(rows)) throw new TypeError(`rows must be an array of records, got ${rows}`);
  rows.forEach((r, i) => assertObject(`rows[${i}]`, r));
  if (rows.length === 0) throw new RangeError("rows must hold at least one row, got 0");
  const keys = Object.keys(rows[0]!);
  rows.forEach((r, i) => {
    const own = Object.keys(r);
    if (own.length !== keys.length || own.some((k, j) => k !== keys[j])) {
      throw new TypeError(
        `rows[${i}] must have the columns of rows[0] (${keys.join(", ")}), got ${own.join(", ")}`,
      );
    }
    for (const k of keys) {
      if (typeof r[k] !== "string" && typeof r[k] !== "number") {
        throw new TypeError(
          `rows[${i}][${JSON.stringify(k)}] must be a string or a number, got ${String(r[k])}`,
        );
      }
    }
  });
  const esc = escapeHtml;
  return {
    [JUPYTER_DISPLAY]: (): MimeBundle => ({
      "text/plain": [
        caption,
        keys.join(" | "),
        ...rows.map((r) => keys.map((k) => r[k]).join(" | ")),
      ]
        .join("\n"),
      "text/html":
        `<table><caption>${esc(caption)}</caption><thead><tr>${
          keys.map((k) => `<th>${esc(k)}</th>`).join("")
        }</tr></thead>` +
        `<tbody>${
          rows.map((r) => `<tr>${keys.map((k) => `<td>${esc(String(r[k]))}</td>`).join("")}</tr>`)
            .join("")
        }</tbody></table>`,
    }),
  };
}
