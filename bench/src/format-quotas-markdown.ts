import type { QuotaResults } from "./bench-quotas";
import type { MachineDescription } from "./format-interception-markdown";
import { mean, median } from "./statistics";

const milliseconds = (value: number) => `${value.toFixed(3)} ms`;
const percent = (value: number) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}%`;

/** The quotas section of BENCHMARKS.md: per-call cost of limits in memory and in Redis beside no limits, and the stores alone. */
export function formatQuotasMarkdown(results: QuotaResults, machine: MachineDescription): string {
  const { calls, sizes, roundRatios, storeMicroseconds } = results;
  const added = (side: "memory" | "redis") => median(calls[side]) - median(calls.none);
  const lines = [
    "## Quotas",
    "",
    `Last run ${machine.date} · Node ${machine.node} · ${machine.cores} cores (${machine.cpu}), load average ${machine.loadAverage.toFixed(1)} at the start · Redis ${results.redisVersion} on the same machine (\`bench/src/bench-quotas.ts\`).`,
    "",
    `### Per call: check, reserve and settle beside a call without limits`,
    "",
    `One recorded OpenAI chat completion from a local server, through \`usage.createFetch(…)\` three ways: without \`limits\`; with an organisation budget (tokens, month) and a user budget (requests, day) in \`MemoryQuotaStore\`; and the same budgets in \`RedisQuotaStore\`. ${sizes.rounds} rounds × ${sizes.callsPerRound} sequential calls per side, the side order rotating each round (after ${sizes.warmupCalls} warm-up calls each). The budgets never refuse, so every call estimates, reserves two counters before it leaves and settles them after.`,
    "",
    "| per call | no limits | limits in memory | limits in Redis |",
    "| --- | ---: | ---: | ---: |",
    `| mean | ${milliseconds(mean(calls.none))} | ${milliseconds(mean(calls.memory))} | ${milliseconds(mean(calls.redis))} |`,
    `| median | ${milliseconds(median(calls.none))} | ${milliseconds(median(calls.memory))} | ${milliseconds(median(calls.redis))} |`,
    `| added to the median call | | ${milliseconds(added("memory"))} | ${milliseconds(added("redis"))} |`,
    `| added time, median of the ${sizes.rounds} rounds' ratios | | ${percent(median(roundRatios.memory) - 1)} | ${percent(median(roundRatios.redis) - 1)} |`,
    "",
    "### The store alone: check-and-reserve two counters, then settle them",
    "",
    "| store | operations | time per reserve + settle |",
    "| --- | ---: | ---: |",
    `| \`MemoryQuotaStore\` | ${sizes.memoryOperations.toLocaleString("en-US")} | ${storeMicroseconds.memory.toFixed(2)} µs |`,
    `| \`RedisQuotaStore\` (one Lua script per counter, sent together; sequential operations) | ${sizes.redisOperations.toLocaleString("en-US")} | ${storeMicroseconds.redis.toFixed(1)} µs |`,
    "",
    results.problems.length === 0
      ? "Checked: each side stored one event per call (warm-up included); both limited sides' organisation counters hold exactly the tokens of every call, with nothing left reserved; no `onError` reports."
      : `**A limited path is broken; these numbers do not count:**\n\n${results.problems.map((problem) => `- ${problem}`).join("\n")}`,
  ];
  return lines.join("\n");
}
