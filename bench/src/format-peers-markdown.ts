import type { PeerResults, PeerSide } from "./bench-peers";
import type { MachineDescription } from "./format-interception-markdown";
import { median } from "./statistics";

/** The two peers UsagePilot is compared with. */
export type Peer = Exclude<PeerSide, "plain" | "usagepilot">;
const peers: readonly Peer[] = ["posthog", "langfuse"];

/** One side's headline numbers, each the median over rounds. */
export interface PeerSideSummary {
  /** Time per call (non-streaming), ms: the round's calls plus its flush, divided by the calls. */
  perCall: number;
  /** Added time per call over the bare client in the same round, ms. */
  addedPerCall: number;
  /** `addedPerCall` as a fraction of the bare client's median time per call. */
  addedShare: number;
  /** Streaming throughput, content chunks per second (flush included). */
  chunksPerSecond: number;
  /** Share of the bare client's streaming throughput in the same round. */
  throughputShare: number;
  /** Time of the end-of-round flush, ms per round (non-streaming, streaming). */
  settle: { json: number; stream: number };
}

/** UsagePilot against one peer. */
export interface PeerVerdict {
  peer: Peer;
  /** Median over rounds of (peer − UsagePilot) time per call, ms: positive when UsagePilot is cheaper. */
  jsonMargin: number;
  /** Rounds in which UsagePilot's non-streaming calls took less time than the peer's. */
  jsonRoundsWon: number;
  /** UsagePilot's added time per call below the peer's (medians over rounds): the issue's bar. */
  jsonPass: boolean;
  /** Median over rounds of (peer − UsagePilot) time per stream, ms. */
  streamMargin: number;
  streamRoundsWon: number;
  /** UsagePilot's streaming throughput share above the peer's. */
  streamPass: boolean;
}

/** Every side's summary and the verdict against each peer. */
export interface PeersJudgement {
  sides: Record<PeerSide, PeerSideSummary>;
  verdicts: PeerVerdict[];
}

/**
 * Summarises the run with medians over rounds: a round's sides run back to back, so a burst of load from
 * another process skews one round rather than the verdict.
 */
export function judgePeers(results: PeerResults): PeersJudgement {
  const { json, stream, sizes } = results;
  const perRound = (totals: readonly Record<PeerSide, number>[], measure: (round: Record<PeerSide, number>) => number) => median(totals.map(measure));
  const plainPerCall = perRound(json.roundTotals, (round) => round.plain / sizes.jsonCallsPerRound);
  const summary = (side: PeerSide): PeerSideSummary => ({
    perCall: perRound(json.roundTotals, (round) => round[side] / sizes.jsonCallsPerRound),
    addedPerCall: perRound(json.roundTotals, (round) => (round[side] - round.plain) / sizes.jsonCallsPerRound),
    // The added time over the bare client's median, so this column orders the sides as the one before it does.
    addedShare: perRound(json.roundTotals, (round) => (round[side] - round.plain) / sizes.jsonCallsPerRound) / plainPerCall,
    chunksPerSecond: perRound(stream.roundTotals, (round) => (stream.chunks * sizes.streamCallsPerRound) / (round[side] / 1000)),
    throughputShare: perRound(stream.roundTotals, (round) => round.plain / round[side]),
    settle: { json: json.settles[side].length > 0 ? median(json.settles[side]) : 0, stream: stream.settles[side].length > 0 ? median(stream.settles[side]) : 0 },
  });
  const sides = { plain: summary("plain"), usagepilot: summary("usagepilot"), posthog: summary("posthog"), langfuse: summary("langfuse") };
  const verdicts = peers.map((peer): PeerVerdict => ({
    peer,
    jsonMargin: perRound(json.roundTotals, (round) => (round[peer] - round.usagepilot) / sizes.jsonCallsPerRound),
    jsonRoundsWon: json.roundTotals.filter((round) => round.usagepilot < round[peer]).length,
    jsonPass: sides.usagepilot.addedPerCall < sides[peer].addedPerCall,
    streamMargin: perRound(stream.roundTotals, (round) => (round[peer] - round.usagepilot) / sizes.streamCallsPerRound),
    streamRoundsWon: stream.roundTotals.filter((round) => round.usagepilot < round[peer]).length,
    streamPass: sides.usagepilot.throughputShare > sides[peer].throughputShare,
  }));
  return { sides, verdicts };
}

