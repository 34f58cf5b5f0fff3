import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TokenUsage, UsageEvent } from "./usage-event";
import { validateUsageEvent } from "./validate-usage-event";
import { createTestEvent } from "../test/create-test-event";

const makeEvent = (overrides: Partial<UsageEvent> = {}): UsageEvent =>
  createTestEvent({
    timestamp: "2026-01-15T10:00:00.000Z",
    dimensions: { user_id: "u1", organization_id: "o1" },
    usage: { inputTokens: 100, outputTokens: 50, cachedInputTokens: 20, cacheWriteInputTokens: 10, reasoningTokens: 5 },
    cost: { amount: "0.000123", currency: "USD", priceSource: "test" },
    latencyMs: 12,
    ...overrides,
  });


function withUsage(usage: Partial<TokenUsage> & Record<string, unknown>): UsageEvent {
  return makeEvent({ usage: { inputTokens: 100, outputTokens: 50, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0, ...usage } as TokenUsage });
}

describe("validateUsageEvent", () => {
  it("finds nothing wrong with a valid event, measured or not, priced or not", () => {
    expect(validateUsageEvent(makeEvent())).toEqual([]);
    expect(validateUsageEvent(makeEvent({ usage: null, cost: null, accuracy: "estimated", status: "error" }))).toEqual([]);
    expect(validateUsageEvent(makeEvent({ units: { images: 2, gpu_hours: 0.5 } }))).toEqual([]);
  });

  it.each([
    ["a negative count", { inputTokens: -1 }],
    ["a float count", { outputTokens: 1.5 }],
    ["a NaN count", { reasoningTokens: Number.NaN }],
    ["a count given as a string", { inputTokens: "100" }],
    ["cached reads above input", { cachedInputTokens: 101 }],
    ["cache reads plus cache writes above input", { cachedInputTokens: 60, cacheWriteInputTokens: 41 }],
    ["cache writes above input", { cacheWriteInputTokens: 101 }],
    ["reasoning above output", { reasoningTokens: 51 }],
    ["audio output above output", { audioOutputTokens: 51 }],
    ["image input above input", { imageInputTokens: 101 }],
    ["1h cache writes above cache writes", { cacheWriteInputTokens: 10, cacheWrite1hInputTokens: 11 }],
    ["cached audio above cache reads", { cachedInputTokens: 10, audioInputTokens: 50, cachedAudioInputTokens: 11 }],
    ["cached audio above audio input", { cachedInputTokens: 50, audioInputTokens: 10, cachedAudioInputTokens: 11 }],
    ["a negative optional subset", { audioInputTokens: -3 }],
  ])("flags %s", (_name, usage) => {
    expect(validateUsageEvent(withUsage(usage as Partial<TokenUsage>)).length).toBeGreaterThan(0);
  });

  it("flags a usage object missing a required count (it would sum as NaN)", () => {
    const usage = { inputTokens: 100, outputTokens: 50 } as unknown as TokenUsage;
    expect(validateUsageEvent(makeEvent({ usage })).length).toBeGreaterThan(0);
  });

  it.each([
    ["an exponent", "1e-5"],
    ["a leading dot", ".5"],
    ["an empty string", ""],
    ["a comma", "0,5"],
    ["Infinity", "Infinity"],
  ])("flags a cost amount with %s", (_name, amount) => {
    expect(validateUsageEvent(makeEvent({ cost: { amount, currency: "USD", priceSource: "test" } }))).toHaveLength(1);
  });

  it("flags a cost amount given as a number, and a currency other than USD", () => {
    expect(validateUsageEvent(makeEvent({ cost: { amount: 0.00001 as unknown as string, currency: "USD", priceSource: "test" } }))).toHaveLength(1);
    expect(validateUsageEvent(makeEvent({ cost: { amount: "1.00", currency: "EUR" as "USD", priceSource: "test" } }))).toHaveLength(1);
  });

  it("flags a bad status, accuracy, schema version, timestamp, latency, unit or dimension", () => {
    const bad: Partial<UsageEvent>[] = [
      { status: "done" as UsageEvent["status"] },
      { accuracy: "guessed" as UsageEvent["accuracy"] },
      { schemaVersion: 2 as 1 },
      { timestamp: "yesterday" },
      { latencyMs: -1 },
      { units: { images: -1 } },
      { units: { images: Number.POSITIVE_INFINITY } },
      { dimensions: { user_id: 42 as unknown as string } },
      { id: "" },
    ];
    for (const overrides of bad) expect(validateUsageEvent(makeEvent(overrides)), JSON.stringify(overrides)).toHaveLength(1);
  });

  it("accepts any usage built from non-negative integers whose subsets stay within their totals", () => {
    const usage = fc
      .record({
        input: fc.nat({ max: 10_000_000 }),
        output: fc.nat({ max: 10_000_000 }),
        cachedShare: fc.double({ min: 0, max: 1, noNaN: true }),
        writeShare: fc.double({ min: 0, max: 1, noNaN: true }),
        oneHourShare: fc.double({ min: 0, max: 1, noNaN: true }),
        reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
        audioOutShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        imageInShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      })
      .map((r): TokenUsage => {
        const cached = Math.floor(r.input * r.cachedShare);
        const cacheWrite = Math.floor((r.input - cached) * r.writeShare);
        return {
          inputTokens: r.input,
          outputTokens: r.output,
          cachedInputTokens: cached,
          cacheWriteInputTokens: cacheWrite,
          cacheWrite1hInputTokens: Math.floor(cacheWrite * r.oneHourShare),
          reasoningTokens: Math.floor(r.output * r.reasoningShare),
          ...(r.audioOutShare === undefined ? {} : { audioOutputTokens: Math.floor(r.output * r.audioOutShare) }),
          ...(r.imageInShare === undefined ? {} : { imageInputTokens: Math.floor(r.input * r.imageInShare) }),
        };
      });
    fc.assert(
      fc.property(usage, fc.dictionary(fc.constantFrom("images", "seconds", "web_searches"), fc.nat({ max: 1000 })), (tokens, units) => {
        expect(validateUsageEvent(makeEvent({ usage: tokens, units }))).toEqual([]);
      }),
    );
  });

  it("rejects any usage where one subset exceeds its total", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 1000 }), fc.constantFrom("cachedInputTokens", "cacheWriteInputTokens", "reasoningTokens"), (total, excess, key) => {
        const isOutput = key === "reasoningTokens";
        const usage: TokenUsage = { inputTokens: total, outputTokens: total, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 };
        usage[key] = (isOutput ? usage.outputTokens : usage.inputTokens) + excess;
        expect(validateUsageEvent(makeEvent({ usage })).length).toBeGreaterThan(0);
      }),
    );
  });
});
