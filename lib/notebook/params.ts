/**
 * Notebook parameters: declared once, with quick-mode values, declared ranges and the source of
 * every value in use.
 *
 * A notebook calls `defineParams("01_sgd_and_noise", defaults, quick)` in its parameters cell. A
 * default may carry its range, `ranged(64, { integer: true, min: 1 })`; the others are checked
 * for type only. The values come, in order of precedence (last wins), from:
 *
 * 1. `defaults` (source `default`);
 * 2. `quick`, when quick mode is on (environment variable `SGD_QUICK=1`, set by
 *    `deno task report --quick` and `deno task test`) (source `quick`);
 * 3. the JSON object in the environment variable `SGD_PARAMS` (source `SGD_PARAMS`): its key `"*"`
 *    applies to every notebook (keys a notebook does not declare are skipped here; the report
 *    rejects a key that no notebook declares), its key equal to the notebook id applies to that
 *    notebook only (unknown keys are an error), e.g.
 *    `SGD_PARAMS='{"*":{"seed":7},"01_sgd_and_noise":{"epochs":3}}'`;
 * 4. the JSON object in `SGD_SET`, same shape, written by `deno task report --set NB.KEY=VALUE`
 *    (source `--set`);
 * 5. `overrides`, the optional fourth argument (source `overrides`).
 *
 * Quick mode is on when `SGD_QUICK=1`, unless the parameters cell decides: `quick: true` or
 * `quick: false` in `overrides` switches it from inside the notebook (a running Jupyter need not be
 * restarted); the displayed table says which mode is in force and where that came from.
 *
 * Every value, defaults and quick values included, must have the type of its default (number,
 * boolean, string, or an array whose every element has the type of the default's elements),
 * numbers must be finite, and a declared range holds for the value (for every element of an
 * array); otherwise a TypeError (type) or RangeError (range) names the key, where it came from
 * and the value. The result displays in Jupyter as a table of the values in use and where each
 * came from (`await display(P)`).
 *
 * @module
 */
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "../display/mime.ts";
import { tableDisplay } from "../display/table.ts";
import { type QuickSource, RUN_MIME, runEnvironment, type RunInfo } from "./run_info.ts";

/** A parameter value: a number, boolean, string or an array of one of these. */
export type ParamValue = number | boolean | string | number[] | string[] | boolean[];
/** A notebook's parameter record. */
export type ParamRecord = Record<string, ParamValue>;

/** A declared range; for an array parameter it holds for every element. */
export interface ParamRange {
  /** The value must be an integer. */
  integer?: boolean;
  /** Smallest value allowed. */
  min?: number;
  /** The value must be strictly greater than this (a step size, a rate: `above: 0`). */
  above?: number;
  /** Largest value allowed. */
  max?: number;
  /** The only values allowed. */
  oneOf?: readonly (number | string | boolean)[];
}

const RANGED = Symbol("sgd.ranged");
const SOURCES = Symbol("sgd.paramSources");

/** A default with its declared range (made by {@link ranged}). */
export interface Ranged<V extends ParamValue> {
  readonly [RANGED]: true;
  readonly value: V;
  readonly range: ParamRange;
}

/** A declaration: a plain default, or a default with its range. */
export type ParamDecl = ParamValue | Ranged<ParamValue>;
/** The values of a record of declarations. */
export type ParamValues<D> = { -readonly [K in keyof D]: D[K] extends Ranged<infer V> ? V : D[K] };

/** The overrides of a parameters cell: values that win over everything, and the quick switch. */
export type ParamOverrides<D> = Partial<ParamValues<D>> & { quick?: boolean };
/** A notebook's resolved parameters: the values, `quick`, and a table display. */
export type Params<D> = Readonly<ParamValues<D> & { quick: boolean }> & Displayable;

/** Where a value in use came from. */
export type ParamSource = "default" | "quick" | "SGD_PARAMS" | "--set" | "overrides";

/**
 * A default with its declared range, for the defaults of {@link defineParams}.
 *
 * @param value the default (checked against the range when the parameters are defined)
 * @param range integer / min / max / oneOf; for an array, of each element
 * @returns the declaration
 * @example
 * ```ts
 * import { defineParams, ranged } from "./params.ts";
 * const p = defineParams("demo", { batchSize: ranged(64, { integer: true, min: 1 }) }, {}, {}, () => undefined);
 * if (p.batchSize !== 64) throw new Error("value");
 * ```
 */
