// `pnpm bench`: runs the benchmarks and rewrites their sections of BENCHMARKS.md.
// Flags: --quick (small sizes, nothing written), --no-write (full sizes, print only),
// --only=interception|sse|quotas|peers|memory|size (one benchmark, one section).
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { benchInterception, fullSizes, quickSizes } from "./bench-interception";
import { benchSseReader, formatSseReaderMarkdown } from "./bench-sse-reader";
import { benchQuotas, fullQuotaSizes, quickQuotaSizes } from "./bench-quotas";
import { formatQuotasMarkdown } from "./format-quotas-markdown";
import { formatInterceptionMarkdown, judgeInterception } from "./format-interception-markdown";
import { runPeerBenchmarks } from "./run-peer-benchmarks";
import { writeMarkedSection } from "./write-marked-section";

const quick = process.argv.includes("--quick");
const write = !quick && !process.argv.includes("--no-write");
const only = process.argv.find((argument) => argument.startsWith("--only="))?.slice("--only=".length);
const benchmarksFile = fileURLToPath(new URL("../../BENCHMARKS.md", import.meta.url));

const header = `# Benchmarks

Each quality bar of [docs/DESIGN.md](docs/DESIGN.md) measured side by side with its baseline, in one run, on the
project's machine (2 cores, Node 20). Reproduce every number here with one command from the repository root:

\`\`\`sh
pnpm bench        # = turbo run build && pnpm --filter @usagepilot/bench start; about a minute, build included
\`\`\`

\`pnpm --filter @usagepilot/bench start -- --quick\` is a smoke run that writes nothing; \`--no-write\` runs the full
sizes and only prints. Each section between \`<!-- bench:… -->\` markers is rewritten by the benchmark that owns
it; text outside the markers is left alone.

**Interception** (\`bench/src/bench-interception.ts\`): plain \`fetch\` against \`usage.createFetch(…)\` (the \`usagepilot\`
umbrella, its price book on, with \`createOpenAIAdapter({ baseURLs: [{ baseURL, provider: "openai" }] })\` and a storage that
checks and counts each event it is given and keeps none — \`bench/src/checking-storage.ts\` — since \`MemoryStorage\` would hold
every event of the run in the heap) against the same local server in the same run. The server is a minimal \`node:http\` server on a worker thread, answering with fixed
bodies (a recorded OpenAI chat completion; a 1,000-chunk stream from \`synthesizeChatStream\`), so its work does not
share the event loop being measured. Both sides are warmed up, then run in rounds whose first side alternates
(ABBA…) to cancel drift; the verdict is the median over rounds. The run fails (exit code 1) if the metered side did
not store exactly one event per call with the served usage, or changed a body.
`;

const log = (line: string) => console.error(line);
// `--only=NAME` runs one benchmark alone (and rewrites only its section).
if (only === undefined || only === "interception") {
  const startedAt = performance.now();
  const loadAverage = loadavg()[0] ?? 0;
  const results = await benchInterception(quick ? quickSizes : fullSizes, log);
  const markdown = formatInterceptionMarkdown(results, {
    node: process.version,
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    date: new Date().toISOString().slice(0, 10),
    loadAverage,
  });
  console.log(`\n${markdown}\n`);

  const verdict = judgeInterception(results);
  log(
    `interception: non-streaming ${verdict.addedTime >= 0 ? "+" : ""}${(verdict.addedTime * 100).toFixed(1)}% (${verdict.jsonPass ? "pass" : "FAIL"}), ` +
      `streaming ${(verdict.throughputShare * 100).toFixed(1)}% of plain throughput (${verdict.streamPass ? "pass" : "FAIL"}); ` +
      `${((performance.now() - startedAt) / 1000).toFixed(0)} s`,
  );
  if (write) {
    writeMarkedSection({ file: benchmarksFile, name: "interception", content: markdown, header });
    log(`wrote the interception section of ${benchmarksFile}`);
  }
  // A broken metered path means the timings measured the wrong thing: fail loudly. Missed targets are
  // reported above, not turned into an exit code, so one noisy run does not break `pnpm bench`.
  if (results.problems.length > 0) {
    for (const problem of results.problems) log(`problem: ${problem}`);
    process.exitCode = 1;
  }
}

// SSE framing: core's reader against TextDecoder + eventsource-parser, the reader it replaced.
if (only === undefined || only === "sse") {
  const sseResults = benchSseReader(quick);
  const sseMarkdown = formatSseReaderMarkdown(sseResults, { node: process.version, date: new Date().toISOString().slice(0, 10) });
  console.log(`\n${sseMarkdown}\n`);
  for (const workload of sseResults.workloads) log(`sse: ${workload.label}: ${((workload.coreMicros / workload.baselineMicros) * 100).toFixed(0)}% of the baseline's time`);
  if (write) writeMarkedSection({ file: benchmarksFile, name: "sse", content: sseMarkdown, header });
  if (sseResults.problems.length > 0) {
    for (const problem of sseResults.problems) log(`problem: ${problem}`);
    process.exitCode = 1;
  }
}

// Quotas: limits in memory and in Redis beside a call without limits (needs Redis, as the tests do).
if (only === undefined || only === "quotas") {
  const quotaLoad = loadavg()[0] ?? 0;
  const quotaResults = await benchQuotas(quick ? quickQuotaSizes : fullQuotaSizes, log);
  const quotaMarkdown = formatQuotasMarkdown(quotaResults, { node: process.version, cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? "unknown CPU", date: new Date().toISOString().slice(0, 10), loadAverage: quotaLoad });
  console.log(`\n${quotaMarkdown}\n`);
  log(`quotas: in-memory reserve + settle ${quotaResults.storeMicroseconds.memory.toFixed(2)} µs, Redis ${quotaResults.storeMicroseconds.redis.toFixed(1)} µs`);
  if (write) {
    writeMarkedSection({ file: benchmarksFile, name: "quotas", content: quotaMarkdown, header });
    log(`wrote the quotas section of ${benchmarksFile}`);
  }
  if (quotaResults.problems.length > 0) {
    for (const problem of quotaResults.problems) log(`problem: ${problem}`);
    process.exitCode = 1;
  }
}

// Issue 8: against the peers, memory per buffered event, core's bundle size.
const peerProblems = await runPeerBenchmarks({ quick, write, only, file: benchmarksFile, header, log });
for (const problem of peerProblems) log(`problem: ${problem}`);
if (peerProblems.length > 0) process.exitCode = 1;
