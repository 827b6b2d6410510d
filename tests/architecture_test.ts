/**
 * The layout rules of lib/ (README, "Layout"), checked on the source: each folder imports only
 * the layers below it, the numerical layers never import TensorFlow.js, Plotly or the Jupyter
 * API, `lib/mod.ts` does not load TensorFlow.js, and no file grows past 800 lines.
 */
import assert from "node:assert/strict";

const libUrl = new URL("../lib/", import.meta.url);
const lib = libUrl.pathname;

/** Every .ts file under lib/, relative to lib/. */
function libFiles(dir = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(lib + dir)) {
    const rel = dir + e.name;
    if (e.isDirectory) out.push(...libFiles(rel + "/"));
    else if (e.name.endsWith(".ts")) out.push(rel);
  }
  return out.sort();
}

/** Import specifiers of a source file, comments (and the doc examples in them) removed. */
function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
}

/** lib/-relative path of a relative import of `file`, or null for a package. */
function resolve(file: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  return new URL(spec, new URL(file, libUrl)).pathname.slice(lib.length);
}

const folderOf = (rel: string) => (rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : "");

/** Which folders each folder may import (itself always). */
const ALLOWED: Record<string, string[]> = {
  stats: [],
  noise: ["stats"],
  curvature: ["stats", "noise"],
  dynamics: ["stats"],
  display: ["stats"],
  notebook: ["stats", "display"],
  models: ["stats", "noise", "display", "notebook"],
};
const NUMERIC = ["stats", "noise", "curvature", "dynamics"];

const files = libFiles();
const sources = new Map(files.map((f) => [f, Deno.readTextFileSync(lib + f)]));

Deno.test("architecture: each lib/ folder imports only the folders below it", () => {
  const bad: string[] = [];
  for (const f of files) {
    const from = folderOf(f);
    if (from === "") continue;
    assert.ok(from in ALLOWED, `lib/${from}/ is not a known layer (add it to ALLOWED and README)`);
    for (const spec of importsOf(sources.get(f)!)) {
      const target = resolve(f, spec);
      if (target === null) continue;
      const to = folderOf(target);
      if (to !== from && !ALLOWED[from]!.includes(to)) bad.push(`lib/${f} imports lib/${target}`);
    }
  }
  assert.deepEqual(bad, []);
});

Deno.test("architecture: the numerical layers never import TensorFlow.js, Plotly or the Jupyter API", () => {
  const bad = files.filter((f) => NUMERIC.includes(folderOf(f))).filter((f) => {
    const src = sources.get(f)!;
    const code = src.replace(/\/\*[\s\S]*?\*\//g, "");
    return importsOf(src).some((s) => /tensorflow|plotly/.test(s)) || /Deno\.jupyter/.test(code);
  });
  assert.deepEqual(bad, []);
});

Deno.test("architecture: lib/mod.ts reaches no TensorFlow.js (models are opt-in)", () => {
  const seen = new Set<string>(), stack = ["mod.ts"], packages = new Set<string>();
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of importsOf(sources.get(f) ?? Deno.readTextFileSync(lib + f))) {
      const t = resolve(f, spec);
      if (t === null) packages.add(spec);
      else stack.push(t);
    }
  }
  assert.deepEqual([...seen].filter((f) => f.startsWith("models/")), []);
  assert.deepEqual([...packages].filter((p) => p.includes("tensorflow")), []);
  // and the check itself sees the whole tree: every folder's mod.ts is reached
  for (const folder of Object.keys(ALLOWED).filter((d) => d !== "models")) {
    assert.ok(seen.has(`${folder}/mod.ts`), `${folder}/mod.ts not re-exported by lib/mod.ts`);
  }
});

Deno.test("architecture: no file in lib/ over 800 lines", () => {
  const long = files
    .map((f) => [f, sources.get(f)!.split("\n").length] as const)
    .filter(([, n]) => n > 800);
  assert.deepEqual(long, []);
});

Deno.test("architecture: the import scanner sees imports and ignores doc examples", () => {
  const src = '/**\n * import { x } from "../models/tf.ts";\n */\nimport { a } from "./b.ts";\n' +
    'export * from "../stats/c.ts";\nconst m = await import("./d.ts");\n';
  assert.deepEqual(importsOf(src), ["./b.ts", "../stats/c.ts", "./d.ts"]);
  assert.equal(resolve("noise/sgn.ts", "../stats/random.ts"), "stats/random.ts");
});
