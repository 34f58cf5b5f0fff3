import { createBoundedMemo, readField, readString } from "@usagepilot/core";
import type { ProviderAdapterV1, ProviderCallV1 } from "@usagepilot/core";
import { anthropicOutputTokens } from "./anthropic-output-tokens";
import { countableAnthropicInput } from "./countable-anthropic-input";
import { observeAnthropicMessage } from "./observe-anthropic-message";
import { observeAnthropicStream } from "./observe-anthropic-stream";

/** Another base URL that serves Anthropic's Messages API (a proxy, a gateway, a fake server in tests). */
export interface AnthropicBaseURL {
  /**
   * Requests to `<baseURL>/v1/messages` (as the Anthropic SDK builds them) or `<baseURL>/messages` (as
   * the AI SDK does, its base URL ending in `/v1`) are claimed, e.g. "https://gateway.example.com/anthropic".
   */
  baseURL: string;
  /** Provider name on events. Default "anthropic": a proxy in front of Anthropic is billed as Anthropic. */
  provider?: string;
}

/** Options of `createAnthropicAdapter`. */
export interface AnthropicAdapterOptions {
  /** More base URLs to claim, tried before api.anthropic.com. Default none. */
  baseURLs?: readonly AnthropicBaseURL[];
  /** Set false to claim only `baseURLs`, not api.anthropic.com. Default true. */
  knownHosts?: boolean;
}

const anthropicHost = "api.anthropic.com";
// Only message creation is a billed generation call: `/v1/messages/count_tokens` and
// `/v1/messages/batches` end differently and pass through unmetered.
const messagesPaths = new Set(["/v1/messages", "/messages"]);

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, "");
}

/**
 * The Anthropic adapter: Messages (`POST /v1/messages`, JSON and SSE) on api.anthropic.com and any base
 * URL you name. Usage is read in the contract's meanings: cache reads and writes added to input (with
 * 1-hour writes apart), thinking inside output, server-side compaction passes summed, and server tools
 * (`web_search_requests`, `web_fetch_requests`) recorded as units.
 *
 * @example
 * new UsagePilot({ storage, providers: [createAnthropicAdapter({ baseURLs: [{ baseURL: "https://gateway.example.com/anthropic" }] })] });
 */
export function createAnthropicAdapter(options: AnthropicAdapterOptions = {}): ProviderAdapterV1 {
  const custom = (options.baseURLs ?? []).map((entry) => ({ prefix: trimSlashes(entry.baseURL), provider: entry.provider ?? "anthropic" }));
  const knownHosts = options.knownHosts ?? true;
  const claim = (url: URL): ProviderCallV1 | undefined => {
    const path = trimSlashes(url.pathname);
    if (!path.endsWith("/messages")) return undefined;
    const address = url.origin + path;
    for (const entry of custom) {
      if (address.startsWith(entry.prefix) && messagesPaths.has(address.slice(entry.prefix.length))) return createCall(entry.provider);
    }
    if (knownHosts && url.hostname === anthropicHost && path === "/v1/messages") return createCall("anthropic");
    return undefined;
  };
  // A call's hooks depend on its URL alone: built once per address.
  const calls = createBoundedMemo<ProviderCallV1 | undefined>(256);
  return {
    specificationVersion: "v1",
    name: "anthropic",
    match({ url, method }) {
      if (method !== "POST") return undefined;
      return calls.get(url.href, () => claim(url));
    },
  };
}

function createCall(provider: string): ProviderCallV1 {
  return {
    provider,
    operation: "messages",
    isStreamRequest: (body) => readField(body, "stream") === true,
    requestedModel: (body) => readString(body, "model") ?? null,
    countableInput: countableAnthropicInput,
    outputTokens: anthropicOutputTokens,
    providerRequestId: (headers) => headers.get("request-id") ?? headers.get("x-request-id"),
    observe(_request, response) {
      return (response.headers.get("content-type") ?? "").includes("text/event-stream") ? observeAnthropicStream() : observeAnthropicMessage();
    },
  };
}