export function ranged(value: number, range: ParamRange): Ranged<number>;
export function ranged(value: string, range: ParamRange): Ranged<string>;
export function ranged(value: boolean, range: ParamRange): Ranged<boolean>;
export function ranged(value: number[], range: ParamRange): Ranged<number[]>;
export function ranged(value: string[], range: ParamRange): Ranged<string[]>;
export function ranged(value: ParamValue, range: ParamRange): Ranged<ParamValue> {
  if (typeof range !== "object" || range === null) {
    throw new TypeError(`range must be an object, got ${JSON.stringify(range)}`);
  }
  for (const k of Object.keys(range)) {
    if (!["integer", "min", "above", "max", "oneOf"].includes(k)) {
      throw new TypeError(`range.${k} is not a range field (integer, min, above, max, oneOf)`);
    }
  }
  for (const k of ["min", "above", "max"] as const) {
    const v = range[k];
    if (v !== undefined && (typeof v !== "number" || Number.isNaN(v))) {
      throw new TypeError(`range.${k} must be a number, got ${JSON.stringify(v)}`);
    }
  }
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
    throw new RangeError(`range.min (${range.min}) must be <= range.max (${range.max})`);
  }
  if (range.above !== undefined && range.max !== undefined && range.above >= range.max) {
    throw new RangeError(`range.above (${range.above}) must be < range.max (${range.max})`);
  }
  if (range.oneOf !== undefined && (!Array.isArray(range.oneOf) || range.oneOf.length === 0)) {
    throw new TypeError(
      `range.oneOf must be a non-empty array, got ${JSON.stringify(range.oneOf)}`,
    );
  }
  return Object.freeze({ [RANGED]: true as const, value, range: Object.freeze({ ...range }) });
}

function isRanged(d: unknown): d is Ranged<ParamValue> {
  return typeof d === "object" && d !== null && RANGED in d;
}

/** Whether quick mode is on (`SGD_QUICK` is `1` or `true`). */
export function isQuickMode(env: (key: string) => string | undefined = readEnv): boolean {
  const v = env("SGD_QUICK");
  return v === "1" || v === "true";
}

