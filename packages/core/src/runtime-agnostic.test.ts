import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");

/** Every module specifier a built ESM file imports or re-exports, statically or dynamically (and any require). */
function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The entry file and every file it reaches through relative imports. */
function moduleGraph(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const queue = [resolve(dist, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    const code = readFileSync(file, "utf8");
    files.set(file, code);
    for (const specifier of specifiers(code)) if (specifier.startsWith(".")) queue.push(resolve(dirname(file), specifier));
  }
  return files;
}

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, name.split("/")[0]!]));

describe("the built core entry is runtime-agnostic", () => {
  it("dist exists (build with `npx tsup` in packages/core)", () => {
    expect(existsSync(join(dist, "index.js"))).toBe(true);
    expect(existsSync(join(dist, "node.js"))).toBe(true);
  });

  it("dist/index.js and every chunk it reaches import no node: module", () => {
    const graph = moduleGraph("index.js");
    expect(graph.size).toBeGreaterThan(1); // the entry re-exports a shared chunk
    for (const [file, code] of graph) {
      expect(code, file).not.toMatch(/from\s*["']node:/);
      expect(code, file).not.toMatch(/require\(\s*["']node:/);
      expect(code, file).not.toMatch(/import\(\s*["']node:/);
      expect(code, file).not.toMatch(/import\s*["']node:/);
    }
  });

  it("nor a Node built-in under its bare name (a bundler may strip the node: prefix)", () => {
    for (const [file, code] of moduleGraph("index.js")) {
      const bare = specifiers(code).filter((specifier) => nodeBuiltins.has(specifier) || nodeBuiltins.has(specifier.split("/")[0]!));
      expect(bare, file).toEqual([]);
    }
  });

  it("dist/node.js is the leaf that imports node:async_hooks", () => {
    const code = readFileSync(join(dist, "node.js"), "utf8");
    expect(specifiers(code)).toContain("node:async_hooks");
  });
});
