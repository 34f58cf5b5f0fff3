import { readField } from "@usagepilot/core";

/**
 * The generated text one Chat Completions stream chunk carries, across its choices: content, refusal,
 * reasoning (DeepSeek's `reasoning_content`, OpenRouter's `reasoning`), tool-call and function-call
 * arguments, and legacy Completions `text`. Empty when it carries none.
 */
export function readOpenAIChatDeltaText(chunk: unknown): string {
  const choices = readField(chunk, "choices");
  if (!Array.isArray(choices)) return "";
  let text = "";
  for (const choice of choices) {
    const delta = readField(choice, "delta");
    for (const key of ["reasoning_content", "reasoning", "content", "refusal"]) {
      const value = readField(delta, key);
      if (typeof value === "string") text += value;
    }
    const toolCalls = readField(delta, "tool_calls");
    if (Array.isArray(toolCalls)) {
      for (const call of toolCalls) {
        const value = readField(readField(call, "function"), "arguments");
        if (typeof value === "string") text += value;
      }
    }
    const functionArguments = readField(readField(delta, "function_call"), "arguments");
    if (typeof functionArguments === "string") text += functionArguments;
    const legacy = readField(choice, "text");
    if (typeof legacy === "string") text += legacy;
  }
  return text;
}
