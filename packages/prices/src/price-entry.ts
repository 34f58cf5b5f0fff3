import type { Decimal } from "@usagepilot/core";
import type { PriceUnit } from "./price-unit";

/** A price that may step up with the size of the input: past `start` input tokens, every token takes the tier's price. */
export interface TieredPrice {
  base: Decimal;
  /** Sorted by `start`, ascending. */
  tiers: readonly { start: number; price: Decimal }[];
}

/** The price of one unit in an entry, and how many of the unit it covers. */
export interface UnitPrice {
  price: TieredPrice;
  /** 1,000,000 for a price per million tokens, 1,000 per thousand searches, 1 per single unit. */
  per: bigint;
}

/** Everything needed to price one event: where the prices come from and the prices themselves, in exact decimals. */
export interface PriceEntry {
  /** Names the prices in `priceSource`, e.g. "genai-prices@0.1.8:openai/gpt-4o" or "override:contract-2026". */
  source: string;
  /** Prices of units in the genai-prices unit model (tokens, searches, seconds...). */
  units: ReadonlyMap<PriceUnit, UnitPrice>;
  /** Prices of event units outside that model (images, gpu_hours...), USD per one unit. */
  otherUnits: ReadonlyMap<string, Decimal>;
  /** Audio shorter than this many seconds is billed as this many (Groq's Whisper minimum); 0 for none. */
  minimumAudioSeconds: number;
}
