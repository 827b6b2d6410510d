/**
 * The claims scorecard, `reports/index.html`: one row per claim recorded by
 * the notebooks (read from their JSON claim files), with run metadata.
 */
import type { ClaimKind, ClaimRecord, Verdict } from "../lib/notebook/claims.ts";
import { CLAIM_KINDS, claimCells } from "../lib/notebook/claims.ts";
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
  /**
   * The cache of trained models and per-checkpoint results the notebooks used (its folder), or
   * "off" (`SGD_CACHE=off`); absent in reports made before the cache existed.
   */
  cache?: string;
  /**
   * The verdicts of the latest quick run into the same folder (`notebook/claim id` → verdict),
   * shown beside any full-mode verdict that differs.
   */
  quickVerdicts?: Record<string, Verdict>;
}

/** The run line's note on the cache of results ({@link RunMeta.cache}). */
function cacheNote(cache: string | undefined): string {
  if (cache === undefined) return "";
  if (cache === "off") return " · cache off (everything computed)";
  return ` · cache <code>${
    escapeHtml(cache)
  }</code> (unchanged runs and checkpoints loaded from it)`;
}

/** The key of a claim in {@link RunMeta.quickVerdicts}. */
export function claimKey(c: ClaimRecord): string {
  return `${c.notebook}/${c.id}`;
}

/** Counts of each verdict. */
export function tally(runs: NotebookRun[]): Record<string, number> {
  const t: Record<string, number> = {
    reproduced: 0,
    partly: 0,
    "not reproduced": 0,
    inconclusive: 0,
  };
  for (const r of runs) for (const c of r.claims) t[c.verdict] = (t[c.verdict] ?? 0) + 1;
  return t;
}

function badges(t: Record<string, number>): string {
  return (["reproduced", "partly", "not reproduced", "inconclusive"] as const)
    .filter((v) => v !== "inconclusive" || t[v])
    .map((v) => `<span class="badge ${v.replace(/ /g, "-")}">${t[v] ?? 0} ${v}</span>`)
    .join(" · ");
}

/**
 * The scorecard's headline: the post's claims on real networks, then on model systems, then what
 * is not evidence for the post (findings of this project, sampling identities, numerical checks).
 */
export function headline(runs: NotebookRun[]): string {
  const of = (kinds: (ClaimKind | undefined)[]) =>
    tally(runs.map((r) => ({ ...r, claims: r.claims.filter((c) => kinds.includes(c.kind)) })));
  const count = (kinds: (ClaimKind | undefined)[]) =>
    runs.reduce((n, r) => n + r.claims.filter((c) => kinds.includes(c.kind)).length, 0);
  const lines = [
    `<li><b>Claims of the post on real networks</b> (${count(["post-real"])}): ${
      badges(of(["post-real"]))
    }</li>`,
    `<li><b>Claims of the post on model systems</b> (${count(["post-model"])}): ${
      badges(of(["post-model"]))
    }</li>`,
    `<li>Not evidence for the post: ${count(["finding"])} findings of this project, ${
      count(["sampling-identity"])
    } sampling identities, ${count(["numerical-check"])} numerical checks</li>`,
  ];
  const unlabelled = count([undefined]);
  if (unlabelled) lines.push(`<li>${unlabelled} claims without a kind (older claim files)</li>`);
  return `<ul class="summary">${lines.join("\n")}</ul>`;
}

/** Builds the scorecard page. */
export function scorecardHtml(runs: NotebookRun[], meta: RunMeta): string {
  const row = (r: NotebookRun, c: ClaimRecord) => {
    const quick = meta.quickVerdicts?.[claimKey(c)];
    const differs = !r.quick && quick !== undefined && quick !== c.verdict
      ? `<br><small class="differs">quick run: ${escapeHtml(quick)}</small>`
      : "";
    return `<tr><td><a href="${r.id}.html">${escapeHtml(r.id)}</a><br><small>${
      escapeHtml(c.section)
    }${r.quick ? " · quick mode" : ""}</small>${differs}</td>${claimCells(c)}</tr>`;
  };
  const groups = [...CLAIM_KINDS, { kind: undefined, label: "claims without a kind" }]
    .map(({ kind, label }) => {
      const rows = runs.flatMap((r) =>
        r.claims.filter((c) => c.kind === kind).map((c) => row(r, c))
      );
      return rows.length
        ? `<tr class="kind"><th colspan="6">${escapeHtml(label)} (${rows.length})</th></tr>\n${
          rows.join("\n")
        }`
        : "";
    })
    .filter((g) => g);
  const rows = groups;
  const t = tally(runs);
  const nbRows = runs.map((r) =>
    `<tr><td><a href="${r.id}.html">${escapeHtml(r.id)}</a></td><td>${escapeHtml(r.title)}</td>` +
    `<td>${r.seconds.toFixed(1)} s</td><td>${
      r.quick === undefined ? "—" : r.quick ? "quick" : "full"
    }${r.date ? ` · ${escapeHtml(r.date.slice(0, 16).replace("T", " "))}` : ""}</td><td>${
      escapeHtml(
        Array.isArray(r.meta.seeds) && r.meta.seeds.length > 1
          ? `${r.meta.seeds.join(", ")} (real-network claims)`
          : String(r.meta.seed ?? "—"),
      )
    }</td><td>${r.claims.length}</td></tr>`
  ).join("");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>SGD dynamics: claims scorecard</title><style>${REPORT_CSS}</style></head><body>
<h1>SGD dynamics: claims scorecard</h1>
<p>Each claim is tested by a statistic measured in a notebook; the verdict is computed from the
measured value and the stated threshold.</p>
${headline(runs)}
<p class="meta">All ${Object.values(t).reduce((a, b) => a + b, 0)} rows: ${badges(t)}${
    meta.quick ? " · <b>quick mode</b>: small parameters, verdicts may differ in full mode" : ""
  }. A verdict is <i>inconclusive</i> when the statistic's negative control (data built to satisfy
the alternative) meets the threshold too.</p>
<table class="scorecard"><thead><tr><th>notebook</th><th>claim</th><th>statistic</th><th>measured</th>
<th>threshold</th><th>verdict</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>
<h2>Run</h2>
<p class="meta">${escapeHtml(meta.date)} · ${meta.quick ? "quick mode" : "full mode"} · Deno ${
    escapeHtml(meta.deno)
  } ·
TensorFlow.js ${escapeHtml(meta.tfjs)} · total ${meta.totalSeconds.toFixed(1)} s${
    cacheNote(meta.cache)
  }${meta.params ? ` · <code>SGD_PARAMS</code> <code>${escapeHtml(meta.params)}</code>` : ""}${
    meta.sets ? ` · <code>--set</code> <code>${escapeHtml(meta.sets)}</code>` : ""
  }${
    meta.only
      ? ` · this run: ${escapeHtml(meta.only.join(", "))} (the others kept from earlier runs)`
      : ""
  }</p>
<table><thead><tr><th>notebook</th><th>title</th><th>wall time</th><th>run</th><th>seed</th><th>claims</th></tr></thead>
<tbody>${nbRows}</tbody></table>
</body></html>
`;
}
