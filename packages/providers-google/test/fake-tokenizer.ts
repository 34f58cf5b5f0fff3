import type { TokenizerInput, TokenizerV1 } from "@usagepilot/core";

/** Text of a tokenizer input, joined. */
function textOf(input: TokenizerInput): string {
  if (typeof input === "string") return input;
  return [input.system ?? "", ...input.messages.map((message) => message.content), input.tools ?? ""].join("\n");
}

/**
 * A tiny deterministic tokenizer for tests: one token per started run of 4 characters, "counted" for
 * models starting with `gemini`, unable to count any other.
 */
export function createFakeTokenizer(): TokenizerV1 & { calls: { provider: string; model: string; input: TokenizerInput }[] } {
  const calls: { provider: string; model: string; input: TokenizerInput }[] = [];
  return {
    specificationVersion: "v1",
    calls,
    count(request) {
      calls.push(request);
      if (!request.model.startsWith("gemini")) return null;
      return { tokens: Math.ceil(textOf(request.input).length / 4), accuracy: "counted" };
    },
  };
}
