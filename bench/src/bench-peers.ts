import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LangfuseSpanProcessor } from "@langfuse/otel";
import { observeOpenAI } from "@langfuse/openai";
import { context, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { PostHogOpenAI } from "@posthog/ai/openai";
import { fixturesDir, synthesizeChatStream } from "@usagepilot/testing";
import OpenAI from "openai";
import { PostHog } from "posthog-node";
import { createOpenAIAdapter, MemoryStorage, UsagePilot } from "usagepilot";
import type { InterceptionSizes } from "./bench-interception";
import { runRotated, type RotatedTimings } from "./run-interleaved";
import { startBenchServer } from "./start-bench-server";
import { readCaptureKey, startTelemetrySink, type TelemetrySinkReport } from "./start-telemetry-sink";
import { installedVersion } from "./installed-version";
import { verifyEvents } from "./verify-events";

/** The four ways the same `openai` client call is made: bare, metered by UsagePilot, wrapped by each peer. */
export type PeerSide = "plain" | "usagepilot" | "posthog" | "langfuse";
/** The sides in the order of the first round (the order rotates each round). */
export const peerSides: readonly PeerSide[] = ["plain", "usagepilot", "posthog", "langfuse"];

/** How much work the peer benchmark does: the same knobs as the interception benchmark. */
export type PeerSizes = InterceptionSizes;

/** Sizes for the recorded run: many short rounds, so load from other processes hits every side alike; about 40 s. */
export const fullPeerSizes: PeerSizes = {
  jsonRounds: 40,
  jsonCallsPerRound: 100,
  jsonWarmupCalls: 300,
  streamRounds: 30,
  streamCallsPerRound: 8,
  streamWarmupCalls: 10,
};

/** Sizes for a smoke run (`--quick`). */
export const quickPeerSizes: PeerSizes = {
  jsonRounds: 4,
  jsonCallsPerRound: 20,
  jsonWarmupCalls: 20,
  streamRounds: 4,
  streamCallsPerRound: 2,
  streamWarmupCalls: 2,
};

/** Content chunks in the streamed answer (plus the role, finish and usage chunks). */
export const peerStreamChunks = 1000;

/** Results of the peer benchmark. */
export interface PeerResults {
  sizes: PeerSizes;
  json: RotatedTimings<PeerSide> & { bodyBytes: number };
  stream: RotatedTimings<PeerSide> & { bodyBytes: number; chunks: number; chunksPerStream: Record<PeerSide, number> };
  /** Installed versions of the client and the peers. */
  versions: Record<string, string>;
  /** Events UsagePilot stored, and how many of them carry a cost. */
  events: { stored: number; priced: number };
  /** What the sink received, the calls each peer had to capture (by `"<peer> json|stream"`), and the model names each peer recorded. */
  captures: { expected: Record<string, number>; models: Record<"posthog" | "langfuse", Record<"json" | "stream", string[]>>; sink: TelemetrySinkReport };
  /** Problems found checking any side; empty when every side saw the same answers and every call was captured correctly. */
  problems: string[];
}

const userId = "user-1";
const jsonParameters = { model: "gpt-4.1-nano", messages: [{ role: "user" as const, content: "Invent a holiday." }] };
// include_usage set by the caller, so every side sends the same body and every wrapper can see the usage.
const streamParameters = { ...jsonParameters, model: "gpt-4o-mini", stream: true as const, stream_options: { include_usage: true } };
const streamUsage = { prompt_tokens: 12, completion_tokens: peerStreamChunks };
// The recorded non-streaming answer bills 16 input and 363 output tokens on the dated model.
const jsonExpected = { model: "gpt-4.1-nano-2025-04-14", inputTokens: 16, outputTokens: 363 };
const streamExpected = { model: "gpt-4o-mini", inputTokens: streamUsage.prompt_tokens, outputTokens: streamUsage.completion_tokens };

/**
 * Times the official `openai` client four ways on the same local server in one run — bare; with
 * `usage.createFetch(…)`; as `@posthog/ai`'s `OpenAI` with a `posthog-node` client; wrapped by
 * `@langfuse/openai`'s `observeOpenAI` under the OpenTelemetry setup Langfuse documents — for
 * non-streaming calls (per-call time) and 1,000-chunk streams (throughput), in rotating rounds. Each
 * side's background work (UsagePilot's deferred metering, the peers' export queues) is flushed at the
 * end of its turn in every round and counted in that round. The peers export to a local sink; a
 * request to any other host is reported as a problem.
 */
export async function benchPeers(sizes: PeerSizes, log: (line: string) => void): Promise<PeerResults> {
  const json = readFileSync(join(fixturesDir(), "openai/chat-nonstream-gpt-4.1-nano.json"), "utf8");
  const sse = synthesizeChatStream({ usage: streamUsage, chunks: peerStreamChunks, includeUsage: true, model: "gpt-4o-mini" });
  const server = await startBenchServer({ json, sse });
  const sink = await startTelemetrySink();
  const problems: string[] = [];

  // Nothing may leave the machine: every outgoing request (fetch/undici and node:http) is checked.
  const loopback = /^(https?:\/\/)?(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;
  const offMachine = new Set<string>();
  const onUndiciRequest = (message: unknown) => {
    const origin = String((message as { request?: { origin?: unknown } }).request?.origin ?? "");
    if (!loopback.test(origin)) offMachine.add(origin);
  };
  const onHttpRequest = (message: unknown) => {
    const host = String((message as { request?: { host?: unknown } }).request?.host ?? "");
    if (!loopback.test(host)) offMachine.add(host);
  };
  subscribe("undici:request:create", onUndiciRequest);
  subscribe("http.client.request.start", onHttpRequest);

  // UsagePilot as a user of the umbrella gets it: MemoryStorage, and the default price book and tokenizer
  // (on by default in `usagepilot`); only the adapter is told the local server is OpenAI.
  const storage = new MemoryStorage();
  const usage = new UsagePilot({
    storage,
    providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: server.baseURL, provider: "openai" }] })],
    onError: (error) => problems.push(`UsagePilot onError: ${error instanceof Error ? error.message : String(error)}`),
  });

  // PostHog as its docs show it, with posthog-node's defaults (batches of 20, gzip) and the host on the sink.
  const posthog = new PostHog("phc_bench_local", { host: sink.url });
  // Langfuse as its docs show it for OpenTelemetry without NodeSDK: a NodeTracerProvider with the
  // LangfuseSpanProcessor (batched export, its default), registered globally; keys are placeholders.
  const langfuseProcessor = new LangfuseSpanProcessor({ publicKey: "pk-lf-bench-local", secretKey: "sk-lf-bench-local", baseUrl: sink.url });
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [langfuseProcessor] });
  tracerProvider.register();

  const clientOptions = { apiKey: "sk-bench", baseURL: server.baseURL, maxRetries: 0, defaultHeaders: { "x-user-id": userId } };
  const clients = {
    plain: new OpenAI(clientOptions),
    usagepilot: new OpenAI({ ...clientOptions, fetch: usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") || "anonymous" })) }),
    posthog: new PostHogOpenAI({ ...clientOptions, posthog }),
    langfuse: observeOpenAI(new OpenAI(clientOptions), { userId }),
  };
  const complete = (side: PeerSide) =>
    side === "posthog" ? clients.posthog.chat.completions.create({ ...jsonParameters, posthogDistinctId: userId }) : clients[side].chat.completions.create(jsonParameters);
  const stream = (side: PeerSide) =>
    side === "posthog" ? clients.posthog.chat.completions.create({ ...streamParameters, posthogDistinctId: userId }) : clients[side].chat.completions.create(streamParameters);
  const settle = async (side: PeerSide) => {
    if (side === "usagepilot") await usage.flush();
    else if (side === "posthog") await posthog.flush();
    else if (side === "langfuse") await langfuseProcessor.forceFlush();
  };

  try {
    // No wrapper may change what the caller receives: every side must see the same answer.
    const answers = new Map<PeerSide, string>();
    for (const side of peerSides) {
      const completion = await complete(side);
      let streamed = "";
      let chunks = 0;
      for await (const chunk of await stream(side)) {
        chunks += 1;
        streamed += chunk.choices[0]?.delta.content ?? "";
      }
      answers.set(side, JSON.stringify([completion.id, completion.choices[0]?.message.content, completion.usage, chunks, streamed]));
    }
    for (const side of peerSides) if (answers.get(side) !== answers.get("plain")) problems.push(`${side}: the caller received a different answer than with the bare client`);

    log(`peers, non-streaming: ${sizes.jsonRounds} rounds × ${sizes.jsonCallsPerRound} calls per side, 4 sides…`);
    const jsonTimings = await runRotated({
      sides: peerSides,
      rounds: sizes.jsonRounds,
      callsPerRound: sizes.jsonCallsPerRound,
      warmupCalls: sizes.jsonWarmupCalls,
      async call(side) {
        // Like the interception bench, the caller reads the answer and nothing more: any wrapper's cost shows in full.
        const completion = await complete(side);
        if (completion.choices.length === 0) throw new Error(`${side}: an answer without choices`);
      },
      settle,
    });

    log(`peers, streaming: ${sizes.streamRounds} rounds × ${sizes.streamCallsPerRound} streams per side, 4 sides…`);
    const chunkCounts: Record<PeerSide, number> = { plain: 0, usagepilot: 0, posthog: 0, langfuse: 0 };
    const streamTimings = await runRotated({
      sides: peerSides,
      rounds: sizes.streamRounds,
      callsPerRound: sizes.streamCallsPerRound,
      warmupCalls: sizes.streamWarmupCalls,
      async call(side) {
        for await (const chunk of await stream(side)) if (chunk.object === "chat.completion.chunk") chunkCounts[side] += 1;
      },
      settle,
    });

    await usage.flush();
    await posthog.flush();
    await langfuseProcessor.forceFlush();

    const jsonCalls = 1 + sizes.jsonWarmupCalls + sizes.jsonRounds * sizes.jsonCallsPerRound;
    const streamCalls = 1 + sizes.streamWarmupCalls + sizes.streamRounds * sizes.streamCallsPerRound;
    const events = storage.events;
    problems.push(
      ...verifyEvents(events, { label: "UsagePilot non-streaming", count: jsonCalls, streamed: false, model: jsonExpected.model, userId, usage: jsonExpected }),
      ...verifyEvents(events, { label: "UsagePilot streaming", count: streamCalls, streamed: true, model: streamExpected.model, userId, usage: streamExpected }),
    );
    const priced = events.filter((event) => event.cost !== null).length;
    if (priced !== events.length) problems.push(`UsagePilot: ${events.length - priced} of ${events.length} events without a cost, though the default price book is on`);

    // Each peer must have delivered one capture per call with the served token counts and the caller's
    // user. The model is recorded as each peer names it (the request's or the answer's), not judged.
    const report = await sink.report();
    const expected: Record<string, number> = {};
    const models: PeerResults["captures"]["models"] = { posthog: { json: [], stream: [] }, langfuse: { json: [], stream: [] } };
    for (const source of ["posthog", "langfuse"] as const) {
      for (const [kind, served, count] of [["json", jsonExpected, jsonCalls], ["stream", streamExpected, streamCalls]] as const) {
        const matching = Object.entries(report.captures)
          .map(([key, captures]) => [readCaptureKey(key), captures] as const)
          .filter(([capture]) => capture.source === source && capture.inputTokens === served.inputTokens && capture.outputTokens === served.outputTokens && capture.userId === userId);
        models[source][kind] = matching.map(([capture]) => capture.model ?? "(none)");
        const received = matching.reduce((sum, [, captures]) => sum + captures, 0);
        expected[`${source} ${kind}`] = count;
        if (received !== count) problems.push(`sink: ${received} ${source} ${kind} captures with ${served.inputTokens} input and ${served.outputTokens} output tokens for user ${userId}, for ${count} calls`);
      }
    }
    const captured = Object.values(expected).reduce((sum, count) => sum + count, 0);
    const allCaptures = Object.values(report.captures).reduce((sum, count) => sum + count, 0);
    if (allCaptures !== captured) problems.push(`sink: ${allCaptures} captures in all for ${captured} calls: ${JSON.stringify(report.captures)}`);
    if (report.unreadable > 0) problems.push(`sink: ${report.unreadable} unreadable bodies`);
    for (const host of offMachine) problems.push(`a request left for ${host}`);

    const timedStreams = sizes.streamRounds * sizes.streamCallsPerRound + sizes.streamWarmupCalls;
    return {
      sizes,
      json: { ...jsonTimings, bodyBytes: Buffer.byteLength(json) },
      stream: {
        ...streamTimings,
        bodyBytes: Buffer.byteLength(sse),
        chunks: peerStreamChunks,
        chunksPerStream: Object.fromEntries(peerSides.map((side) => [side, chunkCounts[side] / timedStreams])) as Record<PeerSide, number>,
      },
      versions: Object.fromEntries(["openai", "@posthog/ai", "posthog-node", "@langfuse/openai", "@langfuse/otel", "@opentelemetry/sdk-trace-node"].map((name) => [name, installedVersion(name)])),
      events: { stored: events.length, priced },
      captures: { expected, models, sink: report },
      problems,
    };
  } finally {
    await usage.shutdown();
    await posthog.shutdown();
    await tracerProvider.shutdown();
    // The provider was registered globally: take it down so nothing after this benchmark is traced.
    trace.disable();
    context.disable();
    unsubscribe("undici:request:create", onUndiciRequest);
    unsubscribe("http.client.request.start", onHttpRequest);
    await sink.close();
    await server.close();
  }
}
