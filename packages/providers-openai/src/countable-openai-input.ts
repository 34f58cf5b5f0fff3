import { readField, readString } from "@usagepilot/core";
import type { TokenizerInput, TokenizerMessage } from "@usagepilot/core";

/** What the text of a message or item could hold: its text, and whether parts were left out. */
interface ReadText {
  text: string;
  omitted: boolean;
}

// Parts that are text, in Chat Completions and in the Responses API (input and replayed output).
const textPartTypes = new Set(["text", "input_text", "output_text", "refusal"]);

/** The text of a `content` that is a string or an array of parts; images, audio and files are left out. */
function readContent(content: unknown): ReadText {
  if (typeof content === "string") return { text: content, omitted: false };
  if (content === null || content === undefined) return { text: "", omitted: false };
  if (!Array.isArray(content)) return { text: "", omitted: true };
  let text = "";
  let omitted = false;
  for (const part of content) {
    const type = readString(part, "type");
    const partText = readField(part, "text") ?? readField(part, "refusal");
    if (type !== undefined && textPartTypes.has(type) && typeof partText === "string") text += partText;
    else omitted = true;
  }
  return { text, omitted };
}

/** Tool calls an assistant message replays are input too: their names and arguments, as text. */
function readToolCalls(toolCalls: unknown): string {
  if (!Array.isArray(toolCalls)) return "";
  return toolCalls.map((call) => `${readString(readField(call, "function"), "name") ?? ""}${readString(readField(call, "function"), "arguments") ?? ""}`).join("");
}

function serialiseTools(tools: unknown): string | undefined {
  return Array.isArray(tools) && tools.length > 0 ? JSON.stringify(tools) : undefined;
}

function chatInput(body: unknown): TokenizerInput | null {
  const messages = readField(body, "messages");
  if (!Array.isArray(messages)) return null;
  let omitted = false;
  const read: TokenizerMessage[] = messages.map((message) => {
    const content = readContent(readField(message, "content"));
    omitted ||= content.omitted;
    const name = readString(message, "name");
    const refusal = readString(message, "refusal") ?? "";
    return { role: readString(message, "role") ?? "user", content: content.text + refusal + readToolCalls(readField(message, "tool_calls")), ...(name === undefined ? {} : { name }) };
  });
  // Audio input given apart from the messages is not text.
  if (readField(body, "audio") != null) omitted = true;
  const tools = serialiseTools(readField(body, "tools")) ?? serialiseTools(readField(body, "functions"));
  return { messages: read, ...(tools === undefined ? {} : { tools }), ...(omitted ? { omitted: true } : {}) };
}

/** One Responses API input item as a message: messages, and replayed function calls and their outputs. */
function responsesItem(item: unknown): { message?: TokenizerMessage; omitted: boolean } {
  if (typeof item === "string") return { message: { role: "user", content: item }, omitted: false };
  const type = readString(item, "type") ?? "message";
  if (type === "message") {
    const content = readContent(readField(item, "content"));
    return { message: { role: readString(item, "role") ?? "user", content: content.text }, omitted: content.omitted };
  }
  if (type === "function_call") return { message: { role: "assistant", content: `${readString(item, "name") ?? ""}${readString(item, "arguments") ?? ""}` }, omitted: false };
  if (type === "function_call_output") {
    const output = readField(item, "output");
    if (typeof output === "string") return { message: { role: "tool", content: output }, omitted: false };
    const content = readContent(output);
    return { message: { role: "tool", content: content.text }, omitted: content.omitted };
  }
  // Reasoning items, item references, built-in tool calls...: their tokens cannot be counted from here.
  return { omitted: true };
}

function responsesInput(body: unknown): TokenizerInput | null {
  const input = readField(body, "input");
  const instructions = readString(body, "instructions");
  const tools = serialiseTools(readField(body, "tools"));
  const messages: TokenizerMessage[] = [];
  let omitted = false;
  if (typeof input === "string") messages.push({ role: "user", content: input });
  else if (Array.isArray(input)) {
    for (const item of input) {
      const read = responsesItem(item);
      if (read.message) messages.push(read.message);
      omitted ||= read.omitted;
    }
  } else if (input !== undefined && input !== null) return null;
  // A stored conversation or a prompt template is input the request does not show.
  if (readField(body, "previous_response_id") != null || readField(body, "conversation") != null || readField(body, "prompt") != null) omitted = true;
  return {
    messages,
    ...(instructions === undefined ? {} : { system: instructions }),
    ...(tools === undefined ? {} : { tools }),
    ...(omitted ? { omitted: true } : {}),
  };
}

/** Embeddings and legacy completions take a string or an array of strings; token-id arrays are not text. */
function plainInput(value: unknown): TokenizerInput | null {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((entry) => typeof entry === "string")) return value.join("\n");
  return null;
}

/**
 * The request of an OpenAI-style call reduced to what a tokenizer counts: chat `messages` (text content,
 * names, replayed tool calls) and `tools` serialised; Responses `input` and `instructions`; embeddings
 * `input` and legacy completions `prompt` as text. Images, audio, files and server-side state are left
 * out and flagged `omitted`, so a count from it is an estimate. Null when the body has no input to read.
 */
export function countableOpenAIInput(operation: string, body: unknown): TokenizerInput | null {
  if (typeof body !== "object" || body === null) return null;
  switch (operation) {
    case "chat":
      return chatInput(body);
    case "responses":
      return responsesInput(body);
    case "embeddings":
      return plainInput(readField(body, "input"));
    case "completions":
      return plainInput(readField(body, "prompt"));
    default:
      return null;
  }
}
