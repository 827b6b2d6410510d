/**
 * A cache of expensive results on disk (trained weights, per-checkpoint statistics), so that
 * re-running a notebook or a cell with unchanged parameters loads in seconds, and any change
 * recomputes.
 *
 * **Keys.** An entry is keyed by the SHA-256 of the canonical JSON ({@link canonicalJson}: sorted
 * keys, typed arrays replaced by the hash of their bytes) of everything that produced it: the
 * caller's key parts (parameters, data, model), the source text of the compute function, the state
 * of every {@link CountedPrng} the computation draws from, the hash of the source files of `lib/`
 * the computation can run (the library version: the import closure of the modules it names, or
 * all of `lib/`), of `deno.lock` (the package versions), and the Deno and V8 versions
 * (`cache_key.ts`). Same key, same result bit for bit; anything else is a different key.
 *
 * **Randomness.** A computation that draws from a generator which later code keeps using must
 * leave it where a real run would. {@link ResultCache.cached} therefore takes the generators as
 * {@link CountedPrng}s (seed and number of draws so far, both part of the key), records how many
 * draws the computation made and each generator's state after it, and on a hit sets each generator
 * to that state (the same numbers as drawing them again, without the time).
 *
 * **Files.** One file per entry, `DIR/<kind>-<key prefix>.sgdcache` (`cache_file.ts`): the magic
 * `SGDCACHE`, a format version, a JSON header (kind, key, creation date, compute seconds, payload length and
 * SHA-256, draws), then the payload (the value in V8's structured-clone serialisation: typed
 * arrays, NaN, ±Infinity and −0 survive). Files are written to a temporary name and renamed into
 * place, so a reader never sees a partial file, whatever other processes do. A file that fails any
 * check (magic, version, key, length, checksum, decoding) is deleted and the result recomputed,
 * with one line saying so; it is never used.
 *
 * **Where.** `data/cache/` at the repository root (ignored by git), or `SGD_CACHE_DIR`;
 * `SGD_CACHE=off` disables it (results are computed and nothing is read or written).
 * `deno task cache:clear` empties it (`tools/cache.ts`).
 *
 * @module
 */
import { deserialize, serialize } from "node:v8";
import { assertFunction, assertString } from "../stats/validate.ts";
import { say } from "../display/text.ts";
import { canonicalJson, hashKey, libraryVersion, lockVersion, sha256Hex } from "./cache_key.ts";
import { type CountedPrng, isCountedPrng } from "./counted_prng.ts";
import {
  CACHE_EXTENSION,
  CACHE_FORMAT_VERSION,
  type CacheHeader,
  CorruptCacheError,
  decodeEntry,
  decodeHeader,
  encodeEntry,
} from "./cache_file.ts";

const ROOT = new URL("../../", import.meta.url);
/** The default cache folder: `data/cache/` at the repository root. */
export const DEFAULT_CACHE_DIR: string = decodeURIComponent(new URL("data/cache/", ROOT).pathname)
  .replace(/\/$/, "");

/** Writes one line of notebook output (a hit, a save, a rebuilt file). */
export type CacheLog = (line: string) => void | Promise<void>;

/** Options of {@link ResultCache}. */
export interface ResultCacheOptions {
  /** folder of the entries (default {@link DEFAULT_CACHE_DIR}) */
  dir?: string;
  /** false: compute every time, read and write nothing (default true) */
  enabled?: boolean;
  /** where the one-line messages go (default: `say`, under the running cell) */
  log?: CacheLog;
}

/** Options of {@link ResultCache.cached}. */
export interface CachedOptions {
  /** generators the computation draws from: their states enter the key; moved on on a hit */
  prngs?: Record<string, CountedPrng>;
  /** what the entry is, in messages and listings (default: the kind) */
  label?: string;
  /**
   * the modules of `lib/` the computation runs, relative to `lib/` (e.g. `"noise/sgn_shape.ts"`):
   * the files they import are the library version in the key (default: every file of `lib/`)
   */
  library?: readonly string[];
  /** verb of the messages, e.g. "trained" (default "computed") */
  verb?: string;
}

