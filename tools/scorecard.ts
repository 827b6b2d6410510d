/**
 * The claims scorecard, `reports/index.html`: one row per claim recorded by
 * the notebooks (read from their JSON claim files), with run metadata.
 */
import type { ClaimRecord } from "../lib/notebook/claims.ts";
import { claimCells } from "../lib/notebook/claims.ts";
import { escapeHtml } from "../lib/display/mime.ts";
import { REPORT_CSS } from "./report_style.ts";

/** One notebook's run, as the report saw it. */
export interface NotebookRun {
  id: string;
  title: string;
  seconds: number;
  claims: ClaimRecord[];
  meta: Record<string, unknown>;
  /** Mode of the run that produced these claims (absent in reports older than this field). */
  quick?: boolean;
  /** When that run finished (ISO 8601). */
  date?: string;
}

/** Metadata of the whole run. */
export interface RunMeta {
  date: string;
  quick: boolean;
  deno: string;
  tfjs: string;
  totalSeconds: number;
  /** `SGD_PARAMS` as found in the environment. */
  params?: string;
  /** The `--set` values (JSON, as passed to the notebooks in `SGD_SET`); they win over params. */
  sets?: string;
  /** Set when `--only` reran these notebooks and kept the others from the previous report. */
  only?: string[];
}

/** Counts of each verdict. */
export function tally(runs: NotebookRun[]): Record<string, number> {
  const t: Record<string, number> = { reproduced: 0, partly: 0, "not reproduced": 0 };
  for (const r of runs) for (const c of r.claims) t[c.verdict] = (t[c.verdict] ?? 0) + 1;
  return t;
}

/** Builds the scorecard page. */
export function scorecardHtml(runs: NotebookRun[], meta: RunMeta): string {
  const rows = runs.flatMap((r) =>
    r.claims.map((c) =>
      `<tr><td><a href="${r.id}.html">${escapeHtml(r.id)}</a><br><small>${
        escapeHtml(c.section)
      }</small></td>` +
      `${claimCells(c)}</tr>`
    )
  );
  const t = tally(runs);
  const nbRows = runs.map((r) =>
    `<tr><td><a href="${r.id}.html">${escapeHtml(r.id)}</a></td><td>${escapeHtml(r.title)}</td>` +
    `<td>${r.seconds.toFixed(1)} s</td><td>${
      r.quick === undefined ? "—" : r.quick ? "quick" : "full"
    }${r.date ? ` · ${escapeHtml(r.date.slice(0, 16).replace("T", " "))}` : ""}</td><td>${
      escapeHtml(String(r.meta.seed ?? "—"))
    }</td><td>${r.claims.length}</td></tr>`
  ).join("");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>SGD dynamics: claims scorecard</title><style>${REPORT_CSS}</style></head><body>
<h1>SGD dynamics: claims scorecard</h1>
<p>Each claim of the post is tested by a statistic measured in a notebook; the verdict is computed from the
measured value and the stated threshold.</p>
<p class="summary"><span class="badge reproduced">${t.reproduced} reproduced</span> ·
<span class="badge partly">${t.partly} partly</span> ·
<span class="badge not-reproduced">${t["not reproduced"]} not reproduced</span></p>
<table class="scorecard"><thead><tr><th>notebook</th><th>claim</th><th>statistic</th><th>measured</th>
<th>threshold</th><th>verdict</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>
<h2>Run</h2>
<p class="meta">${escapeHtml(meta.date)} · ${meta.quick ? "quick mode" : "full mode"} · Deno ${
    escapeHtml(meta.deno)
  } ·
TensorFlow.js ${escapeHtml(meta.tfjs)} · total ${meta.totalSeconds.toFixed(1)} s${
    meta.params ? ` · <code>SGD_PARAMS</code> <code>${escapeHtml(meta.params)}</code>` : ""
  }${meta.sets ? ` · <code>--set</code> <code>${escapeHtml(meta.sets)}</code>` : ""}${
    meta.only
      ? ` · this run: ${escapeHtml(meta.only.join(", "))} (the others kept from earlier runs)`
      : ""
  }</p>
<table><thead><tr><th>notebook</th><th>title</th><th>wall time</th><th>run</th><th>seed</th><th>claims</th></tr></thead>
<tbody>${nbRows}</tbody></table>
</body></html>
`;
}
