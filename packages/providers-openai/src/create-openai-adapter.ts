import { createBoundedMemo, readField, readPositiveInteger, readString } from "@usagepilot/core";
import type { ProviderAdapterV1, ProviderCallV1, ProviderResponseV1, ResponseObserverV1 } from "@usagepilot/core";
import { observeOpenAIImages } from "./observe-openai-images";
import { openAIOutputTokens } from "./openai-output-tokens";
import { countableOpenAIInput } from "./countable-openai-input";
import { observeOpenAIChat } from "./observe-openai-chat";
import { observeOpenAIResponses } from "./observe-openai-responses";
import { openAIDialect, type OpenAIDialect } from "./openai-dialect";
import { knownOpenAIHosts } from "./openai-hosts";

/** Another base URL that speaks OpenAI's API (vLLM, a proxy, a gateway, a fake server in tests). */
export interface OpenAICompatibleBaseURL {
  /** Requests whose URL starts with this are claimed, e.g. "http://localhost:8000/v1". */
  baseURL: string;
  /** Provider name on events. Default "openai-compatible". */
  provider?: string;
  /** How its numbers differ from OpenAI's. Default: OpenAI's meanings. */
  dialect?: Partial<OpenAIDialect>;
}

/** Options of `createOpenAIAdapter`. */
export interface OpenAIAdapterOptions {
  /** More base URLs to claim, tried before the well-known hosts. */
  baseURLs?: readonly OpenAICompatibleBaseURL[];
  /** Set false to claim only `baseURLs`, not the well-known hosts. Default true. */
  knownHosts?: boolean;
}

type Operation = "chat" | "completions" | "responses" | "embeddings" | "images";

function operationOf(pathname: string): Operation | undefined {
  const path = pathname.replace(/\/+$/, "");
  if (path.endsWith("/chat/completions")) return "chat";
  if (path.endsWith("/responses")) return "responses";
  if (path.endsWith("/embeddings")) return "embeddings";
  if (path.endsWith("/images/generations") || path.endsWith("/images/edits") || path.endsWith("/images/variations")) return "images";
  if (path.endsWith("/completions")) return "completions";
  return undefined;
}

function azureDeployment(pathname: string): string | null {
  return /\/deployments\/([^/]+)\//.exec(pathname)?.[1] ?? null;
}

/**
 * The OpenAI adapter: Chat Completions, Responses and Embeddings on OpenAI, Azure OpenAI and the
 * OpenAI-compatible hosts (OpenRouter, Groq, Together, DeepSeek, Mistral, xAI, Fireworks), plus any base
 * URL you name.
 *
 * @example
 * new UsagePilot({ storage, providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: "http://localhost:8000/v1", provider: "vllm" }] })] });
 */
export function createOpenAIAdapter(options: OpenAIAdapterOptions = {}): ProviderAdapterV1 {
  const custom = (options.baseURLs ?? []).map((entry) => ({
    prefix: entry.baseURL.replace(/\/+$/, ""),
    provider: entry.provider ?? "openai-compatible",
    dialect: { ...openAIDialect, ...entry.dialect },
  }));
  const known = options.knownHosts === false ? [] : knownOpenAIHosts;
  const claim = (url: URL): ProviderCallV1 | undefined => {
    const operation = operationOf(url.pathname);
    if (!operation) return undefined;
    const href = url.href;
    const host = custom.find((entry) => href.startsWith(entry.prefix + "/") || href === entry.prefix) ?? known.find((entry) => entry.hostname(url.hostname));
    if (!host) return undefined;
    return createCall(host.provider, operation, host.dialect, azureDeployment(url.pathname));
  };
  // A call's hooks depend on its URL alone: built once per address (an SDK calls a few, over and over).
  const calls = createBoundedMemo<ProviderCallV1 | undefined>(256);

  return {
    specificationVersion: "v1",
    name: "openai",
    match({ url, method }) {
      if (method !== "POST") return undefined;
      return calls.get(url.href, () => claim(url));
    },
  };
}

function createCall(provider: string, operation: Operation, dialect: OpenAIDialect, deployment: string | null): ProviderCallV1 {
  return {
    provider,
    operation,
    prepareBody(request, { injectStreamUsage }) {
      if (!injectStreamUsage || !dialect.acceptsStreamOptions) return undefined;
      if (operation !== "chat" && operation !== "completions") return undefined;
      // Parse only bodies that may ask for a stream: most calls are answered without paying for it.
      if (!request.text?.includes('"stream"')) return undefined;
      const body = request.json();
      if (readField(body, "stream") !== true) return undefined;
      const streamOptions = readField(body, "stream_options");
      if (readField(streamOptions, "include_usage") === true) return undefined;
      return { ...(body as object), stream_options: { ...(typeof streamOptions === "object" && streamOptions !== null ? streamOptions : {}), include_usage: true } };
    },
    isStreamRequest: (body) => readField(body, "stream") === true,
    requestedModel: (body) => readString(body, "model") ?? deployment,
    countableInput: (body) => countableOpenAIInput(operation, body),
    ...withOutputTokens(openAIOutputTokens(operation, provider)),
    // An image request makes `n` images (default 1): reserved against budgets in images.
    ...(operation === "images" ? { requestedUnits: (body: unknown) => ({ images: readPositiveInteger(body, "n") ?? 1 }) } : {}),
    providerRequestId: (headers) => headers.get("x-request-id") ?? headers.get("apim-request-id") ?? headers.get("request-id"),
    observe(_request, response: ProviderResponseV1): ResponseObserverV1 {
      if (operation === "images") return observeOpenAIImages(response);
      return operation === "responses" ? observeOpenAIResponses(response) : observeOpenAIChat(response, dialect);
    },
  };
}

/** The output-maximum hook, present only for operations that have one (exactOptionalPropertyTypes). */
function withOutputTokens(hook: ReturnType<typeof openAIOutputTokens>): Pick<ProviderCallV1, "outputTokens"> {
  return hook ? { outputTokens: hook } : {};
}