/** What {@link ResultCache.cached} returns. */
export interface Cached<T> {
  value: T;
  /** true when the value came from the cache */
  hit: boolean;
  /** the entry's file (absent when the cache is disabled or the write failed) */
  file?: string;
  /** how long the computation took when it ran (on a hit: when it was computed) */
  seconds: number;
  /** when the value was computed (ISO 8601) */
  created: string;
}

/** One entry of {@link ResultCache.list}. */
export interface CacheEntryInfo {
  file: string;
  bytes: number;
  /** the header, or undefined when the file is unreadable */
  header?: CacheHeader;
  /** why the header could not be read */
  problem?: string;
}

const KIND = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Parses `SGD_CACHE`: on (unset, "", "1", "on", "true", "yes") or off ("0", "off", "false", "no"). */
export function cacheEnabledFrom(value: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if (["", "1", "on", "true", "yes"].includes(v)) return true;
  if (["0", "off", "false", "no"].includes(v)) return false;
  throw new RangeError(`SGD_CACHE must be "on" or "off", got "${value}"`);
}

/** A folder of cached results; see the module documentation. */
export class ResultCache {
  readonly dir: string;
  readonly enabled: boolean;
  readonly log: CacheLog;

  constructor({ dir = DEFAULT_CACHE_DIR, enabled = true, log = say }: ResultCacheOptions = {}) {
    assertString("dir", dir);
    if (dir === "") throw new RangeError(`dir must be a folder path, got ""`);
    if (typeof enabled !== "boolean") {
      throw new TypeError(`enabled must be a boolean, got ${enabled}`);
    }
    assertFunction("log", log);
    this.dir = dir.replace(/\/+$/, "") || "/";
    this.enabled = enabled;
    this.log = log;
  }

  /**
   * The cache the environment asks for: `SGD_CACHE_DIR` (default `data/cache/`), `SGD_CACHE=off`
   * to disable it. Without permission to read the environment, the default.
   */
  static fromEnv(options: { log?: CacheLog } = {}): ResultCache {
    let dir: string | undefined, flag: string | undefined;
    try {
      dir = Deno.env.get("SGD_CACHE_DIR") || undefined;
      flag = Deno.env.get("SGD_CACHE");
    } catch { /* no env permission */ }
    return new ResultCache({ dir, enabled: cacheEnabledFrom(flag), ...options });
  }

  /**
   * The full key of an entry: the caller's parts plus the library ({@link libraryVersion} of
   * `library`), packages and runtime.
   */
  keyOf(
    kind: string,
    parts: unknown,
    extra: Record<string, unknown> = {},
    library?: readonly string[],
  ): string {
    return hashKey({
      format: CACHE_FORMAT_VERSION,
      kind,
      parts: sha256Hex(canonicalJson(parts, "parts")),
      ...extra,
      library: libraryVersion(library),
      lock: lockVersion(),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
    });
  }

  /** The file of an entry. */
  fileOf(kind: string, key: string): string {
    return `${this.dir}/${kind}-${key.slice(0, 32)}${CACHE_EXTENSION}`;
  }

  /** A path for messages: relative to the repository root when inside it. */
  shown(file: string): string {
    const root = decodeURIComponent(ROOT.pathname);
    return file.startsWith(root) ? file.slice(root.length) : file;
  }

