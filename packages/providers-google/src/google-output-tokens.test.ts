import { MemoryStorage, UsagePilot } from "@usagepilot/core";
import { createFakeLlmServer } from "@usagepilot/testing";
import { describe, expect, it } from "vitest";
import { createGoogleAdapter } from "./create-google-adapter";
import { googleOutputTokens } from "./google-output-tokens";

describe("googleOutputTokens", () => {
  it("reads maxOutputTokens per candidate, and a cap shares itself among candidates without raising anything", () => {
    expect(googleOutputTokens.requested({ generationConfig: { maxOutputTokens: 100, candidateCount: 3 } })).toBe(300);
    expect(googleOutputTokens.requested({ contents: [] })).toBeNull();
    expect(googleOutputTokens.cap({ contents: [], generationConfig: { temperature: 0.2 } }, 500)).toEqual({ contents: [], generationConfig: { temperature: 0.2, maxOutputTokens: 500 } });
    expect(googleOutputTokens.cap({ generationConfig: { maxOutputTokens: 400, candidateCount: 2 } }, 500)).toEqual({ generationConfig: { maxOutputTokens: 250, candidateCount: 2 } });
    expect(googleOutputTokens.cap({ generationConfig: { maxOutputTokens: 40 } }, 500)).toEqual({ generationConfig: { maxOutputTokens: 40 } });
  });

  it("with limits' maxOutputTokens, the generateContent request that leaves asks for at most the cap", async () => {
    const server = await createFakeLlmServer();
    const baseURL = `${server.url}/v1beta`;
    const usage = new UsagePilot({
      storage: new MemoryStorage(),
      providers: [createGoogleAdapter({ baseURLs: [{ baseURL }] })],
      limits: { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { tokens: 1_000_000 }, action: "block" }], maxOutputTokens: 256 },
    });
    try {
      server.enqueue({ kind: "gemini", usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 7 } });
      const fetchWithUsage = usage.createFetch(() => ({ organization_id: "acme" }));
      const response = await fetchWithUsage(`${baseURL}/models/gemini-2.5-flash:generateContent`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
      });
      await response.json();
      expect((server.requests[0]!.json as { generationConfig: { maxOutputTokens: number } }).generationConfig.maxOutputTokens).toBe(256);
    } finally {
      await usage.shutdown();
      await server.close();
    }
  });

  it("a streamed generateContent (alt=sse) counts against the budget once it ends, with its last usage snapshot", async () => {
    const server = await createFakeLlmServer();
    const baseURL = `${server.url}/v1beta`;
    const usage = new UsagePilot({
      storage: new MemoryStorage(),
      providers: [createGoogleAdapter({ baseURLs: [{ baseURL }] })],
      limits: { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { tokens: 1_000_000 }, action: "block" }] },
    });
    try {
      server.enqueue({ kind: "gemini", usageMetadata: { promptTokenCount: 11, candidatesTokenCount: 9, thoughtsTokenCount: 4 } });
      const fetchWithUsage = usage.createFetch(() => ({ organization_id: "acme" }));
      const response = await fetchWithUsage(`${baseURL}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
      });
      await response.text();
      await usage.flush();
      const [status] = await usage.limits.status({ organization_id: "acme" });
      expect(status!.metrics).toEqual([expect.objectContaining({ metric: "tokens", used: 24, reserved: 0 })]);
    } finally {
      await usage.shutdown();
      await server.close();
    }
  });
});
