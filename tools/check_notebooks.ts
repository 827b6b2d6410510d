/**
 * Static checks of notebooks/ (no kernel needed): file names NN_slug.ipynb,
 * valid nbformat 4 with the Deno kernelspec, stored without outputs and
 * without execution counts, a markdown title cell first, an import of
 * ../lib/mod.ts, one parameters cell calling defineParams, figures shown
 * with `await show(...)`, text with `await say(...)` (never `console.*`: the Deno kernel flushes
 * stdout after the cell's reply, so in a live front end it lands under a later cell) and a final
 * verdict cell `await display(claims)`
 * (a value left as the last expression of a cell reaches Jupyter as an
 * execute_result, which headless runs lose now and then: see
 * lib/display/mime.ts).
 *
 * `deno run -A tools/check_notebooks.ts` prints one line per notebook.
 */
import type { Notebook } from "./export_html.ts";

const cellSource = (c: { source: string | string[] }) =>
  Array.isArray(c.source) ? c.source.join("") : c.source;

/**
 * The `defineParams(...)` call of a notebook's parameters cell, as source text (from
 * `defineParams(` to its closing parenthesis; strings, template literals and comments are
 * skipped when matching). Undefined when no code cell calls defineParams or the call is not
 * closed. The report evaluates it to check every override before any notebook runs.
 */
export function paramsCall(nb: Notebook): string | undefined {
  for (const c of nb.cells) {
    if (c.cell_type !== "code") continue;
    const s = cellSource(c);
    const start = s.indexOf("defineParams(");
    if (start < 0) continue;
    let depth = 0;
    for (let i = start + "defineParams".length; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === "/" && s[i + 1] === "/") {
        i = s.indexOf("\n", i);
        if (i < 0) return undefined;
      } else if (ch === "/" && s[i + 1] === "*") {
        i = s.indexOf("*/", i + 2) + 1;
        if (i <= 0) return undefined;
      } else if (ch === '"' || ch === "'" || ch === "`") {
        for (i++; i < s.length && s[i] !== ch; i++) if (s[i] === "\\") i++;
      } else if (ch === "(" || ch === "[" || ch === "{") depth++;
      else if (ch === ")" || ch === "]" || ch === "}") {
        if (--depth === 0) return s.slice(start, i + 1);
      }
    }
    return undefined;
  }
  return undefined;
}

/** Problems found in one notebook (empty when clean). */
export function notebookProblems(name: string, nb: Notebook & { nbformat?: number }): string[] {
  const p: string[] = [];
  if (!/^\d\d_[a-z0-9_]+\.ipynb$/.test(name)) p.push(`file name must be NN_slug.ipynb`);
  if (nb.nbformat !== 4) p.push(`nbformat must be 4, got ${nb.nbformat}`);
  const ks = (nb.metadata?.kernelspec ?? {}) as { name?: string };
  if (ks.name !== "deno") p.push(`kernelspec must be "deno", got ${JSON.stringify(ks.name)}`);
  const src = (
    c: { source: string | string[] },
  ) => (Array.isArray(c.source) ? c.source.join("") : c.source);
  nb.cells.forEach((c, i) => {
    const cc = c as { outputs?: unknown[]; execution_count?: number | null };
    if (c.cell_type === "code" && (cc.outputs?.length ?? 0) > 0) {
      p.push(`cell ${i} holds outputs (strip them)`);
    }
    if (c.cell_type === "code" && cc.execution_count != null) {
      p.push(`cell ${i} holds an execution count (strip it)`);
    }
  });
  const first = nb.cells[0];
  if (!first || first.cell_type !== "markdown" || !/^#\s/.test(src(first))) {
    p.push("the first cell must be a markdown title (# …)");
  }
  const code = nb.cells.filter((c) => c.cell_type === "code").map(src);
  if (!code.some((s) => s.includes(`"../lib/mod.ts"`))) p.push(`no cell imports "../lib/mod.ts"`);
  if (code.filter((s) => s.includes("defineParams(")).length !== 1) {
    p.push("there must be exactly one parameters cell (defineParams)");
  }
  code.forEach((s, k) => {
    if (/(^|[^.\w])show\(/m.test(s.replace(/await show\(/g, ""))) {
      p.push(`code cell ${k + 1}: show figures with \`await show(...)\``);
    }
    // stdout is flushed after the cell's reply: in a live front end it lands under a later cell
    const printed = /\bconsole\.(log|info|table|warn|error)\(/.exec(s);
    if (printed) {
      p.push(
        `code cell ${k + 1}: console.${
          printed[1]
        } output lands under later cells; use \`await say(...)\` or \`await display(tableDisplay(...))\``,
      );
    }
  });
  const last = code.at(-1) ?? "";
  if (!/await display\(claims\)/.test(last)) {
    p.push("the last code cell must be the verdict cell: `await display(claims)`");
  }

  return p;
}

if (import.meta.main) {
  const dir = new URL("../notebooks/", import.meta.url).pathname;
  let bad = 0;
  for (
    const e of [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".ipynb")).sort((a, b) =>
      a.name.localeCompare(b.name)
    )
  ) {
    const nb = JSON.parse(await Deno.readTextFile(dir + e.name));
    const problems = notebookProblems(e.name, nb);
    if (problems.length) bad++;
    console.log(
      `${problems.length ? "FAIL" : "ok  "} ${e.name}${problems.map((x) => `\n  ${x}`).join("")}`,
    );
  }
  Deno.exit(bad ? 1 : 0);
}
