import { safeParseJson, type TokenCount, type TokenizerInput, type TokenizerV1 } from "@usagepilot/core";
import { createTokenizer } from "./create-tokenizer";
import { CountTokensError } from "./errors/count-tokens-error";
import { inferProvider } from "./infer-provider";
import { postCountEndpoint } from "./post-count-endpoint";
import { readCount } from "./read-count";
import { toAnthropicCountRequest } from "./to-anthropic-count-request";
import { toGeminiCountRequest } from "./to-gemini-count-request";

/** Options of `countTokens`. */
export interface CountTokensOptions {
  /** The model, e.g. "gpt-4o", "claude-sonnet-4-5", "gemini-2.5-flash". */
  model: string;
  /** "openai", "anthropic", "google", … Default: inferred from the model name (`inferProvider`), else "". */
  provider?: string;
  /** Text, or a chat request reduced to its text. */
  input: TokenizerInput;
  /** With it, Claude models are counted by Anthropic's `POST /v1/messages/count_tokens`. Default: none (local estimate). */
  anthropicApiKey?: string;
  /** Default "https://api.anthropic.com". */
  anthropicBaseURL?: string;
  /** The `anthropic-version` header. Default "2023-06-01". */
  anthropicVersion?: string;
  /** With it, Gemini models are counted by `POST /v1beta/models/{model}:countTokens`. Default: none (local estimate). */
  geminiApiKey?: string;
  /** Default "https://generativelanguage.googleapis.com". */
  geminiBaseURL?: string;
  /** The fetch used for the endpoints. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Cancels the endpoint call; an abort rejects with the signal's reason and is never turned into an estimate. */
  signal?: AbortSignal;
  /** The local tokenizer for OpenAI models and for estimates. Default: a shared `createTokenizer()`. */
  tokenizer?: TokenizerV1;
  /**
   * What an endpoint failure does: "estimate" returns the local estimate (`accuracy: "estimated"`) and
   * hands the `CountTokensError` to `onError`; "throw" rejects with it. Default "estimate".
   */
  onEndpointError?: "estimate" | "throw";
  /** Receives endpoint failures that were replaced by an estimate. Default: none. */
  onError?: (error: CountTokensError) => void;
}

let sharedTokenizer: TokenizerV1 | undefined;

/**
 * Counts the tokens of a text or chat input for a model. Claude and Gemini models are counted by their
 * provider's count-tokens endpoint when a key is given (`accuracy: "counted"`); OpenAI models locally
 * with tiktoken (`"counted"`); anything else, or an endpoint failure under the default policy, with the
 * local fallback (`"estimated"`). Inputs that left parts out (`omitted`) are always "estimated".
 *
 * @example
 * const { tokens, accuracy } = await countTokens({
 *   model: "claude-sonnet-4-5",
 *   input: { system: "Be brief.", messages: [{ role: "user", content: "Hello" }] },
 *   anthropicApiKey: process.env.ANTHROPIC_API_KEY,
 * });
 */
export async function countTokens(options: CountTokensOptions): Promise<TokenCount> {
  const provider = options.provider ?? inferProvider(options.model) ?? "";
  const tokenizer = options.tokenizer ?? (sharedTokenizer ??= createTokenizer());
  const endpoint = endpointFor(provider, options);
  if (endpoint !== undefined) {
    try {
      return await countWithEndpoint(endpoint, provider, options, tokenizer);
    } catch (error) {
      if (options.signal?.aborted || !CountTokensError.isInstance(error) || options.onEndpointError === "throw") throw error;
      options.onError?.(error);
    }
  }
  const local = tokenizer.count({ provider, model: options.model, input: options.input });
  if (local === null) throw new CountTokensError({ message: `no local count is possible for model "${options.model}"`, provider, isRetryable: false });
  return local;
}

type Endpoint = { kind: "anthropic"; apiKey: string } | { kind: "gemini"; apiKey: string };

function endpointFor(provider: string, options: CountTokensOptions): Endpoint | undefined {
  const family = inferProvider(options.model) ?? provider;
  if ((family === "anthropic" || provider === "anthropic") && options.anthropicApiKey) return { kind: "anthropic", apiKey: options.anthropicApiKey };
  if ((family === "google" || provider === "google") && options.geminiApiKey) return { kind: "gemini", apiKey: options.geminiApiKey };
  return undefined;
}

async function countWithEndpoint(endpoint: Endpoint, provider: string, options: CountTokensOptions, tokenizer: TokenizerV1): Promise<TokenCount> {
  const { input } = options;
  // Tools go to the endpoint as they were serialised; text that is not a JSON array cannot be sent, so
  // its tokens are estimated locally and added.
  let tools: unknown[] | undefined;
  let localToolTokens = 0;
  if (typeof input !== "string" && typeof input.tools === "string" && input.tools !== "") {
    const parsed = safeParseJson(input.tools);
    if (parsed.ok && Array.isArray(parsed.value)) tools = parsed.value;
    else localToolTokens = tokenizer.count({ provider, model: options.model, input: input.tools })?.tokens ?? 0;
  }
  const fetchFunction = options.fetch ?? globalThis.fetch;
  let tokens: number;
  if (endpoint.kind === "anthropic") {
    const url = `${trimSlash(options.anthropicBaseURL ?? "https://api.anthropic.com")}/v1/messages/count_tokens`;
    tokens = await postCountEndpoint({
      provider: "anthropic",
      url,
      displayUrl: url,
      headers: { "x-api-key": endpoint.apiKey, "anthropic-version": options.anthropicVersion ?? "2023-06-01" },
      body: toAnthropicCountRequest(options.model, input, tools),
      fetch: fetchFunction,
      signal: options.signal,
      readCount: (answer) => readCount(answer, "input_tokens"),
    });
  } else {
    const model = options.model.replace(/^models\//, "");
    const base = `${trimSlash(options.geminiBaseURL ?? "https://generativelanguage.googleapis.com")}/v1beta/models/${encodeURIComponent(model)}:countTokens`;
    tokens = await postCountEndpoint({
      provider: "google",
      url: `${base}?key=${encodeURIComponent(endpoint.apiKey)}`,
      displayUrl: `${base}?key=REDACTED`,
      headers: {},
      body: toGeminiCountRequest(model, input, tools),
      fetch: fetchFunction,
      signal: options.signal,
      readCount: (answer) => readCount(answer, "totalTokens"),
    });
  }
  const whole = localToolTokens === 0 && (typeof input === "string" || input.omitted !== true);
  return { tokens: tokens + localToolTokens, accuracy: whole ? "counted" : "estimated" };
}

function trimSlash(baseURL: string): string {
  return baseURL.replace(/\/+$/, "");
}
