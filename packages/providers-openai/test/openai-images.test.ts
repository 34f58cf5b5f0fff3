import { QuotaExceededError } from "@usagepilot/core";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./meter-harness";

const tenant = { "x-user-id": "user-1", "x-org-id": "org-1", "x-feature": "images" };
const json = { "content-type": "application/json" };
const pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

let harness: Harness;
let openai: OpenAI;

beforeEach(async () => {
  harness = await createHarness();
  openai = new OpenAI({ apiKey: "sk-test", baseURL: harness.server.baseURL, fetch: harness.fetchWithUsage, maxRetries: 0 });
});
afterEach(async () => {
  await harness.close();
});

describe("the Images API through the openai SDK", () => {
  it("gpt-image: the images made are a unit, and the tokens it reports are the usage", async () => {
    const answer = {
      created: 1_764_400_000,
      data: [{ b64_json: pixel }, { b64_json: pixel }],
      usage: { total_tokens: 4_210, input_tokens: 50, output_tokens: 4_160, input_tokens_details: { text_tokens: 40, image_tokens: 10 } },
    };
    harness.server.enqueue({ kind: "raw", headers: json, body: JSON.stringify(answer) });
    const result = await openai.images.generate({ model: "gpt-image-1", prompt: "a lighthouse", n: 2 }, { headers: tenant });
    expect(result.data).toHaveLength(2);
    const [event] = await harness.events(1);
    expect(event).toMatchObject({
      provider: "openai",
      operation: "images",
      model: "gpt-image-1",
      status: "ok",
      units: { images: 2 },
      usage: { inputTokens: 50, outputTokens: 4_160, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0, imageInputTokens: 10 },
      dimensions: { user_id: "user-1", organization_id: "org-1", feature: "images" },
    });
  });

  it("DALL·E: no token usage (not measured, never 0), the images counted", async () => {
    harness.server.enqueue({ kind: "raw", headers: json, body: JSON.stringify({ created: 1_764_400_000, data: [{ url: "https://example.test/a.png", revised_prompt: "a lighthouse at dusk" }] }) });
    await openai.images.generate({ model: "dall-e-3", prompt: "a lighthouse" }, { headers: tenant });
    const [event] = await harness.events(1);
    expect(event).toMatchObject({ operation: "images", model: "dall-e-3", usage: null, units: { images: 1 }, status: "ok" });
  });

  it("a refused image request is an error event with nothing counted", async () => {
    harness.server.enqueue({ kind: "error", status: 400, body: { error: { message: "Your request was rejected by the safety system.", type: "image_generation_user_error", param: null, code: "content_policy_violation" } } });
    await expect(openai.images.generate({ model: "gpt-image-1", prompt: "x" }, { headers: tenant })).rejects.toThrow();
    const [event] = await harness.events(1);
    expect(event).toMatchObject({ operation: "images", status: "error", usage: null, units: {} });
  });

  it("a budget in images refuses the call that would exceed it, before it leaves", async () => {
    const limited = await createHarness({ limits: { rules: [{ name: "org-images", key: ["organization_id"], window: "day", max: { units: { images: 3 } }, action: "block" }] } });
    const client = new OpenAI({ apiKey: "sk-test", baseURL: limited.server.baseURL, fetch: limited.fetchWithUsage, maxRetries: 0 });
    try {
      const answer = (count: number) => ({ kind: "raw" as const, headers: json, body: JSON.stringify({ created: 1, data: Array.from({ length: count }, () => ({ url: "https://example.test/a.png" })) }) });
      limited.server.enqueue(answer(2));
      await client.images.generate({ model: "dall-e-2", prompt: "a", n: 2 }, { headers: tenant });
      await limited.usage.flush();
      limited.server.enqueue(answer(1));
      await client.images.generate({ model: "dall-e-2", prompt: "b" }, { headers: tenant });
      await limited.usage.flush();
      // The SDK wraps what its fetch threw: the refusal is the cause.
      const refused = await client.images.generate({ model: "dall-e-2", prompt: "c" }, { headers: tenant }).then(
        () => undefined,
        (error: unknown) => (error as { cause?: unknown }).cause,
      );
      expect(QuotaExceededError.isInstance(refused)).toBe(true);
      expect(refused).toMatchObject({ rule: "org-images", metric: "units.images", used: 3, requested: 1 });
      // The refused call never reached the provider.
      expect(limited.server.requests).toHaveLength(2);
      const [status] = await limited.usage.limits.status({ organization_id: "org-1" });
      expect(status!.metrics).toEqual([expect.objectContaining({ metric: "units.images", limit: 3, used: 3 })]);
    } finally {
      await limited.close();
    }
  });
});
