import type { AnthropicAnswer } from "../anthropic-answer";
import { randomId } from "../util/random-id";
import { synthesizeAnthropicMessage } from "./synthesize-anthropic-message";
import { synthesizeAnthropicStreamEvents } from "./synthesize-anthropic-stream-events";

/** What `planAnswer` puts on the wire for an `anthropic` answer, before its shared defaults. */
export interface AnthropicWirePlan {
  /** The whole JSON body, or the SSE events one per write. */
  body: { json: string } | { events: string[]; cut: boolean };
  /** Anthropic's request id header. */
  headers: Record<string, string>;
}

const defaultModel = "claude-sonnet-4-5-20250929";
const defaultError = { type: "overloaded_error", message: "Overloaded" };

function eventCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/**
 * Turns an `anthropic` answer into a JSON message or SSE events: whole, cut after `cutAfterEvents`
 * (no `message_delta` or `message_stop` reach the client unless the cut falls after them), or broken by
 * an `event: error` after `errorAfterEvents`.
 */
export function planAnthropicAnswer(options: { answer: AnthropicAnswer; requestModel: string | undefined; stream: boolean }): AnthropicWirePlan {
  const { answer } = options;
  const model = answer.model ?? options.requestModel ?? defaultModel;
  const headers = { "request-id": randomId({ prefix: "req_", length: 24 }) };
  if (!options.stream) {
    const content = answer.content ?? "Hello from the fake server";
    return { headers, body: { json: synthesizeAnthropicMessage({ usage: answer.usage, model, content, thinking: answer.thinking, stopReason: answer.stopReason }) } };
  }
  const { usage, startUsage, content, thinking, chunks, stopReason } = answer;
  const events = synthesizeAnthropicStreamEvents({ usage, startUsage, model, content, thinking, chunks, stopReason });
  if (answer.cutAfterEvents !== undefined) return { headers, body: { events: events.slice(0, eventCount(answer.cutAfterEvents, "cutAfterEvents")), cut: true } };
  if (answer.errorAfterEvents !== undefined) {
    const sent = events.slice(0, eventCount(answer.errorAfterEvents, "errorAfterEvents"));
    sent.push(`event: error\ndata: ${JSON.stringify({ type: "error", error: answer.error ?? defaultError })}\n\n`);
    return { headers, body: { events: sent, cut: false } };
  }
  return { headers, body: { events, cut: false } };
}
