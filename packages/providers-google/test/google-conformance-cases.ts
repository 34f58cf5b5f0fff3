import type { TokenUsageV1 } from "@usagepilot/core";
import type { ProviderConformanceCase } from "@usagepilot/core/test";
import { fixtureBody, fixturesDir } from "@usagepilot/testing";
import { join } from "node:path";

/** Usage in the contract's terms, in the column order of SOURCES.md: in, cached, write, out, reasoning. */
export const tokens = (inputTokens: number, cachedInputTokens: number, cacheWriteInputTokens: number, outputTokens: number, reasoningTokens: number, extra: Partial<TokenUsageV1> = {}): TokenUsageV1 => ({
  inputTokens,
  cachedInputTokens,
  cacheWriteInputTokens,
  outputTokens,
  reasoningTokens,
  ...extra,
});

export const geminiApi = "https://generativelanguage.googleapis.com/v1beta";

/** A request body as `@ai-sdk/google` sends it. */
export const generateBody = (text: string) => ({
  generationConfig: {},
  systemInstruction: { parts: [{ text: "You are terse." }] },
  contents: [{ role: "user", parts: [{ text }] }],
});

function recorded(file: string) {
  const { bytes, contentType } = fixtureBody(join(fixturesDir(), "gemini", file));
  return { body: bytes, headers: { "content-type": contentType, "x-request-id": "req_fixture" } };
}

/**
 * The recorded Gemini answers of ../shared/fixtures/gemini with the event each must give: the numbers of
 * SOURCES.md (in, cached, write, out, reasoning), plus the modality subsets the adapter also reads.
 */
export const geminiFixtureCases: ProviderConformanceCase[] = [
  {
    name: "gemini/generateContent-gemini-3-pro-thoughts.json",
    request: { url: `${geminiApi}/models/gemini-3-pro-preview:generateContent`, body: generateBody("How many r's are in strawberry?") },
    response: recorded("generateContent-gemini-3-pro-thoughts.json"),
    expect: { provider: "google", operation: "chat", model: "gemini-3-pro-preview", usage: tokens(9, 0, 0, 272, 244), status: "ok", streamed: false },
  },
  {
    name: "gemini/generateContent-cached-content.json",
    request: {
      url: `${geminiApi}/models/gemini-2.5-flash:generateContent`,
      body: { contents: [{ role: "user", parts: [{ fileData: { fileUri: "https://youtu.be/xyz", mimeType: "video/mp4" } }, { text: "Explain me this video" }] }] },
    },
    response: recorded("generateContent-cached-content.json"),
    // promptTokensDetails has 1,917 AUDIO tokens: a subset of input the contract keeps.
    expect: { provider: "google", operation: "chat", model: "gemini-2.5-flash", usage: tokens(17713, 17379, 0, 889, 821, { audioInputTokens: 1917, cachedAudioInputTokens: 1881 }), status: "ok", streamed: false },
  },
  {
    name: "gemini/streamGenerateContent-sse-usage-every-chunk.sse",
    request: { url: `${geminiApi}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, body: generateBody("Count from 1 to 30, one number per line.") },
    response: recorded("streamGenerateContent-sse-usage-every-chunk.sse"),
    expect: { provider: "google", operation: "chat", model: "gemini-2.5-flash", usage: tokens(18, 0, 0, 115, 35), status: "ok", streamed: true },
  },
  {
    name: "gemini/streamGenerateContent-json-array-no-alt-sse.json",
    // The requested name is an alias; the answer's modelVersion is what is recorded.
    request: { url: `${geminiApi}/models/gemini-flash-latest:streamGenerateContent`, body: generateBody("Name a dog. Just the name.") },
    response: recorded("streamGenerateContent-json-array-no-alt-sse.json"),
    expect: { provider: "google", operation: "chat", model: "gemini-3.6-flash", usage: tokens(11, 0, 0, 293, 291), status: "ok", streamed: true },
  },
];

/** One in-stream error in each framing, as the conformance kit splices it after the first event. */
export const sseStreamError = 'data: {"error": {"code": 500, "message": "An internal error has occurred.", "status": "INTERNAL"}}\r\n\r\n';
