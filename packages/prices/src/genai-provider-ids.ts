/**
 * UsagePilot provider names (the event's `provider`) → genai-prices provider ids. Names not listed are
 * looked up by genai-prices itself (its provider ids and `provider_match` rules); "custom" never is.
 * Extend or replace entries with `createPriceBook({ providers })`.
 */
export const genaiProviderIds: Readonly<Record<string, string | null>> = {
  openai: "openai",
  "azure-openai": "azure",
  azure: "azure",
  anthropic: "anthropic",
  google: "google",
  "google-vertex": "google",
  vertex: "google",
  groq: "groq",
  openrouter: "openrouter",
  mistral: "mistral",
  deepseek: "deepseek",
  xai: "x-ai",
  "x-ai": "x-ai",
  together: "together",
  fireworks: "fireworks",
  bedrock: "aws",
  "amazon-bedrock": "aws",
  cohere: "cohere",
  perplexity: "perplexity",
  cerebras: "cerebras",
  // What `usage.track` records without a provider: someone else's bill, which no public price describes.
  custom: null,
};
