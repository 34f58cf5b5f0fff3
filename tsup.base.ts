import { defineConfig, type Options } from "tsup";

/** The build every package shares: ESM, declarations, source maps, `node:` specifiers kept. */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    removeNodeProtocol: false,
    ...overrides,
  });
}
