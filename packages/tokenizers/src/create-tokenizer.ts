import type { TokenizerInput, TokenizerV1 } from "@usagepilot/core";
import { countSplittingDigits } from "./count-splitting-digits";
import { countTokenizerInput } from "./count-tokenizer-input";
import { countWithEncoder } from "./count-with-encoder";
import { getEncoder } from "./get-encoder";
import { resolveTokenizerFamily } from "./resolve-tokenizer-family";
import { tokenizerFallbacks, type FallbackFamily, type TokenizerFallback } from "./tokenizer-fallback";

/** Options of `createTokenizer`. */
export interface CreateTokenizerOptions {
  /**
   * Estimate models that have no exact local tokenizer (Claude, Gemini, models of OpenAI-compatible
   * hosts) with their family's fallback. Default true; when false, `count` returns null for them.
   */
  estimate?: boolean;
  /** Replaces a family's fallback factor or digit rule. Default: `tokenizerFallbacks`. */
  fallbacks?: Partial<Record<FallbackFamily, Partial<Pick<TokenizerFallback, "factor" | "splitDigits">>>>;
}

/**
 * A local, synchronous `TokenizerV1` for UsagePilot. OpenAI models are counted with tiktoken and their
 * exact encoding (`accuracy: "counted"`), chat messages with OpenAI's documented framing; other models
 * are estimated from o200k_base with their family's fallback (`"estimated"`). Inputs that carry tools or
 * left out non-text parts are always "estimated". Returns null only when it cannot count at all (no
 * model name, `estimate: false` for a model without an exact tokenizer, or tiktoken's WASM failed to
 * load); it never throws. Encoders are built once per process and reused.
 *
 * @example
 * const tokenizer = createTokenizer();
 * tokenizer.count({ provider: "openai", model: "gpt-4o", input: { messages: [{ role: "user", content: "Hi" }] } });
 * // { tokens: 8, accuracy: "counted" }
 */
export function createTokenizer(options: CreateTokenizerOptions = {}): TokenizerV1 {
  const estimate = options.estimate ?? true;
  const fallbacks = resolveFallbacks(options.fallbacks ?? {});
  return {
    specificationVersion: "v1",
    count(request) {
      try {
        if (typeof request.model !== "string" || request.model.trim() === "") return null;
        const family = resolveTokenizerFamily({ provider: typeof request.provider === "string" ? request.provider : "", model: request.model });
        if (family.kind === "exact") {
          const encoder = getEncoder(family.encoding);
          const parts = countTokenizerInput(request.input, (text) => countWithEncoder(encoder, text));
          return { tokens: parts.text + parts.framing, accuracy: isWhollyCountable(request.input) ? "counted" : "estimated" };
        }
        if (!estimate) return null;
        const fallback = fallbacks[family.family];
        const encoder = getEncoder("o200k_base");
        const countText = fallback.splitDigits ? (text: string) => countSplittingDigits(encoder, text) : (text: string) => countWithEncoder(encoder, text);
        const parts = countTokenizerInput(request.input, countText);
        return { tokens: scale(parts.text, fallback.factor) + parts.framing, accuracy: "estimated" };
      } catch {
        // Malformed input from untyped callers or a WASM that failed to load: "cannot count", never a throw
        // into the metered call.
        return null;
      }
    },
  };
}

/** Whether the exact encoding saw everything the provider will count: no left-out parts, no tool framing. */
function isWhollyCountable(input: TokenizerInput): boolean {
  return typeof input === "string" || (input.omitted !== true && (input.tools === undefined || input.tools === ""));
}

/** Scales a token count; any text is at least one token. */
function scale(tokens: number, factor: number): number {
  return tokens === 0 ? 0 : Math.max(1, Math.round(tokens * factor));
}

function resolveFallbacks(overrides: NonNullable<CreateTokenizerOptions["fallbacks"]>): Record<FallbackFamily, Pick<TokenizerFallback, "factor" | "splitDigits">> {
  const result = {} as Record<FallbackFamily, Pick<TokenizerFallback, "factor" | "splitDigits">>;
  for (const family of Object.keys(tokenizerFallbacks) as FallbackFamily[]) {
    const factor = overrides[family]?.factor ?? tokenizerFallbacks[family].factor;
    if (!Number.isFinite(factor) || factor <= 0) throw new RangeError(`createTokenizer: the ${family} fallback factor must be a positive number, got ${String(factor)}`);
    result[family] = { factor, splitDigits: overrides[family]?.splitDigits ?? tokenizerFallbacks[family].splitDigits };
  }
  return result;
}
