/**
 * The version of the bundled `@pydantic/genai-prices` data, written into every `priceSource` it prices
 * ("genai-prices@0.1.8:openai/gpt-4o"). Pinned exactly in package.json; a test keeps the two equal.
 */
export const genaiPricesVersion = "0.1.8";
