import { bundleSizeTarget, type BundleSizeResults } from "./bench-bundle-size";
import type { MachineDescription } from "./format-interception-markdown";

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The bundle-size section of BENCHMARKS.md: core's entries minified and gzipped, against the 20 KB bar. */
export function formatBundleSizeMarkdown(results: BundleSizeResults, machine: MachineDescription): string {
  const [main] = results.entries;
  const lines = [
    "## `@usagepilot/core` bundle size",
    "",
    `Last run ${machine.date} · \`@usagepilot/core\` ${results.version} (its built \`dist/\`) · esbuild ${results.esbuild}.`,
    "",
    `Each entry bundled with esbuild (\`bundle\`, \`minify\`, \`format: "esm"\`), every dependency inlined except core's peer dependencies (${results.externals.length === 0 ? "none" : results.externals.map((name) => `\`${name}\``).join(", ")}), then gzipped with \`node:zlib\` at level 9. The default entry is built for \`platform: "neutral"\` (what an edge runtime or a browser bundler gets); the \`node\` export condition for \`platform: "node"\`, where its \`node:\` imports stay external. KB = 1,024 bytes.`,
    "",
    "| entry | platform | minified | minified + gzipped | target | result |",
    "| --- | --- | ---: | ---: | ---: | :---: |",
    ...results.entries.map(
      (entry) =>
        `| \`${entry.entry}\` (\`${entry.file}\`) | ${entry.platform} | ${kilobytes(entry.minifiedBytes)} | ${kilobytes(entry.gzippedBytes)} | ≤ ${kilobytes(bundleSizeTarget)} | ${entry.gzippedBytes <= bundleSizeTarget ? "**pass**" : "**FAIL**"} |`,
    ),
    "",
    main === undefined ? "" : `What the default entry is made of, minified: ${main.inputs.map((input) => `\`${input.input}\` ${kilobytes(input.bytes)}`).join(", ")}.`,
  ];
  return lines.join("\n");
}
