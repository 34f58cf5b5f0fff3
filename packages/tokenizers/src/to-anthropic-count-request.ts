import type { TokenizerInput } from "@usagepilot/core";

/** The body of Anthropic's `POST /v1/messages/count_tokens`: a Messages request without `max_tokens`. */
export interface AnthropicCountRequest {
  model: string;
  messages: { role: "user" | "assistant"; content: string }[];
  system?: string;
  tools?: unknown[];
}

/**
 * Turns a tokenizer input into a count-tokens body. Plain text is one user message (so the count
 * includes that message's framing, as the provider would bill it). System-role messages join `system`,
 * because Anthropic takes the system prompt apart; roles other than "assistant" are sent as "user";
 * names are dropped (Anthropic has none); empty messages are left out (the API refuses empty text).
 */
export function toAnthropicCountRequest(model: string, input: TokenizerInput, tools: unknown[] | undefined): AnthropicCountRequest {
  if (typeof input === "string") return { model, messages: [{ role: "user", content: input }] };
  const system: string[] = typeof input.system === "string" && input.system !== "" ? [input.system] : [];
  const messages: AnthropicCountRequest["messages"] = [];
  for (const message of input.messages) {
    if (message.content === "") continue;
    if (message.role === "system" || message.role === "developer") system.push(message.content);
    else messages.push({ role: message.role === "assistant" ? "assistant" : "user", content: message.content });
  }
  return {
    model,
    messages,
    ...(system.length > 0 ? { system: system.join("\n\n") } : {}),
    ...(tools !== undefined ? { tools } : {}),
  };
}
