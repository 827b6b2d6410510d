/**
 * A figure with a slider that shows one group of traces (a "frame", e.g.
 * one snapshot time) at a time. The slider steps restyle the traces'
 * `visible` flags, so the figure stays a single static Plotly spec that
 * renders in JupyterLab, VS Code and the exported HTML without animation
 * frames.
 *
 * @module
 */
import { type AxesOptions, baseLayout } from "./figures.ts";
import type { FigureSpec, Trace } from "./plotly.ts";
import { assertObject, assertString } from "../stats/validate.ts";

/** One slider position: its label and the traces it shows. */
export interface SliderFrame {
  label: string;
  traces: Trace[];
}

/**
 * A figure whose slider shows one frame's traces at a time: every frame's
 * traces are in `data` (frame order), each with `visible` true only for the
 * `active` frame; slider step k is a Plotly `restyle` of `visible` to
 * [trace belongs to frame k] over all traces. The legend sits inside the
 * plot, top right; the slider below the plot, labelled `prefix` + frame label;
 * the top margin is the base layout's (it holds the title block).
 *
 * @param o axes options ({@link AxesOptions}; `height` defaults to 540), the
 *   `frames` (at least one), the `active` frame index and the slider's
 *   `prefix` (default "time t = ")
 * @returns the {@link FigureSpec}; the given traces are copied, not modified
 * @throws RangeError for no frames or an active index outside them
 * @example
 * ```ts
 * import { timeSliderFigure } from "./time_slider.ts";
 * const f = timeSliderFigure({
 *   title: "t", xTitle: "x", yTitle: "p", active: 1,
 *   frames: [{ label: "0", traces: [{ x: [0], y: [1] }] }, { label: "1", traces: [{ x: [0], y: [2] }] }],
 * });
 * if (f.data[0]!.visible !== false || f.data[1]!.visible !== true) throw new Error();
 * ```
 */
export function timeSliderFigure(
  o: AxesOptions & { frames: SliderFrame[]; active: number; prefix?: string },
): FigureSpec {
  assertObject("o", o);
  if (!Array.isArray(o.frames)) {
    throw new TypeError(`frames must be an array of frames, got ${o.frames}`);
  }
  o.frames.forEach((f, k) => {
    assertObject(`frames[${k}]`, f);
    assertString(`frames[${k}].label`, f.label);
    if (!Array.isArray(f.traces)) {
      throw new TypeError(`frames[${k}].traces must be an array of traces, got ${f.traces}`);
    }
    f.traces.forEach((t, j) => assertObject(`frames[${k}].traces[${j}]`, t));
  });
  if (o.prefix !== undefined) assertString("prefix", o.prefix);
  if (o.frames.length === 0) throw new RangeError("frames must hold at least one frame, got 0");
  if (!Number.isInteger(o.active) || o.active < 0 || o.active >= o.frames.length) {
    throw new RangeError(
      `active must be an integer in [0, ${o.frames.length - 1}], got ${o.active}`,
    );
  }
  const owner: number[] = [];
  const data = o.frames.flatMap((f, k) =>
    f.traces.map((t) => {
      owner.push(k);
      return { ...t, visible: k === o.active };
    })
  );
  const base = baseLayout(o);
  return {
    data,
    layout: {
      ...base,
      height: o.height ?? 540,
      margin: { ...(base.margin as Record<string, number>), b: 120 },
      legend: {
        x: 0.99,
        xanchor: "right",
        y: 0.98,
        yanchor: "top",
        bgcolor: "rgba(255,255,255,0.8)",
      },
      sliders: [{
        active: o.active,
        currentvalue: { prefix: o.prefix ?? "time t = " },
        pad: { t: 60 },
        steps: o.frames.map((f, k) => ({
          label: f.label,
          method: "restyle",
          args: ["visible", owner.map((j) => j === k)],
        })),
      }],
    },
  };
}
