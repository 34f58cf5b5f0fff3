import { describe, expect, it } from "vitest";
import { googleCountableInput } from "./google-countable-input";

describe("googleCountableInput", () => {
  it("reduces a generateContent body to system, messages and tools", () => {
    const input = googleCountableInput({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [
        { role: "user", parts: [{ text: "What is " }, { text: "2+2?" }] },
        { role: "model", parts: [{ functionCall: { name: "add", args: { a: 2, b: 2 } } }] },
        { role: "user", parts: [{ functionResponse: { name: "add", response: { result: 4 } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: "add", description: "Adds" }] }],
      generationConfig: { temperature: 0 },
    });
    expect(input).toEqual({
      system: "Be brief.",
      messages: [
        { role: "user", content: "What is 2+2?" },
        { role: "model", content: '{"name":"add","args":{"a":2,"b":2}}' },
        { role: "user", content: '{"name":"add","response":{"result":4}}' },
      ],
      tools: '[{"functionDeclarations":[{"name":"add","description":"Adds"}]}]',
    });
  });

  it("marks media parts and referenced cached content as omitted", () => {
    expect(googleCountableInput({ contents: [{ role: "user", parts: [{ text: "Describe" }, { inlineData: { mimeType: "image/png", data: "AAAA" } }] }] })).toEqual({
      messages: [{ role: "user", content: "Describe" }],
      omitted: true,
    });
    expect(googleCountableInput({ contents: [{ parts: [{ fileData: { fileUri: "gs://b/v.mp4" } }] }] })).toMatchObject({ messages: [{ role: "user", content: "" }], omitted: true });
    expect(googleCountableInput({ cachedContent: "cachedContents/abc", contents: [{ role: "user", parts: [{ text: "hi" }] }] })).toMatchObject({ omitted: true });
  });

  it("reads embedding bodies", () => {
    expect(googleCountableInput({ model: "models/gemini-embedding-001", content: { parts: [{ text: "hello" }] } })).toEqual({ messages: [{ role: "user", content: "hello" }] });
    expect(googleCountableInput({ requests: [{ content: { parts: [{ text: "a" }] } }, { content: { parts: [{ text: "b" }] } }] })).toEqual({
      messages: [
        { role: "user", content: "a" },
        { role: "user", content: "b" },
      ],
    });
  });

  it("returns null for bodies it cannot read", () => {
    for (const body of [undefined, null, "text", 3, {}, { contents: "x" }]) expect(googleCountableInput(body)).toBeNull();
  });
});
