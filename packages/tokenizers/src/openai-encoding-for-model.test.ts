import modelToEncoding from "tiktoken/model_to_encoding.json";
import { describe, expect, it } from "vitest";
import { openAIEncodingForModel } from "./openai-encoding-for-model";

describe("openAIEncodingForModel", () => {
  it("agrees with tiktoken's own model map for every model it lists", () => {
    for (const [model, encoding] of Object.entries(modelToEncoding)) expect(openAIEncodingForModel(model), model).toBe(encoding);
  });

  it.each([
    // Names newer than tiktoken's map keep their family's encoding.
    ["gpt-4o-2026-01-01", "o200k_base"],
    ["gpt-4.1-mini-2025-04-14", "o200k_base"],
    ["gpt-4.5-preview", "o200k_base"],
    ["gpt-5.1", "o200k_base"],
    ["gpt-5-codex", "o200k_base"],
    ["o1-mini", "o200k_base"],
    ["o3-pro", "o200k_base"],
    ["o4-mini-deep-research", "o200k_base"],
    ["chatgpt-4o-latest", "o200k_base"],
    ["gpt-4-0125-preview", "cl100k_base"],
    ["gpt-4-turbo-2024-04-09", "cl100k_base"],
    ["gpt-3.5-turbo-0125", "cl100k_base"],
    ["text-embedding-3-large", "cl100k_base"],
    ["text-embedding-ada-002", "cl100k_base"],
    // Fine-tunes and routers keep the base model's encoding.
    ["ft:gpt-4o-mini-2024-07-18:acme:support:9abc", "o200k_base"],
    ["ft:gpt-3.5-turbo-0125:acme::xyz", "cl100k_base"],
    ["openai/gpt-4o", "o200k_base"],
    ["GPT-4O", "o200k_base"],
  ] as const)("%s → %s", (model, encoding) => {
    expect(openAIEncodingForModel(model)).toBe(encoding);
  });

  it.each(["claude-sonnet-4-5", "gemini-2.5-flash", "llama-3.1-8b-instant", "gpt-oss-120b", "o10", "gpt-40", ""])("%s is not an OpenAI model tiktoken counts exactly", (model) => {
    expect(openAIEncodingForModel(model)).toBeNull();
  });
});
