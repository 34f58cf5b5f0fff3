import { normalizeModelName } from "./normalize-model-name";

/** The providers whose models `inferProvider` recognises by name. */
export type InferredProvider = "openai" | "anthropic" | "google";

/**
 * The provider a model name belongs to, for callers who know only the model: `gpt-`, `chatgpt-`, `o1`,
 * `o3`, `o4`, `text-embedding-` → "openai"; `claude-` → "anthropic"; `gemini-` → "google". Router and
 * platform prefixes (`openai/`, `models/`) are ignored. Null for any other name (Llama, Mistral, …):
 * those are served by many hosts, so the name alone does not say whose count to trust.
 *
 * @example inferProvider("claude-sonnet-4-5") // "anthropic"
 */
export function inferProvider(model: string): InferredProvider | null {
  const name = normalizeModelName(model);
  if (/^(gpt-|chatgpt-|text-embedding-)/.test(name) || /^o[134](-|$)/.test(name)) return "openai";
  if (name.startsWith("claude-") || name.startsWith("anthropic.claude-")) return "anthropic";
  if (name.startsWith("gemini-")) return "google";
  return null;
}