function readEnv(key: string): string | undefined {
  try {
    return Deno.env.get(key);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

function show(v: unknown): string {
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(",")}]`;
  return JSON.stringify(v) ?? String(v);
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? "array" : `${typeof v[0]}[]`;
  return v === null ? "null" : typeof v;
}

const SCALARS = ["number", "string", "boolean"];

function checkValue(
  source: string,
  key: string,
  value: unknown,
  def: ParamValue,
  range: ParamRange | undefined,
): ParamValue {
  const where = `parameter "${key}" from ${source}`;
  const want = kindOf(def);
  const elemType = Array.isArray(def) ? (def.length ? typeof def[0] : undefined) : undefined;
  if (Array.isArray(def) !== Array.isArray(value)) {
    throw new TypeError(`${where} must be ${want}, got ${kindOf(value)} (${show(value)})`);
  }
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const expected = Array.isArray(def) ? elemType : typeof def;
  const first = expected ?? typeof items[0];
  if (items.length > 0 && (!SCALARS.includes(typeof items[0]) || typeof items[0] !== first)) {
    throw new TypeError(`${where} must be ${want}, got ${kindOf(value)} (${show(value)})`);
  }
  items.forEach((e, i) => {
    const at = Array.isArray(value) ? `${where}, element ${i},` : where;
    const type: string = typeof e;
    if (type !== first) {
      throw new TypeError(
        `${at} must be ${first}, got ${kindOf(e)} (${show(e)}) in ${show(value)}`,
      );
    }
    if (typeof e === "number" && !Number.isFinite(e)) {
      throw new TypeError(`${at} must be finite, got ${e}`);
    }
    if (range) checkRange(at, e as number | string | boolean, range);
  });
  return (Array.isArray(value) ? [...value] : value) as ParamValue;
}

function checkRange(at: string, e: number | string | boolean, r: ParamRange): void {
  if (r.oneOf !== undefined && !r.oneOf.includes(e)) {
    throw new RangeError(`${at} must be one of ${r.oneOf.map(show).join(", ")}, got ${show(e)}`);
  }
  const numeric = r.integer || r.min !== undefined || r.above !== undefined || r.max !== undefined;
  if (typeof e !== "number") {
    // a numeric range declares a number: "0.1" typed for 0.1 is caught here, in the parameters cell
    if (numeric) {
      throw new TypeError(`${at} must be a number (its range is numeric), got ${show(e)}`);
    }
    return;
  }
  if (r.integer && !Number.isInteger(e)) {
    throw new RangeError(`${at} must be an integer, got ${e}`);
  }
  if (r.min !== undefined && e < r.min) throw new RangeError(`${at} must be >= ${r.min}, got ${e}`);
  if (r.above !== undefined && !(e > r.above)) {
    throw new RangeError(`${at} must be > ${r.above}, got ${e}`);
  }
  if (r.max !== undefined && e > r.max) throw new RangeError(`${at} must be <= ${r.max}, got ${e}`);
}

function formatRange(r: ParamRange | undefined): string {
  if (!r) return "";
  const parts: string[] = [];
  if (r.integer) parts.push("integer");
  if (r.min !== undefined) parts.push(`≥ ${r.min}`);
  if (r.above !== undefined) parts.push(`> ${r.above}`);
  if (r.max !== undefined) parts.push(`≤ ${r.max}`);
  if (r.oneOf !== undefined) parts.push(`one of ${r.oneOf.map(show).join(", ")}`);
  return parts.join(", ");
}

interface Declared {
  defaults: ParamRecord;
  ranges: Record<string, ParamRange | undefined>;
}

function declare(notebook: string, decls: Record<string, unknown>): Declared {
  if (typeof decls !== "object" || decls === null || Array.isArray(decls)) {
    throw new TypeError(`the defaults of ${notebook} must be an object, got ${show(decls)}`);
  }
  const defaults: ParamRecord = {};
  const ranges: Record<string, ParamRange | undefined> = {};
  for (const [key, d] of Object.entries(decls)) {
    if (key === "quick") {
      throw new TypeError(`parameter "quick" of ${notebook} is reserved (quick mode is SGD_QUICK)`);
    }
    const value = isRanged(d) ? d.value : d;
    const ok = SCALARS.includes(typeof value) ||
      (Array.isArray(value) && value.every((e) => SCALARS.includes(typeof e)));
    if (!ok) {
      throw new TypeError(
        `parameter "${key}" of the defaults of ${notebook} must be a number, boolean, string ` +
          `or an array of one of these, got ${kindOf(value)} (${show(value)})`,
      );
    }
    const range = isRanged(d) ? d.range : undefined;
    // the default itself obeys the rules every override must obey
    defaults[key] = checkValue(
      `the defaults of ${notebook}`,
      key,
      value,
      value as ParamValue,
      range,
    );
    ranges[key] = range;
  }
  return { defaults, ranges };
}

function apply(
  target: ParamRecord,
  sources: Record<string, ParamSource>,
  source: ParamSource,
  label: string,
  values: unknown,
  decl: Declared,
  strict: boolean,
): void {
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new TypeError(`${label} must be an object of parameters, got ${show(values)}`);
  }
  for (const [key, value] of Object.entries(values)) {
    if (!(key in decl.defaults)) {
      if (strict) {
        throw new TypeError(
          `unknown parameter "${key}" from ${label}; known: ${
            Object.keys(decl.defaults).join(", ")
          }`,
        );
      }
      continue;
    }
    target[key] = checkValue(label, key, value, decl.defaults[key]!, decl.ranges[key]);
    sources[key] = source;
  }
}

/**
 * Parses `raw`, the JSON text of `name` (an environment variable or option), as a JSON object;
 * empty or undefined is `{}`. Throws a TypeError naming `name` for anything else.
 */
export function parseEnvObject(name: string, raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new TypeError(`${name} must be JSON, got ${raw}: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TypeError(`${name} must be a JSON object, got ${raw}`);
  }
  return parsed as Record<string, unknown>;
}

