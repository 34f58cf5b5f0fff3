import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anthropicServerToolUnits } from "./anthropic-server-tool-units";
import { convertAnthropicUsage } from "./convert-anthropic-usage";
import { readAnthropicUsage } from "./read-anthropic-usage";

/** Reads a wire usage object and maps it, as the observers do. */
function map(wire: unknown) {
  const read = readAnthropicUsage(wire);
  if (!read?.ok) throw new Error(`not read: ${JSON.stringify(read)}`);
  return convertAnthropicUsage(read.usage);
}

describe("convertAnthropicUsage", () => {
  it("adds cache reads and writes to input_tokens, which leaves them out", () => {
    expect(map({ input_tokens: 3, cache_read_input_tokens: 1111, cache_creation_input_tokens: 0, output_tokens: 406 })).toEqual({
      inputTokens: 1114,
      cachedInputTokens: 1111,
      cacheWriteInputTokens: 0,
      outputTokens: 406,
      reasoningTokens: 0,
    });
  });

  it("keeps the 1-hour part of cache writes apart, inside the cache writes", () => {
    const usage = map({ input_tokens: 10, cache_creation_input_tokens: 700, cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 500 }, output_tokens: 5 });
    expect(usage).toEqual({ inputTokens: 710, cachedInputTokens: 0, cacheWriteInputTokens: 700, cacheWrite1hInputTokens: 500, outputTokens: 5, reasoningTokens: 0 });
    // Only 5-minute writes: no 1-hour field.
    expect(map({ input_tokens: 1, cache_creation_input_tokens: 9, cache_creation: { ephemeral_5m_input_tokens: 9, ephemeral_1h_input_tokens: 0 }, output_tokens: 1 })).not.toHaveProperty("cacheWrite1hInputTokens");
  });

  it("sums the split when the total is missing, and clamps a split that exceeds its total", () => {
    expect(map({ input_tokens: 1, cache_creation: { ephemeral_5m_input_tokens: 4, ephemeral_1h_input_tokens: 6 }, output_tokens: 1 })).toMatchObject({ inputTokens: 11, cacheWriteInputTokens: 10, cacheWrite1hInputTokens: 6 });
    // A stream update that overrode the total but not the split must not make the subset exceed it.
    expect(map({ input_tokens: 1, cache_creation_input_tokens: 3, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 8 }, output_tokens: 1 })).toMatchObject({ cacheWriteInputTokens: 3, cacheWrite1hInputTokens: 3 });
  });

  it("reads thinking tokens as the reasoning part of output", () => {
    expect(map({ input_tokens: 5, output_tokens: 300, output_tokens_details: { thinking_tokens: 220 } })).toMatchObject({ outputTokens: 300, reasoningTokens: 220 });
  });

  it("bills the sum over iterations (compaction, message, advisor and fallback passes)", () => {
    const usage = map({
      input_tokens: 181,
      cache_read_input_tokens: 0,
      output_tokens: 8,
      iterations: [
        { type: "compaction", input_tokens: 100, output_tokens: 83, cache_read_input_tokens: 55096, cache_creation_input_tokens: 0 },
        { type: "message", input_tokens: 181, output_tokens: 8, cache_read_input_tokens: 0, cache_creation_input_tokens: 40, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 40 } },
        { type: "advisor_message", model: "claude-opus-4-1", input_tokens: 20, output_tokens: 2 },
      ],
    });
    expect(usage).toEqual({ inputTokens: 100 + 181 + 20 + 55096 + 40, cachedInputTokens: 55096, cacheWriteInputTokens: 40, cacheWrite1hInputTokens: 40, outputTokens: 93, reasoningTokens: 0 });
  });

  it("uses the top-level counts when iterations is empty", () => {
    expect(map({ input_tokens: 7, output_tokens: 2, iterations: [] })).toMatchObject({ inputTokens: 7, outputTokens: 2 });
  });

  it("returns null, not zero, when the input or output count is missing", () => {
    expect(map({})).toBeNull();
    expect(map({ input_tokens: 12 })).toBeNull();
    expect(map({ output_tokens: 12, cache_read_input_tokens: 5 })).toBeNull();
  });

  it("property: for any usage it maps, every subset stays within its total and every count is a non-negative integer", () => {
    const count = fc.option(fc.nat({ max: 2_000_000 }), { nil: undefined });
    const split = fc.option(fc.record({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count }, { requiredKeys: [] }), { nil: undefined });
    const pass = fc.record(
      { type: fc.constantFrom("compaction", "message", "advisor_message", "fallback_message"), input_tokens: fc.nat({ max: 2_000_000 }), output_tokens: fc.nat({ max: 2_000_000 }), cache_read_input_tokens: count, cache_creation_input_tokens: count, cache_creation: split },
      { requiredKeys: ["type", "input_tokens", "output_tokens"] },
    );
    const wire = fc.record(
      {
        input_tokens: count,
        output_tokens: count,
        cache_read_input_tokens: count,
        cache_creation_input_tokens: count,
        cache_creation: split,
        output_tokens_details: fc.option(fc.record({ thinking_tokens: count }, { requiredKeys: [] }), { nil: undefined }),
        server_tool_use: fc.option(fc.record({ web_search_requests: count, web_fetch_requests: count }, { requiredKeys: [] }), { nil: undefined }),
        iterations: fc.option(fc.array(pass, { maxLength: 5 }), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(wire, (value) => {
        const read = readAnthropicUsage(value);
        expect(read?.ok).toBe(true);
        if (!read?.ok) return;
        const usage = convertAnthropicUsage(read.usage);
        const hasPasses = (value.iterations?.length ?? 0) > 0;
        expect(usage === null).toBe(!hasPasses && (value.input_tokens === undefined || value.output_tokens === undefined));
        for (const units of Object.values(anthropicServerToolUnits(read.usage))) expect(Number.isInteger(units) && units > 0).toBe(true);
        if (usage === null) return;
        for (const field of Object.values(usage)) expect(Number.isSafeInteger(field) && field >= 0).toBe(true);
        expect(usage.cachedInputTokens + usage.cacheWriteInputTokens).toBeLessThanOrEqual(usage.inputTokens);
        expect(usage.cacheWrite1hInputTokens ?? 0).toBeLessThanOrEqual(usage.cacheWriteInputTokens);
        expect(usage.reasoningTokens).toBeLessThanOrEqual(usage.outputTokens);
        // Anthropic's uncached input is never lost: input is at least the reported input_tokens.
        if (!hasPasses) expect(usage.inputTokens).toBeGreaterThanOrEqual(value.input_tokens!);
      }),
      { numRuns: 500 },
    );
  });
});

describe("anthropicServerToolUnits", () => {
  it("turns non-zero server tool counts into units of the same name", () => {
    const read = readAnthropicUsage({ input_tokens: 1, output_tokens: 1, server_tool_use: { web_search_requests: 2, web_fetch_requests: 0, code_execution_requests: 1 } });
    expect(read?.ok && anthropicServerToolUnits(read.usage)).toEqual({ web_search_requests: 2, code_execution_requests: 1 });
  });
});
