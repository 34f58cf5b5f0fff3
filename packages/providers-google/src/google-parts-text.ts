import { readField } from "@usagepilot/core";

/** The text of Gemini `parts`, and whether parts that cannot be counted as text were left out. */
export interface GooglePartsText {
  text: string;
  /** True when an `inlineData` or `fileData` part (image, audio, video, file) was left out. */
  omitted: boolean;
}

function serialise(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

/**
 * Reduces Gemini `parts` to the text a tokenizer counts: `text` (thoughts included, since they are billed
 * as output), function calls and responses as JSON, executable code and its result. Media parts
 * (`inlineData`, `fileData`) cannot be counted locally and are reported as omitted.
 */
export function googlePartsText(parts: unknown): GooglePartsText {
  const result: GooglePartsText = { text: "", omitted: false };
  if (!Array.isArray(parts)) return result;
  for (const part of parts) {
    const text = readField(part, "text");
    if (typeof text === "string") {
      result.text += text;
      continue;
    }
    if (readField(part, "inlineData") != null || readField(part, "fileData") != null) {
      result.omitted = true;
      continue;
    }
    const call = readField(part, "functionCall") ?? readField(part, "functionResponse");
    if (call != null) {
      result.text += serialise(call);
      continue;
    }
    const code = readField(readField(part, "executableCode"), "code") ?? readField(readField(part, "codeExecutionResult"), "output");
    if (typeof code === "string") result.text += code;
  }
  return result;
}
