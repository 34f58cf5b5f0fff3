import { describe, expect, it } from "vitest";
import { inferProvider } from "./infer-provider";

describe("inferProvider", () => {
  it.each([
    ["gpt-4o", "openai"],
    ["gpt-4.1-nano-2025-04-14", "openai"],
    ["gpt-5-mini", "openai"],
    ["chatgpt-4o-latest", "openai"],
    ["o1", "openai"],
    ["o3-mini-2025-01-31", "openai"],
    ["o4-mini", "openai"],
    ["text-embedding-3-small", "openai"],
    ["openai/gpt-4o", "openai"],
    ["ft:gpt-4o-mini-2024-07-18:acme::abc123", "openai"],
    ["claude-sonnet-4-5-20250929", "anthropic"],
    ["anthropic/claude-3.5-sonnet", "anthropic"],
    ["gemini-2.5-flash", "google"],
    ["models/gemini-3-pro-preview", "google"],
  ] as const)("%s → %s", (model, provider) => {
    expect(inferProvider(model)).toBe(provider);
  });

  it.each(["llama-3.1-70b-versatile", "mistral-large-latest", "deepseek-chat", "o10-nonsense", "omni", ""])("%s → null", (model) => {
    expect(inferProvider(model)).toBeNull();
  });
});
