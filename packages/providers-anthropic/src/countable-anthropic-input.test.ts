import { describe, expect, it } from "vitest";
import { countableAnthropicInput } from "./countable-anthropic-input";

describe("countableAnthropicInput", () => {
  it("reduces system, messages and tools to text", () => {
    const tools = [{ name: "get_weather", description: "Weather by city", input_schema: { type: "object", properties: { city: { type: "string" } } } }];
    expect(
      countableAnthropicInput({
        model: "claude-sonnet-4-6",
        system: [{ type: "text", text: "You are terse.", cache_control: { type: "ephemeral" } }],
        messages: [
          { role: "user", content: "Weather in Paris?" },
          { role: "assistant", content: [{ type: "thinking", thinking: "Use the tool.", signature: "sig" }, { type: "tool_use", id: "t1", name: "get_weather", input: { city: "Paris" } }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "18°C" }] }] },
        ],
        tools,
      }),
    ).toEqual({
      system: "You are terse.",
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: 'Use the tool.\nget_weather {"city":"Paris"}' },
        { role: "user", content: "18°C" },
      ],
      tools: JSON.stringify(tools),
    });
  });

  it("says when images or documents were left out, so the count is an estimate", () => {
    const input = countableAnthropicInput({
      system: "s",
      messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "iVBOR" } }, { type: "text", text: "What is this?" }] }],
    });
    expect(input).toEqual({ system: "s", messages: [{ role: "user", content: "What is this?" }], omitted: true });
    expect(countableAnthropicInput({ messages: [{ role: "user", content: [{ type: "document", source: { type: "url", url: "https://example.com/a.pdf" } }] }] })).toMatchObject({ omitted: true });
  });

  it("returns null for a body without messages", () => {
    expect(countableAnthropicInput(undefined)).toBeNull();
    expect(countableAnthropicInput({ model: "claude-sonnet-4-6" })).toBeNull();
    expect(countableAnthropicInput("text")).toBeNull();
  });
});
