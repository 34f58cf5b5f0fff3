/**
 * Prices that replace the data's for matching events: negotiated rates, a model the data does not know,
 * a self-hosted deployment. An override is a whole price: what it does not name is not taken from the data.
 *
 * @example
 * { source: "contract-2026", provider: "openai", model: "gpt-4o*", from: "2026-01-01", prices: { input: "2", output: "8", cachedInput: "1" } }
 */
export interface PriceOverride {
  /** Names the override in `priceSource` ("override:<source>"). */
  source: string;
  /** Event provider names it applies to ("openai", "azure-openai"...). Default: every provider. */
  provider?: string | readonly string[];
  /**
   * Models it applies to, each one of: the model name (case-insensitive); a pattern with `*` for any
   * characters ("gpt-4o-mini*"); a RegExp; or a genai-prices model id ("claude-sonnet-4-5"), which
   * covers every name the data resolves to it ("claude-sonnet-4-5-20250929").
   */
  model: string | RegExp | readonly (string | RegExp)[];
  /** First moment it applies (inclusive; ISO-8601 or Date), compared with the event's timestamp. Default: always. */
  from?: string | Date;
  /** Moment it stops applying (exclusive). Default: never. */
  until?: string | Date;
  prices: OverridePrices;
}

/** USD prices as decimal strings ("0.15", never a float). */
export interface OverridePrices {
  /** Per million input tokens; audio and image input tokens included. */
  input: string;
  /** Per million output tokens; reasoning and audio output included. */
  output: string;
  /** Per million tokens read from cache. Default: `input`. */
  cachedInput?: string;
  /** Per million tokens written to cache (5-minute writes on Anthropic). Default: `input`. */
  cacheWrite?: string;
  /** Per million tokens written to cache with a 1-hour lifetime. Default: 2 × `input` when `cacheWrite` is set (Anthropic's rule), else `cacheWrite`'s default. */
  cacheWrite1h?: string;
  /**
   * USD per ONE unit by event unit name: `{ web_searches: "0.01", images: "0.04" }`. An event with a unit
   * not listed here gets no price (null). Default: none.
   */
  units?: Record<string, string>;
}
