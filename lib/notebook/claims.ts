/**
 * Claims of the post, tested by a notebook and collected by the report into
 * the scorecard (`reports/index.html`).
 *
 * A notebook measures a statistic, then calls `claims.record({...})` with the
 * value and a {@link Threshold}; the verdict is computed here from the two,
 * never typed in. A claim measured on several seeds goes through
 * `claims.recordSeeds({...})` with one value per seed: each seed gets its own
 * verdict and the claim the weakest of them (`combineVerdicts`, `seeds.ts`).
 * Records are written as JSON to `$SGD_CLAIMS_DIR/<notebook>.json` (default
 * `reports/claims/` at the project root), which `deno task report` reads.
 *
 * @module
 */
import { escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "../display/mime.ts";
import { CLAIMS_MIME } from "./run_info.ts";
import { checkSeeds, combineVerdicts, median, strongestVerdict } from "./seeds.ts";

/**
 * The verdicts of the scorecard. "inconclusive": the statistic met the threshold, but so did its
 * negative control (data built to satisfy the alternative), so it cannot tell the two apart.
 */
export type Verdict = "reproduced" | "partly" | "not reproduced" | "inconclusive";

/**
 * What kind of evidence a claim is:
 * - `post-real`: a claim of the post, tested on real networks and data;
 * - `post-model`: a claim of the post, tested on a model system (a synthetic landscape or SDE);
 * - `numerical-check`: a check of our numerics, or a claim true by construction of the test;
 * - `sampling-identity`: an identity of minibatch sampling, true for any model;
 * - `finding`: a result of this project beyond the post.
 * Only the first two are evidence for the post; the scorecard counts them apart.
 */
export type ClaimKind =
  | "post-real"
  | "post-model"
  | "numerical-check"
  | "sampling-identity"
  | "finding";

/** The kinds in scorecard order, with their labels: `label` for a group, `one` for a claim. */
export const CLAIM_KINDS: readonly { kind: ClaimKind; label: string; one: string }[] = [
  {
    kind: "post-real",
    label: "claims of the post, on real networks",
    one: "claim of the post, on real networks",
  },
  {
    kind: "post-model",
    label: "claims of the post, on model systems",
    one: "claim of the post, on a model system",
  },
  { kind: "finding", label: "findings of this project", one: "finding of this project" },
  {
    kind: "sampling-identity",
    label: "sampling identities (true for any model)",
    one: "sampling identity",
  },
  {
    kind: "numerical-check",
    label: "numerical checks (true by construction when correct)",
    one: "numerical check",
  },
];

/** The label of a kind, singular ("claim of the post, on real networks"). */
export function kindLabel(kind: ClaimKind | undefined): string {
  return CLAIM_KINDS.find((k) => k.kind === kind)?.one ?? "kind not given";
}

/**
 * A negative control: the same statistic computed on data built to satisfy the alternative (for
 * "heavy tailed", Gaussian data with the same per-coordinate scales). A statistic worth a verdict
 * gives the control the opposite verdict.
 */
export interface ClaimControl {
  /** What the control data are. */
  description: string;
  /** The statistic on the control data. */
  value: number;
}

/**
 * How a measured value is judged.
 * - `"<="` / `">="`: value compared with `reproduced`, then with `partly`;
 * - `"within"`: |value − target| compared with `reproduced`, then `partly`.
 * `partly` may be omitted (then there are only two outcomes).
 */
export type Threshold =
  | { op: "<=" | ">="; reproduced: number; partly?: number }
  | { op: "within"; target: number; reproduced: number; partly?: number };

/** One claim as written for the scorecard. */
export interface ClaimRecord {
  id: string;
  notebook: string;
  section: string;
  statement: string;
  statistic: string;
  value: number;
  threshold: Threshold;
  verdict: Verdict;
  /** What kind of evidence this is (absent in claim files older than kinds). */
  kind?: ClaimKind;
  /** Free-text detail (interval, sample size) shown beside the value. */
  detail?: string;
  /** The negative control, when the claim has one. */
  control?: ClaimControl;
  /**
   * The control's verdict under the same threshold (computed). For a claim measured over seeds:
   * the strongest per-seed control verdict (the one that can make the claim inconclusive).
   */
  controlVerdict?: Verdict;
  /**
   * A claim measured over seeds (`ClaimLog.recordSeeds`): each seed's value, control value and
   * verdicts. `value` and `control.value` are then their medians, and `verdict` the weakest
   * per-seed verdict (see `combineVerdicts` in `seeds.ts`).
   */
  seeds?: SeedValue[];
}

/** One seed's measurement of a claim and its verdicts. */
export interface SeedValue {
  seed: number;
  value: number;
  /** The negative control's value on this seed's data. */
  control?: number;
  verdict: Verdict;
  controlVerdict?: Verdict;
}

/** What the notebook supplies; the verdicts are computed. */
export type ClaimInput =
  & Omit<ClaimRecord, "verdict" | "notebook" | "kind" | "controlVerdict" | "seeds">
  & { kind: ClaimKind };

/**
 * A claim measured on several seeds (`ClaimLog.recordSeeds`): the per-seed values (and control
 * values) instead of one value; the summary value, the control's summary and the verdict are
 * computed.
 */
export type SeededClaimInput = Omit<ClaimInput, "value" | "control"> & {
  /** The negative control's description, when the claim has one (every seed then gives a value). */
  control?: { description: string };
  seeds: readonly { seed: number; value: number; control?: number }[];
};

/**
 * The verdict of a claim with its negative control: the value's verdict, except that a claim
 * whose control also meets the threshold (reproduced or partly) is "inconclusive".
 *
 * @example
 * ```ts
 * import { claimVerdict } from "./claims.ts";
 * const t = { op: "<=", reproduced: 2 } as const;
 * if (claimVerdict(1.8, t, 1.75).verdict !== "inconclusive") throw 0;
 * if (claimVerdict(1.8, t, 2.4).verdict !== "reproduced") throw 0;
 * ```
 */
export function claimVerdict(
  value: number,
  t: Threshold,
  control?: number,
): { verdict: Verdict; controlVerdict?: Verdict } {
  const verdict = verdictOf(value, t);
  if (control === undefined) return { verdict };
  const controlVerdict = verdictOf(control, t);
  const separates = controlVerdict === "not reproduced";
  return {
    verdict: verdict !== "not reproduced" && !separates ? "inconclusive" : verdict,
    controlVerdict,
  };
}

/** Renders a threshold as text, e.g. `≤ 0.05 (partly ≤ 0.15)`. */
export function formatThreshold(t: Threshold): string {
  const fmt = formatValue;
  if (t.op === "within") {
    return `|x − ${fmt(t.target)}| ≤ ${fmt(t.reproduced)}` +
      (t.partly !== undefined ? ` (partly ≤ ${fmt(t.partly)})` : "");
  }
  const sym = t.op === "<=" ? "≤" : "≥";
  return `${sym} ${fmt(t.reproduced)}` +
    (t.partly !== undefined ? ` (partly ${sym} ${fmt(t.partly)})` : "");
}

/**
 * Computes the verdict of a measured value against a threshold.
 *
 * @param value the measured statistic (finite)
 * @param t the threshold
 * @returns the verdict
 * @example
 * ```ts
 * import { verdictOf } from "./claims.ts";
 * if (verdictOf(-0.48, { op: "within", target: -0.5, reproduced: 0.05 }) !== "reproduced") throw 0;
 * ```
 */
export function verdictOf(value: number, t: Threshold): Verdict {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`value must be finite, got ${show(value)}`);
  }
  checkThreshold(t);
  const x = t.op === "within" ? Math.abs(value - t.target) : value;
  const pass = (bound: number) => (t.op === ">=" ? x >= bound : x <= bound);
  if (pass(t.reproduced)) return "reproduced";
  if (t.partly !== undefined && pass(t.partly)) return "partly";
  return "not reproduced";
}

