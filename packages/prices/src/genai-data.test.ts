import { readFileSync } from "node:fs";
import { calcPrice, findProvider, type ModelPrice, type Provider } from "@pydantic/genai-prices";
import { formatDecimal } from "@usagepilot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { priceable, tokens } from "../test/priceable-event";
import { computeCost } from "./compute-cost";
import { eventQuantities } from "./event-quantities";
import { genaiPriceEntry } from "./genai-price-entry";
import { genaiPricesVersion } from "./genai-prices-version";
import { unitForPriceKey } from "./price-unit";

// Every provider id of the bundled data (genai-prices does not export a list).
const providerIds = [
  "anthropic", "arcee", "avian", "aws", "azure", "baseten", "cerebras", "cohere", "deepseek", "doubleword", "fireworks", "google", "groq",
  "huggingface_cerebras", "huggingface_fireworks-ai", "huggingface_groq", "huggingface_hyperbolic", "huggingface_nebius", "huggingface_novita",
  "huggingface_nscale", "huggingface_ovhcloud", "huggingface_publicai", "huggingface_sambanova", "huggingface_together", "minimax", "mistral",
  "modal", "novita", "openai", "openrouter", "ovhcloud", "perplexity", "quicksilverpro", "together", "typesafe", "voyageai", "x-ai", "zai", "zhipuai",
];

function providers(): Provider[] {
  return providerIds.map((id) => {
    const provider = findProvider({ providerId: id });
    if (!provider || provider.id !== id) throw new Error(`provider ${id} is not in the data`);
    return provider;
  });
}

function allPrices(): { provider: Provider; modelId: string; prices: ModelPrice; timestamp: Date }[] {
  const result: { provider: Provider; modelId: string; prices: ModelPrice; timestamp: Date }[] = [];
  for (const provider of providers())
    for (const model of provider.models) {
      if (!Array.isArray(model.prices)) {
        result.push({ provider, modelId: model.id, prices: model.prices, timestamp: new Date("2026-01-15T10:00:00Z") });
        continue;
      }
      // A moment at which each conditional price is the one in force.
      for (const conditional of model.prices) {
        const constraint = conditional.constraint as { start_date?: string; start_time?: string } | undefined;
        if (constraint?.start_time !== undefined) continue;
        const timestamp = constraint?.start_date ? new Date(`${constraint.start_date}T00:00:00Z`) : new Date("2000-01-01T00:00:00Z");
        result.push({ provider, modelId: model.id, prices: conditional.prices, timestamp });
      }
    }
  return result;
}

describe("the bundled genai-prices data", () => {
  it("is the version priceSource names", () => {
    const manifest = JSON.parse(readFileSync(new URL("../node_modules/@pydantic/genai-prices/package.json", import.meta.url), "utf8")) as { version: string };
    expect(manifest.version).toBe(genaiPricesVersion);
  });

  it("uses only price keys this package understands, and every price converts", () => {
    const unknown = new Set<string>();
    let count = 0;
    for (const { provider, modelId, prices } of allPrices()) {
      for (const key of Object.keys(prices)) if (!unitForPriceKey(key)) unknown.add(key);
      expect(genaiPriceEntry(`${provider.id}/${modelId}`, prices), `${provider.id}/${modelId}`).not.toBeNull();
      count += 1;
    }
    expect([...unknown]).toEqual([]);
    expect(count).toBeGreaterThan(1000);
  });

  it("gives the same cost as genai-prices' own float calculation, for every model, to 1e-9 relative", () => {
    const usage = fc
      .record({ input: fc.nat({ max: 400_000 }), output: fc.nat({ max: 50_000 }), read: fc.double({ min: 0, max: 1, noNaN: true }), write: fc.double({ min: 0, max: 1, noNaN: true }), hour: fc.double({ min: 0, max: 1, noNaN: true }), reasoning: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ input, output, read, write, hour, reasoning }) => {
        const cached = Math.floor(input * read);
        const written = Math.floor((input - cached) * write);
        return { input, output, cached, written, written1h: Math.floor(written * hour), reasoning: Math.floor(output * reasoning) };
      });
    const samples = fc.sample(usage, { numRuns: 5, seed: 42 });
    let compared = 0;
    const mismatches: string[] = [];
    for (const { provider, modelId, prices, timestamp } of allPrices()) {
      const entry = genaiPriceEntry(`${provider.id}/${modelId}`, prices)!;
      // Their rule prices 1-hour writes at the 5-minute price when the data has no 1-hour price; ours at 2× input (Anthropic's rule): compare only where the data decides.
      const has1h = "cache_write_1h_mtok" in prices;
      // Our book refuses (null) tokens a model has no price for, where genai-prices charges nothing: send none of those.
      const hasInput = "input_mtok" in prices;
      const hasOutput = "output_mtok" in prices;
      for (const drawn of samples) {
        const sample = { ...drawn };
        if (!hasInput) Object.assign(sample, { input: 0, cached: 0, written: 0, written1h: 0 });
        if (!hasOutput) Object.assign(sample, { output: 0, reasoning: 0 });
        const theirs = calcPrice(
          { input_tokens: sample.input, cache_read_tokens: sample.cached, cache_write_tokens: sample.written, ...(has1h ? { cache_write_1h_tokens: sample.written1h } : {}), output_tokens: sample.output, output_reasoning_tokens: sample.reasoning },
          modelId,
          { providerId: provider.id, timestamp },
        );
        if (!theirs || theirs.model.id !== modelId || theirs.model_price !== prices) continue;
        const event = priceable({
          usage: tokens({ inputTokens: sample.input, outputTokens: sample.output, cachedInputTokens: sample.cached, cacheWriteInputTokens: sample.written, reasoningTokens: sample.reasoning, ...(has1h ? { cacheWrite1hInputTokens: sample.written1h } : {}) }),
        });
        const ours = computeCost(entry, eventQuantities(event)!);
        const amount = ours ? Number(formatDecimal(ours.amount)) : null;
        if (amount === null || Math.abs(amount - theirs.total_price) > 1e-9 * Math.max(1e-6, theirs.total_price)) {
          mismatches.push(`${provider.id}/${modelId} ${JSON.stringify(sample)}: ${ours ? formatDecimal(ours.amount) : "null"} vs ${theirs.total_price}`);
        }
        compared += 1;
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(4000);
  });
});
