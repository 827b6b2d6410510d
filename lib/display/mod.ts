/**
 * Display: pure Plotly figure builders (they return {data, layout}), the Jupyter MIME wrapper,
 * HTML tables, progress bars, distribution and series panels, the time-slider figure and the line
 * breaking of figure text. No numerics of its own beyond what a figure needs.
 *
 * @module
 */
export * from "./mime.ts";
export * from "./plotly.ts";
export * from "./figures.ts";
export * from "./progress.ts";
export * from "./table.ts";
export * from "./distribution_panels.ts";
export * from "./time_slider.ts";
export * from "./series_panel.ts";
export * from "./text.ts";
export * from "./wrap_text.ts";
export * from "./plotly_embed.ts";
