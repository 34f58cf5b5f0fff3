import type { FakeChatUsage } from "../fake-llm-answer";
import { chatIdentity, fakeSystemFingerprint } from "./chat-identity";
import { chatUsageObject } from "./chat-usage-object";
import { splitContent } from "./split-content";

/** Options of `synthesizeChatStream`. */
export interface SynthesizeChatStreamOptions {
  /** Counts for the final usage chunk. */
  usage: FakeChatUsage;
  /** Model in every chunk. Default `gpt-4o-mini`. */
  model?: string;
  /** Number of content chunks between the role chunk and the finish chunk. Default 5. */
  chunks?: number;
  /** Send the `choices: []` usage chunk, as OpenAI does for `stream_options.include_usage`. Default true. */
  includeUsage?: boolean;
  /** Assistant text, spread over the chunks. Default: one word per chunk ("Hello from the fake server", cycled). */
  content?: string;
  /** Completion id. Default: a random `chatcmpl-…`. */
  id?: string;
  /** Unix seconds in `created`. Default: now. */
  created?: number;
}

/**
 * The SSE events of a synthesised chat stream, each a complete `data: …\n\n` string: the role chunk,
 * the content chunks, the `finish_reason: "stop"` chunk, the usage chunk when asked for, `[DONE]`.
 * Exposed as a list so the server can send, cut or corrupt the stream event by event.
 */
export function synthesizeChatStreamEvents(options: SynthesizeChatStreamOptions): string[] {
  const identity = chatIdentity({ model: options.model ?? "gpt-4o-mini", id: options.id, created: options.created });
  const deltas = splitContent({ content: options.content, chunks: options.chunks ?? 5 });
  // The same field order as the recorded stream, so parsers see what OpenAI sends.
  const chunk = (choices: unknown[], usage: unknown) =>
    `data: ${JSON.stringify({
      id: identity.id,
      object: "chat.completion.chunk",
      created: identity.created,
      model: identity.model,
      service_tier: "default",
      system_fingerprint: fakeSystemFingerprint,
      choices,
      usage,
    })}\n\n`;
  const choice = (delta: Record<string, unknown>, finishReason: string | null) => ({ index: 0, delta, logprobs: null, finish_reason: finishReason });

  const events = [chunk([choice({ role: "assistant", content: "", refusal: null }, null)], null)];
  for (const delta of deltas) events.push(chunk([choice({ content: delta }, null)], null));
  events.push(chunk([choice({}, "stop")], null));
  if (options.includeUsage ?? true) events.push(chunk([], chatUsageObject(options.usage)));
  events.push("data: [DONE]\n\n");
  return events;
}

/**
 * A complete synthesised Chat Completions SSE body, in the wire format of
 * `openai/chat-stream-gpt-4.1-nano.chunks.jsonl`: content chunks with `"usage": null`, a finish
 * chunk, then (when `includeUsage`) a `choices: []` chunk with the usage, then `data: [DONE]`.
 *
 * @example
 * // A 1,000-chunk stream for a benchmark.
 * const body = synthesizeChatStream({ usage: { prompt_tokens: 10, completion_tokens: 1000 }, chunks: 1000 });
 */
export function synthesizeChatStream(options: SynthesizeChatStreamOptions): string {
  return synthesizeChatStreamEvents(options).join("");
}
