import { describe, expect, it } from "vitest";
import { readSseData } from "../sse/read-sse-data";
import { planAnthropicAnswer } from "./plan-anthropic-answer";

const types = (events: string[]) => readSseData(events.join("")).map((data) => (JSON.parse(data) as { type: string }).type);

describe("planAnthropicAnswer", () => {
  it("answers a JSON request with a message carrying the usage exactly as given", () => {
    const usage = { input_tokens: 3, cache_read_input_tokens: 9, output_tokens: 4, server_tool_use: { web_search_requests: 1 } };
    const plan = planAnthropicAnswer({ answer: { kind: "anthropic", usage }, requestModel: "claude-haiku-4-5", stream: false });
    expect("json" in plan.body && JSON.parse(plan.body.json)).toMatchObject({ type: "message", model: "claude-haiku-4-5", stop_reason: "end_turn", usage });
    expect(plan.headers["request-id"]).toMatch(/^req_/);
  });

  it("streams message_start with the input and a placeholder output, then the cumulative usage in message_delta", () => {
    const usage = { input_tokens: 3, output_tokens: 40, cache_creation_input_tokens: 5, iterations: [{ type: "message", input_tokens: 3, output_tokens: 40 }] };
    const plan = planAnthropicAnswer({ answer: { kind: "anthropic", usage, thinking: "hm", chunks: 2 }, requestModel: undefined, stream: true });
    if (!("events" in plan.body)) throw new Error("expected a stream");
    expect(types(plan.body.events)).toEqual(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    const payloads = readSseData(plan.body.events.join("")).map((data) => JSON.parse(data) as Record<string, { usage?: unknown; model?: string }>);
    expect(payloads[0]!.message).toMatchObject({ model: "claude-sonnet-4-5-20250929", usage: { input_tokens: 3, cache_creation_input_tokens: 5, output_tokens: 1 } });
    expect(payloads.at(-2)!.usage).toEqual(usage);
    expect(plan.body.cut).toBe(false);
  });

  it("cuts after the given number of events, or sends an error event there", () => {
    const cut = planAnthropicAnswer({ answer: { kind: "anthropic", usage: { input_tokens: 1, output_tokens: 1 }, cutAfterEvents: 3 }, requestModel: "m", stream: true });
    expect("events" in cut.body && cut.body.cut && types(cut.body.events)).toEqual(["message_start", "ping", "content_block_start"]);
    const broken = planAnthropicAnswer({ answer: { kind: "anthropic", usage: { input_tokens: 1, output_tokens: 1 }, errorAfterEvents: 1 }, requestModel: "m", stream: true });
    if (!("events" in broken.body)) throw new Error("expected a stream");
    expect(broken.body.events[1]).toBe('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
    expect(() => planAnthropicAnswer({ answer: { kind: "anthropic", usage: {}, cutAfterEvents: -1 }, requestModel: "m", stream: true })).toThrow(RangeError);
  });
});