function show(v: unknown): string {
  return typeof v === "number" ? String(v) : JSON.stringify(v) ?? String(v);
}

const FIELDS: Record<string, readonly string[]> = {
  "<=": ["op", "reproduced", "partly"],
  ">=": ["op", "reproduced", "partly"],
  within: ["op", "target", "reproduced", "partly"],
};

/**
 * Checks a threshold: a known `op`; `reproduced` (and `target` for `"within"`) present; every
 * numeric field a finite number; no field the op does not use; `partly` looser than `reproduced`
 * (and, for `"within"`, both bounds ≥ 0).
 *
 * @param t the threshold (from a notebook, so checked at run time)
 * @throws TypeError for a malformed threshold, RangeError for an inconsistent one
 * @example
 * ```ts
 * import { checkThreshold } from "./claims.ts";
 * checkThreshold({ op: ">=", reproduced: 0.9, partly: 0.5 });
 * let threw = false;
 * try { checkThreshold({ op: "within", reproduced: 1 } as never); } catch { threw = true; }
 * if (!threw) throw new Error("a within threshold needs a target");
 * ```
 */
export function checkThreshold(t: Threshold): void {
  if (typeof t !== "object" || t === null || Array.isArray(t)) {
    throw new TypeError(`threshold must be an object, got ${show(t)}`);
  }
  const fields = FIELDS[t.op as string];
  if (typeof t.op !== "string" || !fields) {
    throw new TypeError(`threshold.op must be "<=", ">=" or "within", got ${show(t.op)}`);
  }
  for (const k of Object.keys(t)) {
    if (!fields.includes(k)) {
      throw new TypeError(`threshold.${k} is not a field of a "${t.op}" threshold (${fields})`);
    }
  }
  const required = t.op === "within" ? ["target", "reproduced"] : ["reproduced"];
  for (const k of [...required, "partly"]) {
    const v = (t as unknown as Record<string, unknown>)[k];
    if (v === undefined) {
      if (k === "partly") continue;
      throw new TypeError(`threshold.${k} is required for op "${t.op}"`);
    }
    if (typeof v !== "number") {
      throw new TypeError(`threshold.${k} must be a number, got ${show(v)}`);
    }
    if (!Number.isFinite(v)) throw new RangeError(`threshold.${k} must be finite, got ${v}`);
  }
  if (t.op === "within") {
    for (const k of ["reproduced", "partly"] as const) {
      const v = t[k];
      if (v !== undefined && v < 0) {
        throw new RangeError(`threshold.${k} of a "within" threshold must be >= 0, got ${v}`);
      }
    }
  }
  if (t.partly !== undefined) {
    const consistent = t.op === ">=" ? t.partly <= t.reproduced : t.partly >= t.reproduced;
    if (!consistent) {
      throw new RangeError(
        `threshold.partly (${t.partly}) must be looser than threshold.reproduced (${t.reproduced})`,
      );
    }
  }
}

