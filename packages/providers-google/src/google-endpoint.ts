/** The Gemini / Vertex AI methods the adapter meters. */
export type GoogleMethod = "generateContent" | "streamGenerateContent" | "embedContent" | "batchEmbedContents" | "countTokens";

/** What a Gemini or Vertex AI URL says about the call. */
export interface GoogleEndpoint {
  method: GoogleMethod;
  /** The model named in the path (`gemini-2.5-flash`, a tuned model's id, a Vertex endpoint's id), else null. */
  model: string | null;
  /** `alt=sse` was asked for: a stream comes as Server-Sent Events rather than one streamed JSON array. */
  sse: boolean;
}

const methods = new Set<string>(["generateContent", "streamGenerateContent", "embedContent", "batchEmbedContents", "countTokens"]);

// `…/models/{model}:{method}` (Gemini API, Vertex publishers), `…/tunedModels/{model}:{method}`,
// `…/endpoints/{id}:{method}` (Vertex deployed or tuned models). The model may be percent-encoded.
const modelPath = /\/(?:models|tunedModels|endpoints)\/([^/:]+):([A-Za-z]+)$/;

/**
 * Reads the method, the model and `alt=sse` from a Gemini API or Vertex AI URL, e.g.
 * `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse` or
 * `/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent`.
 * Undefined for any other path.
 */
export function googleEndpoint(url: URL): GoogleEndpoint | undefined {
  const match = modelPath.exec(url.pathname.replace(/\/+$/, ""));
  if (!match || !methods.has(match[2]!)) return undefined;
  let model: string | null = match[1]!;
  try {
    model = decodeURIComponent(model);
  } catch {
    // A malformed escape: keep the path segment as it was sent.
  }
  return { method: match[2] as GoogleMethod, model: model === "" ? null : model, sse: url.searchParams.get("alt") === "sse" };
}
