import { MemoryStorage, UsagePilot } from "@usagepilot/core";
import { createFakeLlmServer } from "@usagepilot/testing";
import { describe, expect, it } from "vitest";
import { anthropicOutputTokens } from "./anthropic-output-tokens";
import { createAnthropicAdapter } from "./create-anthropic-adapter";

describe("anthropicOutputTokens", () => {
  it("reads max_tokens, and a cap only ever lowers it", () => {
    expect(anthropicOutputTokens.requested({ max_tokens: 1024 })).toBe(1024);
    expect(anthropicOutputTokens.requested({})).toBeNull();
    expect(anthropicOutputTokens.cap({ model: "claude", max_tokens: 4096 }, 500)).toEqual({ model: "claude", max_tokens: 500 });
    expect(anthropicOutputTokens.cap({ max_tokens: 100 }, 500)).toEqual({ max_tokens: 100 });
  });

  it("with limits' maxOutputTokens, the request that leaves asks for at most the cap", async () => {
    const server = await createFakeLlmServer();
    const usage = new UsagePilot({
      storage: new MemoryStorage(),
      providers: [createAnthropicAdapter({ baseURLs: [{ baseURL: server.url }] })],
      limits: { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { tokens: 1_000_000 }, action: "block" }], maxOutputTokens: 300 },
    });
    try {
      server.enqueue({ kind: "anthropic", usage: { input_tokens: 5, output_tokens: 7 } });
      const fetchWithUsage = usage.createFetch(() => ({ organization_id: "acme" }));
      const response = await fetchWithUsage(`${server.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 8_192, messages: [{ role: "user", content: "hi" }] }),
      });
      await response.json();
      expect((server.requests[0]!.json as { max_tokens: number }).max_tokens).toBe(300);
    } finally {
      await usage.shutdown();
      await server.close();
    }
  });

  it("a streamed message counts against the budget once it ends, with the tokens it reported", async () => {
    const server = await createFakeLlmServer();
    const usage = new UsagePilot({
      storage: new MemoryStorage(),
      providers: [createAnthropicAdapter({ baseURLs: [{ baseURL: server.url }] })],
      limits: { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { tokens: 1_000_000 }, action: "block" }] },
    });
    try {
      server.enqueue({ kind: "anthropic", usage: { input_tokens: 5, cache_read_input_tokens: 20, output_tokens: 7 }, chunks: 4 });
      const fetchWithUsage = usage.createFetch(() => ({ organization_id: "acme" }));
      const response = await fetchWithUsage(`${server.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] }),
      });
      await response.text();
      await usage.flush();
      const [status] = await usage.limits.status({ organization_id: "acme" });
      expect(status!.metrics).toEqual([expect.objectContaining({ metric: "tokens", used: 32, reserved: 0 })]);
    } finally {
      await usage.shutdown();
      await server.close();
    }
  });
});
