import { createTestEvent } from "@usagepilot/core/test";
import { validateUsageEvent } from "@usagepilot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertOpenAIChatUsage } from "./convert-openai-chat-usage";
import { convertOpenAIResponsesUsage } from "./convert-openai-responses-usage";
import { openAIDialect } from "./openai-dialect";
import { knownOpenAIHosts } from "./openai-hosts";

// Counts as hosts send them: usually consistent, sometimes not (a subset above its total), sometimes absent.
const count = fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.constant(undefined));
const dialects = [openAIDialect, ...knownOpenAIHosts.map((host) => host.dialect)];

const chatUsage = fc.record(
  {
    prompt_tokens: count,
    completion_tokens: count,
    total_tokens: count,
    prompt_cache_hit_tokens: count,
    prompt_tokens_details: fc.record({ cached_tokens: count, cache_write_tokens: count, audio_tokens: count }, { requiredKeys: [] }),
    completion_tokens_details: fc.record({ reasoning_tokens: count, audio_tokens: count, rejected_prediction_tokens: count, accepted_prediction_tokens: count }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const responsesUsage = fc.record(
  {
    input_tokens: count,
    output_tokens: count,
    total_tokens: count,
    input_tokens_details: fc.record({ cached_tokens: count }, { requiredKeys: [] }),
    output_tokens_details: fc.record({ reasoning_tokens: count }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

describe("OpenAI usage mappings, for any counts a host sends", () => {
  it("Chat Completions, every dialect: either null or usage whose subsets never exceed their totals", () => {
    fc.assert(
      fc.property(chatUsage, fc.constantFrom(...dialects), (usage, dialect) => {
        const converted = convertOpenAIChatUsage(JSON.parse(JSON.stringify(usage)), dialect);
        if (converted !== null) expect(validateUsageEvent(createTestEvent({ usage: converted }))).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });

  it("Responses: either null or usage whose subsets never exceed their totals", () => {
    fc.assert(
      fc.property(responsesUsage, (usage) => {
        const converted = convertOpenAIResponsesUsage(JSON.parse(JSON.stringify(usage)));
        if (converted !== null) expect(validateUsageEvent(createTestEvent({ usage: converted }))).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });
});