function defaultDir(): string {
  let dir: string | undefined;
  try {
    dir = Deno.env.get("SGD_CLAIMS_DIR");
  } catch { /* no env permission */ }
  return dir ?? new URL("../../reports/claims/", import.meta.url).pathname;
}

/**
 * The claims of one notebook. Each `record` rewrites
 * `<dir>/<notebook>.json` with every claim recorded so far, so the file is
 * complete after any cell; creating the log starts the file afresh.
 * Displayed in Jupyter as a table (the verdict cell).
 */
export class ClaimLog {
  readonly notebook: string;
  readonly records: ClaimRecord[] = [];
  readonly path: string;
  readonly meta: Record<string, unknown>;

  /**
   * @param notebook notebook id, e.g. `"01_sgd_and_noise"`
   * @param meta run metadata stored beside the claims (the parameters, the seed)
   * @param dir output folder (default `$SGD_CLAIMS_DIR` or `reports/claims/`)
   */
  constructor(notebook: string, meta: Record<string, unknown> = {}, dir: string = defaultDir()) {
    if (!/^[0-9A-Za-z_-]+$/.test(notebook)) {
      throw new RangeError(`notebook must be an id like 01_sgd_and_noise, got "${notebook}"`);
    }
    this.notebook = notebook;
    this.meta = meta;
    this.path = `${dir.replace(/\/$/, "")}/${notebook}.json`;
    this.#write();
  }

