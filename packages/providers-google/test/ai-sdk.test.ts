import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { fixtureBody, fixturesDir } from "@usagepilot/testing";
import { generateText, streamText } from "ai";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tokens } from "./google-conformance-cases";
import { createHarness, type Harness } from "./meter-harness";

const fixture = (name: string) => join(fixturesDir(), "gemini", name);
const tenant = { "x-user-id": "user-7", "x-org-id": "org-7", "x-feature": "analysis" };

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  await harness.close();
});

const providers = () => ({
  metered: createGoogleGenerativeAI({ apiKey: "test-key", baseURL: harness.geminiBaseURL, fetch: harness.fetchWithUsage }),
  plain: createGoogleGenerativeAI({ apiKey: "test-key", baseURL: harness.geminiBaseURL }),
});

describe("the AI SDK (createGoogleGenerativeAI({ fetch })) through usage.createFetch, on recorded answers", () => {
  it("generateText, thoughts outside candidatesTokenCount: same text and usage as unmetered; the event adds thoughts to output", async () => {
    const file = fixture("generateContent-gemini-3-pro-thoughts.json");
    harness.server.enqueue({ kind: "replay", file }, { kind: "replay", file });
    const { metered, plain } = providers();
    const viaMeter = await generateText({ model: metered("gemini-3-pro-preview"), prompt: "How many r's are in strawberry?", headers: tenant, maxRetries: 0 });
    const direct = await generateText({ model: plain("gemini-3-pro-preview"), prompt: "How many r's are in strawberry?", maxRetries: 0 });
    expect(viaMeter.text).toBe(direct.text);
    expect(viaMeter.usage).toEqual(direct.usage);
    const [event] = await harness.events();
    expect(event).toMatchObject({
      provider: "google",
      operation: "chat",
      model: "gemini-3-pro-preview",
      usage: tokens(9, 0, 0, 272, 244),
      status: "ok",
      accuracy: "reported",
      streamed: false,
      dimensions: { user_id: "user-7", organization_id: "org-7", feature: "analysis" },
    });
    expect(event!.providerRequestId).toMatch(/^req_/);
    // The SDK agrees on output: candidates plus thoughts.
    expect(event!.usage!.outputTokens).toBe(viaMeter.usage.outputTokens);
    expect(event!.usage!.reasoningTokens).toBe(viaMeter.usage.outputTokenDetails.reasoningTokens);
  });

  it("generateText, cached content inside the prompt count: cached is a subset of input", async () => {
    harness.server.enqueue({ kind: "replay", file: fixture("generateContent-cached-content.json") });
    const { metered } = providers();
    const result = await generateText({ model: metered("gemini-2.5-flash"), prompt: "Explain me this video", headers: tenant, maxRetries: 0 });
    const [event] = await harness.events();
    expect(event!.usage).toEqual(tokens(17713, 17379, 0, 889, 821, { audioInputTokens: 1917, cachedAudioInputTokens: 1881 }));
    expect(event!.model).toBe("gemini-2.5-flash");
    expect(event!.usage!.inputTokens).toBe(result.usage.inputTokens);
    expect(event!.usage!.cachedInputTokens).toBe(result.usage.inputTokenDetails.cacheReadTokens);
  });

  it("streamText on the recorded SSE stream (CRLF, a snapshot on every chunk): same text; the last snapshot counts", async () => {
    const file = fixture("streamGenerateContent-sse-usage-every-chunk.sse");
    harness.server.enqueue({ kind: "replay", file, splitEvery: 37 }, { kind: "replay", file, splitEvery: 37 });
    const { metered, plain } = providers();
    const viaMeter = streamText({ model: metered("gemini-2.5-flash"), prompt: "Count to 30", headers: tenant, maxRetries: 0 });
    const direct = streamText({ model: plain("gemini-2.5-flash"), prompt: "Count to 30", maxRetries: 0 });
    expect(await viaMeter.text).toBe(await direct.text);
    const sdkUsage = await viaMeter.usage;
    const [event] = await harness.events();
    expect(event).toMatchObject({ model: "gemini-2.5-flash", usage: tokens(18, 0, 0, 115, 35), status: "ok", accuracy: "reported", streamed: true });
    expect(event!.usage!.outputTokens).toBe(sdkUsage.outputTokens);
    expect(event!.usage!.inputTokens).toBe(sdkUsage.inputTokens);
  });

  it("the recorded streamed JSON array (no alt=sse; the SDK cannot ask for it) through the metered fetch over HTTP, written in pieces of every size", async () => {
    const file = fixture("streamGenerateContent-json-array-no-alt-sse.json");
    const { bytes } = fixtureBody(file);
    const sizes = [1, 2, 3, 5, 8, 13, 64, 333, 1024, bytes.length];
    for (const size of sizes) harness.server.enqueue({ kind: "replay", file, splitEvery: size });
    for (const size of sizes) {
      const response = await harness.fetchWithUsage(`${harness.geminiBaseURL}/models/gemini-flash-latest:streamGenerateContent`, {
        method: "POST",
        headers: { "content-type": "application/json", ...tenant },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "Name a dog" }] }] }),
      });
      const received = new Uint8Array(await response.arrayBuffer());
      expect(Buffer.from(received).equals(Buffer.from(bytes)), `bytes unchanged with writes of ${size}`).toBe(true);
    }
    const events = await harness.events(sizes.length);
    expect(events).toHaveLength(sizes.length);
    for (const event of events) {
      expect(event).toMatchObject({ provider: "google", model: "gemini-3.6-flash", usage: tokens(11, 0, 0, 293, 291), status: "ok", accuracy: "reported", streamed: true });
    }
  });
});
