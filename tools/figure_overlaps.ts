/**
 * The geometry of the figure-layout check of the browser check: given the boxes of a drawn
 * figure's text elements (main title, axis titles, tick labels, legends, annotations, colour bars,
 * sliders), each tagged with the element it belongs to, find the pairs of different elements whose
 * boxes overlap and the boxes that stick out of the figure (clipped by its SVG). Pure: boxes in,
 * problems out; `tools/browser_check.ts` measures the boxes in Chromium.
 *
 * @module
 */

/** An axis-aligned rectangle in pixels, y downwards (a DOMRect's fields). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box of one piece of text of a figure. */
export interface TextBox extends Rect {
  /**
   * The element the box belongs to, e.g. "x-axis title", "y2 tick labels", "legend",
   * "annotation 2" ("panel title ..."), "title". Boxes of the same element are never compared
   * with each other (Plotly spaces the tick labels of one axis itself).
   */
  element: string;
  /** The text shown, for the message. */
  text: string;
}

/** A layout problem found by {@link layoutProblems}. */
export type LayoutProblem =
  | { kind: "overlap"; a: TextBox; b: TextBox; width: number; height: number }
  | { kind: "clipped"; a: TextBox; side: "left" | "right" | "top" | "bottom"; by: number };

/**
 * The overlaps and clipped boxes among `boxes`: every pair of boxes of different elements whose
 * intersection is more than `tolerance` pixels in both directions (one overlap per pair of
 * elements, the largest by area), and every box that extends more than `tolerance` pixels outside
 * `frame` (one per element and side, the largest). Empty boxes (zero width or height: an empty
 * title, a hidden label) are ignored.
 *
 * @param boxes the text boxes, in the same coordinates as `frame`
 * @param frame the figure's drawing area (its SVG's box)
 * @param tolerance pixels of overlap or overhang let through (antialiasing, glyph side bearings);
 *   default 2
 * @returns the problems, overlaps first, in the order of the boxes
 * @example
 * ```ts
 * import { layoutProblems } from "./figure_overlaps.ts";
 * const frame = { x: 0, y: 0, width: 400, height: 300 };
 * const p = layoutProblems([
 *   { element: "legend", text: "a", x: 50, y: 260, width: 200, height: 20 },
 *   { element: "x-axis title", text: "S", x: 180, y: 265, width: 40, height: 16 },
 * ], frame);
 * if (p.length !== 1 || p[0]!.kind !== "overlap") throw new Error();
 * ```
 */
export function layoutProblems(boxes: TextBox[], frame: Rect, tolerance = 2): LayoutProblem[] {
  const shown = boxes.filter((b) => b.width > 0 && b.height > 0);
  const overlaps = new Map<string, LayoutProblem & { kind: "overlap" }>();
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      const a = shown[i]!, b = shown[j]!;
      if (a.element === b.element) continue;
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (!(w > tolerance && h > tolerance)) continue;
      const key = JSON.stringify([a.element, b.element]);
      const seen = overlaps.get(key);
      if (!seen || w * h > seen.width * seen.height) {
        overlaps.set(key, { kind: "overlap", a, b, width: w, height: h });
      }
    }
  }
  const clipped = new Map<string, LayoutProblem & { kind: "clipped" }>();
  for (const a of shown) {
    const sides = [
      ["left", frame.x - a.x],
      ["right", a.x + a.width - (frame.x + frame.width)],
      ["top", frame.y - a.y],
      ["bottom", a.y + a.height - (frame.y + frame.height)],
    ] as const;
    for (const [side, by] of sides) {
      if (!(by > tolerance)) continue;
      const key = JSON.stringify([a.element, side]);
      const seen = clipped.get(key);
      if (!seen || by > seen.by) clipped.set(key, { kind: "clipped", a, side, by });
    }
  }
  return [...overlaps.values(), ...clipped.values()];
}

/** `element "text"`, the text cut to 40 characters. */
function describe(b: TextBox): string {
  const t = b.text.replace(/\s+/g, " ").trim();
  return t ? `${b.element} "${t.length > 40 ? `${t.slice(0, 39)}…` : t}"` : b.element;
}

/**
 * One line for a problem: which elements, and by how many pixels.
 *
 * @example
 * ```ts
 * import { describeProblem } from "./figure_overlaps.ts";
 * const a = { element: "y2 tick labels", text: "1.9", x: 395, y: 10, width: 12, height: 10 };
 * const s = describeProblem({ kind: "clipped", a, side: "right", by: 7 });
 * if (s !== 'y2 tick labels "1.9" is clipped: 7 px beyond the right edge') throw new Error(s);
 * ```
 */
export function describeProblem(p: LayoutProblem): string {
  if (p.kind === "clipped") {
    return `${describe(p.a)} is clipped: ${Math.round(p.by)} px beyond the ${p.side} edge`;
  }
  return `${describe(p.a)} overlaps ${describe(p.b)} (${Math.round(p.width)}×${
    Math.round(p.height)
  } px)`;
}
