/** One message of a chat input, reduced to what a tokenizer counts. */
export interface TokenizerMessage {
  role: string;
  /** The message's text; non-text parts (images, files) are left out and make the count an estimate. */
  content: string;
  name?: string;
}

/** What a tokenizer counts: plain text, or a chat request reduced to its text. */
export type TokenizerInput =
  | string
  | {
      messages: readonly TokenizerMessage[];
      /** A system prompt given apart from the messages (Anthropic `system`, Gemini `systemInstruction`). */
      system?: string;
      /** Serialised tool definitions, counted as text. */
      tools?: string;
      /** True when parts that cannot be counted locally (images, audio, files) were left out. */
      omitted?: boolean;
    };

/** A token count and how far to trust it. */
export interface TokenCount {
  tokens: number;
  /** "counted" with the model's own tokenizer; "estimated" with a fallback whose error is documented. */
  accuracy: "counted" | "estimated";
}

/**
 * Counts tokens locally and synchronously, version 1: used for pre-call estimates and for streams cut
 * before the provider reported usage. `@usagepilot/tokenizers` implements it.
 */
export interface TokenizerV1 {
  readonly specificationVersion: "v1";
  /** Tokens of the input for this provider's model, or null when it cannot count for that model at all. */
  count(request: { provider: string; model: string; input: TokenizerInput }): TokenCount | null;
}
