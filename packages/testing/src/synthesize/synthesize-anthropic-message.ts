import type { FakeAnthropicUsage } from "../anthropic-answer";
import { randomId } from "../util/random-id";

/**
 * A non-streamed Anthropic Messages body in the wire format of
 * `anthropic/messages-nonstream-basic.json`: a thinking block when asked for, one text block, the
 * stop reason, and `usage` exactly as given.
 */
export function synthesizeAnthropicMessage(options: { usage: FakeAnthropicUsage; model: string; content: string; thinking?: string; stopReason?: string; id?: string }): string {
  const content: Record<string, unknown>[] = [];
  if (options.thinking !== undefined) content.push({ type: "thinking", thinking: options.thinking, signature: "fake-signature" });
  content.push({ type: "text", text: options.content });
  return JSON.stringify({
    model: options.model,
    id: options.id ?? randomId({ prefix: "msg_", length: 24 }),
    type: "message",
    role: "assistant",
    content,
    stop_reason: options.stopReason ?? "end_turn",
    stop_sequence: null,
    usage: options.usage,
  });
}
