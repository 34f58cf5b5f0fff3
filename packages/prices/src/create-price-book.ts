import type { CostV1, PriceableEvent, PriceBookV1, UsageEventV1 } from "@usagepilot/core";
import { formatDecimal, multiplyDecimal } from "@usagepilot/core";
import { compilePriceOverride } from "./compile-price-override";
import { compileUnitPrices, withUnitPrices } from "./compile-unit-prices";
import { computeCost } from "./compute-cost";
import { eventQuantities, unitForEventUnit } from "./event-quantities";
import { genaiPriceEntry } from "./genai-price-entry";
import { priceTokenUsage } from "./price-token-usage";
import { genaiPricesVersion } from "./genai-prices-version";
import { genaiProviderIds } from "./genai-provider-ids";
import type { MarkupOption } from "./markup-rule";
import { type GenaiModelMatch, matchGenaiModel } from "./match-genai-model";
import type { PriceEntry } from "./price-entry";
import type { PriceOverride } from "./price-override";
import { compileMarkups } from "./compile-markups";
import { type SelectedModelPrice, selectModelPrice } from "./select-model-price";

/** Options of {@link createPriceBook}; all optional. */
export interface PriceBookOptions {
  /** Prices that beat the data for matching events; the first that applies wins. Default: none. */
  overrides?: readonly PriceOverride[];
  /** Markups (or discounts) per tenant or plan, applied to the cost whatever priced it. Default: none. */
  markups?: MarkupOption;
  /**
   * More event provider names → genai-prices provider ids (`{ "my-proxy": "openai" }`), or null to never
   * price a provider from the data. Default: {@link genaiProviderIds}.
   */
  providers?: Readonly<Record<string, string | null>>;
  /** Price from the genai-prices data. Default true; false prices only what `overrides` cover. */
  useData?: boolean;
  /**
   * How `priceSource` names the data. Default "genai-prices@0.1.8", the bundled data. Set it when your
   * app replaces the data with genai-prices' own `updatePrices` (this package never fetches), e.g. to
   * "genai-prices@2026-05-01", so stored events say which data priced them.
   */
  dataLabel?: string;
  /**
   * Prices of units the data lacks (or that you pay differently), by event provider name, then unit
   * name: USD per ONE unit, as decimal strings. They add to the data's prices of that provider's models
   * (not to overrides, which carry their own `units`); a unit priced both ways takes this price. An event
   * using one says "[unit-prices]" in its `priceSource`. Default: none.
   *
   * @example
   * { anthropic: { web_fetch_requests: "0" } } // a unit your contract says costs nothing beyond its tokens
   */
  unitPrices?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A price book that can also re-price stored events. */
export interface PriceBook extends PriceBookV1 {
  /** The event with a fresh cost from this book, priced at the event's own timestamp (null when no price is known). */
  reprice<E extends UsageEventV1>(event: E): E;
}

function hasKeys(record: Readonly<Record<string, number>>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

// Groq bills Whisper transcriptions for at least 10 seconds (the genai-prices data's rule for these models).
const minimumAudioSeconds: Readonly<Record<string, number>> = { "groq/whisper-large-v3": 10, "groq/whisper-large-v3-turbo": 10 };

/**
 * The UsagePilot price book: provider list prices from the `@pydantic/genai-prices` data bundled with
 * this package (offline: nothing is fetched), picked at each event's own timestamp, long-context tiers,
 * cache reads and writes (1-hour writes at 2× input unless the data prices them), per-unit prices (web
 * searches, audio seconds, requests); then your overrides, then your markups. Arithmetic is exact
 * decimal throughout. An event whose model, or one of whose units, has no price gets cost null (the
 * metered fetch reports an `UnknownPriceError` once per model), never $0.
 *
 * `priceSource` says what priced it: "genai-prices@0.1.8:anthropic/claude-sonnet-4-5", with the
 * condition that chose a dated price ("[from 2026-03-13]"), a long-context tier ("[input>200000]"),
 * the derived 1-hour cache price ("[1h-cache=2×input]"), or "override:<source>", then " +markup:<name>(…)".
 *
 * @example
 * const usage = new UsagePilot({ storage, providers, prices: createPriceBook({
 *   overrides: [{ source: "contract-2026", provider: "openai", model: "gpt-4o", prices: { input: "2", output: "8", cachedInput: "1" } }],
 *   markups: [{ name: "plan-pro", when: { plan: "pro" }, percent: "20" }],
 * }) });
 */
export function createPriceBook(options: PriceBookOptions = {}): PriceBook {
  const overrides = (options.overrides ?? []).map(compilePriceOverride);
  const markup = compileMarkups(options.markups);
  const providers: Readonly<Record<string, string | null>> = { ...genaiProviderIds, ...options.providers };
  const useData = options.useData ?? true;
  const dataLabel = options.dataLabel ?? `genai-prices@${genaiPricesVersion}`;
  const unitPrices = compileUnitPrices(options.unitPrices ?? {});

  function genaiProviderId(provider: string): string | null {
    const mapped = providers[provider];
    return mapped === undefined ? provider : mapped;
  }

  // The data's entries, made once per model match (matchGenaiModel returns the same object for a model)
  // and condition: the data does not change under a book.
  const dataEntries = new WeakMap<GenaiModelMatch, Map<string, PriceEntry | null>>();
  function dataEntry(match: GenaiModelMatch, selected: SelectedModelPrice): PriceEntry | null {
    let byLabel = dataEntries.get(match);
    if (!byLabel) {
      byLabel = new Map();
      dataEntries.set(match, byLabel);
    }
    let entry = byLabel.get(selected.label);
    if (entry === undefined) {
      const key = `${match.provider.id}/${match.model.id}`;
      const label = selected.label === "" ? "" : `[${selected.label}]`;
      entry = genaiPriceEntry(`${dataLabel}:${key}${label}`, selected.prices, minimumAudioSeconds[key] ?? 0);
      byLabel.set(selected.label, entry);
    }
    return entry;
  }

  function findEntry(event: PriceableEvent, model: string, at: Date): PriceEntry | null {
    const providerId = useData || overrides.length > 0 ? genaiProviderId(event.provider) : null;
    // The data's model id lets an override name "claude-sonnet-4-5" for every dated alias of it.
    const match = providerId === null ? null : matchGenaiModel(providerId, model);
    const override = overrides.find((candidate) => candidate.applies(event.provider, model, match?.model.id ?? null, at));
    if (override) return override.entry;
    if (!useData || !match) return null;
    const entry = dataEntry(match, selectModelPrice(match.model, at));
    const extra = unitPrices.get(event.provider);
    if (!entry || !extra) return entry;
    const used = Object.entries(event.units).some(([name, count]) => count > 0 && (extra.otherUnits.has(name) || extra.units.has(unitForEventUnit(name)!)));
    const priced = withUnitPrices(entry, extra);
    return used ? { ...priced, source: `${priced.source}[unit-prices]` } : priced;
  }

  function price(event: PriceableEvent): CostV1 | null {
    if (event.model === null) return null;
    const unitsReported = hasKeys(event.units);
    // Not measured stays unknown: an event with neither usage nor units has nothing to price.
    if (event.usage === null && !unitsReported) return null;
    const at = new Date(event.timestamp);
    if (Number.isNaN(at.getTime())) return null;
    let entry: PriceEntry | null;
    try {
      entry = findEntry(event, event.model, at);
    } catch {
      // Data this code cannot read (a newer kind of constraint after a data update) means no known price.
      return null;
    }
    if (!entry) return null;
    // Token usage alone, the common event, is priced without the general computation's maps.
    let computed = event.usage !== null && !unitsReported ? priceTokenUsage(entry, event.usage) : undefined;
    if (computed === undefined) {
      const quantities = eventQuantities(event);
      if (!quantities) return null;
      computed = computeCost(entry, quantities);
    }
    if (!computed) return null;
    let amount = computed.amount;
    let priceSource = entry.source;
    for (const note of computed.notes) priceSource += `[${note}]`;
    const applied = markup(event);
    if (applied) {
      amount = multiplyDecimal(amount, applied.factor);
      priceSource += ` +${applied.label}`;
    }
    return { amount: formatDecimal(amount), currency: "USD", priceSource };
  }

  return {
    specificationVersion: "v1",
    price,
    reprice<E extends UsageEventV1>(event: E): E {
      const { cost: _previous, ...priceable } = event;
      return { ...event, cost: price(priceable) };
    },
  };
}
