import { addDecimal, type Decimal, type PriceableEvent } from "@usagepilot/core";
import { numberToDecimal } from "./number-to-decimal";
import { type PriceUnit, unitForUsageKey } from "./price-unit";
import { unitAliases } from "./unit-aliases";

/** What an event reports, in the terms of the price data. */
export interface EventQuantities {
  /** Reported quantities of genai-prices units. */
  units: Map<PriceUnit, Decimal>;
  /** Reported quantities of event units outside the unit model, by the event's name for them. */
  otherUnits: Map<string, Decimal>;
  /** All input tokens: what the long-context tiers are decided on (0 when usage was not measured). */
  inputTokens: number;
}

/** The genai-prices unit an event unit name stands for, if any. */
export function unitForEventUnit(name: string): PriceUnit | undefined {
  return unitForUsageKey(unitAliases[name] ?? name);
}

/**
 * Reads an event's usage and units as quantities of the price data's units. Returns null when a count
 * is negative or not finite: such an event breaks the contract and gets no price.
 */
export function eventQuantities(event: PriceableEvent): EventQuantities | null {
  const units = new Map<PriceUnit, Decimal>();
  const otherUnits = new Map<string, Decimal>();
  const add = (unit: PriceUnit | undefined, value: number | undefined): boolean => {
    if (value === undefined) return true;
    if (!Number.isFinite(value) || value < 0 || unit === undefined) return false;
    units.set(unit, numberToDecimal(value));
    return true;
  };
  const usage = event.usage;
  if (usage) {
    // Each field of the contract is a subset in the same way the data's units are (TokenUsageV1).
    const fields: [string, number | undefined][] = [
      ["input_tokens", usage.inputTokens],
      ["output_tokens", usage.outputTokens],
      ["cache_read_tokens", usage.cachedInputTokens],
      ["cache_write_tokens", usage.cacheWriteInputTokens],
      ["cache_write_1h_tokens", usage.cacheWrite1hInputTokens],
      ["output_reasoning_tokens", usage.reasoningTokens],
      ["input_audio_tokens", usage.audioInputTokens],
      ["cache_audio_read_tokens", usage.cachedAudioInputTokens],
      ["output_audio_tokens", usage.audioOutputTokens],
      ["input_image_tokens", usage.imageInputTokens],
    ];
    for (const [key, value] of fields) if (!add(unitForUsageKey(key), value)) return null;
  }
  for (const [name, value] of Object.entries(event.units)) {
    if (!Number.isFinite(value) || value < 0) return null;
    const unit = unitForEventUnit(name);
    if (unit) {
      // Two names for one unit (web_searches and web_search_requests) add up.
      const previous = units.get(unit);
      const quantity = numberToDecimal(value);
      units.set(unit, previous ? addDecimal(previous, quantity) : quantity);
    } else {
      otherUnits.set(name, numberToDecimal(value));
    }
  }
  return { units, otherUnits, inputTokens: usage?.inputTokens ?? 0 };
}
