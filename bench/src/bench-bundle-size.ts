import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { installedVersion } from "./installed-version";

/** The bar from the issue: core minified and gzipped. */
export const bundleSizeTarget = 20 * 1024;

/** One bundled entry of `@usagepilot/core`. */
export interface BundleSize {
  /** `.` or `node` (the export condition). */
  entry: string;
  /** The built file bundled, relative to the package. */
  file: string;
  platform: "neutral" | "node";
  minifiedBytes: number;
  gzippedBytes: number;
  /** Minified bytes per package in the output (core's own code, each dependency), largest first. */
  inputs: { input: string; bytes: number }[];
}

/** Results of the bundle-size benchmark. */
export interface BundleSizeResults {
  version: string;
  esbuild: string;
  /** Packages left out of the bundle: core's peer dependencies. */
  externals: string[];
  entries: BundleSize[];
}

const coreDirectory = fileURLToPath(new URL("../../packages/core/", import.meta.url));

// Inputs are named by their package: core's own built chunks together, each dependency apart.
function inputName(input: string): string {
  const modules = input.lastIndexOf("node_modules/");
  if (modules === -1) return "@usagepilot/core (own code)";
  const rest = input.slice(modules + "node_modules/".length).split("/");
  return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

async function bundle(entry: string, file: string, platform: "neutral" | "node", externals: string[]): Promise<BundleSize> {
  const result = await build({
    absWorkingDir: coreDirectory,
    entryPoints: [file],
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    // A neutral build has no default main fields: core's dependencies are found through their `exports`.
    ...(platform === "neutral" ? { mainFields: ["module", "main"] } : {}),
    external: externals,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values(result.metafile.outputs)[0]!;
  const byInput = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) byInput.set(inputName(input), (byInput.get(inputName(input)) ?? 0) + bytesInOutput);
  return {
    entry,
    file,
    platform,
    minifiedBytes: code.byteLength,
    // Level 9, as size reports (bundlephobia, size-limit) use it.
    gzippedBytes: gzipSync(code, { level: 9 }).byteLength,
    inputs: [...byInput.entries()].map(([input, bytes]) => ({ input, bytes })).sort((left, right) => right.bytes - left.bytes),
  };
}

/**
 * Bundles `@usagepilot/core`'s built entries with esbuild (minified ESM, everything inlined but core's
 * peer dependencies) and gzips them: the default entry on the neutral platform, as an edge runtime or a
 * browser bundler sees it, and the `node` entry on the Node platform (its `node:` imports stay external).
 */
export async function benchBundleSize(log: (line: string) => void): Promise<BundleSizeResults> {
  log("bundle size: bundling @usagepilot/core with esbuild…");
  const manifest = JSON.parse(readFileSync(join(coreDirectory, "package.json"), "utf8")) as { version: string; peerDependencies?: Record<string, string> };
  const externals = Object.keys(manifest.peerDependencies ?? {});
  return {
    version: manifest.version,
    esbuild: installedVersion("esbuild"),
    externals,
    entries: [await bundle(".", "dist/index.js", "neutral", externals), await bundle("node", "dist/node.js", "node", externals)],
  };
}
