// The public API of @usagepilot/providers-anthropic.
export { createAnthropicAdapter, type AnthropicAdapterOptions, type AnthropicBaseURL } from "./create-anthropic-adapter";
export { convertAnthropicUsage } from "./convert-anthropic-usage";
export { readAnthropicUsage, type AnthropicUsageRead } from "./read-anthropic-usage";
export { anthropicServerToolUnits } from "./anthropic-server-tool-units";
export { countableAnthropicInput } from "./countable-anthropic-input";
export type { AnthropicCacheCreation, AnthropicWireIteration, AnthropicWireUsage } from "./anthropic-wire-usage";
