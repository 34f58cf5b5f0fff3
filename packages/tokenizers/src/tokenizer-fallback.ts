/** A model family counted without its own tokenizer. */
export type FallbackFamily = "anthropic" | "google" | "other";

/** How a family's tokens are estimated from `o200k_base`, and how wrong that was on recorded traffic. */
export interface TokenizerFallback {
  /** The o200k_base count of the text is multiplied by this and rounded (framing is not scaled). */
  factor: number;
  /** Count every decimal digit as one token, as SentencePiece tokenizers built with `split_digits` do. */
  splitDigits: boolean;
  /**
   * The largest error measured against provider-reported counts of the recorded fixtures: an estimate
   * is within `tokens` tokens or within `ratio` of the reported count, whichever is larger. Null when no
   * recorded traffic exists to measure it.
   */
  errorBound: { tokens: number; ratio: number } | null;
}

/**
 * The fallbacks used when a model's own tokenizer is not available locally (see the "Tokenizer accuracy"
 * table in the README; `pnpm --filter @usagepilot/tokenizers accuracy` re-measures them).
 *
 * - anthropic: Claude 3 and later use an unpublished tokenizer that spends more tokens than o200k_base on
 *   the same English text; 1.15 is the round value nearest the token-weighted ratio measured on recorded
 *   Claude outputs (1.16). Short texts are off by a few tokens either way.
 * - google: Gemini's tokenizer (shared with Gemma, a SentencePiece vocabulary) splits numbers into single
 *   digits; apart from that its counts on English text match o200k_base closely, so the factor is 1.
 * - other: models of OpenAI-compatible hosts (Llama, Mistral, DeepSeek, …) whose tokenizers are not
 *   shipped here: o200k_base as is. No recorded traffic measures it.
 */
export const tokenizerFallbacks: Readonly<Record<FallbackFamily, TokenizerFallback>> = {
  anthropic: { factor: 1.15, splitDigits: false, errorBound: { tokens: 4, ratio: 0.1 } },
  google: { factor: 1, splitDigits: true, errorBound: { tokens: 2, ratio: 0.05 } },
  other: { factor: 1, splitDigits: false, errorBound: null },
};
