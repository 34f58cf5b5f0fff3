// The public API of @usagepilot/tokenizers.
export { createTokenizer, type CreateTokenizerOptions } from "./create-tokenizer";
export { countTokens, type CountTokensOptions } from "./count-tokens";
export { inferProvider, type InferredProvider } from "./infer-provider";
export { openAIEncodingForModel } from "./openai-encoding-for-model";
export { chatFraming } from "./count-tokenizer-input";
export { tokenizerFallbacks, type FallbackFamily, type TokenizerFallback } from "./tokenizer-fallback";
export { CountTokensError } from "./errors/count-tokens-error";
export type { TokenCount, TokenizerInput, TokenizerMessage, TokenizerV1 } from "@usagepilot/core";
