import { describeProviderConformance } from "@usagepilot/core/test";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createAnthropicAdapter } from "../src/create-anthropic-adapter";
import { anthropicConformanceCases, anthropicFixture } from "./anthropic-fixture-cases";
import { createWordTokenizer } from "./word-tokenizer";

// Anthropic's in-stream error, as the API sends it when it is overloaded mid-answer.
const streamErrorEvent = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';

describe("the conformance cases", () => {
  it("cover every recorded Anthropic fixture", () => {
    const files = readdirSync(anthropicFixture("")).filter((name) => /\.(json|sse|chunks\.jsonl)$/.test(name));
    expect(anthropicConformanceCases.map((testCase) => testCase.name).sort()).toEqual(files.sort());
  });
});

// Without a tokenizer a cut stream's usage is not measured; with one it is counted from what was seen.
for (const tokenizer of [undefined, createWordTokenizer()]) {
  describeProviderConformance({
    name: tokenizer ? "Anthropic with a tokenizer" : "Anthropic",
    adapter: () => createAnthropicAdapter(),
    cases: anthropicConformanceCases,
    runner: { describe, it, expect },
    streamErrorEvent,
    ...(tokenizer ? { tokenizer } : {}),
  });
}
