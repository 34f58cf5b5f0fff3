import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accuracyRows, accuracyTable, fixtureOutputs, withinBound } from "../scripts/accuracy-rows.mjs";
import * as tokenizers from "./index";

const rows = accuracyRows(tokenizers);

describe("tokenizer accuracy against recorded provider counts", () => {
  it.each(rows.map((row) => [`${row.side} ${row.source} (${row.model})`, row] as const))("%s stays within its stated error bound", (_name, row) => {
    expect(withinBound(row.error, row.reported, row.bound), `counted ${row.counted}, reported ${row.reported}`).toBe(true);
  });

  it("reads the reported counts SOURCES.md lists (output, or output minus reasoning where thoughts are apart)", () => {
    const reported = Object.fromEntries(fixtureOutputs().map((output) => [output.fixture, output.reported]));
    expect(reported).toEqual({
      "openai/chat-nonstream-gpt-4.1-nano.json": 363,
      "openai/chat-stream-gpt-4.1-nano.chunks.jsonl": 300,
      "openai/chat-nonstream-reasoning.json": 2320 - 1792,
      "anthropic/messages-nonstream-basic.json": 29,
      "anthropic/messages-nonstream-cache-1.json": 406,
      "anthropic/messages-stream-basic-padded.sse": 10,
      // The compaction fixture bills output 83 + 8 over its two passes.
      "anthropic/messages-stream-compaction-cache-read-iterations.sse (compaction pass)": 83,
      "anthropic/messages-stream-compaction-cache-read-iterations.sse (answer)": 8,
      "gemini/generateContent-gemini-3-pro-thoughts.json": 272 - 244,
      "gemini/streamGenerateContent-sse-usage-every-chunk.sse": 115 - 35,
      "gemini/streamGenerateContent-json-array-no-alt-sse.json": 293 - 291,
      "gemini/generateContent-cached-content.json": 889 - 821,
    });
  });

  it("covers all three providers and marks OpenAI counts counted and the others estimated", () => {
    expect([...new Set(fixtureOutputs().map((output) => output.provider))].sort()).toEqual(["anthropic", "google", "openai"]);
    for (const row of rows) expect(row.accuracy).toBe(row.model.startsWith("gpt-") || row.model.startsWith("o3") ? "counted" : "estimated");
  });

  it("the README table is the one `pnpm accuracy` generates", () => {
    const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");
    const table = readme.slice(readme.indexOf("<!-- accuracy:start -->") + "<!-- accuracy:start -->".length, readme.indexOf("<!-- accuracy:end -->")).trim();
    expect(table).toBe(accuracyTable(rows));
  });
});
