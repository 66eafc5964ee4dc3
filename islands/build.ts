/** Bundles the islands into static/islands/main.js (run by `deno task build`, before start). */
import * as esbuild from "esbuild";

/** Builds the browser bundle; returns its path. */
export async function buildIslands(outDir = new URL("../static/islands/", import.meta.url)) {
  const outfile = new URL("main.js", outDir).pathname;
  await esbuild.build({
    entryPoints: [new URL("./mod.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    outfile,
    logLevel: "warning",
  });
  await esbuild.stop();
  return outfile;
}

if (import.meta.main) {
  console.log(`islands: built ${await buildIslands()}`);
}