  /**
   * Records a claim, computes its verdict and writes the file. Recording the same claim again
   * (same id, section and statement: its cell was run again) replaces the earlier result.
   */
  record(input: ClaimInput): ClaimRecord {
    this.#check(input);
    if (input.control !== undefined) {
      if (typeof input.control.value !== "number" || !Number.isFinite(input.control.value)) {
        throw new RangeError(
          `claim.control.value must be finite, got ${show(input.control.value)}`,
        );
      }
    }
    return this.#put({
      ...input,
      notebook: this.notebook,
      ...claimVerdict(input.value, input.threshold, input.control?.value),
    });
  }

  /**
   * Records a claim measured on several seeds. Each seed gets its own verdict (with its own
   * control); the claim's verdict is the weakest of them (`combineVerdicts`: reproduced > partly >
   * inconclusive > not reproduced), its value the median of the per-seed values, its control value
   * the median of the per-seed control values, and its control verdict the strongest per-seed one.
   * The record keeps every seed (`seeds`), and the scorecard lists them.
   *
   * @example
   * ```ts
   * import { ClaimLog } from "./claims.ts";
   * const log = new ClaimLog("00_demo", {}, Deno.makeTempDirSync());
   * const r = log.recordSeeds({
   *   id: "x", kind: "post-real", section: "Eq. 1", statement: "x is small", statistic: "x",
   *   threshold: { op: "<=", reproduced: 1, partly: 2 },
   *   seeds: [{ seed: 1, value: 0.5 }, { seed: 1001, value: 1.5 }, { seed: 2001, value: 0.8 }],
   * });
   * if (r.verdict !== "partly" || r.value !== 0.8) throw new Error(JSON.stringify(r));
   * ```
   */
  recordSeeds(input: SeededClaimInput): ClaimRecord {
    const { seeds, control, ...rest } = input;
    if (!Array.isArray(seeds)) {
      throw new TypeError(`claim.seeds must be an array, got ${show(seeds)}`);
    }
    checkSeeds(seeds.map((s) => s?.seed));
    const hasControl = control !== undefined;
    this.#check({
      ...rest,
      value: 0,
      ...(hasControl ? { control: { ...control, value: 0 } } : {}),
    });
    for (const s of seeds) {
      if (typeof s.value !== "number" || !Number.isFinite(s.value)) {
        throw new RangeError(
          `claim.seeds: the value of seed ${s.seed} must be finite, got ${show(s.value)}`,
        );
      }
      if (hasControl !== (s.control !== undefined)) {
        throw new TypeError(
          `claim.seeds: seed ${s.seed} ${hasControl ? "lacks" : "has"} a control value, but the ` +
            `claim ${hasControl ? "has" : "has no"} control`,
        );
      }
      if (s.control !== undefined && !Number.isFinite(s.control)) {
        throw new RangeError(
          `claim.seeds: the control of seed ${s.seed} must be finite, got ${show(s.control)}`,
        );
      }
    }
    const per: SeedValue[] = seeds.map((s) => ({
      seed: s.seed,
      value: s.value,
      ...(s.control !== undefined ? { control: s.control } : {}),
      ...claimVerdict(s.value, rest.threshold, s.control),
    }));
    const controlValues = per.flatMap((s) => (s.control === undefined ? [] : [s.control]));
    return this.#put({
      ...rest,
      notebook: this.notebook,
      value: median(per.map((s) => s.value)),
      ...(hasControl
        ? {
          control: { description: control.description, value: median(controlValues) },
          controlVerdict: strongestVerdict(per.map((s) => s.controlVerdict!)),
        }
        : {}),
      verdict: combineVerdicts(per.map((s) => s.verdict)),
      seeds: per,
    });
  }

  /** Checks the fields every claim needs (strings, kind, control description, threshold). */
  #check(input: ClaimInput): void {
    for (const k of ["id", "section", "statement", "statistic"] as const) {
      if (typeof input[k] !== "string" || input[k].length === 0) {
        throw new TypeError(
          `claim.${k} must be a non-empty string, got ${JSON.stringify(input[k])}`,
        );
      }
    }
    // a cell run again (live notebook) records the same claim again: the new result replaces the
    // old one in place; a different claim under an id already taken is a mistake
    const old = this.records.find((r) => r.id === input.id);
    if (old && (old.statement !== input.statement || old.section !== input.section)) {
      throw new RangeError(
        `claim id "${input.id}" is already recorded in ${this.notebook} for another statement`,
      );
    }
    if (!CLAIM_KINDS.some((k) => k.kind === input.kind)) {
      throw new TypeError(
        `claim.kind must be one of ${CLAIM_KINDS.map((k) => `"${k.kind}"`).join(", ")}, got ${
          show(input.kind)
        }`,
      );
    }
    if (input.control !== undefined) {
      if (typeof input.control !== "object" || input.control === null) {
        throw new TypeError(
          `claim.control must be {description, value}, got ${show(input.control)}`,
        );
      }
      if (typeof input.control.description !== "string" || !input.control.description) {
        throw new TypeError(
          `claim.control.description must be a non-empty string, got ${
            show(input.control.description)
          }`,
        );
      }
    }
  }

  /** Stores a record (replacing one with the same id) and writes the file. */
  #put(rec: ClaimRecord): ClaimRecord {
    const at = this.records.findIndex((r) => r.id === rec.id);
    if (at >= 0) this.records[at] = rec;
    else this.records.push(rec);
    this.#write();
    return rec;
  }

  #write(): void {
    const dir = this.path.slice(0, this.path.lastIndexOf("/"));
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(
      this.path,
      JSON.stringify({ notebook: this.notebook, meta: this.meta, claims: this.records }, null, 1),
    );
  }

  /** Plain-text table of the claims. */
  toString(): string {
    return this.records.map((r) =>
      `[${r.verdict}] ${r.id} (${kindLabel(r.kind)}): ${r.statement} — ${r.statistic} = ` +
      `${formatValue(r.value)} (${formatThreshold(r.threshold)})${
        r.detail ? `; ${r.detail}` : ""
      }` +
      (r.control
        ? `; negative control (${r.control.description}): ${formatValue(r.control.value)}${
          seedSummary(r)
        }, ${r.controlVerdict}`
        : "") +
      (perSeed(r) ? `; ${perSeed(r)}` : "")
    ).join("\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const rows = this.records.map((r) =>
      `<tr><td><code>${escapeHtml(r.id)}</code><br><small>${
        escapeHtml(kindLabel(r.kind))
      }</small>` +
      `</td>${claimCells(r)}</tr>`
    ).join("");
    return {
      [CLAIMS_MIME]: { notebook: this.notebook, claims: this.records },
      "text/plain": this.toString(),
      "text/html":
        `<table class="claims"><thead><tr><th>claim</th><th>statement</th><th>statistic</th>` +
        `<th>value</th><th>threshold</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>`,
    };
  }
}

