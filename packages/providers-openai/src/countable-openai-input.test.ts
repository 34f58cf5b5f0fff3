import { describe, expect, it } from "vitest";
import { countableOpenAIInput } from "./countable-openai-input";

describe("countableOpenAIInput", () => {
  it("reduces chat messages to their text, names and replayed tool calls, with the tools serialised", () => {
    const tools = [{ type: "function", function: { name: "get_capital", parameters: { type: "object" } } }];
    const body = {
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", name: "ana", content: [{ type: "text", text: "Capital of " }, { type: "text", text: "France?" }] },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_capital", arguments: '{"country":"FR"}' } }] },
        { role: "tool", tool_call_id: "c1", content: "Paris" },
      ],
      tools,
    };
    expect(countableOpenAIInput("chat", body)).toEqual({
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", name: "ana", content: "Capital of France?" },
        { role: "assistant", content: 'get_capital{"country":"FR"}' },
        { role: "tool", content: "Paris" },
      ],
      tools: JSON.stringify(tools),
    });
  });

  it("flags images, audio and files left out of chat input", () => {
    const image = { messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "https://example.com/a.png" } }] }] };
    expect(countableOpenAIInput("chat", image)).toEqual({ messages: [{ role: "user", content: "What is this?" }], omitted: true });
    const file = { messages: [{ role: "user", content: [{ type: "file", file: { file_id: "f1" } }] }] };
    expect(countableOpenAIInput("chat", file)).toMatchObject({ omitted: true });
    const audio = { messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] }] };
    expect(countableOpenAIInput("chat", audio)).toMatchObject({ omitted: true });
  });

  it("reads Responses input (a string or items) and instructions as the system prompt", () => {
    expect(countableOpenAIInput("responses", { model: "gpt-5", input: "Hello there", instructions: "Be brief." })).toEqual({ messages: [{ role: "user", content: "Hello there" }], system: "Be brief." });
    const tools = [{ type: "function", name: "lookup", parameters: {} }];
    expect(
      countableOpenAIInput("responses", {
        input: [
          { role: "user", content: [{ type: "input_text", text: "Look it up" }] },
          { type: "function_call", call_id: "c1", name: "lookup", arguments: '{"q":"x"}' },
          { type: "function_call_output", call_id: "c1", output: "found" },
          { role: "assistant", content: [{ type: "output_text", text: "Done." }] },
        ],
        tools,
      }),
    ).toEqual({
      messages: [
        { role: "user", content: "Look it up" },
        { role: "assistant", content: 'lookup{"q":"x"}' },
        { role: "tool", content: "found" },
        { role: "assistant", content: "Done." },
      ],
      tools: JSON.stringify(tools),
    });
  });

  it("flags Responses input it cannot see or count: images, reasoning items, a previous response", () => {
    expect(countableOpenAIInput("responses", { input: [{ role: "user", content: [{ type: "input_image", image_url: "https://example.com/a.png" }] }] })).toMatchObject({ omitted: true });
    expect(countableOpenAIInput("responses", { input: [{ type: "reasoning", encrypted_content: "…" }] })).toMatchObject({ omitted: true });
    expect(countableOpenAIInput("responses", { input: "and then?", previous_response_id: "resp_1" })).toEqual({ messages: [{ role: "user", content: "and then?" }], omitted: true });
  });

  it("reads embeddings input and legacy completions prompts as text, and not token ids", () => {
    expect(countableOpenAIInput("embeddings", { input: "one text" })).toBe("one text");
    expect(countableOpenAIInput("embeddings", { input: ["first", "second"] })).toBe("first\nsecond");
    expect(countableOpenAIInput("embeddings", { input: [101, 2023] })).toBeNull();
    expect(countableOpenAIInput("completions", { prompt: "Once upon" })).toBe("Once upon");
  });

  it("returns null for a body with nothing to read", () => {
    expect(countableOpenAIInput("chat", "not an object")).toBeNull();
    expect(countableOpenAIInput("chat", { model: "gpt-4o" })).toBeNull();
    expect(countableOpenAIInput("responses", { input: 42 })).toBeNull();
    expect(countableOpenAIInput("images", { prompt: "a cat" })).toBeNull();
  });
});
