import { findProvider, type ModelInfo } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { priceable, tokens } from "../test/priceable-event";
import { createPriceBook } from "./create-price-book";

const book = createPriceBook();

/** The raw prices the data holds for a model, to show in each test which numbers the hand calculation used. */
function dataPrices(providerId: string, modelId: string): ModelInfo["prices"] {
  const model = findProvider({ providerId })?.models.find((candidate) => candidate.id === modelId);
  if (!model) throw new Error(`${providerId}/${modelId} is not in the data`);
  return model.prices;
}

describe("createPriceBook: list prices from the genai-prices data, by hand", () => {
  it("OpenAI gpt-4o-mini: uncached, cached and output tokens at their own prices", () => {
    expect(dataPrices("openai", "gpt-4o-mini")).toMatchObject({ input_mtok: 0.15, cache_read_mtok: 0.075, output_mtok: 0.6 });
    // (1000 - 200) × 0.15 + 200 × 0.075 + 500 × 0.6 = 120 + 15 + 300 = 435 per million.
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini-2024-07-18", usage: tokens({ inputTokens: 1000, outputTokens: 500, cachedInputTokens: 200 }) }))).toEqual({
      amount: "0.000435",
      currency: "USD",
      priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini",
    });
  });

  it("Anthropic claude-sonnet-4-5: cache reads, 5-minute and 1-hour writes", () => {
    expect(dataPrices("anthropic", "claude-sonnet-4-5")).toMatchObject({
      input_mtok: { base: 3 },
      cache_read_mtok: { base: 0.3 },
      cache_write_mtok: { base: 3.75 },
      cache_write_1h_mtok: { base: 6 },
      output_mtok: { base: 15 },
    });
    // input 10,000 = 1,000 uncached + 4,000 read + 5,000 written (2,000 of them for 1 hour):
    // 1000 × 3 + 4000 × 0.3 + 3000 × 3.75 + 2000 × 6 + 800 × 15 = 3000 + 1200 + 11250 + 12000 + 12000 = 39450 per million.
    const usage = tokens({ inputTokens: 10_000, outputTokens: 800, cachedInputTokens: 4_000, cacheWriteInputTokens: 5_000, cacheWrite1hInputTokens: 2_000 });
    expect(book.price(priceable({ provider: "anthropic", model: "claude-sonnet-4-5-20250929", usage }))).toEqual({
      amount: "0.03945",
      currency: "USD",
      priceSource: "genai-prices@0.1.8:anthropic/claude-sonnet-4-5",
    });
  });

  it("Google gemini-2.5-pro: a long-context tier reprices every token once the input passes 200k", () => {
    expect(dataPrices("google", "gemini-2.5-pro")).toMatchObject({
      input_mtok: { base: 1.25, tiers: [{ start: 200_000, price: 2.5 }] },
      cache_read_mtok: { base: 0.125, tiers: [{ start: 200_000, price: 0.25 }] },
      output_mtok: { base: 10, tiers: [{ start: 200_000, price: 15 }] },
    });
    const at = (inputTokens: number) => book.price(priceable({ provider: "google", model: "gemini-2.5-pro", usage: tokens({ inputTokens, outputTokens: 1_000, cachedInputTokens: 100_000 }) }));
    // 200,000 is not past the start: 100000 × 1.25 + 100000 × 0.125 + 1000 × 10 = 125000 + 12500 + 10000 = 147500 per million.
    expect(at(200_000)).toEqual({ amount: "0.1475", currency: "USD", priceSource: "genai-prices@0.1.8:google/gemini-2.5-pro" });
    // 200,001 is: 100001 × 2.5 + 100000 × 0.25 + 1000 × 15 = 250002.5 + 25000 + 15000 = 290002.5 per million.
    expect(at(200_001)).toEqual({ amount: "0.2900025", currency: "USD", priceSource: "genai-prices@0.1.8:google/gemini-2.5-pro[input>200000]" });
  });

  it("decides the tier on the whole input, cache reads and writes included (Claude Sonnet 1M context)", () => {
    // 190,000 read from cache + 20,000 uncached = 210,000 input: the >200k tier, 0.6 and 6 per million.
    // 20000 × 6 + 190000 × 0.6 + 100 × 22.5 = 120000 + 114000 + 2250 = 236250 per million.
    const usage = tokens({ inputTokens: 210_000, outputTokens: 100, cachedInputTokens: 190_000 });
    expect(book.price(priceable({ provider: "anthropic", model: "claude-sonnet-4-5", usage }))?.amount).toBe("0.23625");
  });

  it("prices each event at its own timestamp: claude-sonnet-4-6 lost its long-context tier on 2026-03-13", () => {
    const prices = dataPrices("anthropic", "claude-sonnet-4-6");
    expect(prices).toMatchObject([{ prices: { input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] } } }, { constraint: { start_date: "2026-03-13" }, prices: { input_mtok: 3 } }]);
    const usage = tokens({ inputTokens: 300_000, outputTokens: 0 });
    const on = (timestamp: string) => book.price(priceable({ provider: "anthropic", model: "claude-sonnet-4-6", timestamp, usage }));
    // Before: 300000 × 6 = 1.8 USD. From midnight UTC of the change: 300000 × 3 = 0.9 USD.
    expect(on("2026-03-12T23:59:59.999Z")).toEqual({ amount: "1.8", currency: "USD", priceSource: "genai-prices@0.1.8:anthropic/claude-sonnet-4-6[before 2026-03-13][input>200000]" });
    expect(on("2026-03-13T00:00:00.000Z")).toEqual({ amount: "0.9", currency: "USD", priceSource: "genai-prices@0.1.8:anthropic/claude-sonnet-4-6[from 2026-03-13]" });
  });

  it("prices OpenAI o3 before and after its 2025-06-10 price cut", () => {
    const [before, after] = dataPrices("openai", "o3") as [{ prices: Record<string, number> }, { prices: Record<string, number> }];
    expect(before.prices).toMatchObject({ input_mtok: 10, output_mtok: 40 });
    expect(after.prices).toMatchObject({ input_mtok: 2, output_mtok: 8 });
    const usage = tokens({ inputTokens: 1_000_000, outputTokens: 1_000_000 });
    expect(book.price(priceable({ provider: "openai", model: "o3-2025-04-16", timestamp: "2025-06-09T12:00:00Z", usage }))?.amount).toBe("50");
    expect(book.price(priceable({ provider: "openai", model: "o3-2025-04-16", timestamp: "2025-06-10T12:00:00Z", usage }))?.amount).toBe("10");
  });

  it("prices by time of day where the data says so (DeepSeek's off-peak hours, UTC)", () => {
    const usage = tokens({ inputTokens: 1_000_000, outputTokens: 0 });
    const on = (timestamp: string) => book.price(priceable({ provider: "deepseek", model: "deepseek-chat", timestamp, usage }));
    expect(on("2026-01-15T08:00:00Z")).toEqual({ amount: "0.27", currency: "USD", priceSource: "genai-prices@0.1.8:deepseek/deepseek-chat[00:30:00Z-16:30:00Z]" });
    expect(on("2026-01-15T20:00:00Z")).toEqual({ amount: "0.135", currency: "USD", priceSource: "genai-prices@0.1.8:deepseek/deepseek-chat[default]" });
  });

  it("prices per-unit quantities: web searches per thousand, a price per request, audio per hour", () => {
    // gpt-4o-mini: web_searches_kcount 10, so 3 searches are 0.03; plus 100 × 0.15 + 10 × 0.6 = 21 per million.
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage: tokens({ inputTokens: 100, outputTokens: 10 }), units: { web_searches: 3 } }))?.amount).toBe("0.030021");
    // Anthropic reports `web_search_requests`: the same unit, 10 per thousand.
    expect(book.price(priceable({ provider: "anthropic", model: "claude-sonnet-4-5", usage: tokens({ inputTokens: 0, outputTokens: 0 }), units: { web_search_requests: 2 } }))?.amount).toBe("0.02");
    // perplexity sonar: requests_kcount 12, one request per event: 0.012 + (100 × 1 + 10 × 1) per million.
    expect(dataPrices("perplexity", "sonar")).toMatchObject({ input_mtok: 1, output_mtok: 1, requests_kcount: 12 });
    expect(book.price(priceable({ provider: "perplexity", model: "sonar", usage: tokens({ inputTokens: 100, outputTokens: 10 }) }))?.amount).toBe("0.01211");
    // whisper-1: audio_hours 0.36, so 61.5 seconds are 61.5 × 0.36 / 3600 = 0.00615, exactly.
    expect(book.price(priceable({ provider: "openai", model: "whisper-1", usage: null, units: { audio_seconds: 61.5 } }))?.amount).toBe("0.00615");
  });

  it("bills Groq Whisper for at least 10 seconds, as the data's rule says", () => {
    // 0.04 per hour × 10 s / 3600 = 0.000111… (repeating: the one rounding, at 15 places).
    expect(book.price(priceable({ provider: "groq", model: "whisper-large-v3-turbo", usage: null, units: { audio_seconds: 3 } }))?.amount).toBe("0.000111111111111");
    expect(book.price(priceable({ provider: "groq", model: "whisper-large-v3-turbo", usage: null, units: { audio_seconds: 36 } }))?.amount).toBe("0.0004");
  });

  it("maps UsagePilot provider names to the data's providers", () => {
    const usage = tokens({ inputTokens: 1_000_000, outputTokens: 0 });
    expect(book.price(priceable({ provider: "azure-openai", model: "gpt-4o-mini", usage }))?.priceSource).toBe("genai-prices@0.1.8:azure/gpt-4o-mini");
    expect(book.price(priceable({ provider: "xai", model: "grok-3", usage }))?.priceSource).toMatch(/^genai-prices@0\.1\.8:x-ai\//);
    // Claude on Vertex AI: Google's provider falls back to Anthropic's models.
    const short = tokens({ inputTokens: 100_000, outputTokens: 0 });
    expect(book.price(priceable({ provider: "google-vertex", model: "claude-sonnet-4-5@20250929", usage: short }))).toEqual({ amount: "0.3", currency: "USD", priceSource: "genai-prices@0.1.8:google/claude-sonnet-4-5" });
    const mapped = createPriceBook({ providers: { "my-gateway": "openai", openai: null } });
    expect(mapped.price(priceable({ provider: "my-gateway", model: "gpt-4o-mini", usage }))?.amount).toBe("0.15");
    expect(mapped.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage }))).toBeNull();
  });
});

