/**
 * Notebook parameters: declared once, with quick-mode overrides.
 *
 * A notebook calls `defineParams("01_sgd_and_noise", defaults, quick)` in its
 * parameters cell. The values come, in order of precedence (last wins), from:
 *
 * 1. `defaults`;
 * 2. `quick`, when quick mode is on (environment variable `SGD_QUICK=1`, set
 *    by `deno task report --quick` and `deno task test`);
 * 3. the JSON object in the environment variable `SGD_PARAMS`: its key `"*"`
 *    applies to every notebook (keys a notebook does not declare are skipped),
 *    its key equal to the notebook id applies to that notebook only (unknown
 *    keys are an error), e.g. `SGD_PARAMS='{"*":{"seed":7},"01_sgd_and_noise":{"epochs":3}}'`
 *    (`deno task report --set 01_sgd_and_noise.epochs=3` writes it for you);
 * 4. `overrides`, the optional last argument.
 *
 * Every override must have the type of its default (number, boolean, string,
 * or an array of the same element type); otherwise a TypeError names the key.
 *
 * @module
 */

/** A parameter value: a number, boolean, string or an array of one of these. */
export type ParamValue = number | boolean | string | number[] | string[] | boolean[];
/** A notebook's parameter record. */
export type ParamRecord = Record<string, ParamValue>;

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

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? "array" : `${typeof v[0]}[]`;
  return typeof v;
}

function checkValue(source: string, key: string, value: unknown, def: ParamValue): ParamValue {
  const want = kindOf(def);
  const got = kindOf(value);
  const arrayOk = Array.isArray(def) && Array.isArray(value) &&
    (value.length === 0 || def.length === 0 ||
      value.every((e) => typeof e === typeof def[0]));
  if (want !== got && !arrayOk) {
    throw new TypeError(
      `parameter "${key}" from ${source} must be ${want}, got ${got} (${JSON.stringify(value)})`,
    );
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError(`parameter "${key}" from ${source} must be finite, got ${value}`);
  }
  return value as ParamValue;
}

function apply<T extends ParamRecord>(
  target: T,
  source: string,
  values: Record<string, unknown>,
  defaults: T,
  strict: boolean,
): void {
  for (const [key, value] of Object.entries(values)) {
    if (!(key in defaults)) {
      if (strict) {
        throw new TypeError(
          `unknown parameter "${key}" from ${source}; known: ${Object.keys(defaults).join(", ")}`,
        );
      }
      continue;
    }
    (target as Record<string, ParamValue>)[key] = checkValue(source, key, value, defaults[key]!);
  }
}

/**
 * Resolves a notebook's parameters (see the module doc for the precedence).
 *
 * @param notebook notebook id, e.g. `"01_sgd_and_noise"`
 * @param defaults full-mode values; they fix each parameter's type
 * @param quick values used in quick mode
 * @param overrides values that win over everything else
 * @param env environment lookup (for tests)
 * @returns a frozen copy of the resolved record, with `quick: boolean` added
 * @example
 * ```ts
 * import { defineParams } from "./params.ts";
 * const p = defineParams("demo", { epochs: 10, seed: 1 }, { epochs: 1 }, { seed: 2 }, () => undefined);
 * if (p.epochs !== 10 || p.seed !== 2 || p.quick) throw new Error("precedence");
 * ```
 */
export function defineParams<T extends ParamRecord>(
  notebook: string,
  defaults: T,
  quick: Partial<T> = {},
  overrides: Partial<T> = {},
  env: (key: string) => string | undefined = readEnv,
): Readonly<T & { quick: boolean }> {
  const quickMode = isQuickMode(env);
  // the quick values are checked in full mode too, so a typo never waits for CI
  const withQuick = { ...defaults } as T;
  apply(withQuick, `the quick values of ${notebook}`, quick, defaults, true);
  const out = quickMode ? withQuick : { ...defaults } as T;
  const raw = env("SGD_PARAMS");
  if (raw !== undefined && raw !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw new TypeError(`SGD_PARAMS must be JSON, got ${raw}: ${(e as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new TypeError(`SGD_PARAMS must be a JSON object, got ${raw}`);
    }
    const all = (parsed as Record<string, unknown>)["*"];
    if (all !== undefined) {
      apply(out, 'SGD_PARAMS["*"]', all as Record<string, unknown>, defaults, false);
    }
    const mine = (parsed as Record<string, unknown>)[notebook];
    if (mine !== undefined) {
      apply(out, `SGD_PARAMS["${notebook}"]`, mine as Record<string, unknown>, defaults, true);
    }
  }
  apply(out, "overrides", overrides, defaults, true);
  return Object.freeze({ ...out, quick: quickMode });
}
