// `usagepilot`: @usagepilot/core with every first-party provider wired in. The local UsagePilot and its
// options take precedence over the ones re-exported from core.
export * from "@usagepilot/core";
export { UsagePilot, type UsagePilotOptions } from "./usage-pilot";
export { defaultProviders } from "./default-providers";
export { createOpenAIAdapter, type OpenAIAdapterOptions, type OpenAICompatibleBaseURL } from "@usagepilot/providers-openai";
