/** The stylesheet shared by the exported notebooks and the scorecard. */
export const REPORT_CSS = `
:root { --fg:#1b1f24; --muted:#57606a; --border:#d0d7de; --code:#f6f8fa; --accent:#0072B2; }
* { box-sizing: border-box; }
body { font: 16px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg);
  max-width: 1100px; margin: 2rem auto; padding: 0 1.25rem; }
a { color: var(--accent); }
h1, h2, h3 { line-height: 1.25; }
pre { background: var(--code); border: 1px solid var(--border); border-radius: 6px; padding: .6rem .8rem;
  overflow-x: auto; font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  white-space: pre-wrap; word-break: break-word; }
.cell { margin: 1.1rem 0; }
.code-cell > .source { position: relative; }
.code-cell > .source::before { content: attr(data-prompt); position: absolute; left: -3.2rem; top: .55rem;
  color: var(--muted); font: 12px ui-monospace, monospace; }
.output pre { background: #fff; border-color: #eaeef2; }
.output .stderr { background: #fff8f0; }
.output .error { background: #ffebe9; border-color: #ff8182; }
.sgd-plot { width: 100%; min-height: 380px; }
table { border-collapse: collapse; margin: .8rem 0; font-size: 14px; }
th, td { border: 1px solid var(--border); padding: .35rem .55rem; vertical-align: top; text-align: left; }
th { background: var(--code); }
.verdict.reproduced, .badge.reproduced { color: #1a7f37; }
.verdict.partly, .badge.partly { color: #9a6700; }
.verdict.not-reproduced, .badge.not-reproduced { color: #cf222e; }
.verdict.inconclusive, .badge.inconclusive { color: #6639ba; }
tr.kind th { background: #eef3f8; font-size: 15px; }
.differs { color: #cf222e; }
.katex-display { display: block; overflow-x: auto; margin: .8rem 0; text-align: center; }
math[display="block"] { font-size: 1.1em; }
.meta { color: var(--muted); font-size: 14px; }
.run-header { border-bottom: 1px solid var(--border); margin-bottom: 1.5rem; }
.run-warning { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: .5rem .8rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
`;
