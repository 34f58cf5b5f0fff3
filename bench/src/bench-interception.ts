import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixturesDir, synthesizeChatStream } from "@usagepilot/testing";
import { createOpenAIAdapter, UsagePilot } from "usagepilot";
import { CheckingStorage } from "./checking-storage";
import { runInterleaved, type InterleavedTimings, type Side } from "./run-interleaved";
import { startBenchServer } from "./start-bench-server";

/** How much work each benchmark does. */
export interface InterceptionSizes {
  jsonRounds: number;
  jsonCallsPerRound: number;
  jsonWarmupCalls: number;
  streamRounds: number;
  streamCallsPerRound: number;
  streamWarmupCalls: number;
}

/** Sizes for the recorded run: many short rounds, so load from other processes hits both sides alike; about 25 s. */
export const fullSizes: InterceptionSizes = {
  jsonRounds: 80,
  jsonCallsPerRound: 200,
  jsonWarmupCalls: 300,
  streamRounds: 80,
  streamCallsPerRound: 15,
  streamWarmupCalls: 20,
};

/** Sizes for a smoke run (`--quick`). */
export const quickSizes: InterceptionSizes = {
  jsonRounds: 4,
  jsonCallsPerRound: 50,
  jsonWarmupCalls: 50,
  streamRounds: 4,
  streamCallsPerRound: 5,
  streamWarmupCalls: 5,
};

/** Content chunks in the streamed answer (plus the role, finish and usage chunks and `[DONE]`). */
export const streamChunks = 1000;

/** Results of the interception benchmark. */
export interface InterceptionResults {
  sizes: InterceptionSizes;
  json: InterleavedTimings & { bodyBytes: number };
  stream: InterleavedTimings & { bodyBytes: number; chunks: number; reads: Record<Side, number> };
  /** Events the metered side stored. */
  events: number;
  /** Problems found checking the metered side; empty when every call was metered correctly. */
  problems: string[];
}

const userId = "user-1";
const headers = { "content-type": "application/json", authorization: "Bearer sk-bench", "x-user-id": userId };
const jsonRequest = JSON.stringify({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "Invent a holiday." }] });
// include_usage is already set, so the metered fetch sends the very same body as the plain one.
const streamRequest = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Count to 1000." }], stream: true, stream_options: { include_usage: true } });
const streamUsage = { prompt_tokens: 12, completion_tokens: streamChunks };

/**
 * Times plain `fetch` against UsagePilot's metered fetch on the same local server in one run:
 * non-streaming calls (per-call time), then 1,000-chunk streams (throughput), each in alternating rounds.
 */
export async function benchInterception(sizes: InterceptionSizes, log: (line: string) => void): Promise<InterceptionResults> {
  // A real recorded OpenAI answer for the JSON side; a synthesised stream for the SSE side.
  const json = readFileSync(join(fixturesDir(), "openai/chat-nonstream-gpt-4.1-nano.json"), "utf8");
  const sse = synthesizeChatStream({ usage: streamUsage, chunks: streamChunks, includeUsage: true, model: "gpt-4o-mini" });
  const server = await startBenchServer({ json, sse });
  const problems: string[] = [];
  const calls = (rounds: number, perRound: number, warmup: number) => rounds * perRound + warmup + 1;
  const storage = new CheckingStorage([
    {
      label: "non-streaming",
      count: calls(sizes.jsonRounds, sizes.jsonCallsPerRound, sizes.jsonWarmupCalls),
      streamed: false,
      model: "gpt-4.1-nano-2025-04-14",
      userId,
      usage: { inputTokens: 16, outputTokens: 363 },
    },
    {
      label: "streaming",
      count: calls(sizes.streamRounds, sizes.streamCallsPerRound, sizes.streamWarmupCalls),
      streamed: true,
      model: "gpt-4o-mini",
      userId,
      usage: { inputTokens: streamUsage.prompt_tokens, outputTokens: streamUsage.completion_tokens },
    },
  ]);
  const usage = new UsagePilot({
    storage,
    providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: server.baseURL, provider: "openai" }] })],
    onError: (error) => problems.push(`onError: ${error instanceof Error ? error.message : String(error)}`),
  });
  const fetches: Record<Side, typeof globalThis.fetch> = {
    plain: globalThis.fetch,
    metered: usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") || "anonymous" })),
  };
  const url = `${server.baseURL}/chat/completions`;
  // Metering records calls after the caller has its answer; whatever it left queued at the end of a round
  // is recorded (and stored) then and counted in the metered side's round, not in the next side's.
  const settle = async (side: Side) => {
    if (side === "metered") await usage.flush();
  };

  try {
    // Metering must not change what the caller receives: both sides must read the same bytes.
    for (const body of [jsonRequest, streamRequest]) {
      const [plain, metered] = await Promise.all([fetches.plain(url, { method: "POST", headers, body }).then((response) => response.text()), fetches.metered(url, { method: "POST", headers, body }).then((response) => response.text())]);
      if (plain !== metered) problems.push(`the metered fetch changed the response body (${plain.length} vs ${metered.length} characters)`);
    }

    log(`non-streaming: ${sizes.jsonRounds} rounds × ${sizes.jsonCallsPerRound} calls per side…`);
    const jsonTimings = await runInterleaved({
      rounds: sizes.jsonRounds,
      callsPerRound: sizes.jsonCallsPerRound,
      warmupCalls: sizes.jsonWarmupCalls,
      settle,
      async call(side) {
        const response = await fetches[side](url, { method: "POST", headers, body: jsonRequest });
        if (!response.ok) throw new Error(`the bench server answered ${response.status}`);
        await response.json();
      },
    });

    log(`streaming: ${sizes.streamRounds} rounds × ${sizes.streamCallsPerRound} streams per side…`);
    const reads: Record<Side, number> = { plain: 0, metered: 0 };
    const streamTimings = await runInterleaved({
      rounds: sizes.streamRounds,
      callsPerRound: sizes.streamCallsPerRound,
      warmupCalls: sizes.streamWarmupCalls,
      settle,
      async call(side) {
        const response = await fetches[side](url, { method: "POST", headers, body: streamRequest });
        if (!response.ok || response.body === null) throw new Error(`the bench server answered ${response.status}`);
        // The caller reads every byte and does nothing else, so any cost of metering shows in full.
        const reader = response.body.getReader();
        for (;;) {
          const result = await reader.read();
          if (result.done) break;
          reads[side] += 1;
        }
      },
    });

    await usage.flush();
    problems.push(...storage.problems());
    const timedStreams = sizes.streamRounds * sizes.streamCallsPerRound;
    return {
      sizes,
      json: { ...jsonTimings, bodyBytes: Buffer.byteLength(json) },
      stream: {
        ...streamTimings,
        bodyBytes: Buffer.byteLength(sse),
        chunks: streamChunks,
        // Reads the caller needed per stream, over every stream of that side (warm-up included).
        reads: { plain: reads.plain / (timedStreams + sizes.streamWarmupCalls), metered: reads.metered / (timedStreams + sizes.streamWarmupCalls) },
      },
      events: storage.stored,
      problems,
    };
  } finally {
    await usage.shutdown();
    await server.close();
  }
}
