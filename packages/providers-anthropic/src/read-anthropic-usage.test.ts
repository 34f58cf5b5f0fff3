import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readAnthropicUsage } from "./read-anthropic-usage";

describe("readAnthropicUsage", () => {
  it("sets only the fields present on the wire, so stream updates lay over the start", () => {
    expect(readAnthropicUsage({ output_tokens: 10, input_tokens: null, service_tier: "standard" })).toEqual({ ok: true, usage: { output_tokens: 10 } });
    expect(readAnthropicUsage(undefined)).toBeUndefined();
    expect(readAnthropicUsage(null)).toBeUndefined();
  });

  it("reads the cache split, thinking, server tools and iterations", () => {
    expect(
      readAnthropicUsage({
        input_tokens: 1,
        output_tokens: 2,
        cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 4 },
        output_tokens_details: { thinking_tokens: 1 },
        server_tool_use: { web_search_requests: 5, web_fetch_requests: 6, other: "x" },
        iterations: [{ type: "compaction", input_tokens: 7, output_tokens: 8, cache_read_input_tokens: 9 }],
      }),
    ).toEqual({
      ok: true,
      usage: {
        input_tokens: 1,
        output_tokens: 2,
        cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 4 },
        thinking_tokens: 1,
        server_tool_use: { web_search_requests: 5, web_fetch_requests: 6 },
        iterations: [{ type: "compaction", input_tokens: 7, output_tokens: 8, cache_read_input_tokens: 9 }],
      },
    });
  });

  it("distrusts a usage object that lies about one count, naming it", () => {
    for (const bad of [-1, 1.5, "3", true, {}, Number.NaN, 2 ** 60]) {
      const read = readAnthropicUsage({ input_tokens: 1, output_tokens: bad });
      expect(read).toEqual({ ok: false, problem: "usage.output_tokens is not a non-negative integer" });
    }
    expect(readAnthropicUsage("usage")).toMatchObject({ ok: false });
    expect(readAnthropicUsage({ input_tokens: 1, output_tokens: 1, iterations: {} })).toMatchObject({ ok: false, problem: "usage.iterations is not an array" });
    expect(readAnthropicUsage({ input_tokens: 1, output_tokens: 1, iterations: [{ type: "message", input_tokens: 1 }] })).toMatchObject({ ok: false });
    expect(readAnthropicUsage({ input_tokens: 1, output_tokens: 1, cache_creation: { ephemeral_1h_input_tokens: -4 } })).toMatchObject({ ok: false });
  });

  it("never throws, whatever the value", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (value, nested) => {
        expect(() => readAnthropicUsage(value)).not.toThrow();
        expect(() => readAnthropicUsage({ input_tokens: 1, output_tokens: 1, cache_creation: nested, iterations: nested, server_tool_use: nested, output_tokens_details: nested })).not.toThrow();
      }),
    );
  });
});
