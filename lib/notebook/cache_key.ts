/**
 * The keys of the cache of results (`cache.ts`): SHA-256 of byte views and strings, the canonical
 * JSON of key parts (sorted keys, typed arrays replaced by the hash of their bytes), and the
 * library version of a computation (the source of the files of `lib/` it can run).
 *
 * @module
 */
import { createHash } from "node:crypto";

const ROOT = new URL("../../", import.meta.url);
const LIB = new URL("../", import.meta.url);

type Bytes = Uint8Array | ArrayBufferView | string;

/** SHA-256 (hex) of the concatenation of the given strings (UTF-8) and byte views. */
export function sha256Hex(...parts: Bytes[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    if (typeof p === "string") h.update(p);
    else if (ArrayBuffer.isView(p)) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
    else throw new TypeError(`sha256Hex: parts must be strings or typed arrays, got ${typeof p}`);
  }
  return h.digest("hex");
}

/**
 * Canonical JSON of a key: object keys sorted, `undefined` properties left out, typed arrays
 * replaced by `{"$typed": <constructor name>, "length": n, "sha256": <hash of the bytes>}`. Only
 * null, booleans, finite numbers, strings, arrays, plain objects and typed arrays are accepted.
 *
 * @param value the key parts
 * @param name how errors name the argument (paths below it are appended)
 * @throws TypeError naming the path of a value that cannot be part of a key
 */
export function canonicalJson(value: unknown, name = "key"): string {
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string): string => {
    if (v === null || typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new TypeError(`${path} must be a finite number, got ${v}`);
      return JSON.stringify(v === 0 ? 0 : v);
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const t = v as ArrayBufferView & { length: number };
      return `{"$typed":${JSON.stringify(v.constructor.name)},"length":${t.length},"sha256":"${
        sha256Hex(t)
      }"}`;
    }
    if (typeof v !== "object") {
      throw new TypeError(`${path} cannot be part of a cache key: got a ${typeof v}`);
    }
    if (seen.has(v)) throw new TypeError(`${path} cannot be part of a cache key: a cycle`);
    seen.add(v);
    let out: string;
    if (Array.isArray(v)) {
      out = `[${
        v.map((e, i) => {
          if (e === undefined) throw new TypeError(`${path}[${i}] must not be undefined`);
          return walk(e, `${path}[${i}]`);
        }).join(",")
      }]`;
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(
          `${path} cannot be part of a cache key: a ${proto?.constructor?.name ?? "object"} ` +
            "(use plain objects, arrays, numbers, strings and typed arrays)",
        );
      }
      const o = v as Record<string, unknown>;
      out = `{${
        Object.keys(o).sort().filter((k) => o[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${walk(o[k], `${path}.${k}`)}`).join(",")
      }}`;
    }
    seen.delete(v);
    return out;
  };
  return walk(value, name);
}

/** SHA-256 (hex) of the canonical JSON of `parts`. */
export function hashKey(parts: unknown): string {
  return sha256Hex(canonicalJson(parts));
}

/** Relative import specifiers of a source file (comments, and the doc examples in them, removed). */
function relativeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1]!);
}

/**
 * The files of `lib/` that `entries` reach through their relative imports, themselves included,
 * sorted (paths relative to `lib/`).
 *
 * @param entries paths relative to `lib/`, e.g. `"models/mod.ts"`
 * @throws RangeError naming an entry that is not a file of `lib/`
 */
export function libraryClosure(entries: readonly string[]): string[] {
  if (!Array.isArray(entries)) {
    throw new TypeError(`library must be an array of paths, got ${entries}`);
  }
  const seen = new Set<string>();
  const stack = entries.map((e, i) => {
    if (typeof e !== "string" || !e.endsWith(".ts") || e.startsWith("/") || e.includes("..")) {
      throw new RangeError(`library[${i}] must be a .ts path relative to lib/, got ${e}`);
    }
    try {
      Deno.statSync(new URL(e, LIB));
    } catch {
      throw new RangeError(`library[${i}] must be a file of lib/, got "${e}"`);
    }
    return e;
  });
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of relativeImports(Deno.readTextFileSync(new URL(f, LIB)))) {
      const target = decodeURIComponent(new URL(spec, new URL(f, LIB)).pathname);
      const lib = decodeURIComponent(LIB.pathname);
      if (target.startsWith(lib)) stack.push(target.slice(lib.length));
    }
  }
  return [...seen].sort();
}

const libraryHashes = new Map<string, string>();

/**
 * The library version of a computation: SHA-256 over the path and contents of the files of `lib/`
 * that `entries` reach through their imports ({@link libraryClosure}), so that an edit of anything
 * the computation can run changes it and an edit elsewhere in `lib/` does not; without entries,
 * of every `.ts` file under `lib/`. Computed once per process and entry set (the code the process
 * has loaded). Where the files cannot be read it is a random value, so nothing is ever reused.
 *
 * @param entries paths relative to `lib/`, e.g. `["models/mod.ts"]`
 */
export function libraryVersion(entries?: readonly string[]): string {
  const id = entries ? JSON.stringify([...entries].sort()) : "*";
  const known = libraryHashes.get(id);
  if (known) return known;
  let files: string[];
  if (entries) files = libraryClosure(entries);
  else {
    files = [];
    const walk = (dir: URL, rel: string) => {
      for (const e of Deno.readDirSync(dir)) {
        if (e.isDirectory) walk(new URL(`${e.name}/`, dir), `${rel}${e.name}/`);
        else if (e.isFile && e.name.endsWith(".ts")) files.push(`${rel}${e.name}`);
      }
    };
    try {
      walk(LIB, "");
    } catch {
      files = [];
    }
    files.sort();
  }
  let version: string;
  try {
    if (files.length === 0) throw new Error("no files");
    const h = createHash("sha256");
    for (const f of files) {
      h.update(`${f}\0`).update(Deno.readFileSync(new URL(f, LIB))).update("\0");
    }
    version = h.digest("hex");
  } catch {
    version = `unreadable-${crypto.randomUUID()}`;
  }
  libraryHashes.set(id, version);
  return version;
}

let lockHash: string | undefined;

/** SHA-256 of the project's `deno.lock` (the exact package versions), or `"none"`. */
export function lockVersion(): string {
  if (lockHash) return lockHash;
  try {
    lockHash = sha256Hex(Deno.readFileSync(new URL("deno.lock", ROOT)));
  } catch {
    lockHash = "none";
  }
  return lockHash;
}
