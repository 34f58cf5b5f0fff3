import { addDecimal, type Decimal, type PriceableEvent, type TokenUsageV1 } from "@usagepilot/core";
import { numberToDecimal } from "./number-to-decimal";
import { namedUnits, type PriceUnit, unitForUsageKey } from "./price-unit";
import { unitAliases } from "./unit-aliases";

/** What an event reports, in the terms of the price data. */
export interface EventQuantities {
  /** Reported quantities of genai-prices units. */
  units: Map<PriceUnit, Decimal>;
  /** Reported quantities of event units outside the unit model, by the event's name for them. */
  otherUnits: ReadonlyMap<string, Decimal>;
  /** All input tokens: what the long-context tiers are decided on (0 when usage was not measured). */
  inputTokens: number;
}

/** The genai-prices unit an event unit name stands for, if any. */
export function unitForEventUnit(name: string): PriceUnit | undefined {
  return unitForUsageKey(unitAliases[name] ?? name);
}

// The contract's usage fields as units of the price data. Each field of the contract is a subset in the same
// way the data's units are (TokenUsageV1).
const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens, reasoningTokens, audioInputTokens, cachedAudioInputTokens, audioOutputTokens, imageInputTokens } = namedUnits;

/** Each usage field of the contract with the price data's unit it counts, in a fixed order. */
export const usageFieldUnits: readonly { field: keyof TokenUsageV1; unit: PriceUnit }[] = [
  { field: "inputTokens", unit: inputTokens },
  { field: "outputTokens", unit: outputTokens },
  { field: "cachedInputTokens", unit: cacheReadTokens },
  { field: "cacheWriteInputTokens", unit: cacheWriteTokens },
  { field: "cacheWrite1hInputTokens", unit: cacheWrite1hTokens },
  { field: "reasoningTokens", unit: reasoningTokens },
  { field: "audioInputTokens", unit: audioInputTokens },
  { field: "cachedAudioInputTokens", unit: cachedAudioInputTokens },
  { field: "audioOutputTokens", unit: audioOutputTokens },
  { field: "imageInputTokens", unit: imageInputTokens },
];

// Most events report no unit outside the unit model: they share this empty map (never written to).
const noOtherUnits: ReadonlyMap<string, Decimal> = new Map();

/** Sets a reported count; false when it is negative or not finite. A field left out is not reported. */
function report(units: Map<PriceUnit, Decimal>, unit: PriceUnit, value: number | undefined): boolean {
  if (value === undefined) return true;
  if (!Number.isFinite(value) || value < 0) return false;
  units.set(unit, numberToDecimal(value));
  return true;
}

/**
 * Reads an event's usage and units as quantities of the price data's units. Returns null when a count
 * is negative or not finite: such an event breaks the contract and gets no price. This runs for every
 * event, so the fields are read one by one rather than through a table of keys.
 */
export function eventQuantities(event: PriceableEvent): EventQuantities | null {
  const units = new Map<PriceUnit, Decimal>();
  const usage = event.usage;
  if (
    usage &&
    !(
      report(units, inputTokens, usage.inputTokens) &&
      report(units, outputTokens, usage.outputTokens) &&
      report(units, cacheReadTokens, usage.cachedInputTokens) &&
      report(units, cacheWriteTokens, usage.cacheWriteInputTokens) &&
      report(units, cacheWrite1hTokens, usage.cacheWrite1hInputTokens) &&
      report(units, reasoningTokens, usage.reasoningTokens) &&
      report(units, audioInputTokens, usage.audioInputTokens) &&
      report(units, cachedAudioInputTokens, usage.cachedAudioInputTokens) &&
      report(units, audioOutputTokens, usage.audioOutputTokens) &&
      report(units, imageInputTokens, usage.imageInputTokens)
    )
  ) {
    return null;
  }
  let otherUnits: Map<string, Decimal> | undefined;
  for (const name in event.units) {
    if (!Object.hasOwn(event.units, name)) continue;
    const value = event.units[name]!;
    if (!Number.isFinite(value) || value < 0) return null;
    const unit = unitForEventUnit(name);
    if (unit) {
      // Two names for one unit (web_searches and web_search_requests) add up.
      const previous = units.get(unit);
      const quantity = numberToDecimal(value);
      units.set(unit, previous ? addDecimal(previous, quantity) : quantity);
    } else {
      otherUnits ??= new Map();
      otherUnits.set(name, numberToDecimal(value));
    }
  }
  return { units, otherUnits: otherUnits ?? noOtherUnits, inputTokens: usage?.inputTokens ?? 0 };
}
