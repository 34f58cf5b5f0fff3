import type { ProviderAdapterV1 } from "@usagepilot/core";
import { createOpenAIAdapter } from "@usagepilot/providers-openai";

/** Every first-party provider adapter, with its defaults. */
export function defaultProviders(): ProviderAdapterV1[] {
  return [createOpenAIAdapter()];
}
