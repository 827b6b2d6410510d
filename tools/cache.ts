/**
 * `deno task cache:list` / `deno task cache:clear`: the cache of trained models and per-checkpoint
 * results (`lib/notebook/cache.ts`), by default `data/cache/` (or `SGD_CACHE_DIR`).
 *
 *     deno run -A tools/cache.ts list  [--dir DIR]   entries with kind, label, size, date, compute time
 *     deno run -A tools/cache.ts clear [--dir DIR]   deletes the entries (and leftover temporary files)
 *
 * Only cache files (`*.sgdcache`, `.*.tmp`) are touched; anything else in the folder stays.
 */
import { parseArgs } from "node:util";
import { type CacheEntryInfo, ResultCache } from "../lib/notebook/cache.ts";

/** Bytes as B / kB / MB / GB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1000, u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** The listing as lines of text. */
export function listingLines(cache: ResultCache, entries: CacheEntryInfo[]): string[] {
  if (entries.length === 0) return [`${cache.shown(cache.dir)}: empty`];
  const total = entries.reduce((s, e) => s + e.bytes, 0);
  const lines = entries.map((e) => {
    const name = e.file.slice(e.file.lastIndexOf("/") + 1);
    const size = formatBytes(e.bytes).padStart(8);
    if (!e.header) return `${size}  ${name}  (${e.problem})`;
    const h = e.header;
    return `${size}  ${h.created.slice(0, 16).replace("T", " ")}  ${
      h.seconds.toFixed(1).padStart(7)
    } s  ` +
      `${h.kind.padEnd(10)} ${h.label}  [${name}]`;
  });
  return [
    `${cache.shown(cache.dir)}: ${entries.length} file(s), ${formatBytes(total)}` +
    (cache.enabled ? "" : " (SGD_CACHE=off: not used by the notebooks)"),
    "    size  computed (UTC)     compute   kind       what",
    ...lines,
  ];
}

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { dir: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const command = positionals[0];
  if (values.help || !command || !["list", "clear"].includes(command) || positionals.length > 1) {
    console.error("usage: deno run -A tools/cache.ts list|clear [--dir DIR]");
    Deno.exit(values.help ? 0 : 2);
  }
  const fromEnv = ResultCache.fromEnv({ log: console.log });
  const cache = values.dir
    ? new ResultCache({ dir: values.dir, enabled: fromEnv.enabled, log: console.log })
    : fromEnv;
  if (command === "list") {
    for (const line of listingLines(cache, cache.list())) console.log(line);
  } else {
    const { files, bytes } = cache.clear();
    console.log(`removed ${files} file(s), ${formatBytes(bytes)}, from ${cache.shown(cache.dir)}`);
  }
}
