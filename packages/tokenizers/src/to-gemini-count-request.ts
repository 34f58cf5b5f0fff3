import type { TokenizerInput } from "@usagepilot/core";

type GeminiContent = { role: "user" | "model"; parts: { text: string }[] };

/** The body of Gemini's `models/{model}:countTokens`: bare `contents`, or a whole `generateContentRequest`. */
export type GeminiCountRequest =
  | { contents: GeminiContent[] }
  | { generateContentRequest: { model: string; contents: GeminiContent[]; systemInstruction?: { parts: { text: string }[] }; tools?: unknown[] } };

/**
 * Turns a tokenizer input into a countTokens body. Plain text is one user turn. A system prompt
 * (`system`, or system-role messages) and tools are only accepted inside `generateContentRequest`, so
 * the body takes that form when either is present. "assistant" and "model" turns are sent as "model",
 * everything else as "user"; empty turns are left out (the API refuses empty parts).
 */
export function toGeminiCountRequest(model: string, input: TokenizerInput, tools: unknown[] | undefined): GeminiCountRequest {
  if (typeof input === "string") return { contents: [{ role: "user", parts: [{ text: input }] }] };
  const system: string[] = typeof input.system === "string" && input.system !== "" ? [input.system] : [];
  const contents: GeminiContent[] = [];
  for (const message of input.messages) {
    if (message.content === "") continue;
    if (message.role === "system" || message.role === "developer") system.push(message.content);
    else contents.push({ role: message.role === "assistant" || message.role === "model" ? "model" : "user", parts: [{ text: message.content }] });
  }
  if (system.length === 0 && tools === undefined) return { contents };
  return {
    generateContentRequest: {
      model: `models/${model}`,
      contents,
      ...(system.length > 0 ? { systemInstruction: { parts: system.map((text) => ({ text })) } } : {}),
      ...(tools !== undefined ? { tools } : {}),
    },
  };
}