describe("createPriceBook: priceSource", () => {
  it("names the data as told when the app replaced it", () => {
    const relabelled = createPriceBook({ dataLabel: "genai-prices@2026-05-01" });
    expect(relabelled.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage: tokens({ inputTokens: 1, outputTokens: 1 }) }))?.priceSource).toBe("genai-prices@2026-05-01:openai/gpt-4o-mini");
  });
});

describe("createPriceBook: unknown is null, never $0", () => {
  it("knows no price for an unknown model, a null model, an unknown or custom provider", () => {
    const usage = tokens({ inputTokens: 10, outputTokens: 10 });
    expect(book.price(priceable({ provider: "openai", model: "my-finetune-that-does-not-exist", usage }))).toBeNull();
    expect(book.price(priceable({ provider: "openai", model: null, usage }))).toBeNull();
    expect(book.price(priceable({ provider: "no-such-provider", model: "gpt-4o-mini", usage }))).toBeNull();
    expect(book.price(priceable({ provider: "custom", model: "gpt-4o-mini", usage }))).toBeNull();
  });

  it("knows no price when usage was not measured and there are no units", () => {
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage: null }))).toBeNull();
  });

  it("gives no price rather than a cheaper one when a unit has no price", () => {
    const usage = tokens({ inputTokens: 10, outputTokens: 10 });
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage, units: { images: 1 } }))).toBeNull();
    // gemini-2.5-flash has no web search price in the data.
    expect(book.price(priceable({ provider: "google", model: "gemini-2.5-flash", usage, units: { web_searches: 1 } }))).toBeNull();
    // A zero count costs nothing whether or not it has a price.
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage, units: { images: 0 } }))).not.toBeNull();
  });

  it("prices a unit the data lacks once you give it a price (`unitPrices`), for that provider only", () => {
    const usage = tokens({ inputTokens: 100_000, outputTokens: 0 });
    const units = { web_search_requests: 2, web_fetch_requests: 3 };
    expect(book.price(priceable({ provider: "anthropic", model: "claude-sonnet-4-5", usage, units }))).toBeNull();
    const priced = createPriceBook({ unitPrices: { anthropic: { web_fetch_requests: "0" }, openai: { web_searches: "0.001" } } });
    // 100000 × 3 per million + 2 searches at the data's 10 per thousand + 3 fetches at 0.
    expect(priced.price(priceable({ provider: "anthropic", model: "claude-sonnet-4-5", usage, units }))).toEqual({ amount: "0.32", currency: "USD", priceSource: "genai-prices@0.1.8:anthropic/claude-sonnet-4-5[unit-prices]" });
    expect(priced.price(priceable({ provider: "anthropic", model: "claude-sonnet-4-5", usage }))?.priceSource).toBe("genai-prices@0.1.8:anthropic/claude-sonnet-4-5");
    // A unit price beats the data's for that unit: 5 searches × 0.001 instead of 10 per thousand.
    expect(priced.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage: tokens({ inputTokens: 0, outputTokens: 0 }), units: { web_searches: 5 } }))?.amount).toBe("0.005");
    expect(priced.price(priceable({ provider: "google-vertex", model: "claude-sonnet-4-5", usage, units }))).toBeNull();
    expect(() => createPriceBook({ unitPrices: { anthropic: { web_fetch_requests: "-1" } } })).toThrow(RangeError);
  });

  it("gives no price when the event does not say how much of an overlap the model prices on its own", () => {
    // gemini-2.5-flash prices cached audio apart (cache_audio_read_mtok); cached and audio counts alone do not say how much audio was cached.
    expect(dataPrices("google", "gemini-2.5-flash")).toMatchObject({ input_audio_mtok: 1, cache_audio_read_mtok: 0.1 });
    const base = { inputTokens: 1000, outputTokens: 10 };
    expect(book.price(priceable({ provider: "google", model: "gemini-2.5-flash", usage: tokens({ ...base, cachedInputTokens: 500, audioInputTokens: 300 }) }))).toBeNull();
    // Audio without cache reads is exact: 700 × 0.3 + 300 × 1 + 10 × 2.5 = 210 + 300 + 25 = 535 per million.
    expect(book.price(priceable({ provider: "google", model: "gemini-2.5-flash", usage: tokens({ ...base, audioInputTokens: 300 }) }))?.amount).toBe("0.000535");
  });

  it("gives no price to an event whose subsets exceed their totals or whose counts are not counts", () => {
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage: tokens({ inputTokens: 10, outputTokens: 0, cachedInputTokens: 20 }) }))).toBeNull();
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage: tokens({ inputTokens: -1, outputTokens: 0 }) }))).toBeNull();
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage: tokens({ inputTokens: Number.NaN, outputTokens: 0 }) }))).toBeNull();
    expect(book.price(priceable({ provider: "openai", model: "gpt-4o-mini", timestamp: "not a date" }))).toBeNull();
  });
});

