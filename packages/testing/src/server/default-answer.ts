import type { FakeLlmAnswer } from "../fake-llm-answer";
import type { RecordedRequest } from "./recorded-request";
import { readRequestFields } from "./read-request-fields";

/** The path without query or trailing slash, so suffix matching works for Azure and proxy prefixes. */
function pathname(path: string): string {
  const withoutQuery = path.split("?")[0] ?? path;
  return withoutQuery.replace(/\/+$/, "");
}

/**
 * What the server answers when its queue is empty, by path suffix: chat (10 in, 20 out), responses
 * (10 in, 20 out), embeddings (8 tokens per input), and OpenAI's 404 for anything else.
 */
export function defaultAnswer(request: RecordedRequest): FakeLlmAnswer {
  const path = pathname(request.path);
  if (request.method === "POST") {
    if (path.endsWith("/chat/completions")) return { kind: "chat", usage: { prompt_tokens: 10, completion_tokens: 20 } };
    if (path.endsWith("/responses")) return { kind: "responses", usage: { input_tokens: 10, output_tokens: 20 } };
    if (path.endsWith("/embeddings")) return { kind: "embeddings", usage: { prompt_tokens: 8 * readRequestFields(request).inputs } };
  }
  return {
    kind: "error",
    status: 404,
    body: { error: { message: `Invalid URL (${request.method} ${request.path})`, type: "invalid_request_error", param: null, code: null } },
  };
}
