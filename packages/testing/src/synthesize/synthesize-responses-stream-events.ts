import type { FakeResponsesUsage } from "../fake-llm-answer";
import { randomId } from "../util/random-id";
import { messageOutputItem, outputTextPart, responseObject } from "./response-object";
import { responsesUsageObject } from "./responses-usage-object";
import { splitContent } from "./split-content";

/**
 * The SSE events of a streamed Responses API answer, each a complete `event: <type>\ndata: …\n\n`
 * string, as in `openai/responses-stream-usage-reasoning.sse`: `response.created`,
 * `response.in_progress`, the message item and content part opening, one
 * `response.output_text.delta` per chunk, their closing events, and `response.completed` — the only
 * event that carries usage.
 */
export function synthesizeResponsesStreamEvents(options: { usage: FakeResponsesUsage; model: string; content?: string; chunks?: number }): string[] {
  const deltas = splitContent({ content: options.content, chunks: options.chunks ?? 5 });
  const text = deltas.join("");
  const responseId = randomId({ prefix: "resp_", length: 48 });
  const itemId = randomId({ prefix: "msg_", length: 48 });
  const createdAt = Math.floor(Date.now() / 1000);
  const response = (status: "in_progress" | "completed") =>
    responseObject({
      id: responseId,
      createdAt,
      model: options.model,
      status,
      output: status === "completed" ? [messageOutputItem({ id: itemId, text, status })] : [],
      usage: status === "completed" ? responsesUsageObject(options.usage) : null,
    });

  const events: string[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => {
    events.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: events.length, ...fields })}\n\n`);
  };
  const position = { item_id: itemId, output_index: 0, content_index: 0 };

  emit("response.created", { response: response("in_progress") });
  emit("response.in_progress", { response: response("in_progress") });
  emit("response.output_item.added", { output_index: 0, item: messageOutputItem({ id: itemId, text: "", status: "in_progress" }) });
  emit("response.content_part.added", { ...position, part: outputTextPart("") });
  for (const delta of deltas) emit("response.output_text.delta", { ...position, delta, logprobs: [] });
  emit("response.output_text.done", { ...position, text, logprobs: [] });
  emit("response.content_part.done", { ...position, part: outputTextPart(text) });
  emit("response.output_item.done", { output_index: 0, item: messageOutputItem({ id: itemId, text, status: "completed" }) });
  emit("response.completed", { response: response("completed") });
  return events;
}
