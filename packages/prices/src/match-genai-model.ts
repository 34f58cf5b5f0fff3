import { calcPrice, findProvider, type ModelInfo, type Provider } from "@pydantic/genai-prices";

/** A model of the genai-prices data, and the provider it was found under. */
export interface GenaiModelMatch {
  provider: Provider;
  model: ModelInfo;
}

const maxCachedModels = 1000;
// Per provider object of the data, so an update of the data (genai-prices `updatePrices`) starts afresh.
const matches = new WeakMap<Provider, Map<string, GenaiModelMatch | null>>();

/**
 * Finds a model in the genai-prices data with genai-prices' own matching: the provider by id (or its
 * `provider_match`), then the provider's model `match` rules, dated names normalised ("-20250929"), and
 * the provider's fallback providers (Claude on Vertex). Remembered per provider and model name.
 *
 * `calcPrice` is called with no usage only for its matching: its float arithmetic is never used.
 */
export function matchGenaiModel(providerId: string, model: string): GenaiModelMatch | null {
  const provider = findProvider({ providerId });
  if (!provider) return null;
  let known = matches.get(provider);
  if (!known) {
    known = new Map();
    matches.set(provider, known);
  }
  const cached = known.get(model);
  if (cached !== undefined) return cached;
  let match: GenaiModelMatch | null = null;
  try {
    const result = calcPrice({}, model, { providerId });
    if (result) match = { provider: result.provider, model: result.model };
  } catch {
    // genai-prices refuses a model whose price data it finds inconsistent: no price is known.
    match = null;
  }
  // Model names come from responses; bound what an endless variety of them can hold.
  if (known.size >= maxCachedModels) known.clear();
  known.set(model, match);
  return match;
}
