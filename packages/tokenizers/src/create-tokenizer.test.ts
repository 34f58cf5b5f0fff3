import type { TokenizerInput, TokenizerMessage } from "@usagepilot/core";
import { fixturesDir } from "@usagepilot/testing";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { get_encoding } from "tiktoken";
import { describe, expect, it } from "vitest";
import { cookbookMessages } from "../scripts/accuracy-rows.mjs";
import { createTokenizer } from "./create-tokenizer";

const tokenizer = createTokenizer();
const o200k = get_encoding("o200k_base");
const rawO200k = (text: string) => o200k.encode_ordinary(text).length;

describe("createTokenizer: OpenAI models with tiktoken", () => {
  // OpenAI cookbook, "How to count tokens with tiktoken": its messages (shared with the accuracy table) and the
  // prompt_tokens the API reported for them.
  it.each([
    ["gpt-3.5-turbo", 129],
    ["gpt-3.5-turbo-0613", 129],
    ["gpt-4-0613", 129],
    ["gpt-4", 129],
    ["gpt-4o", 124],
    ["gpt-4o-mini", 124],
  ] as const)("the cookbook messages on %s count %i tokens, as the API reported", (model, reported) => {
    expect(tokenizer.count({ provider: "openai", model, input: { messages: cookbookMessages } })).toEqual({ tokens: reported, accuracy: "counted" });
  });

  it("counts the streamed gpt-4.1-nano answer exactly as the reported completion_tokens (300)", () => {
    const chunks = readFileSync(join(fixturesDir(), "openai/chat-stream-gpt-4.1-nano.chunks.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { choices: { delta?: { content?: string } }[] });
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    expect(tokenizer.count({ provider: "openai", model: "gpt-4.1-nano-2025-04-14", input: text })).toEqual({ tokens: 300, accuracy: "counted" });
  });

  it("counts the non-streamed gpt-4.1-nano answer within one token of the reported 363", () => {
    const body = JSON.parse(readFileSync(join(fixturesDir(), "openai/chat-nonstream-gpt-4.1-nano.json"), "utf8")) as { choices: { message: { content: string } }[] };
    const count = tokenizer.count({ provider: "openai", model: "gpt-4.1-nano", input: body.choices[0]!.message.content });
    expect(count?.accuracy).toBe("counted");
    expect(Math.abs(count!.tokens - 363)).toBeLessThanOrEqual(1);
  });

  it("uses each family's encoding: cl100k_base and o200k_base differ on the same text", () => {
    const text = "Tokenizers differ: 素早い茶色の狐が怠惰な犬を飛び越える。";
    const cl100k = tokenizer.count({ provider: "openai", model: "gpt-4", input: text })!.tokens;
    const o200kCount = tokenizer.count({ provider: "openai", model: "gpt-4o", input: text })!.tokens;
    expect(o200kCount).toBe(rawO200k(text));
    expect(cl100k).toBe(get_encoding("cl100k_base").encode_ordinary(text).length);
    expect(cl100k).not.toBe(o200kCount);
  });

  it("adds 3 tokens per message plus its role, 1 per name, and 3 to prime the reply", () => {
    const messages = fc.array(fc.record({ role: fc.constantFrom("system", "user", "assistant", "developer", "tool"), content: fc.string(), name: fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: undefined }) }), { maxLength: 8 });
    fc.assert(
      fc.property(messages, (list) => {
        const clean: TokenizerMessage[] = list.map(({ name, ...rest }) => (name === undefined ? rest : { ...rest, name }));
        const expected = 3 + clean.reduce((sum, message) => sum + 3 + rawO200k(message.role) + rawO200k(message.content) + (message.name === undefined ? 0 : 1 + rawO200k(message.name)), 0);
        expect(tokenizer.count({ provider: "openai", model: "gpt-4o", input: { messages: clean } })).toEqual({ tokens: expected, accuracy: "counted" });
      }),
    );
  });

  it("counts a separate system prompt as one more system message", () => {
    const withSystem = tokenizer.count({ provider: "openai", model: "gpt-4o", input: { system: "Be brief.", messages: [{ role: "user", content: "Hi" }] } });
    const asMessage = tokenizer.count({ provider: "openai", model: "gpt-4o", input: { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] } });
    expect(withSystem).toEqual(asMessage);
  });

  it("marks counts with tools or left-out parts as estimated (their framing is not reproduced)", () => {
    const messages = [{ role: "user", content: "What's the weather?" }];
    const plain = tokenizer.count({ provider: "openai", model: "gpt-4o", input: { messages } })!;
    const tools = '[{"type":"function","function":{"name":"get_weather"}}]';
    expect(tokenizer.count({ provider: "openai", model: "gpt-4o", input: { messages, tools } })).toEqual({ tokens: plain.tokens + rawO200k(tools), accuracy: "estimated" });
    expect(tokenizer.count({ provider: "openai", model: "gpt-4o", input: { messages, omitted: true } })).toEqual({ tokens: plain.tokens, accuracy: "estimated" });
  });

  it("counts text that spells a special token as ordinary text instead of throwing", () => {
    expect(tokenizer.count({ provider: "openai", model: "gpt-4o", input: "a <|endoftext|> b" })).toEqual({ tokens: rawO200k("a <|endoftext|> b"), accuracy: "counted" });
    expect(rawO200k("<|endoftext|>")).toBeGreaterThan(1);
  });

  it("counts OpenAI models served through routers and fine-tunes exactly", () => {
    const text = "The quick brown fox jumps over the lazy dog.";
    const reference = tokenizer.count({ provider: "openai", model: "gpt-4o-mini", input: text });
    expect(tokenizer.count({ provider: "openrouter", model: "openai/gpt-4o-mini", input: text })).toEqual(reference);
    expect(tokenizer.count({ provider: "openai", model: "ft:gpt-4o-mini-2024-07-18:acme::abc", input: text })).toEqual(reference);
    expect(tokenizer.count({ provider: "azure-openai", model: "gpt-4o-mini", input: text })).toEqual(reference);
  });
});

