import type { UsageQueryRow } from "@usagepilot/core";
import { describe, expect, it } from "vitest";
import { usageRowsToCsv } from "./usage-rows-to-csv";

const row = (overrides: Partial<UsageQueryRow>): UsageQueryRow => ({
  period: "2026-06-01T00:00:00.000Z",
  group: {},
  events: 1,
  unmeasuredEvents: 0,
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  reasoningTokens: 0,
  units: {},
  costUsd: "0.000125",
  unpricedEvents: 0,
  ...overrides,
});

describe("usageRowsToCsv", () => {
  it("writes exact costs, says 'not measured' and 'no price' instead of 0, and a column per unit", () => {
    const csv = usageRowsToCsv(
      [
        row({ group: { model: "gpt-4o" }, units: { images: 2 } }),
        row({ group: { model: "custom" }, events: 2, unmeasuredEvents: 2, inputTokens: null, outputTokens: null, cachedInputTokens: null, cacheWriteInputTokens: null, reasoningTokens: null, costUsd: null, unpricedEvents: 2 }),
      ],
      ["model"],
    );
    expect(csv.split("\r\n")).toEqual([
      "period,model,events,unmeasured_events,input_tokens,output_tokens,cached_input_tokens,cache_write_input_tokens,reasoning_tokens,cost_usd,unpriced_events,units.images",
      "2026-06-01T00:00:00.000Z,gpt-4o,1,0,10,5,0,0,0,0.000125,0,2",
      "2026-06-01T00:00:00.000Z,custom,2,2,not measured,not measured,not measured,not measured,not measured,no price,2,0",
      "",
    ]);
  });

  it("quotes separators and defuses formulas in tenant-supplied values", () => {
    const csv = usageRowsToCsv([row({ period: null, group: { user_id: '=HYPERLINK("x"),1' } })], ["user_id"]);
    expect(csv.split("\r\n")[1]).toBe(`total,"'=HYPERLINK(""x""),1",1,0,10,5,0,0,0,0.000125,0`);
  });
});
