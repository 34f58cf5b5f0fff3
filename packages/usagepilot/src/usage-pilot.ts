import { type Dimensions, UsagePilot as CoreUsagePilot, type UsagePilotOptions as CoreUsagePilotOptions } from "@usagepilot/core";
import { createPriceBook } from "@usagepilot/prices";
import { createTokenizer } from "@usagepilot/tokenizers";
import { defaultProviders } from "./default-providers";

/**
 * Options of `UsagePilot` from the umbrella package: like core's, with every first-party provider, the
 * price book and the tokenizers by default.
 */
export interface UsagePilotOptions<D extends Dimensions> extends Omit<CoreUsagePilotOptions<D>, "providers" | "prices" | "tokenizers"> {
  /** Provider adapters, tried in order. Default: every first-party adapter (OpenAI and compatible hosts, Anthropic, Google). */
  providers?: CoreUsagePilotOptions<D>["providers"];
  /** The price book. Default: `createPriceBook()` (genai-prices data, offline); `false` leaves cost unknown (null). */
  prices?: CoreUsagePilotOptions<D>["prices"] | false;
  /** Local token counting for cut streams and quota estimates. Default: `createTokenizer()`; `false` for none. */
  tokenizers?: CoreUsagePilotOptions<D>["tokenizers"] | false;
}

/**
 * UsagePilot with every first-party provider, the price book and the tokenizers wired in.
 *
 * @example
 * const usage = new UsagePilot<{ user_id: string }>({ storage: new MemoryStorage() });
 * const openai = new OpenAI({ fetch: usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") })) });
 */
export class UsagePilot<D extends Dimensions = Dimensions> extends CoreUsagePilot<D> {
  constructor(options: UsagePilotOptions<D>) {
    const { prices, tokenizers, ...rest } = options;
    super({
      ...rest,
      providers: options.providers ?? defaultProviders(),
      ...(prices === false ? {} : { prices: prices ?? createPriceBook() }),
      ...(tokenizers === false ? {} : { tokenizers: tokenizers ?? createTokenizer() }),
    });
  }
}
