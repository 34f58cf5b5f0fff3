// The public API of @usagepilot/prices.
export { createPriceBook, type PriceBook, type PriceBookOptions } from "./create-price-book";
export { reprice, type RepriceOptions } from "./reprice";
export type { OverridePrices, PriceOverride } from "./price-override";
export type { MarkupOption, MarkupRule } from "./markup-rule";
export { genaiProviderIds } from "./genai-provider-ids";
export { genaiPricesVersion } from "./genai-prices-version";
export { unitAliases } from "./unit-aliases";
