import { readField } from "@usagepilot/core";
import type { TokenizerInput, TokenizerMessage } from "@usagepilot/core";
import { googlePartsText } from "./google-parts-text";

/**
 * A Gemini request body reduced to what a tokenizer counts: `systemInstruction` as the system prompt,
 * each of `contents` as a message of its text parts, `tools` serialised. Media parts and a referenced
 * `cachedContent` (whose tokens are not in the request) make it `omitted: true`, so a count of it is an
 * estimate. Also reads embedding bodies: `content` (embedContent) and `requests[].content`
 * (batchEmbedContents). Null when the body is none of these.
 */
export function googleCountableInput(body: unknown): TokenizerInput | null {
  if (typeof body !== "object" || body === null) return null;
  let omitted = false;
  const messages: TokenizerMessage[] = [];
  const add = (content: unknown, fallbackRole: string) => {
    const role = readField(content, "role");
    const text = googlePartsText(readField(content, "parts"));
    omitted ||= text.omitted;
    messages.push({ role: typeof role === "string" && role !== "" ? role : fallbackRole, content: text.text });
  };

  const contents = readField(body, "contents");
  const single = readField(body, "content");
  const requests = readField(body, "requests");
  if (Array.isArray(contents)) for (const content of contents) add(content, "user");
  else if (typeof single === "object" && single !== null) add(single, "user");
  else if (Array.isArray(requests)) for (const request of requests) add(readField(request, "content"), "user");
  else return null;

  const input: { messages: TokenizerMessage[]; system?: string; tools?: string; omitted?: boolean } = { messages };
  const systemInstruction = readField(body, "systemInstruction") ?? readField(body, "system_instruction");
  if (systemInstruction != null) {
    const system = typeof systemInstruction === "string" ? { text: systemInstruction, omitted: false } : googlePartsText(readField(systemInstruction, "parts"));
    omitted ||= system.omitted;
    input.system = system.text;
  }
  const tools = readField(body, "tools");
  if (Array.isArray(tools) && tools.length > 0) input.tools = JSON.stringify(tools);
  if (readField(body, "cachedContent") != null) omitted = true;
  if (omitted) input.omitted = true;
  return input;
}
