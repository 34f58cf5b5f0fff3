import { readField, readPositiveInteger, type OutputTokensV1 } from "@usagepilot/core";

/** A positive integer field, else null. */
function positive(body: unknown, field: string): number | null {
  return readPositiveInteger(body, field) ?? null;
}

/** Choices asked for (`n`); each may produce up to the per-choice maximum. */
function choices(body: unknown): number {
  return positive(body, "n") ?? 1;
}

/**
 * Reads and caps the output maximum of an OpenAI-style request, for limits: Chat Completions
 * `max_completion_tokens` (or the older `max_tokens`, which compatible hosts read), times `n` choices;
 * Responses `max_output_tokens`; legacy completions `max_tokens` times `n`; embeddings produce no output.
 * A cap sets the per-choice field so that all choices together stay within it, writing the field the
 * request already uses, else `max_completion_tokens` for OpenAI and Azure and `max_tokens` for other hosts.
 * Undefined for operations without an output maximum.
 */
export function openAIOutputTokens(operation: string, provider: string): OutputTokensV1 | undefined {
  switch (operation) {
    case "embeddings":
      return { requested: () => 0, cap: (body) => body };
    case "responses":
      return {
        requested: (body) => positive(body, "max_output_tokens"),
        cap: (body, max) => ({ ...(body as object), max_output_tokens: max }),
      };
    case "chat":
    case "completions": {
      const modern = operation === "chat" && (provider === "openai" || provider === "azure-openai");
      return {
        requested(body) {
          const perChoice = (operation === "chat" ? positive(body, "max_completion_tokens") : null) ?? positive(body, "max_tokens");
          return perChoice === null ? null : perChoice * choices(body);
        },
        cap(body, max) {
          const perChoice = Math.max(1, Math.floor(max / choices(body)));
          const field = operation === "chat" && (readField(body, "max_completion_tokens") != null || (readField(body, "max_tokens") == null && modern)) ? "max_completion_tokens" : "max_tokens";
          return { ...(body as object), [field]: perChoice };
        },
      };
    }
    default:
      return undefined;
  }
}
