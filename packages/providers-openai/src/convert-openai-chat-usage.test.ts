import { describe, expect, it } from "vitest";
import { convertOpenAIChatUsage } from "./convert-openai-chat-usage";
import { openAIDialect } from "./openai-dialect";
import { knownOpenAIHosts } from "./openai-hosts";

const xai = knownOpenAIHosts.find((host) => host.provider === "xai")!.dialect;

describe("convertOpenAIChatUsage", () => {
  it("keeps cached tokens inside input and reasoning inside output (OpenAI)", () => {
    expect(
      convertOpenAIChatUsage(
        { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 128, rejected_prediction_tokens: 5 } },
        openAIDialect,
      ),
    ).toEqual({ inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1024, cacheWriteInputTokens: 0, reasoningTokens: 128, rejectedPredictionTokens: 5 });
  });

  it("reads DeepSeek's cache hit count", () => {
    expect(convertOpenAIChatUsage({ prompt_tokens: 100, completion_tokens: 10, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 }, openAIDialect)).toMatchObject({ inputTokens: 100, cachedInputTokens: 64 });
  });

  it("reads OpenRouter's cache writes as a subset of input", () => {
    expect(convertOpenAIChatUsage({ prompt_tokens: 500, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 300 } }, openAIDialect)).toMatchObject({
      inputTokens: 500,
      cachedInputTokens: 100,
      cacheWriteInputTokens: 300,
    });
  });

  it("adds xAI reasoning to output, since xAI counts it outside completion_tokens", () => {
    const usage = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 130, completion_tokens_details: { reasoning_tokens: 100 } };
    expect(convertOpenAIChatUsage(usage, xai)).toMatchObject({ outputTokens: 110, reasoningTokens: 100 });
    // The arithmetic of the total decides even for a host configured the other way.
    expect(convertOpenAIChatUsage(usage, openAIDialect)).toMatchObject({ outputTokens: 110, reasoningTokens: 100 });
    // And when the total shows reasoning inside, an xAI-configured host is not double counted.
    expect(convertOpenAIChatUsage({ prompt_tokens: 20, completion_tokens: 110, total_tokens: 130, completion_tokens_details: { reasoning_tokens: 100 } }, xai)).toMatchObject({ outputTokens: 110, reasoningTokens: 100 });
  });

  it("returns null for what is not a usage object", () => {
    expect(convertOpenAIChatUsage(null, openAIDialect)).toBeNull();
    expect(convertOpenAIChatUsage({}, openAIDialect)).toBeNull();
    expect(convertOpenAIChatUsage({ prompt_tokens: -1 }, openAIDialect)).toBeNull();
    expect(convertOpenAIChatUsage({ prompt_tokens: "12" }, openAIDialect)).toBeNull();
  });
});
