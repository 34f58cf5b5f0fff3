import { createBoundedMemo, type ProviderAdapterV1, type ProviderCallV1, type ProviderResponseV1, type ResponseObserverV1 } from "@usagepilot/core";
import { googleOutputTokens } from "./google-output-tokens";
import { googleCountableInput } from "./google-countable-input";
import { googleEndpoint, type GoogleEndpoint } from "./google-endpoint";
import { knownGoogleHosts } from "./google-hosts";
import { observeGoogleCountTokens } from "./observe-google-count-tokens";
import { observeGoogleEmbeddings } from "./observe-google-embeddings";
import { observeGoogleGenerateContent } from "./observe-google-generate-content";
import { observeGoogleJsonArrayStream } from "./observe-google-json-array-stream";
import { observeGoogleSseStream } from "./observe-google-sse-stream";

/** Another base URL that serves the Gemini API or Vertex AI (a proxy, a gateway, a fake server in tests). */
export interface GoogleBaseURL {
  /** Requests whose URL starts with this are claimed, e.g. "https://proxy.example.com/gemini/v1beta". */
  baseURL: string;
  /** Provider name on events. Default "google". */
  provider?: string;
}

/** Options of `createGoogleAdapter`. */
export interface GoogleAdapterOptions {
  /** More base URLs to claim, tried before the well-known hosts. */
  baseURLs?: readonly GoogleBaseURL[];
  /** Set false to claim only `baseURLs`, not Google's own hosts. Default true. */
  knownHosts?: boolean;
}

/**
 * The Gemini adapter: `generateContent`, `streamGenerateContent` (SSE with `alt=sse`, else a streamed
 * JSON array), `embedContent` / `batchEmbedContents` (operation "embeddings") and `countTokens`
 * (operation "count-tokens", not billed), on the Gemini API (provider "google") and on Vertex AI's
 * regional and global endpoints (provider "google-vertex"), plus any base URL you name. The model comes
 * from the URL path; the `modelVersion` of the answer wins over it.
 *
 * @example
 * new UsagePilot({ storage, providers: [createGoogleAdapter({ baseURLs: [{ baseURL: "https://gateway.example.com/google/v1beta" }] })] });
 */
export function createGoogleAdapter(options: GoogleAdapterOptions = {}): ProviderAdapterV1 {
  const custom = (options.baseURLs ?? []).map((entry) => ({ prefix: entry.baseURL.replace(/\/+$/, ""), provider: entry.provider ?? "google" }));
  const known = options.knownHosts === false ? [] : knownGoogleHosts;
  const claim = (url: URL): ProviderCallV1 | undefined => {
    const href = url.href;
    const host = custom.find((entry) => href.startsWith(entry.prefix + "/") || href.startsWith(entry.prefix + "?")) ?? known.find((entry) => entry.hostname(url.hostname));
    if (!host) return undefined;
    const endpoint = googleEndpoint(url);
    if (!endpoint) return undefined;
    return createCall(host.provider, endpoint);
  };
  // A call's hooks depend on its URL alone (the model is in the path): built once per address.
  const calls = createBoundedMemo<ProviderCallV1 | undefined>(256);
  return {
    specificationVersion: "v1",
    name: "google",
    match({ url, method }) {
      if (method !== "POST") return undefined;
      // The cheap test first: every metered path names a method after a colon.
      if (!url.pathname.includes(":")) return undefined;
      return calls.get(url.href, () => claim(url));
    },
  };
}

function operationOf(endpoint: GoogleEndpoint): string {
  switch (endpoint.method) {
    case "embedContent":
    case "batchEmbedContents":
      return "embeddings";
    case "countTokens":
      return "count-tokens";
    default:
      return "chat";
  }
}

function isEventStream(response: ProviderResponseV1): boolean {
  return (response.headers.get("content-type") ?? "").includes("text/event-stream");
}

function createCall(provider: string, endpoint: GoogleEndpoint): ProviderCallV1 {
  const streamed = endpoint.method === "streamGenerateContent";
  return {
    provider,
    operation: operationOf(endpoint),
    // Gemini says "stream" in the URL, not in the body.
    isStreamRequest: () => streamed,
    requestedModel: () => endpoint.model,
    countableInput: (body) => (endpoint.method === "countTokens" ? null : googleCountableInput(body)),
    // Only generate calls produce output; embeddings and token counts have no maximum to cap.
    ...(operationOf(endpoint) === "chat" ? { outputTokens: googleOutputTokens } : {}),
    // Google puts its response id in the body (`responseId`); gateways and proxies send one of these.
    providerRequestId: (headers) => headers.get("x-request-id") ?? headers.get("x-goog-request-id") ?? headers.get("request-id"),
    observe(_request, response): ResponseObserverV1 {
      if (endpoint.method === "embedContent" || endpoint.method === "batchEmbedContents") return observeGoogleEmbeddings();
      if (endpoint.method === "countTokens") return observeGoogleCountTokens();
      // The content type decides over `alt`: an error answer to a stream request is one JSON object.
      if (isEventStream(response)) return observeGoogleSseStream();
      if (streamed && response.status < 400) return observeGoogleJsonArrayStream();
      return observeGoogleGenerateContent();
    },
  };
}
