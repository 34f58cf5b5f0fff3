// The per-request output cap through the official OpenAI SDK: written into the outgoing body in the
// field each endpoint reads, and the reservation follows the request's own maximum.
import { MemoryQuotaStore } from "@usagepilot/core";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInstance, refused } from "./quota-harness";

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer();
});
afterAll(async () => {
  await server?.close();
});

const headers = { headers: { "x-org-id": "acme", "x-user-id": "u1" } };

describe("maxOutputTokens with the OpenAI adapter", () => {
  it("caps chat (max_tokens as sent, else max_completion_tokens; shared by n choices) and responses (max_output_tokens)", async () => {
    server.reset();
    const instance = createInstance({
      server,
      store: new MemoryQuotaStore(),
      limits: { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { tokens: 1_000_000 }, action: "block" }], maxOutputTokens: 50 },
    });
    const messages = [{ role: "user" as const, content: "hi" }];
    await instance.openai.chat.completions.create({ model: "gpt-4o-mini", messages, max_tokens: 4000 }, headers);
    await instance.openai.chat.completions.create({ model: "gpt-4o-mini", messages }, headers);
    await instance.openai.chat.completions.create({ model: "gpt-4o-mini", messages, max_completion_tokens: 10 }, headers);
    await instance.openai.chat.completions.create({ model: "gpt-4o-mini", messages, max_completion_tokens: 400, n: 2 }, headers);
    await instance.openai.responses.create({ model: "gpt-4o-mini", input: "hi", max_output_tokens: 4000 }, headers);
    await instance.openai.embeddings.create({ model: "text-embedding-3-small", input: "hi" }, headers);
    const sent = server.requests.map((request) => request.json as Record<string, unknown>);
    expect(sent.map((body) => [body.max_tokens, body.max_completion_tokens, body.max_output_tokens])).toEqual([
      [50, undefined, undefined],
      [undefined, 50, undefined],
      [undefined, 10, undefined],
      [undefined, 25, undefined],
      [undefined, undefined, 50],
      [undefined, undefined, undefined],
    ]);
    await instance.usage.shutdown();
  });

  it("the reservation uses the request's own maximum, not the default estimate", async () => {
    server.reset();
    const instance = createInstance({
      server,
      store: new MemoryQuotaStore(),
      limits: { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { tokens: 1_000 }, action: "block" }], defaultOutputTokens: 5_000 },
    });
    // Asks for at most 20 output tokens: it fits, although the default estimate alone would not.
    await instance.openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 20 }, headers);
    // Names no maximum and nothing was observed yet for it... but the first call taught the estimator 20.
    await instance.usage.flush();
    await instance.openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, headers);
    await instance.usage.flush();
    // Asks for more than the budget: refused before it leaves.
    const refusal = await refused(instance.openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 2_000 }, headers));
    expect(refusal).toMatchObject({ metric: "tokens", used: 60, requested: 2_002 });
    expect(server.requests).toHaveLength(2);
    await instance.usage.shutdown();
  });
});
