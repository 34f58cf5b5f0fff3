import type { ProviderAdapterV1 } from "@usagepilot/core";
import { createAnthropicAdapter } from "@usagepilot/providers-anthropic";
import { createGoogleAdapter } from "@usagepilot/providers-google";
import { createOpenAIAdapter } from "@usagepilot/providers-openai";

/** Every first-party provider adapter, with its defaults: OpenAI (and compatible hosts), Anthropic, Google. */
export function defaultProviders(): ProviderAdapterV1[] {
  return [createOpenAIAdapter(), createAnthropicAdapter(), createGoogleAdapter()];
}
