import { MemoryStorage, UnknownPriceError, UsagePilot } from "@usagepilot/core";
import { describe, expect, it } from "vitest";
import { tokens } from "../test/priceable-event";
import { createPriceBook } from "./create-price-book";
import { reprice } from "./reprice";

function pilot(prices = createPriceBook()) {
  const errors: unknown[] = [];
  const storage = new MemoryStorage();
  const usage = new UsagePilot<{ organization_id: string; plan?: string }>({ storage, providers: [], prices, onError: (error) => errors.push(error) });
  return { usage, storage, errors };
}

describe("the price book in UsagePilot", () => {
  it("prices recorded events, and leaves an unknown model at cost null with one UnknownPriceError per model", async () => {
    const { usage, storage, errors } = pilot(createPriceBook({ markups: [{ name: "plan-pro", when: { plan: "pro" }, percent: "20" }] }));
    const call = { provider: "openai", model: "gpt-4o-mini", usage: tokens({ inputTokens: 1_000_000, outputTokens: 0 }) };
    const pro = await usage.track({ ...call, dimensions: { organization_id: "acme", plan: "pro" } });
    const free = await usage.track({ ...call, dimensions: { organization_id: "initech" } });
    expect(pro.cost).toEqual({ amount: "0.18", currency: "USD", priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini +markup:plan-pro(+20%)" });
    expect(free.cost).toEqual({ amount: "0.15", currency: "USD", priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini" });
    for (let index = 0; index < 3; index += 1) {
      const unknown = await usage.track({ ...call, model: "in-house-model", dimensions: { organization_id: "acme" } });
      expect(unknown.cost).toBeNull();
    }
    await usage.shutdown();
    expect(errors.filter((error) => UnknownPriceError.isInstance(error))).toHaveLength(1);
    expect(errors.filter((error) => !UnknownPriceError.isInstance(error))).toEqual([]);
    const rows = await storage.query({ from: new Date(0), to: new Date(Date.now() + 60_000), groupBy: ["organization_id"] });
    expect(rows.find((row) => row.group.organization_id === "initech")?.costUsd).toBe("0.15");
  });
});

describe("reprice", () => {
  it("gives stored events a fresh cost once a price is known, without changing them", async () => {
    const { usage, storage } = pilot();
    await usage.track({ provider: "custom", model: "in-house-model", usage: tokens({ inputTokens: 2_000, outputTokens: 500 }), dimensions: { organization_id: "acme" } });
    await usage.shutdown();
    const [stored] = storage.events;
    expect(stored?.cost).toBeNull();
    const overrides = [{ source: "gpu-cost", model: "in-house-model", prices: { input: "0.5", output: "1.5" } }];
    const repriced = reprice(stored!, { overrides });
    // 2000 × 0.5 + 500 × 1.5 = 1750 per million.
    expect(repriced.cost).toEqual({ amount: "0.00175", currency: "USD", priceSource: "override:gpu-cost" });
    expect({ ...repriced, cost: null }).toEqual(stored);
    expect(stored?.cost).toBeNull();
    expect(createPriceBook({ overrides }).reprice(stored!).cost).toEqual(repriced.cost);
  });

  it("prices each event at its own timestamp, not at the time of re-pricing", async () => {
    const { usage, storage } = pilot();
    const call = { provider: "anthropic", model: "claude-sonnet-4-6", usage: tokens({ inputTokens: 300_000, outputTokens: 0 }), dimensions: { organization_id: "acme" } };
    await usage.track({ ...call, timestamp: new Date("2026-03-01T12:00:00Z") });
    await usage.track({ ...call, timestamp: new Date("2026-03-20T12:00:00Z") });
    await usage.shutdown();
    const book = createPriceBook();
    expect(storage.events.map((event) => reprice(event, { prices: book }).cost?.amount)).toEqual(["1.8", "0.9"]);
  });

  it("replaces a cost with null when the new book knows no price", () => {
    const { usage } = pilot();
    return usage.track({ provider: "openai", model: "gpt-4o-mini", usage: tokens({ inputTokens: 10, outputTokens: 10 }), dimensions: { organization_id: "acme" } }).then((event) => {
      expect(event.cost).not.toBeNull();
      expect(reprice(event, { useData: false }).cost).toBeNull();
      return usage.shutdown();
    });
  });
});
