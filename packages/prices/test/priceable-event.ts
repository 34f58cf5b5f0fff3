import type { PriceableEvent, TokenUsageV1 } from "@usagepilot/core";
import { createTestEvent } from "@usagepilot/core/test";

/** Token usage with the contract's required fields, zero where not given. */
export function tokens(usage: Partial<TokenUsageV1> & { inputTokens: number; outputTokens: number }): TokenUsageV1 {
  return { cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0, ...usage };
}

/** An event as a price book sees it (no cost), on 2026-01-15 unless told otherwise. */
export function priceable(fields: Partial<Omit<PriceableEvent, "usage">> & { usage?: TokenUsageV1 | null }): PriceableEvent {
  const { cost: _cost, ...event } = createTestEvent({ timestamp: "2026-01-15T10:00:00.000Z", ...fields });
  return event;
}
