import { createOpenAI } from "@ai-sdk/openai";
import { fixturesDir } from "@usagepilot/testing";
import { generateText, streamText } from "ai";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./meter-harness";

const fixture = (name: string) => join(fixturesDir(), "openai", name);
const tenant = { "x-user-id": "user-2", "x-org-id": "org-2", "x-feature": "analysis" };

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  await harness.close();
});

const providers = () => ({
  metered: createOpenAI({ apiKey: "sk-test", baseURL: harness.server.baseURL, fetch: harness.fetchWithUsage }),
  plain: createOpenAI({ apiKey: "sk-test", baseURL: harness.server.baseURL }),
});

describe("the AI SDK (createOpenAI({ fetch })) through usage.createFetch", () => {
  it("generateText on chat: same text and usage as without metering; the event matches", async () => {
    const file = fixture("chat-nonstream-gpt-4.1-nano.json");
    harness.server.enqueue({ kind: "replay", file });
    harness.server.enqueue({ kind: "replay", file });
    const { metered, plain } = providers();
    const viaMeter = await generateText({ model: metered.chat("gpt-4.1-nano"), prompt: "hi", headers: tenant, maxRetries: 0 });
    const direct = await generateText({ model: plain.chat("gpt-4.1-nano"), prompt: "hi", maxRetries: 0 });
    expect(viaMeter.text).toBe(direct.text);
    expect(viaMeter.usage).toEqual(direct.usage);
    const [event] = await harness.events();
    expect(event).toMatchObject({ dimensions: { user_id: "user-2", organization_id: "org-2", feature: "analysis" }, usage: { inputTokens: viaMeter.usage.inputTokens, outputTokens: viaMeter.usage.outputTokens } });
  });

  it("streamText on chat: same text; the event carries the stream's usage", async () => {
    const file = fixture("chat-stream-gpt-4.1-nano.chunks.jsonl");
    harness.server.enqueue({ kind: "replay", file, splitEvery: 50 });
    harness.server.enqueue({ kind: "replay", file, splitEvery: 50 });
    const { metered, plain } = providers();
    const viaMeter = streamText({ model: metered.chat("gpt-4.1-nano"), prompt: "hi", headers: tenant, maxRetries: 0 });
    const direct = streamText({ model: plain.chat("gpt-4.1-nano"), prompt: "hi", maxRetries: 0 });
    expect(await viaMeter.text).toBe(await direct.text);
    const sdkUsage = await viaMeter.usage;
    expect(sdkUsage.inputTokens).toBe(16);
    expect(sdkUsage.outputTokens).toBe(300);
    const [event] = await harness.events();
    expect(event).toMatchObject({ streamed: true, status: "ok", usage: { inputTokens: 16, outputTokens: 300, cachedInputTokens: 0, reasoningTokens: 0 } });
  });

  it("streamText on the Responses API: reasoning tokens counted inside output", async () => {
    const file = fixture("responses-stream-usage-reasoning.sse");
    harness.server.enqueue({ kind: "replay", file, splitEvery: 33 });
    const { metered } = providers();
    const result = streamText({ model: metered.responses("gpt-5"), prompt: "hi", headers: tenant, maxRetries: 0 });
    await result.text;
    const sdkUsage = await result.usage;
    const [event] = await harness.events();
    expect(event).toMatchObject({ operation: "responses", model: "gpt-5-2025-08-07", usage: { inputTokens: 53, outputTokens: 469, reasoningTokens: 448 } });
    expect(event!.usage!.outputTokens).toBe(sdkUsage.outputTokens);
    expect(event!.usage!.reasoningTokens).toBe(sdkUsage.outputTokenDetails?.reasoningTokens ?? sdkUsage.reasoningTokens);
  });

  it("withDimensions supplies tenants where headers cannot", async () => {
    harness.server.enqueue({ kind: "chat", usage: { prompt_tokens: 3, completion_tokens: 4 } });
    const { metered } = providers();
    await harness.usage.withDimensions({ user_id: "ctx-user", organization_id: "ctx-org" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await generateText({ model: metered.chat("gpt-4o-mini"), prompt: "hi", maxRetries: 0 });
    });
    const [event] = await harness.events();
    expect(event!.dimensions).toEqual({ user_id: "ctx-user", organization_id: "ctx-org" });
  });
});
