/**
 * How a notebook run was made, carried by its outputs so that a notebook saved from any front end
 * can be exported with an honest header (`deno task export`): the parameters cell's display
 * carries a {@link RunInfo} under the MIME type {@link RUN_MIME}, the claims table its records
 * under {@link CLAIMS_MIME}. Front ends ignore MIME types they do not know, and save them.
 *
 * @module
 */

/** The MIME type of the run record in the parameters cell's output. */
export const RUN_MIME = "application/vnd.sgd-dynamics.run+json";
/** The MIME type of the claim records in the claims table's output. */
export const CLAIMS_MIME = "application/vnd.sgd-dynamics.claims+json";

/** Where quick mode was decided. */
export type QuickSource = "parameters cell" | "SGD_QUICK" | "default";

/** The run record. */
export interface RunInfo {
  notebook: string;
  quick: boolean;
  quickFrom: QuickSource;
  /** The parameters in use: value, where it came from, the default where it differs. */
  params: { parameter: string; value: string; from: string; default: string }[];
  /** When the parameters cell ran (ISO 8601). */
  date: string;
  deno: string;
  typescript: string;
  /** TensorFlow.js as pinned by the project's deno.json (what the model notebooks load). */
  tfjs: string | undefined;
}

let pinnedTfjs: string | undefined | null = null;

/** The TensorFlow.js version pinned in deno.json, or undefined when it cannot be read. */
export function pinnedTfjsVersion(): string | undefined {
  if (pinnedTfjs !== null) return pinnedTfjs;
  pinnedTfjs = undefined;
  try {
    const cfg = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
    const spec = String(cfg?.imports?.["@tensorflow/tfjs"] ?? "");
    pinnedTfjs = /@(\d[^/]*)$/.exec(spec)?.[1];
  } catch { /* no read permission, or not in this project */ }
  return pinnedTfjs;
}

/** The versions and date of this run. */
export function runEnvironment(): Pick<RunInfo, "date" | "deno" | "typescript" | "tfjs"> {
  return {
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    typescript: Deno.version.typescript,
    tfjs: pinnedTfjsVersion(),
  };
}
