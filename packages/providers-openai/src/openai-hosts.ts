import type { OpenAIDialect } from "./openai-dialect";

/** A host that speaks OpenAI's API, recognised by hostname. */
export interface OpenAICompatibleHost {
  /** The provider name recorded on events. */
  provider: string;
  /** Matches the request's hostname. */
  hostname: (hostname: string) => boolean;
  dialect: OpenAIDialect;
}

const exactly = (name: string) => (hostname: string) => hostname === name;
const under = (suffix: string) => (hostname: string) => hostname.endsWith(suffix);
const standard: OpenAIDialect = { reasoningInsideCompletion: true, acceptsStreamOptions: true };

/** The hosts recognised out of the box, with their differences (PROVIDERS.md). */
export const knownOpenAIHosts: readonly OpenAICompatibleHost[] = [
  { provider: "openai", hostname: exactly("api.openai.com"), dialect: standard },
  {
    provider: "azure-openai",
    hostname: (hostname) => hostname.endsWith(".openai.azure.com") || hostname.endsWith(".cognitiveservices.azure.com") || hostname.endsWith(".services.ai.azure.com"),
    dialect: standard,
  },
  { provider: "openrouter", hostname: exactly("openrouter.ai"), dialect: standard },
  { provider: "groq", hostname: exactly("api.groq.com"), dialect: standard },
  { provider: "together", hostname: (hostname) => hostname === "api.together.xyz" || hostname === "api.together.ai", dialect: standard },
  { provider: "deepseek", hostname: exactly("api.deepseek.com"), dialect: standard },
  // Mistral always sends usage in its last chunk and rejects parameters it does not know.
  { provider: "mistral", hostname: exactly("api.mistral.ai"), dialect: { reasoningInsideCompletion: true, acceptsStreamOptions: false } },
  // xAI counts reasoning outside completion_tokens: total = prompt + completion + reasoning.
  { provider: "xai", hostname: exactly("api.x.ai"), dialect: { reasoningInsideCompletion: false, acceptsStreamOptions: true } },
  { provider: "fireworks", hostname: under("fireworks.ai"), dialect: standard },
];
