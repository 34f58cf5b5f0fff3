import type { FakeAnthropicUsage } from "../anthropic-answer";

/**
 * The usage `message_start` carries when none is scripted: the input and cache counts (known before
 * generation starts) and Anthropic's placeholder `output_tokens: 1`; server tools and iterations only
 * come with `message_delta`.
 */
export function anthropicStartUsage(usage: FakeAnthropicUsage): FakeAnthropicUsage {
  const { server_tool_use: _tools, iterations: _iterations, output_tokens_details: _details, ...start } = usage;
  return { ...start, output_tokens: 1 };
}
