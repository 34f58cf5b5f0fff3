import type { FakeAnthropicUsage } from "../anthropic-answer";
import { randomId } from "../util/random-id";
import { anthropicStartUsage } from "./anthropic-start-usage";
import { splitContent } from "./split-content";

/** Options of `synthesizeAnthropicStreamEvents`. */
export interface SynthesizeAnthropicStreamOptions {
  /** The cumulative counts of `message_delta`. */
  usage: FakeAnthropicUsage;
  /** The counts of `message_start`. Default: `anthropicStartUsage(usage)`. */
  startUsage?: FakeAnthropicUsage;
  /** Model in `message_start`. */
  model: string;
  /** Assistant text, spread over the deltas. Default: one word per delta ("Hello from the fake server", cycled). */
  content?: string;
  /** Thinking text, sent first as one `thinking_delta`. Default: no thinking block. */
  thinking?: string;
  /** Number of `text_delta` events. Default 5. */
  chunks?: number;
  /** `stop_reason` in `message_delta`. Default "end_turn". */
  stopReason?: string;
}

const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/**
 * The SSE events of a synthesised Anthropic Messages stream, each a complete `event: …\ndata: …\n\n`
 * string, in the order Anthropic sends them (see `anthropic/messages-stream-basic-padded.sse`):
 * `message_start`, `ping`, the blocks (`content_block_start`, deltas, `content_block_stop`),
 * `message_delta` with the cumulative usage, `message_stop`. A list, so the server can cut or break it
 * event by event.
 */
export function synthesizeAnthropicStreamEvents(options: SynthesizeAnthropicStreamOptions): string[] {
  const message = {
    model: options.model,
    id: randomId({ prefix: "msg_", length: 24 }),
    type: "message",
    role: "assistant",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: options.startUsage ?? anthropicStartUsage(options.usage),
  };
  const events = [event("message_start", { message }), event("ping", {})];
  let index = 0;
  if (options.thinking !== undefined) {
    events.push(event("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } }));
    events.push(event("content_block_delta", { index, delta: { type: "thinking_delta", thinking: options.thinking } }));
    events.push(event("content_block_delta", { index, delta: { type: "signature_delta", signature: "fake-signature" } }));
    events.push(event("content_block_stop", { index }));
    index += 1;
  }
  events.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
  for (const text of splitContent({ content: options.content, chunks: options.chunks ?? 5 })) {
    events.push(event("content_block_delta", { index, delta: { type: "text_delta", text } }));
  }
  events.push(event("content_block_stop", { index }));
  events.push(event("message_delta", { delta: { stop_reason: options.stopReason ?? "end_turn", stop_sequence: null }, usage: options.usage }));
  events.push(event("message_stop", {}));
  return events;
}

/**
 * A complete synthesised Anthropic Messages SSE body (see `synthesizeAnthropicStreamEvents`).
 *
 * @example
 * const body = synthesizeAnthropicStream({ usage: { input_tokens: 10, output_tokens: 1000 }, model: "claude-sonnet-4-5", chunks: 1000 });
 */
export function synthesizeAnthropicStream(options: SynthesizeAnthropicStreamOptions): string {
  return synthesizeAnthropicStreamEvents(options).join("");
}
