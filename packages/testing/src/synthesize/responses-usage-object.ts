import type { FakeResponsesUsage } from "../fake-llm-answer";

/** OpenAI's Responses API `usage` object for the given counts. */
export function responsesUsageObject(usage: FakeResponsesUsage): Record<string, unknown> {
  return {
    input_tokens: usage.input_tokens,
    input_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
    output_tokens: usage.output_tokens,
    output_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 0 },
    total_tokens: usage.input_tokens + usage.output_tokens,
  };
}
