import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findProvider } from "@pydantic/genai-prices";
import { fixturesDir } from "@usagepilot/testing";
import { describe, expect, it } from "vitest";
import { priceable, tokens } from "../test/priceable-event";
import { createPriceBook } from "./create-price-book";

interface FixtureRow {
  file: string;
  provider: string;
  model: string;
  usage: ReturnType<typeof tokens>;
}

const providerOfFolder: Record<string, string> = { openai: "openai", anthropic: "anthropic", gemini: "google" };

/** The rows of SOURCES.md with measured usage: file, model (from the body when the table says "see body") and the usage each must yield. */
function fixtureRows(): FixtureRow[] {
  const rows: FixtureRow[] = [];
  for (const line of readFileSync(join(fixturesDir(), "SOURCES.md"), "utf8").split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const [, file, , modelCell, input, cached, write, output, reasoning] = cells;
    if (!file || !/\.(json|sse|jsonl)$/.test(file) || !/^\d+$/.test(input ?? "")) continue;
    let model = modelCell ?? "";
    if (model.startsWith("(see body)")) model = /"modelVersion":\s*"([^"]+)"/.exec(readFileSync(join(fixturesDir(), file), "utf8"))?.[1] ?? "";
    rows.push({
      file,
      provider: providerOfFolder[file.split("/")[0]!]!,
      model,
      usage: tokens({ inputTokens: Number(input), cachedInputTokens: Number(cached), cacheWriteInputTokens: Number(write), outputTokens: Number(output), reasoningTokens: Number(reasoning) }),
    });
  }
  return rows;
}

const book = createPriceBook();
const rows = fixtureRows();
const price = (row: FixtureRow) => book.price(priceable({ provider: row.provider, model: row.model, usage: row.usage }));
const row = (file: string) => rows.find((candidate) => candidate.file === file)!;

describe("the recorded fixtures' models", () => {
  it("are all in SOURCES.md with their usage", () => {
    expect(new Set(rows.map((candidate) => candidate.model.replace(/-\d{4}-\d{2}-\d{2}$|-\d{8}$/, "")))).toEqual(
      new Set(["gpt-4.1-nano", "gpt-4o-mini", "o3-mini", "gpt-5", "claude-sonnet-4-5", "claude-sonnet-4-6", "gemini-2.5-flash", "gemini-3-pro-preview", "gemini-3.6-flash"]),
    );
  });

  it("all get a price from the data, never null", () => {
    for (const candidate of rows) {
      const cost = price(candidate);
      expect(cost, candidate.file).not.toBeNull();
      expect(cost!.priceSource, candidate.file).toMatch(/^genai-prices@0\.1\.8:(openai|anthropic|google)\//);
    }
  });

  it("OpenAI o3-mini reasoning, checked by hand against the data", () => {
    expect(findProvider({ providerId: "openai" })?.models.find((model) => model.id === "o3-mini")?.prices).toMatchObject({ input_mtok: 1.1, output_mtok: 4.4 });
    // 577 × 1.1 + 2320 × 4.4 (reasoning is output) = 634.7 + 10208 = 10842.7 per million.
    expect(price(row("openai/chat-nonstream-reasoning.json"))).toEqual({ amount: "0.0108427", currency: "USD", priceSource: "genai-prices@0.1.8:openai/o3-mini" });
  });

  it("Anthropic claude-sonnet-4-5 cache read, checked by hand against the data", () => {
    // 1114 input = 3 uncached + 1111 read: 3 × 3 + 1111 × 0.3 + 406 × 15 = 9 + 333.3 + 6090 = 6432.3 per million.
    expect(price(row("anthropic/messages-nonstream-cache-1.json"))).toEqual({ amount: "0.0064323", currency: "USD", priceSource: "genai-prices@0.1.8:anthropic/claude-sonnet-4-5" });
  });

  it("Google gemini-3-pro-preview thoughts, checked by hand against the data", () => {
    expect(findProvider({ providerId: "google" })?.models.find((model) => model.id === "gemini-3-pro-preview")?.prices).toMatchObject({
      input_mtok: { base: 2, tiers: [{ start: 200_000, price: 4 }] },
      output_mtok: { base: 12, tiers: [{ start: 200_000, price: 18 }] },
    });
    // 9 × 2 + 272 × 12 (thoughts are output) = 18 + 3264 = 3282 per million.
    expect(price(row("gemini/generateContent-gemini-3-pro-thoughts.json"))).toEqual({ amount: "0.003282", currency: "USD", priceSource: "genai-prices@0.1.8:google/gemini-3-pro-preview" });
  });

  it("Google gemini-2.5-flash with cached audio (priced apart), checked by hand against the data", () => {
    expect(findProvider({ providerId: "google" })?.models.find((model) => model.id === "gemini-2.5-flash")?.prices).toMatchObject({ input_mtok: 0.3, cache_read_mtok: 0.03, output_mtok: 2.5, input_audio_mtok: 1, cache_audio_read_mtok: 0.1 });
    const usage = { ...row("gemini/generateContent-cached-content.json").usage, audioInputTokens: 1917, cachedAudioInputTokens: 1881 };
    // Uncached text/video 17713 − 17379 − (1917 − 1881) = 298 × 0.3 = 89.4; uncached audio 36 × 1 = 36;
    // cached non-audio 17379 − 1881 = 15498 × 0.03 = 464.94; cached audio 1881 × 0.1 = 188.1; output 889 × 2.5 = 2222.5.
    expect(book.price(priceable({ provider: "google", model: "gemini-2.5-flash", usage }))).toEqual({ amount: "0.00300094", currency: "USD", priceSource: "genai-prices@0.1.8:google/gemini-2.5-flash" });
    // Without the cached-audio split the overlap is unknown: no price rather than a guess.
    expect(book.price(priceable({ provider: "google", model: "gemini-2.5-flash", usage: { ...usage, cachedAudioInputTokens: undefined } }))).toBeNull();
  });
});
