// `usagepilot`: @usagepilot/core with every first-party provider, the price book and the tokenizers wired in.
// The local UsagePilot and its options take precedence over the ones re-exported from core.
export * from "@usagepilot/core";
export { UsagePilot, type UsagePilotOptions } from "./usage-pilot";
export { defaultProviders } from "./default-providers";
export { createOpenAIAdapter, type OpenAIAdapterOptions, type OpenAICompatibleBaseURL } from "@usagepilot/providers-openai";
export { createAnthropicAdapter, type AnthropicAdapterOptions, type AnthropicBaseURL } from "@usagepilot/providers-anthropic";
export { createGoogleAdapter, type GoogleAdapterOptions, type GoogleBaseURL } from "@usagepilot/providers-google";
export { createPriceBook, reprice, type PriceBook, type PriceBookOptions, type PriceOverride, type MarkupRule } from "@usagepilot/prices";
export { countTokens, createTokenizer, type CountTokensOptions, type CreateTokenizerOptions } from "@usagepilot/tokenizers";
