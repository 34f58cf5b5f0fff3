import type { TiktokenEncoding } from "tiktoken";
import type { FallbackFamily } from "./tokenizer-fallback";
import { normalizeModelName } from "./normalize-model-name";
import { openAIEncodingForModel } from "./openai-encoding-for-model";

/** How one provider's model is counted: exactly with a tiktoken encoding, or estimated by a fallback family. */
export type TokenizerFamily = { kind: "exact"; encoding: TiktokenEncoding } | { kind: "estimate"; family: FallbackFamily };

const anthropicProviders = new Set(["anthropic", "anthropic-bedrock", "anthropic-vertex", "bedrock"]);
const googleProviders = new Set(["google", "gemini", "vertex", "google-vertex", "vertex-ai"]);

/**
 * Chooses how to count a model. The model name decides first, because routers (OpenRouter, Bedrock)
 * serve every vendor's models under their own provider name: a Claude model is estimated as Claude, a
 * Gemini model as Gemini, whoever serves it; a name tiktoken knows is counted exactly. Otherwise the
 * provider decides (an Anthropic or Google provider with an unfamiliar model name still gets its
 * family's estimate), and anything else falls back to "other".
 */
export function resolveTokenizerFamily(request: { provider: string; model: string }): TokenizerFamily {
  const name = normalizeModelName(request.model);
  if (/(^|[.:])claude/.test(name)) return { kind: "estimate", family: "anthropic" };
  if (/^(gemini|gemma)/.test(name)) return { kind: "estimate", family: "google" };
  const encoding = openAIEncodingForModel(name);
  if (encoding !== null) return { kind: "exact", encoding };
  const provider = request.provider.trim().toLowerCase();
  if (anthropicProviders.has(provider)) return { kind: "estimate", family: "anthropic" };
  if (googleProviders.has(provider)) return { kind: "estimate", family: "google" };
  return { kind: "estimate", family: "other" };
}
