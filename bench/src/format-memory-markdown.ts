import type { MemoryResults } from "./bench-memory";
import type { MachineDescription } from "./format-interception-markdown";

const thousands = (value: number) => Math.round(value).toLocaleString("en-US");
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The memory section of BENCHMARKS.md: heap after GC per buffered-event count, and the bytes per event. */
export function formatMemoryMarkdown(results: MemoryResults, machine: MachineDescription): string {
  const [baseline] = results.points;
  const sampleBytes = results.sample === null ? 0 : Buffer.byteLength(JSON.stringify(results.sample));
  const lines = [
    "## Memory per buffered event",
    "",
    `Last run ${machine.date} · Node ${machine.node}, in a child process with \`--expose-gc\`.`,
    "",
    `UsagePilot from the \`usagepilot\` umbrella (default price book and tokenizer on, the OpenAI adapter) meters recorded OpenAI chat completions (\`openai/chat-nonstream-gpt-4.1-nano.json\`, served by an in-process \`fetch\`, so no socket is held) with two dimensions per call (\`organization_id\`, \`user_id\`, fresh strings each call). After a ${thousands(results.warmupCalls)}-call warm-up with storage answering, storage's \`write\` hangs, as a database that stopped answering would: every new event stays with the \`BatchWriter\` (its buffer plus the one blocked write); \`maxBufferSize\` is raised above the largest count so no call waits. At each count the heap is read after two full collections (\`global.gc()\`), the smallest of three readings; the first count, the empty buffer, is the baseline.`,
    "",
    "| events held | heap used after GC | over the empty buffer | per event |",
    "| ---: | ---: | ---: | ---: |",
    ...results.points.map((point) =>
      point.events === 0 || baseline === undefined
        ? `| ${thousands(point.events)} (baseline) | ${megabytes(point.heapUsed)} | | |`
        : `| ${thousands(point.events)} | ${megabytes(point.heapUsed)} | ${megabytes(point.heapUsed - baseline.heapUsed)} | ${thousands((point.heapUsed - baseline.heapUsed) / point.events)} B |`,
    ),
    "",
    `**About ${thousands(results.bytesPerEvent)} bytes of heap per buffered event** (least-squares slope over the ${results.points.length} points), so the default \`maxBufferSize\` of 10,000 events holds about ${megabytes(results.bytesPerEvent * 10_000)} while storage is down. For scale: the same event as JSON is ${thousands(sampleBytes)} bytes.`,
    "",
    results.problems.length === 0
      ? `Checked: each count of events held equals the calls made since storage was blocked; no \`onError\` reports.`
      : `**Problems:**\n\n${results.problems.map((problem) => `- ${problem}`).join("\n")}`,
  ];
  return lines.join("\n");
}