describe("createTokenizer: fallback estimates", () => {
  const text = "Metering AI usage per tenant needs exact numbers, or numbers that say they are estimates.";

  it("estimates Claude as o200k_base × 1.15, rounded, and says so", () => {
    expect(tokenizer.count({ provider: "anthropic", model: "claude-sonnet-4-5", input: text })).toEqual({ tokens: Math.round(rawO200k(text) * 1.15), accuracy: "estimated" });
    // Routers and Bedrock name Claude their own way; the family follows the model.
    expect(tokenizer.count({ provider: "openrouter", model: "anthropic/claude-3.5-sonnet", input: text })).toEqual({ tokens: Math.round(rawO200k(text) * 1.15), accuracy: "estimated" });
    expect(tokenizer.count({ provider: "bedrock", model: "anthropic.claude-3-5-sonnet-20240620-v1:0", input: text })).toEqual({ tokens: Math.round(rawO200k(text) * 1.15), accuracy: "estimated" });
  });

  it("estimates Gemini with one token per digit, as its SentencePiece vocabulary splits digits", () => {
    expect(tokenizer.count({ provider: "google", model: "gemini-2.5-flash", input: "2026" })).toEqual({ tokens: 4, accuracy: "estimated" });
    expect(tokenizer.count({ provider: "openai", model: "gpt-4o", input: "2026" })).toEqual({ tokens: rawO200k("2026"), accuracy: "counted" });
    expect(rawO200k("2026")).toBeLessThan(4);
    expect(tokenizer.count({ provider: "google", model: "gemini-2.5-flash", input: "Invoice 12 of 345" })).toEqual({ tokens: rawO200k("Invoice ") + 2 + rawO200k(" of ") + 3, accuracy: "estimated" });
    expect(tokenizer.count({ provider: "google", model: "gemini-2.5-flash", input: text })).toEqual({ tokens: rawO200k(text), accuracy: "estimated" });
  });

  it("scales only the text of chat input, not its framing", () => {
    const messages = [{ role: "user", content: text }];
    const framing = 3 + 3 + rawO200k("user");
    expect(tokenizer.count({ provider: "anthropic", model: "claude-haiku-4-5", input: { messages } })).toEqual({ tokens: Math.round(rawO200k(text) * 1.15) + framing, accuracy: "estimated" });
  });

  it("estimates unknown models of OpenAI-compatible hosts with o200k_base as is", () => {
    expect(tokenizer.count({ provider: "groq", model: "llama-3.1-8b-instant", input: text })).toEqual({ tokens: rawO200k(text), accuracy: "estimated" });
    // An Anthropic or Google provider with an unfamiliar model name still gets its family's estimate.
    expect(tokenizer.count({ provider: "anthropic", model: "future-model", input: text })).toEqual({ tokens: Math.round(rawO200k(text) * 1.15), accuracy: "estimated" });
  });

  it("returns null instead of estimating when estimate is false, and still counts OpenAI models", () => {
    const strict = createTokenizer({ estimate: false });
    expect(strict.count({ provider: "anthropic", model: "claude-sonnet-4-5", input: text })).toBeNull();
    expect(strict.count({ provider: "groq", model: "llama-3.1-8b-instant", input: text })).toBeNull();
    expect(strict.count({ provider: "openai", model: "gpt-4o", input: text })).toEqual({ tokens: rawO200k(text), accuracy: "counted" });
  });

  it("takes a family's factor and digit rule from options", () => {
    const custom = createTokenizer({ fallbacks: { anthropic: { factor: 2 }, other: { splitDigits: true } } });
    expect(custom.count({ provider: "anthropic", model: "claude-sonnet-4-5", input: text })!.tokens).toBe(rawO200k(text) * 2);
    expect(custom.count({ provider: "groq", model: "llama-3.1-8b-instant", input: "12345" })!.tokens).toBe(5);
    expect(() => createTokenizer({ fallbacks: { google: { factor: 0 } } })).toThrow(RangeError);
    expect(() => createTokenizer({ fallbacks: { google: { factor: Number.NaN } } })).toThrow(RangeError);
  });

  it("counts any non-empty text as at least one token and empty text as none", () => {
    expect(tokenizer.count({ provider: "anthropic", model: "claude-sonnet-4-5", input: "" })).toEqual({ tokens: 0, accuracy: "estimated" });
    expect(tokenizer.count({ provider: "anthropic", model: "claude-sonnet-4-5", input: "a" })!.tokens).toBeGreaterThanOrEqual(1);
  });
});