/** One row of the parameters table. */
export interface ParamRow {
  parameter: string;
  value: string;
  from: ParamSource;
  /** The default, when the value in use differs from it; else "". */
  default: string;
  range: string;
}

interface SourceInfo {
  rows: ParamRow[];
  sources: Record<string, ParamSource>;
}

/**
 * Where each value of a {@link defineParams} result came from (`default`, `quick`,
 * `SGD_PARAMS`, `--set`, `overrides`).
 *
 * @param params a record returned by defineParams
 * @returns parameter → source
 * @example
 * ```ts
 * import { defineParams, paramSources } from "./params.ts";
 * const p = defineParams("demo", { a: 1, b: 2 }, { b: 3 }, {}, (k) => (k === "SGD_QUICK" ? "1" : undefined));
 * if (paramSources(p).b !== "quick" || paramSources(p).a !== "default") throw new Error("sources");
 * ```
 */
export function paramSources(params: object): Readonly<Record<string, ParamSource>> {
  const info = (params as { [SOURCES]?: SourceInfo })[SOURCES];
  if (!info) throw new TypeError("params must be a record returned by defineParams");
  return info.sources;
}

/**
 * The rows of the parameters table: value in use, where it came from, the default when the value
 * differs from it, the declared range.
 *
 * @param params a record returned by defineParams
 * @returns one row per parameter, in declaration order
 */
export function paramRows(params: object): ParamRow[] {
  const info = (params as { [SOURCES]?: SourceInfo })[SOURCES];
  if (!info) throw new TypeError("params must be a record returned by defineParams");
  return info.rows.map((r) => ({ ...r }));
}

/**
 * Resolves a notebook's parameters (see the module doc for the precedence and the checks), and
 * throws on the first problem. Notebooks call {@link defineParams}, which reports the problem
 * without leaving later cells a cascade of unrelated errors.
 *
 * @param notebook notebook id, e.g. `"01_sgd_and_noise"`
 * @param defaults full-mode values, each plain or {@link ranged}; they fix each parameter's type
 * @param quick values used in quick mode (checked in full mode too)
 * @param overrides values that win over everything else
 * @param env environment lookup (for tests)
 * @returns a frozen copy of the resolved record, with `quick: boolean` added; it displays as the
 *   table of {@link paramRows}
 * @example
 * ```ts
 * import { resolveParams } from "./params.ts";
 * const p = resolveParams("demo", { epochs: 10, seed: 1 }, { epochs: 1 }, { seed: 2 }, () => undefined);
 * if (p.epochs !== 10 || p.seed !== 2 || p.quick) throw new Error("precedence");
 * ```
 */
export function resolveParams<D extends Record<string, ParamDecl>>(
  notebook: string,
  defaults: D,
  quick: Partial<ParamValues<D>> = {},
  overrides: ParamOverrides<D> = {},
  env: (key: string) => string | undefined = readEnv,
): Params<D> {
  const decl = declare(notebook, defaults);
  const { quick: quickSwitch, ...valueOverrides } = (overrides ?? {}) as Record<string, unknown>;
  if (quickSwitch !== undefined && typeof quickSwitch !== "boolean") {
    throw new TypeError(
      `overrides.quick (quick mode) must be true, false or left out, got ${show(quickSwitch)}`,
    );
  }
  const fromEnv = isQuickMode(env);
  const quickMode = quickSwitch ?? fromEnv;
  const quickFrom: QuickSource = quickSwitch !== undefined
    ? "parameters cell"
    : fromEnv
    ? "SGD_QUICK"
    : "default";
  const sources: Record<string, ParamSource> = {};
  for (const k of Object.keys(decl.defaults)) sources[k] = "default";
  // the quick values are checked in full mode too, so a typo never waits for CI
  const withQuick: ParamRecord = { ...decl.defaults };
  const quickSources = { ...sources };
  apply(withQuick, quickSources, "quick", `the quick values of ${notebook}`, quick, decl, true);
  const out = quickMode ? withQuick : { ...decl.defaults };
  if (quickMode) Object.assign(sources, quickSources);
  for (const [name, source] of [["SGD_PARAMS", "SGD_PARAMS"], ["SGD_SET", "--set"]] as const) {
    const parsed = parseEnvObject(name, env(name));
    if (parsed["*"] !== undefined) {
      apply(out, sources, source, `${source}["*"]`, parsed["*"], decl, false);
    }
    if (parsed[notebook] !== undefined) {
      apply(out, sources, source, `${source}["${notebook}"]`, parsed[notebook], decl, true);
    }
  }
  apply(out, sources, "overrides", "overrides", valueOverrides, decl, true);
  const rows: ParamRow[] = Object.keys(decl.defaults).map((k) => ({
    parameter: k,
    value: show(out[k]),
    from: sources[k]!,
    default: show(out[k]) === show(decl.defaults[k]) ? "" : show(decl.defaults[k]),
    range: formatRange(decl.ranges[k]),
  }));
  const result = { ...out, quick: quickMode };
  Object.defineProperty(result, SOURCES, { value: { rows, sources } satisfies SourceInfo });
  const run: RunInfo = {
    notebook,
    quick: quickMode,
    quickFrom,
    params: rows.map(({ parameter, value, from, default: d }) => ({
      parameter,
      value,
      from,
      default: d,
    })),
    ...runEnvironment(),
  };
  Object.defineProperty(result, JUPYTER_DISPLAY, {
    value: (): MimeBundle => paramsBundle(run, rows),
  });
  return Object.freeze(result) as unknown as Params<D>;
}