describe("createPriceBook: overrides", () => {
  const contract = createPriceBook({
    overrides: [
      { source: "acme-2026", provider: "openai", model: "gpt-4o-mini", from: "2026-01-01", until: "2027-01-01", prices: { input: "0.1", output: "0.5", cachedInput: "0.01" } },
      { source: "self-hosted", model: ["llama-*", /^qwen/], prices: { input: "0.02", output: "0.02", units: { gpu_seconds: "0.0004" } } },
      { source: "claude-deal", provider: "anthropic", model: "claude-sonnet-4-5", prices: { input: "2", output: "10", cacheWrite: "2.5" } },
    ],
  });
  const usage = tokens({ inputTokens: 1000, outputTokens: 100, cachedInputTokens: 500 });

  it("beat the data for matching events, within their dates", () => {
    // 500 × 0.1 + 500 × 0.01 + 100 × 0.5 = 50 + 5 + 50 = 105 per million.
    expect(contract.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage }))).toEqual({ amount: "0.000105", currency: "USD", priceSource: "override:acme-2026" });
    // Before `from` and from `until` on, the data's list price: 500 × 0.15 + 500 × 0.075 + 100 × 0.6 = 172.5 per million.
    expect(contract.price(priceable({ provider: "openai", model: "gpt-4o-mini", timestamp: "2025-12-31T23:59:59Z", usage }))).toEqual({ amount: "0.0001725", currency: "USD", priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini" });
    expect(contract.price(priceable({ provider: "openai", model: "gpt-4o-mini", timestamp: "2027-01-01T00:00:00Z", usage }))?.priceSource).toBe("genai-prices@0.1.8:openai/gpt-4o-mini");
    // Another provider is not covered by a provider-bound override.
    expect(contract.price(priceable({ provider: "azure-openai", model: "gpt-4o-mini", usage }))?.priceSource).toBe("genai-prices@0.1.8:azure/gpt-4o-mini");
  });

  it("match dated aliases through the data's model id, globs and regular expressions", () => {
    expect(contract.price(priceable({ provider: "openai", model: "gpt-4o-mini-2024-07-18", usage }))?.priceSource).toBe("override:acme-2026");
    expect(contract.price(priceable({ provider: "openai", model: "gpt-4o", usage }))?.priceSource).toBe("genai-prices@0.1.8:openai/gpt-4o");
    // Models the data does not know at all: 1000 × 0.02 + 100 × 0.02 per million + 30 GPU seconds × 0.0004.
    expect(contract.price(priceable({ provider: "custom", model: "llama-3.3-70b", usage, units: { gpu_seconds: 30 } }))).toEqual({ amount: "0.012022", currency: "USD", priceSource: "override:self-hosted" });
    expect(contract.price(priceable({ provider: "vllm", model: "qwen2.5-7b", usage }))?.amount).toBe("0.000022");
  });

  it("price 1-hour cache writes at 2× input when they name only the 5-minute price", () => {
    // 1000 input = 200 uncached + 800 written, 300 of them for 1 hour: 200 × 2 + 500 × 2.5 + 300 × 4 + 10 × 10 = 400 + 1250 + 1200 + 100 = 2950 per million.
    const written = tokens({ inputTokens: 1000, outputTokens: 10, cacheWriteInputTokens: 800, cacheWrite1hInputTokens: 300 });
    expect(contract.price(priceable({ provider: "anthropic", model: "claude-sonnet-4-5-20250929", usage: written }))).toEqual({
      amount: "0.00295",
      currency: "USD",
      priceSource: "override:claude-deal[1h-cache=2×input]",
    });
  });

  it("are checked when the book is made", () => {
    expect(() => createPriceBook({ overrides: [{ source: "bad", model: "x", prices: { input: "0.1", output: "1e-3" } }] })).toThrow(RangeError);
    expect(() => createPriceBook({ overrides: [{ source: "bad", model: "x", prices: { input: "-1", output: "1" } }] })).toThrow(RangeError);
    expect(() => createPriceBook({ overrides: [{ source: "bad", model: "x", from: "yesterday", prices: { input: "1", output: "1" } }] })).toThrow(RangeError);
  });

  it("price units per ONE unit, a unit the data knows included", () => {
    const searches = createPriceBook({ overrides: [{ source: "search-deal", model: "gpt-4o-mini", prices: { input: "0", output: "0", units: { web_searches: "0.002", file_searches: "0.001" } } }] });
    // The Responses API's file_searches are the data's storage_searches: 5 × 0.002 + 3 × 0.001.
    expect(searches.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage, units: { web_searches: 5, file_searches: 3 } }))?.amount).toBe("0.013");
    expect(searches.price(priceable({ provider: "openai", model: "gpt-4o-mini", usage, units: { images: 1 } }))).toBeNull();
  });

  it("alone, without the data", () => {
    const only = createPriceBook({ useData: false, overrides: [{ source: "flat", model: "gpt-4o-mini*", prices: { input: "1", output: "1" } }] });
    expect(only.price(priceable({ provider: "openai", model: "gpt-4o-mini-2024-07-18", usage }))?.amount).toBe("0.0011");
    expect(only.price(priceable({ provider: "openai", model: "gpt-4o", usage }))).toBeNull();
  });
});