const sideNames: Record<PeerSide, string> = {
  plain: "bare `openai` client",
  usagepilot: "UsagePilot (`fetch: usage.createFetch(…)`)",
  posthog: "PostHog (`@posthog/ai` `OpenAI`)",
  langfuse: "Langfuse (`observeOpenAI`)",
};
const peerNames: Record<Peer, string> = { posthog: "PostHog", langfuse: "Langfuse" };
const milliseconds = (value: number) => `${value.toFixed(3)} ms`;
const microseconds = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value * 1000).toFixed(0)} µs`;
const percent = (value: number, signed = false) => `${signed && value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}%`;
const thousands = (value: number) => Math.round(value).toLocaleString("en-US");
const modelNames = (names: readonly string[]) => (names.length === 0 ? "none" : names.map((name) => `\`${name}\``).join(", "));
const verdict = (pass: boolean) => (pass ? "**pass**" : "**FAIL**");

/** The peers section of BENCHMARKS.md: per-call and streaming tables for the four sides, the verdicts and the checks. */
export function formatPeersMarkdown(results: PeerResults, machine: MachineDescription): string {
  const { sides, verdicts } = judgePeers(results);
  const { sizes, versions } = results;
  const order: readonly PeerSide[] = ["plain", "usagepilot", "posthog", "langfuse"];
  const sinkRequests = Object.entries(results.captures.sink.requests)
    .map(([request, count]) => `${thousands(count)} × \`${request}\``)
    .join(", ");
  const lines = [
    "## Against the peers",
    "",
    `Last run ${machine.date} · Node ${machine.node} · ${machine.cores} cores (${machine.cpu}), load average ${machine.loadAverage.toFixed(1)} at the start · \`openai\` ${versions.openai}, \`@posthog/ai\` ${versions["@posthog/ai"]} with \`posthog-node\` ${versions["posthog-node"]}, \`@langfuse/openai\` ${versions["@langfuse/openai"]} with \`@langfuse/otel\` ${versions["@langfuse/otel"]} and \`@opentelemetry/sdk-trace-node\` ${versions["@opentelemetry/sdk-trace-node"]}.`,
    "",
    "The same `client.chat.completions.create(…)` four ways, on the same local server, in one run: the bare client; the client with `fetch: usage.createFetch(…)` (the `usagepilot` umbrella with `MemoryStorage`, its default price book and tokenizer on, the OpenAI adapter told that the local server is OpenAI); PostHog's `OpenAI` from `@posthog/ai/openai` with a `posthog-node` client (defaults: batches of 20, gzip) and `posthogDistinctId` per call; Langfuse's `observeOpenAI(new OpenAI(…), { userId })` under the OpenTelemetry setup Langfuse documents (`NodeTracerProvider` with `LangfuseSpanProcessor`, batched export, registered globally). Both peers export to a local sink on a worker thread; nothing leaves the machine. Rounds rotate the order of the four sides. At the end of its turn in every round, each side flushes (`usage.flush()`, `posthog.flush()`, `LangfuseSpanProcessor.forceFlush()`) and that time counts in the side's round, so no side's background work lands on another. Every figure is the median over rounds.",
    "",
    "What each wrapper does per call: UsagePilot observes the answer as the caller reads it, reads the usage, prices it in exact decimals and buffers one event; PostHog's builds an `$ai_generation` event holding the request's messages and the answer's text (privacy mode off, its default), queues it and gzips each batch for `/batch/`; Langfuse's runs the call inside an OpenTelemetry span (`propagateAttributes`, `startObservation`, through the AsyncLocalStorage context manager the provider registers), sets input, output and usage as span attributes, and its batch processor serialises the spans to OTLP JSON. That context manager is global, so every side runs with it active, as in an application that uses Langfuse.",
    "",
    `**Verdict:** UsagePilot adds ${microseconds(sides.usagepilot.addedPerCall)} per non-streaming call, ${verdicts.map((judged) => `${peerNames[judged.peer]} ${microseconds(sides[judged.peer].addedPerCall)} (${judged.jsonPass ? "UsagePilot below it: pass" : "UsagePilot not below it: FAIL"})`).join(", ")}; streaming, UsagePilot keeps ${percent(sides.usagepilot.throughputShare)} of the bare client's throughput, ${verdicts.map((judged) => `${peerNames[judged.peer]} ${percent(sides[judged.peer].throughputShare)}`).join(", ")}.`,
    "",
    `### Non-streaming chat completion (${(results.json.bodyBytes / 1024).toFixed(1)} KB recorded JSON answer)`,
    "",
    `${sizes.jsonRounds} rounds × ${sizes.jsonCallsPerRound} sequential calls per side (after ${sizes.jsonWarmupCalls} warm-up calls each).`,
    "",
    "| side | time per call (flush included) | added per call | added | flush per round |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...order.map((side) =>
      side === "plain"
        ? `| ${sideNames[side]} | ${milliseconds(sides[side].perCall)} | | | |`
        : `| ${sideNames[side]} | ${milliseconds(sides[side].perCall)} | ${microseconds(sides[side].addedPerCall)} | ${percent(sides[side].addedShare, true)} | ${milliseconds(sides[side].settle.json)} |`,
    ),
    "",
    `### Streaming chat completion (${thousands(results.stream.chunks)} content chunks, ${(results.stream.bodyBytes / 1024).toFixed(0)} KB of SSE)`,
    "",
    `${sizes.streamRounds} rounds × ${sizes.streamCallsPerRound} sequential streams per side (after ${sizes.streamWarmupCalls} warm-up streams each); the caller iterates the SDK's \`Stream\` to the end. The request sets \`stream_options.include_usage\`, so every side sends the same body.`,
    "",
    "| side | content chunks/s | share of the bare client | chunks seen per stream | flush per round |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...order.map((side) =>
      side === "plain"
        ? `| ${sideNames[side]} | ${thousands(sides[side].chunksPerSecond)} | 100% | ${results.stream.chunksPerStream[side].toFixed(0)} | |`
        : `| ${sideNames[side]} | ${thousands(sides[side].chunksPerSecond)} | ${percent(sides[side].throughputShare)} | ${results.stream.chunksPerStream[side].toFixed(0)} | ${milliseconds(sides[side].settle.stream)} |`,
    ),
    "",
    "### Verdict: UsagePilot's added time per call below both peers' in the same run",
    "",
    "| UsagePilot vs | non-streaming: UsagePilot added / peer added | peer − UsagePilot per call | rounds UsagePilot faster | result | streaming: UsagePilot share / peer share | peer − UsagePilot per stream | rounds UsagePilot faster | result |",
    "| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: | :---: |",
    ...verdicts.map(
      (judged) =>
        `| ${peerNames[judged.peer]} | ${microseconds(sides.usagepilot.addedPerCall)} / ${microseconds(sides[judged.peer].addedPerCall)} | ${microseconds(judged.jsonMargin)} | ${judged.jsonRoundsWon} of ${sizes.jsonRounds} | ${verdict(judged.jsonPass)} | ${percent(sides.usagepilot.throughputShare)} / ${percent(sides[judged.peer].throughputShare)} | ${microseconds(judged.streamMargin)} | ${judged.streamRoundsWon} of ${sizes.streamRounds} | ${verdict(judged.streamPass)} |`,
    ),
    "",
    `Models as recorded: UsagePilot the answer's (\`gpt-4.1-nano-2025-04-14\`, \`gpt-4o-mini\`); ${peers.map((peer) => `${peerNames[peer]} ${modelNames(results.captures.models[peer].json)} and ${modelNames(results.captures.models[peer].stream)}`).join("; ")}.`,
    "",
    results.problems.length === 0
      ? `Checked: every side received the same answers (id, content, usage, chunk count); UsagePilot stored ${thousands(results.events.stored)} events, one per call (warm-up included) with the served model, \`user_id\` and usage, all ${thousands(results.events.priced)} priced; the sink received, for each peer, one capture per call with the served token counts and the user, and no other capture (${sinkRequests}); no request went to another host.`
      : `**Something did not meter correctly; these numbers do not count as they are:**\n\n${results.problems.map((problem) => `- ${problem}`).join("\n")}`,
  ];
  return lines.join("\n");
}
