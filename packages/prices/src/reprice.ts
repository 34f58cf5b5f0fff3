import type { PriceBookV1, UsageEventV1 } from "@usagepilot/core";
import { createPriceBook, type PriceBookOptions } from "./create-price-book";

/** Options of {@link reprice}: a book to price with, or the options to make one. */
export interface RepriceOptions extends PriceBookOptions {
  /** The price book to use. Default: `createPriceBook(options)`, i.e. the bundled data with these overrides and markups. */
  prices?: PriceBookV1;
}

/**
 * A stored event with a fresh cost: priced at its own timestamp (not now), with the current book —
 * after a negotiated rate is added, a model gets a price, or a markup changes. The event is not changed;
 * a copy is returned, whose `priceSource` says what priced it. Any previous cost is replaced, a cost the
 * caller gave to `track()` included; cost becomes null when no price is known.
 *
 * @example
 * const book = createPriceBook({ overrides });
 * const repriced = stored.map((event) => reprice(event, { prices: book }));
 */
export function reprice<E extends UsageEventV1>(event: E, options: RepriceOptions = {}): E {
  const { prices, ...bookOptions } = options;
  const book = prices ?? createPriceBook(bookOptions);
  const { cost: _previous, ...priceable } = event;
  return { ...event, cost: book.price(priceable) };
}
