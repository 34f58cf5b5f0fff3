import { describe, expect, it } from "vitest";
import { estimateCutUsage } from "./estimate-cut-usage";
import type { TokenizerV1 } from "./tokenizer-v1";

/** Counts words: exact for "gpt-" models, an estimate for the rest, nothing for "unknown". */
const words: TokenizerV1 = {
  specificationVersion: "v1",
  count({ model, input }) {
    if (model === "unknown") return null;
    const text = typeof input === "string" ? input : [input.system ?? "", ...input.messages.map((message) => message.content)].join(" ");
    const tokens = text.split(/\s+/).filter(Boolean).length;
    return { tokens, accuracy: model.startsWith("gpt-") ? "counted" : "estimated" };
  },
};
const messages = { messages: [{ role: "user", content: "one two three" }] };

describe("estimateCutUsage", () => {
  it("counts input and output with the tokenizer, and calls it an estimate even when every byte was read (what a cut stream bills is undocumented)", () => {
    expect(estimateCutUsage({ tokenizer: words, provider: "openai", model: "gpt-4o", input: messages, output: { text: "a b c d", readBytes: 100, totalBytes: 100 } })).toEqual({
      usage: { inputTokens: 3, outputTokens: 4, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
      accuracy: "estimated",
    });
  });

  it("scales the output to the bytes that passed unread, rounding up, and says it is an estimate", () => {
    const result = estimateCutUsage({ tokenizer: words, provider: "openai", model: "gpt-4o", input: messages, output: { text: "a b c", readBytes: 1_000, totalBytes: 10_500 } });
    expect(result).toEqual({ usage: expect.objectContaining({ inputTokens: 3, outputTokens: 32 }), accuracy: "estimated" });
  });


  it("keeps input counts the provider reported before the cut, cache split included, and counts only the output", () => {
    const result = estimateCutUsage({
      tokenizer: words,
      provider: "anthropic",
      model: "gpt-like",
      input: null,
      output: { text: "x y", readBytes: 10, totalBytes: 10 },
      reportedInput: { inputTokens: 1_114, cachedInputTokens: 1_111, cacheWriteInputTokens: 0 },
    });
    expect(result).toEqual({ usage: { inputTokens: 1_114, cachedInputTokens: 1_111, cacheWriteInputTokens: 0, outputTokens: 2, reasoningTokens: 0 }, accuracy: "estimated" });
  });

  it("gives nothing when it cannot count: no model, no input, or a model the tokenizer does not know", () => {
    const output = { text: "a", readBytes: 1, totalBytes: 1 };
    expect(estimateCutUsage({ tokenizer: words, provider: "openai", model: null, input: messages, output })).toBeNull();
    expect(estimateCutUsage({ tokenizer: words, provider: "openai", model: "gpt-4o", input: null, output })).toBeNull();
    expect(estimateCutUsage({ tokenizer: words, provider: "custom", model: "unknown", input: messages, output })).toBeNull();
  });
});