  /**
   * Reads an entry. A missing file is `undefined`; a file that fails a check is deleted, reported
   * in one line, and is `undefined` too.
   */
  async read(
    kind: string,
    key: string,
  ): Promise<{ header: CacheHeader; value: unknown } | undefined> {
    const file = this.fileOf(kind, key);
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(file);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      await this.log(
        `cache: cannot read ${this.shown(file)} (${(e as Error).message}); recomputing`,
      );
      return undefined;
    }
    try {
      return decodeEntry(bytes, { kind, key });
    } catch (e) {
      if (!(e instanceof CorruptCacheError)) throw e;
      try {
        Deno.removeSync(file);
      } catch { /* already gone */ }
      await this.log(`cache: ${this.shown(file)} is corrupt (${e.message}): deleted, recomputing`);
      return undefined;
    }
  }

  /**
   * Writes an entry atomically (a temporary file renamed into place).
   * @returns the file
   */
  write(
    kind: string,
    key: string,
    value: unknown,
    header: Omit<CacheHeader, "kind" | "key" | "payloadLength" | "payloadSha256">,
  ): string {
    return this.writePayload(kind, key, serialize(value), header);
  }

  private writePayload(
    kind: string,
    key: string,
    payload: Uint8Array,
    header: Omit<CacheHeader, "kind" | "key" | "payloadLength" | "payloadSha256">,
  ): string {
    const file = this.fileOf(kind, key);
    const bytes = encodeEntry({ kind, key, ...header }, payload);
    Deno.mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.dir}/.${kind}-${key.slice(0, 12)}.${Deno.pid}-${crypto.randomUUID()}.tmp`;
    try {
      Deno.writeFileSync(tmp, bytes);
      Deno.renameSync(tmp, file);
    } catch (e) {
      try {
        Deno.removeSync(tmp);
      } catch { /* never written */ }
      throw e;
    }
    return file;
  }

  /**
   * The value of `compute()`, from the cache when an entry with the same key exists, else computed
   * and saved. The key is `kind`, `parts`, the source text of `compute`, the states of `prngs` and
   * the library, package and runtime versions. The value is returned as it comes back from the
   * cache on a miss too (a structured-clone copy: plain objects, arrays, typed arrays, Maps; no
   * class instances or functions), so both runs see the same thing. One line of output says
   * which happened.
   *
   * @param kind entry kind, lower-case letters, digits, `-` and `_` (part of the file name)
   * @param parts everything else the value depends on (see {@link canonicalJson})
   * @param compute the computation
   */
  async cached<T>(
    kind: string,
    parts: unknown,
    compute: () => T | Promise<T>,
    { prngs = {}, label = kind, verb = "computed", library }: CachedOptions = {},
  ): Promise<Cached<T>> {
    assertString("kind", kind);
    if (!KIND.test(kind)) {
      throw new RangeError(
        `kind must be lower-case letters, digits, "-" or "_" (at most 64), got "${kind}"`,
      );
    }
    assertFunction("compute", compute);
    if (typeof prngs !== "object" || prngs === null) {
      throw new TypeError(`prngs must be an object of counted generators, got ${prngs}`);
    }
    for (const [name, p] of Object.entries(prngs)) {
      if (!isCountedPrng(p)) {
        throw new TypeError(
          `prngs.${name} must be a CountedPrng (countedPrng(seed)), so that its state can be ` +
            `part of the key, got ${typeof p === "function" ? "a plain generator" : typeof p}`,
        );
      }
    }
    if (library !== undefined) libraryVersion(library); // checks the paths, cache on or off
    const states = Object.fromEntries(Object.entries(prngs).map(([n, p]) => [n, p.state]));
    const key = this.enabled
      ? this.keyOf(kind, parts, { code: String(compute), prngs: states }, library)
      : "";
    if (this.enabled) {
      const hit = await this.read(kind, key);
      if (hit) {
        for (const [name, p] of Object.entries(prngs)) {
          const n = hit.header.draws[name] ?? 0, state = hit.header.prngStates?.[name];
          // the state after the computation, in O(1); drawing the n numbers again is the fallback
          if (state) p.restore(state, n);
          else p.advance(n);
        }
        const file = this.fileOf(kind, key);
        await this.log(
          `${label}: loaded from cache ${this.shown(file)} (${verb} in ${
            hit.header.seconds.toFixed(1)
          } s on ${hit.header.created.slice(0, 16).replace("T", " ")} UTC)`,
        );
        return {
          value: hit.value as T,
          hit: true,
          file,
          seconds: hit.header.seconds,
          created: hit.header.created,
        };
      }
    }
    const before = Object.fromEntries(Object.entries(prngs).map(([n, p]) => [n, p.state.draws]));
    const created = new Date().toISOString();
    const t = performance.now();
    const computed = await compute();
    const seconds = (performance.now() - t) / 1000;
    const draws = Object.fromEntries(
      Object.entries(prngs).map(([n, p]) => [n, p.state.draws - before[n]!]),
    );
    let payload: Uint8Array;
    try {
      payload = serialize(computed);
    } catch (e) {
      throw new TypeError(
        `${label}: the result of compute cannot be cached (${(e as Error).message}); ` +
          "return plain objects, arrays, numbers, strings, typed arrays or Maps",
      );
    }
    const value = deserialize(payload) as T;
    if (!this.enabled) return { value, hit: false, seconds, created };
    let file: string | undefined;
    try {
      const prngStates = Object.fromEntries(
        Object.entries(prngs).map(([n, p]) => [n, p.snapshot()]),
      );
      file = this.writePayload(kind, key, payload, { label, created, seconds, draws, prngStates });
      await this.log(
        `${label}: ${verb} in ${seconds.toFixed(1)} s, saved to cache ${this.shown(file)}`,
      );
    } catch (e) {
      await this.log(
        `${label}: ${verb} in ${seconds.toFixed(1)} s; not cached (${(e as Error).message})`,
      );
    }
    return { value, hit: false, file, seconds, created };
  }

  /** The entries (and leftover temporary files) in the folder, with their sizes. */
  list(): CacheEntryInfo[] {
    const out: CacheEntryInfo[] = [];
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(this.dir)];
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw e;
    }
    for (const e of entries) {
      if (!e.isFile || !(e.name.endsWith(CACHE_EXTENSION) || isTemporary(e.name))) continue;
      const file = `${this.dir}/${e.name}`;
      const bytes = Deno.statSync(file).size;
      if (isTemporary(e.name)) {
        out.push({ file, bytes, problem: "temporary file of an unfinished write" });
        continue;
      }
      try {
        const f = Deno.openSync(file);
        try {
          const buf = new Uint8Array(Math.min(bytes, 64 * 1024));
          const n = f.readSync(buf) ?? 0;
          out.push({ file, bytes, header: decodeHeader(buf.subarray(0, n)).header });
        } finally {
          f.close();
        }
      } catch (err) {
        out.push({ file, bytes, problem: (err as Error).message });
      }
    }
    return out.sort((a, b) => a.file.localeCompare(b.file));
  }

  /**
   * Deletes every entry and leftover temporary file (nothing else in the folder).
   * @returns how many files and bytes were removed
   */
  clear(): { files: number; bytes: number } {
    let files = 0, bytes = 0;
    for (const e of this.list()) {
      try {
        Deno.removeSync(e.file);
        files++;
        bytes += e.bytes;
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
    return { files, bytes };
  }
}

function isTemporary(name: string): boolean {
  return name.startsWith(".") && name.endsWith(".tmp");
}

/**
 * The cache of this process as the environment sets it ({@link ResultCache.fromEnv}), read anew at
 * each call.
 */
export function defaultCache(): ResultCache {
  return ResultCache.fromEnv();
}

/** Convenience: {@link ResultCache.cached} on {@link defaultCache}. */
export function cached<T>(
  kind: string,
  parts: unknown,
  compute: () => T | Promise<T>,
  options?: CachedOptions,
): Promise<Cached<T>> {
  return defaultCache().cached(kind, parts, compute, options);
}
