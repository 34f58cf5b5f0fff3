import type { AnthropicWireUsage } from "./anthropic-wire-usage";

/**
 * Server tools are billed per request, outside the token counts: each non-zero `server_tool_use`
 * count (`web_search_requests`, `web_fetch_requests`, ...) becomes a unit of the same name.
 */
export function anthropicServerToolUnits(usage: AnthropicWireUsage): Record<string, number> {
  const units: Record<string, number> = {};
  for (const [name, count] of Object.entries(usage.server_tool_use ?? {})) if (count > 0) units[name] = count;
  return units;
}
