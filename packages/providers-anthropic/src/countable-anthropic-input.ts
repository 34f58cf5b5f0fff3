import { readField } from "@usagepilot/core";
import type { TokenizerInput, TokenizerMessage } from "@usagepilot/core";

/** Text of content blocks; `omitted` is set when a block cannot be counted locally (images, documents, ...). */
function blocksText(content: unknown, state: { omitted: boolean }): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const block of content) {
    const type = readField(block, "type");
    const text = readField(block, "text");
    const thinking = readField(block, "thinking");
    if (type === "text" && typeof text === "string") parts.push(text);
    else if (type === "thinking" && typeof thinking === "string") parts.push(thinking);
    else if (type === "tool_use" || type === "server_tool_use") parts.push(`${String(readField(block, "name") ?? "")} ${JSON.stringify(readField(block, "input") ?? {})}`);
    else if (type === "tool_result" || type === "web_search_tool_result" || type === "web_fetch_tool_result") parts.push(blocksText(readField(block, "content"), state));
    // Images, documents, search results, redacted thinking and block types unknown here are left out.
    else state.omitted = true;
  }
  return parts.join("\n");
}

/**
 * A Messages request body reduced to what a tokenizer counts: the `system` prompt, each message's text
 * (tool calls and results as text), and the tool definitions serialised. `omitted` is true when parts
 * that cannot be counted locally (images, documents, ...) were left out. Null for a body without
 * `messages`.
 */
export function countableAnthropicInput(body: unknown): TokenizerInput | null {
  const list = readField(body, "messages");
  if (!Array.isArray(list)) return null;
  const state = { omitted: false };
  const messages: TokenizerMessage[] = list.map((message) => {
    const role = readField(message, "role");
    return { role: typeof role === "string" ? role : "user", content: blocksText(readField(message, "content"), state) };
  });
  const input: TokenizerInput & object = { messages };
  const system = blocksText(readField(body, "system"), state);
  if (system !== "") input.system = system;
  const tools = readField(body, "tools");
  if (Array.isArray(tools) && tools.length > 0) input.tools = JSON.stringify(tools);
  if (state.omitted) input.omitted = true;
  return input;
}