/**
 * The cells of a claim's table row after its first (which says where the claim comes from):
 * statement, statistic, measured value with its detail, threshold, verdict. One renderer for the
 * verdict cell of a notebook and for the scorecard.
 *
 * @example
 * ```ts
 * import { claimCells } from "./claims.ts";
 * const html = claimCells({
 *   id: "x", section: "Eq. 1", statement: "a < b", statistic: "a", value: 0.5,
 *   threshold: { op: "<=", reproduced: 1 }, notebook: "01_x", verdict: "reproduced",
 * });
 * if (!html.endsWith('<td class="verdict reproduced"><b>reproduced</b></td>')) throw new Error(html);
 * ```
 */
export function claimCells(r: ClaimRecord): string {
  const esc = escapeHtml;
  const control = r.control
    ? `<br><small>negative control (${esc(r.control.description)}): ${
      esc(formatValue(r.control.value) + seedSummary(r))
    }, ${esc(r.controlVerdict ?? "")}</small>`
    : "";
  const seeds = perSeed(r);
  return `<td>${esc(r.statement)}</td><td>${esc(r.statistic)}</td>` +
    `<td>${esc(formatValue(r.value) + seedSummary(r))}${
      seeds ? `<br><small class="seeds">${esc(seeds)}</small>` : ""
    }${r.detail ? `<br><small>${esc(r.detail)}</small>` : ""}${control}</td>` +
    `<td>${esc(formatThreshold(r.threshold))}</td>` +
    `<td class="verdict ${r.verdict.replace(/ /g, "-")}"><b>${esc(r.verdict)}</b></td>`;
}

/** " (median of 3 seeds)" for a claim measured on more than one seed, else "". */
function seedSummary(r: ClaimRecord): string {
  return r.seeds && r.seeds.length > 1 ? ` (median of ${r.seeds.length} seeds)` : "";
}

/**
 * The per-seed values of a claim measured on more than one seed, e.g.
 * `per seed: 2026: 1.9 (control 2.3) reproduced · 3026: …`; "" otherwise.
 */
export function perSeed(r: ClaimRecord): string {
  if (!r.seeds || r.seeds.length < 2) return "";
  return `per seed (weakest verdict wins): ${
    r.seeds.map((s) =>
      `${s.seed}: ${formatValue(s.value)}${
        s.control !== undefined ? ` (control ${formatValue(s.control)})` : ""
      } ${s.verdict}`
    ).join(" · ")
  }`;
}

/** Formats a statistic with 4 significant digits. */
export function formatValue(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e5 || a < 1e-3 ? x.toExponential(3) : `${Number(x.toPrecision(4))}`;
}