/** The error later cells get from the parameters of a notebook whose parameters cell failed. */
export class ParametersCellError extends Error {
  override name = "ParametersCellError";
  /** The error the parameters cell raised. */
  readonly reason: unknown;
  constructor(notebook: string, reason: unknown) {
    super(
      `the parameters of ${notebook} are unusable: its parameters cell failed with ${
        reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)
      }. Fix that cell and run it again (later cells fail until then).`,
    );
    this.reason = reason;
  }
}

/**
 * The parameters cell's call: {@link resolveParams}, except that a problem does not throw here.
 * Instead the result is a stand-in that raises the original error when displayed (so the
 * parameters cell, which displays it, shows that error), and raises one {@link ParametersCellError}
 * naming the failed cell and its error when a later cell reads any parameter. Deno's kernel goes on
 * running the cells queued after a failed one (Run All); without the stand-in each of them would
 * fail with an unrelated `P is not defined`.
 *
 * @example
 * ```ts
 * import { defineParams, ParametersCellError } from "./params.ts";
 * const P = defineParams("demo", { lr: 0.1 }, { lr: "0.1" as never }, {}, () => undefined);
 * try {
 *   P.lr;
 * } catch (e) {
 *   if (!(e instanceof ParametersCellError)) throw e;
 * }
 * ```
 */
export function defineParams<D extends Record<string, ParamDecl>>(
  notebook: string,
  defaults: D,
  quick: Partial<ParamValues<D>> = {},
  overrides: ParamOverrides<D> = {},
  env: (key: string) => string | undefined = readEnv,
): Params<D> {
  try {
    return resolveParams(notebook, defaults, quick, overrides, env);
  } catch (e) {
    return failedParams(String(notebook), e) as never;
  }
}

function failedParams(notebook: string, reason: unknown): object {
  const later = () => new ParametersCellError(notebook, reason);
  return new Proxy(Object.freeze({}), {
    get(_t, key) {
      if (key === JUPYTER_DISPLAY) {
        return () => {
          throw reason;
        };
      }
      // symbols (inspection, `then` for await, coercion) see an empty object
      if (typeof key === "symbol" || key === "then" || key === "toJSON") return undefined;
      throw later();
    },
    has() {
      throw later();
    },
    ownKeys() {
      throw later();
    },
  });
}

function paramsBundle(run: RunInfo, rows: ParamRow[]): MimeBundle {
  const mode = run.quick
    ? `quick mode, from ${
      run.quickFrom === "parameters cell" ? "the parameters cell" : "SGD_QUICK=1"
    }`
    : run.quickFrom === "parameters cell"
    ? "full mode, set in the parameters cell"
    : "full mode";
  return {
    ...tableDisplay(
      `parameters of ${run.notebook} (${mode}): value in use, where it came from, the default ` +
        `where the value differs`,
      rows.map((r) => ({ ...r })),
    )[JUPYTER_DISPLAY](),
    [RUN_MIME]: run,
  };
}