describe("createTokenizer never throws", () => {
  it("returns null when there is no model", () => {
    expect(tokenizer.count({ provider: "openai", model: "", input: "hello" })).toBeNull();
    expect(tokenizer.count({ provider: "openai", model: "   ", input: "hello" })).toBeNull();
  });

  it("returns null for malformed input from untyped callers", () => {
    const malformed = [{ messages: null }, { messages: [{ role: "user", content: 42 }] }, 17, null] as unknown as TokenizerInput[];
    for (const input of malformed) expect(tokenizer.count({ provider: "openai", model: "gpt-4o", input })).toBeNull();
    expect(tokenizer.count({ provider: undefined as unknown as string, model: "gpt-4o", input: "hi" })).toEqual({ tokens: 1, accuracy: "counted" });
  });

  it("gives a non-negative integer for any text, surrogates included, for every family", () => {
    const models = ["gpt-4o", "gpt-4", "claude-sonnet-4-5", "gemini-2.5-flash", "llama-3.1-8b"];
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.constantFrom(...models), (text, model) => {
        const count = tokenizer.count({ provider: "", model, input: text });
        expect(count).not.toBeNull();
        expect(Number.isSafeInteger(count!.tokens) && count!.tokens >= 0).toBe(true);
        expect(count!.tokens === 0).toBe(text === "");
      }),
    );
  });
});