describe("createPriceBook: markups", () => {
  const marked = createPriceBook({
    markups: [
      { name: "acme", when: { organization_id: "acme" }, percent: "-15" },
      { name: "plan-pro", when: { plan: ["pro", "team"] }, percent: "20" },
      { name: "resale", when: (event) => event.provider === "anthropic", multiplier: "1.05" },
    ],
  });
  const usage = tokens({ inputTokens: 1_000_000, outputTokens: 0 });
  const price = (dimensions: Record<string, string>, provider = "openai", model = "gpt-4o-mini", inputTokens = 1_000_000) =>
    marked.price(priceable({ provider, model, dimensions, usage: tokens({ inputTokens, outputTokens: 0 }) }));

  it("apply only to matching tenants, the first matching rule", () => {
    expect(price({ plan: "pro" })).toEqual({ amount: "0.18", currency: "USD", priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini +markup:plan-pro(+20%)" });
    expect(price({ plan: "team" })?.amount).toBe("0.18");
    expect(price({ plan: "free" })).toEqual({ amount: "0.15", currency: "USD", priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini" });
    expect(price({})?.amount).toBe("0.15");
    // Listed first, the tenant's discount wins over its plan's markup: 0.15 × 0.85.
    expect(price({ organization_id: "acme", plan: "pro" })).toEqual({ amount: "0.1275", currency: "USD", priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini +markup:acme(-15%)" });
    // 100000 × 3 per million = 0.3, × 1.05.
    expect(price({}, "anthropic", "claude-sonnet-4-5", 100_000)).toEqual({ amount: "0.315", currency: "USD", priceSource: "genai-prices@0.1.8:anthropic/claude-sonnet-4-5 +markup:resale(×1.05)" });
  });

  it("can be chosen by a function, and leave an unknown price unknown", () => {
    const byFunction = createPriceBook({ markups: (event) => (event.dimensions.tier === "gold" ? { name: "gold", multiplier: "2" } : null) });
    expect(byFunction.price(priceable({ provider: "openai", model: "gpt-4o-mini", dimensions: { tier: "gold" }, usage }))?.amount).toBe("0.3");
    expect(byFunction.price(priceable({ provider: "openai", model: "gpt-4o-mini", dimensions: {}, usage }))?.amount).toBe("0.15");
    expect(marked.price(priceable({ provider: "openai", model: "unknown-model", dimensions: { plan: "pro" }, usage }))).toBeNull();
  });

  it("are checked when the book is made", () => {
    expect(() => createPriceBook({ markups: [{ name: "both", percent: "1", multiplier: "1" }] })).toThrow(RangeError);
    expect(() => createPriceBook({ markups: [{ name: "neither" }] })).toThrow(RangeError);
    expect(() => createPriceBook({ markups: [{ name: "too-low", percent: "-101" }] })).toThrow(RangeError);
    expect(() => createPriceBook({ markups: [{ name: "float", percent: "2e1" }] })).toThrow(RangeError);
  });
});
