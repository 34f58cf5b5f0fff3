import { createEventId } from "../event/create-event-id";
import type { TokenUsage, UsageEvent } from "../event/usage-event";

/** Token usage from positional counts: input, output, cache reads, cache writes, reasoning. */
export function testTokens(input: number, output: number, cached = 0, cacheWrite = 0, reasoning = 0): TokenUsage {
  return { inputTokens: input, outputTokens: output, cachedInputTokens: cached, cacheWriteInputTokens: cacheWrite, reasoningTokens: reasoning };
}

/** A valid event with a fresh id and plain defaults (an unpriced OpenAI chat call); override any field. */
export function createTestEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    schemaVersion: 1,
    id: createEventId(),
    timestamp: new Date().toISOString(),
    dimensions: {},
    provider: "openai",
    operation: "chat",
    model: "gpt-4o-mini",
    usage: testTokens(10, 5),
    units: {},
    cost: null,
    accuracy: "reported",
    status: "ok",
    streamed: false,
    latencyMs: 1,
    providerRequestId: null,
    ...overrides,
  };
}
