import type { TokenizerInput, TokenizerV1 } from "@usagepilot/core";

/** Words of a tokenizer input: the system prompt, every message, the tools. */
function words(input: TokenizerInput): number {
  const count = (text: string) => text.split(/\s+/).filter((word) => word !== "").length;
  if (typeof input === "string") return count(input);
  return input.messages.reduce((sum, message) => sum + count(message.content), count(input.system ?? "") + count(input.tools ?? ""));
}

/**
 * A tiny fake tokenizer for tests: one token per whitespace-separated word, "counted" for Claude models,
 * and unable to count for any other (null), as a real tokenizer is for models it does not know.
 */
export function createWordTokenizer(): TokenizerV1 & { calls: { model: string; input: TokenizerInput }[] } {
  const calls: { model: string; input: TokenizerInput }[] = [];
  return {
    specificationVersion: "v1",
    calls,
    count({ model, input }) {
      calls.push({ model, input });
      if (!model.startsWith("claude")) return null;
      return { tokens: words(input), accuracy: "counted" };
    },
  };
}
