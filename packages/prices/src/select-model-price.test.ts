import type { ModelInfo } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { selectModelPrice } from "./select-model-price";

const model = (prices: unknown): ModelInfo => ({ id: "test-model", match: { equals: "test-model" }, prices: prices as ModelInfo["prices"] });

describe("selectModelPrice", () => {
  it("takes the last dated price already in force, and says which", () => {
    const dated = model([
      { prices: { input_mtok: 3 } },
      { constraint: { type: "start_date", start_date: "2026-01-01" }, prices: { input_mtok: 2 } },
      // Older data has no `type`: the field says what the constraint is.
      { constraint: { start_date: "2026-06-01" }, prices: { input_mtok: 1 } },
    ]);
    expect(selectModelPrice(dated, new Date("2025-12-31T23:59:59.999Z"))).toEqual({ prices: { input_mtok: 3 }, label: "before 2026-01-01" });
    expect(selectModelPrice(dated, new Date("2026-01-01T00:00:00Z"))).toEqual({ prices: { input_mtok: 2 }, label: "from 2026-01-01" });
    expect(selectModelPrice(dated, new Date("2026-07-01T00:00:00Z"))).toEqual({ prices: { input_mtok: 1 }, label: "from 2026-06-01" });
  });

  it("honours time-of-day windows that wrap midnight and carry an offset", () => {
    const night = model([
      { prices: { input_mtok: 1 } },
      { constraint: { type: "time_of_date", start_time: "22:00:00+02:00", end_time: "02:00:00+02:00" }, prices: { input_mtok: 0.5 } },
    ]);
    // 22:00+02:00 is 20:00Z; 02:00+02:00 is 00:00Z.
    expect(selectModelPrice(night, new Date("2026-01-15T19:59:59Z")).label).toBe("default");
    expect(selectModelPrice(night, new Date("2026-01-15T20:00:00Z")).prices).toEqual({ input_mtok: 0.5 });
    expect(selectModelPrice(night, new Date("2026-01-15T23:59:59Z")).prices).toEqual({ input_mtok: 0.5 });
    expect(selectModelPrice(night, new Date("2026-01-16T00:00:00Z")).prices).toEqual({ input_mtok: 1 });
  });

  it("has no label for a model with one price, and refuses what it cannot read", () => {
    expect(selectModelPrice(model({ input_mtok: 1 }), new Date())).toEqual({ prices: { input_mtok: 1 }, label: "" });
    expect(() => selectModelPrice(model([{ prices: {} }, { constraint: { type: "moon_phase" }, prices: {} }]), new Date())).toThrow(RangeError);
    expect(() => selectModelPrice(model([{ prices: {} }]), new Date(Number.NaN))).toThrow(RangeError);
  });
});
