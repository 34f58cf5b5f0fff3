import { cpus, loadavg } from "node:os";
import { benchBundleSize } from "./bench-bundle-size";
import { benchMemory, fullMemorySizes, quickMemorySizes } from "./bench-memory";
import { benchPeers, fullPeerSizes, quickPeerSizes } from "./bench-peers";
import { formatBundleSizeMarkdown } from "./format-bundle-size-markdown";
import type { MachineDescription } from "./format-interception-markdown";
import { formatMemoryMarkdown } from "./format-memory-markdown";
import { formatPeersMarkdown, judgePeers } from "./format-peers-markdown";
import { writeMarkedSection } from "./write-marked-section";

/** Options of `runPeerBenchmarks`. */
export interface RunPeerBenchmarksOptions {
  /** Small sizes (`--quick`). */
  quick: boolean;
  /** Rewrite the sections of `file`. */
  write: boolean;
  /** `--only=…`: undefined runs all three; `peers`, `memory` or `size` runs one. */
  only: string | undefined;
  /** BENCHMARKS.md. */
  file: string;
  /** What BENCHMARKS.md starts with when it does not exist yet. */
  header: string;
  log: (line: string) => void;
}

function describeMachine(): MachineDescription {
  return { node: process.version, cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? "unknown CPU", date: new Date().toISOString().slice(0, 10), loadAverage: loadavg()[0] ?? 0 };
}

/**
 * The benchmarks of issue 8, each in its own `<!-- bench:… -->` section: UsagePilot against the peers
 * (`peers`), memory per buffered event (`memory`), core's bundle size (`size`). Returns the problems
 * found; a missed target is reported in the section, not as a problem.
 */
export async function runPeerBenchmarks(options: RunPeerBenchmarksOptions): Promise<string[]> {
  const { log } = options;
  const problems: string[] = [];
  const publish = (name: string, markdown: string) => {
    console.log(`\n${markdown}\n`);
    if (!options.write) return;
    writeMarkedSection({ file: options.file, name, content: markdown, header: options.header });
    log(`wrote the ${name} section of ${options.file}`);
  };

  if (options.only === undefined || options.only === "size") {
    const results = await benchBundleSize(log);
    publish("size", formatBundleSizeMarkdown(results, describeMachine()));
    log(`size: ${results.entries.map((entry) => `${entry.entry} ${(entry.gzippedBytes / 1024).toFixed(1)} KB min+gz`).join(", ")}`);
  }

  if (options.only === undefined || options.only === "memory") {
    const machine = describeMachine();
    const results = await benchMemory(options.quick ? quickMemorySizes : fullMemorySizes, log);
    publish("memory", formatMemoryMarkdown(results, machine));
    log(`memory: ${Math.round(results.bytesPerEvent)} bytes per buffered event`);
    problems.push(...results.problems.map((problem) => `memory: ${problem}`));
  }

  if (options.only === undefined || options.only === "peers") {
    const startedAt = performance.now();
    const machine = describeMachine();
    const results = await benchPeers(options.quick ? quickPeerSizes : fullPeerSizes, log);
    publish("peers", formatPeersMarkdown(results, machine));
    const { sides, verdicts } = judgePeers(results);
    const added = (value: number) => `${value >= 0 ? "+" : ""}${(value * 1000).toFixed(0)} µs`;
    log(
      `peers: added per call UsagePilot ${added(sides.usagepilot.addedPerCall)}, PostHog ${added(sides.posthog.addedPerCall)}, Langfuse ${added(sides.langfuse.addedPerCall)}; ` +
        verdicts.map((judged) => `vs ${judged.peer} ${judged.jsonPass ? "pass" : "FAIL"}`).join(", ") +
        `; ${((performance.now() - startedAt) / 1000).toFixed(0)} s`,
    );
    problems.push(...results.problems.map((problem) => `peers: ${problem}`));
  }
  return problems;
}
