/**
 * Line breaking for figure text: Plotly never wraps a title, a note or an axis title, so a long
 * one runs off the figure (or over the plot). {@link wrapText} breaks it at spaces into lines of
 * at most a given number of visible characters, about as long as each other.
 *
 * @module
 */
import { assertInteger, assertString } from "../stats/validate.ts";

/** The characters a reader sees: markup tags (`<sub>`, `<i>`…) do not count. */
function visible(s: string): number {
  return s.replace(/<[^>]*>/g, "").length;
}

/** Greedy filling: each line takes words while it stays within `width` visible characters. */
function fill(words: string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && visible(line) + 1 + visible(w) <= width) line += ` ${w}`;
    else {
      if (line) lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The words of `text` split at spaces, a tag's content kept in one piece: a break inside
 * `<sub>a b</sub>` would leave the tag open on one line and closed on the next.
 */
function words(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const w of text.split(/ +/).filter((s) => s !== "")) {
    if (depth > 0) out[out.length - 1] += ` ${w}`;
    else out.push(w);
    depth += (w.match(/<[a-z][^>]*>/gi) ?? []).length - (w.match(/<\/[^>]*>/g) ?? []).length;
  }
  return out;
}

/**
 * `text` broken into lines of at most `width` visible characters (tags such as `<sub>` not
 * counted), at spaces only, with as few lines as greedy filling needs and the lines as even as
 * that number allows (the narrowest width that still fits in that many lines). A `<br>` already
 * in the text is kept as a break; a word longer than `width` gets a line of its own; no break is
 * made inside a tag's content.
 *
 * @param text the text (Plotly's markup allowed)
 * @param width most visible characters a line may hold (integer ≥ 1)
 * @returns the lines, at least one ("" for an empty text)
 * @throws TypeError for a non-string text; RangeError for a bad width
 * @example
 * ```ts
 * import { wrapText } from "./wrap_text.ts";
 * const lines = wrapText("one two three four five six", 20);
 * // greedy filling would give "one two three four" and "five six"
 * if (lines.join("|") !== "one two three|four five six") throw new Error(lines.join("|"));
 * ```
 */
export function wrapText(text: string, width: number): string[] {
  assertString("text", text);
  assertInteger("width", width, 1);
  return text.split(/<br\s*\/?>/i).flatMap((part) => {
    const ws = words(part);
    if (ws.length === 0) return [""];
    const greedy = fill(ws, width);
    if (greedy.length === 1) return greedy;
    const longest = Math.max(...ws.map(visible));
    const total = visible(ws.join(" "));
    for (let w = Math.max(longest, Math.ceil(total / greedy.length)); w < width; w++) {
      const lines = fill(ws, w);
      if (lines.length <= greedy.length) return lines;
    }
    return greedy;
  });
}
