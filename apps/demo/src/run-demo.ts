import { createOpenAI } from "@ai-sdk/openai";
import { createFakeLlmServer } from "@usagepilot/testing";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { createOpenAIAdapter, UsagePilot, type UsageQueryRow } from "usagepilot";
import { PostgresStorage } from "usagepilot/postgres";
import { demoPrices } from "./demo-prices";
import { demoCalls } from "./tenants";

type Dimensions = { user_id: string; organization_id?: string; feature?: "chat" | "analysis" };

/** What a demo run produced: the per-tenant table rows of this run, and what the fake provider served. */
export interface DemoResult {
  rows: UsageQueryRow[];
  served: { inputTokens: number; outputTokens: number; calls: number };
}

/**
 * The DESIGN.md example, offline: a fake OpenAI-compatible server stands in for the provider, and a few
 * tenants call it through the openai SDK and the AI SDK with the metered fetch.
 */
export async function runDemo(options: { dataDir?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<DemoResult> {
  const server = await createFakeLlmServer();
  // The embedded default: PGlite on disk, kept between runs; each run reports its own calls.
  const storage = new PostgresStorage({ dataDir: options.dataDir ?? ".usagepilot/demo" });
  const runStarted = new Date();
  const usage = new UsagePilot<Dimensions>({
    storage,
    prices: demoPrices,
    // The fake server stands where api.openai.com would; claim its base URL as OpenAI.
    providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: server.baseURL, provider: "openai" }] })],
    batchSize: 50,
    flushInterval: 60_000,
  });

  const fetchWithUsage = usage.createFetch((request) => ({
    user_id: request.headers.get("x-user-id") || "anonymous",
    organization_id: request.headers.get("x-org-id"),
    feature: request.headers.get("x-feature"),
  }));
  const openai = new OpenAI({ apiKey: "sk-demo", baseURL: server.baseURL, fetch: fetchWithUsage });
  const aiSdk = createOpenAI({ apiKey: "sk-demo", baseURL: server.baseURL, fetch: fetchWithUsage });

  const calls = demoCalls();
  try {
    for (const [index, call] of calls.entries()) {
      server.enqueue({ kind: "chat", usage: call.usage, content: "A short answer from the fake provider.", chunks: 8 });
      const messages = [{ role: "user" as const, content: "Summarise this quarter's numbers." }];
      if (call.client === "openai-sdk" && call.stream) {
        const stream = await openai.chat.completions.create({ model: call.model, messages, stream: true }, { headers: call.headers });
        for await (const _chunk of stream) {
          // A real app would forward the tokens to its user.
        }
      } else if (call.client === "openai-sdk") {
        await openai.chat.completions.create({ model: call.model, messages }, { headers: call.headers });
      } else if (call.stream) {
        await streamText({ model: aiSdk.chat(call.model), messages, headers: call.headers }).text;
      } else {
        await generateText({ model: aiSdk.chat(call.model), messages, headers: call.headers });
      }
      options.onProgress?.(index + 1, calls.length);
    }
    await usage.flush();
    const rows = await usage.query({ from: runStarted, to: new Date(Date.now() + 60_000), groupBy: ["organization_id", "user_id"] });
    const served = calls.reduce(
      (sum, call) => ({ inputTokens: sum.inputTokens + call.usage.prompt_tokens, outputTokens: sum.outputTokens + call.usage.completion_tokens, calls: sum.calls + 1 }),
      { inputTokens: 0, outputTokens: 0, calls: 0 },
    );
    return { rows, served };
  } finally {
    await usage.shutdown();
    await server.close();
  }
}
