/**
 * The layering rules of README's architecture, checked on the source: which top-level folder may
 * import which, and no import cycles between folders. A rule broken here is a design decision to
 * take on purpose (change the rule and the README), never by accident.
 */
import assert from "node:assert/strict";

const root = new URL("../", import.meta.url);
const FOLDERS = [
  "domain",
  "db",
  "mail",
  "services",
  "loops",
  "components",
  "islands",
  "routes",
  "cli",
  "bench",
  "workers",
  "obs",
];

/** Who may import whom (besides itself). Root files: config.ts is a leaf, main/server wire all. */
const ALLOWED: Record<string, string[]> = {
  domain: [],
  // Process-wide observability state (metrics counters): a leaf anyone may count into.
  obs: [],
  db: ["domain"],
  workers: ["domain"],
  mail: ["domain", "db", "config", "obs"],
  services: ["domain", "db", "mail", "config", "obs"],
  loops: ["domain", "db", "mail", "services", "config", "obs"],
  components: ["domain", "db", "mail", "services", "islands", "config"],
  islands: ["domain"],
  routes: ["domain", "db", "mail", "services", "loops", "components", "config", "workers", "obs"],
  cli: ["domain", "db", "mail", "services", "config", "obs"],
  config: ["domain"],
  root: [
    "domain",
    "db",
    "mail",
    "services",
    "loops",
    "components",
    "routes",
    "config",
    "workers",
    "obs",
  ],
};

async function* sourceFiles(dir: URL, rel = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory) {
      if (["node_modules", "tests", "static", "data", "docs", ".git"].includes(entry.name)) {
        continue;
      }
      yield* sourceFiles(new URL(`${entry.name}/`, dir), path);
    } else if (/\.(ts|tsx)$/.test(entry.name)) {
      yield path;
    }
  }
}

/** The folder node of a path relative to the project root. */
function nodeOf(path: string): string {
  const first = path.split("/")[0];
  if (FOLDERS.includes(first) && path.includes("/")) return first;
  return path === "config.ts" ? "config" : "root";
}

/** Every relative import (static, dynamic, re-export, type-only) of a file, as root-relative paths. */
function importsOf(path: string, text: string): string[] {
  const specs = [
    ...text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s+["'](\.[^"']+)["']/g),
    ...text.matchAll(/(?:^|[\s;])import\s+["'](\.[^"']+)["']/g),
    ...text.matchAll(/import\(\s*["'](\.[^"']+)["']\s*\)/g),
    ...text.matchAll(/new URL\(\s*["'](\.[^"']+\.tsx?)["']/g),
  ].map((m) => m[1]);
  const base = new URL(path, root);
  return specs.map((s) => new URL(s, base).pathname.slice(root.pathname.length));
}

async function folderEdges(): Promise<Map<string, Map<string, string>>> {
  const edges = new Map<string, Map<string, string>>();
  for await (const path of sourceFiles(root)) {
    const from = nodeOf(path);
    const text = await Deno.readTextFile(new URL(path, root));
    for (const target of importsOf(path, text)) {
      const to = nodeOf(target);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      // Keep one example file per edge for the message.
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${path} → ${target}`);
    }
  }
  return edges;
}

Deno.test("architecture: each folder imports only the folders below it", async () => {
  const edges = await folderEdges();
  const broken: string[] = [];
  for (const [from, targets] of edges) {
    if (from === "bench") continue; // benchmarks drive the whole app, like tests
    for (const [to, example] of targets) {
      if (!(ALLOWED[from] ?? []).includes(to)) broken.push(`${from} → ${to} (${example})`);
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("architecture: no import cycles between folders", async () => {
  const edges = await folderEdges();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]) => {
    for (const next of edges.get(node)?.keys() ?? []) {
      if (next === path[0]) cycles.push([...path, next].join(" → "));
      else if (!path.includes(next)) visit(next, [...path, next]);
    }
  };
  for (const node of edges.keys()) visit(node, [node]);
  assert.deepEqual(cycles, []);
});

Deno.test("architecture: the rule checker sees imports (a test that can fail)", () => {
  const found = importsOf(
    "services/x.ts",
    'import type { A } from "../db/a.ts";\nexport { b } from "./b.ts";\nconst c = import("../mail/c.ts");',
  );
  assert.deepEqual(found, ["db/a.ts", "services/b.ts", "mail/c.ts"]);
  assert.equal(nodeOf("config.ts"), "config");
  assert.equal(nodeOf("server.ts"), "root");
  assert.equal(nodeOf("routes/api/v1/mod.ts"), "routes");
});
