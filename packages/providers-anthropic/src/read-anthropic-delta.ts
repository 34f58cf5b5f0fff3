import { readField, safeParseJson } from "@usagepilot/core";

/** Delta type → the field holding the generated text it adds. Citations and signatures are not generated text. */
const textFields: Record<string, string> = {
  text_delta: "text",
  thinking_delta: "thinking",
  input_json_delta: "partial_json",
  compaction_delta: "content",
};

/**
 * What one `content_block_delta` event adds: its content block's index and the generated text (answer
 * text, thinking, tool-call arguments, a compaction summary), for counting a stream cut before its usage
 * came. The text is empty for anything else.
 */
export function readAnthropicDelta(data: string): { index: number | undefined; text: string } {
  const parsed = safeParseJson(data);
  if (!parsed.ok) return { index: undefined, text: "" };
  const index = readField(parsed.value, "index");
  const delta = readField(parsed.value, "delta");
  const type = readField(delta, "type");
  const field = typeof type === "string" ? textFields[type] : undefined;
  const text = field === undefined ? undefined : readField(delta, field);
  return { index: typeof index === "number" ? index : undefined, text: typeof text === "string" ? text : "" };
}
