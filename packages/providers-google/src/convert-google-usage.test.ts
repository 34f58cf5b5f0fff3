import { validateUsageEvent } from "@usagepilot/core";
import { createTestEvent } from "@usagepilot/core/test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertGoogleUsage } from "./convert-google-usage";

describe("convertGoogleUsage", () => {
  it("adds thoughts to output: candidatesTokenCount leaves them out", () => {
    expect(convertGoogleUsage({ promptTokenCount: 9, candidatesTokenCount: 28, thoughtsTokenCount: 244, totalTokenCount: 281 })).toEqual({
      inputTokens: 9,
      outputTokens: 272,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      reasoningTokens: 244,
    });
  });

  it("keeps cached content inside the prompt count, as a subset", () => {
    expect(convertGoogleUsage({ promptTokenCount: 17713, cachedContentTokenCount: 17379, candidatesTokenCount: 68, thoughtsTokenCount: 821 })).toMatchObject({
      inputTokens: 17713,
      cachedInputTokens: 17379,
      outputTokens: 889,
    });
  });

  it("adds the tool-use prompt to input: promptTokenCount leaves it out", () => {
    const usage = convertGoogleUsage({ promptTokenCount: 100, toolUsePromptTokenCount: 450, candidatesTokenCount: 30, totalTokenCount: 580 });
    expect(usage).toMatchObject({ inputTokens: 550, outputTokens: 30 });
  });

  it("reads audio and image input, and audio output, from the modality details", () => {
    const usage = convertGoogleUsage({
      promptTokenCount: 1000,
      candidatesTokenCount: 300,
      promptTokensDetails: [
        { modality: "TEXT", tokenCount: 100 },
        { modality: "AUDIO", tokenCount: 600 },
        { modality: "IMAGE", tokenCount: 258 },
        { modality: "VIDEO", tokenCount: 42 },
      ],
      toolUsePromptTokenCount: 50,
      toolUsePromptTokensDetails: [{ modality: "AUDIO", tokenCount: 50 }],
      candidatesTokensDetails: [{ modality: "AUDIO", tokenCount: 290 }, { modality: "TEXT", tokenCount: 10 }],
    });
    expect(usage).toEqual({ inputTokens: 1050, outputTokens: 300, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0, audioInputTokens: 650, imageInputTokens: 258, audioOutputTokens: 290 });
  });

  it("reads a missing count inside a present object as 0 (proto3 JSON leaves zeros out)", () => {
    expect(convertGoogleUsage({ promptTokenCount: 11, totalTokenCount: 11 })).toEqual({ inputTokens: 11, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 });
    expect(convertGoogleUsage({ promptTokenCount: 5, promptTokensDetails: [{ modality: "TEXT" }] })).toMatchObject({ inputTokens: 5 });
  });

  it("returns null for what is not a usage object, or lies about a count", () => {
    for (const bad of [null, undefined, 3, "usage", [], {}, { totalTokenCount: 4 }, { promptTokenCount: -1 }, { promptTokenCount: 1.5 }, { promptTokenCount: "12" }, { promptTokenCount: 3, promptTokensDetails: [{ modality: "TEXT", tokenCount: -2 }] }, { promptTokenCount: 3, promptTokensDetails: "TEXT" }]) {
      expect(convertGoogleUsage(bad)).toBeNull();
    }
  });

  it("clamps subsets to their totals when a report is inconsistent", () => {
    expect(convertGoogleUsage({ promptTokenCount: 10, cachedContentTokenCount: 50, promptTokensDetails: [{ modality: "AUDIO", tokenCount: 70 }] })).toMatchObject({ inputTokens: 10, cachedInputTokens: 10, audioInputTokens: 10 });
  });

  const count = fc.oneof(fc.nat(), fc.constant(undefined));
  const details = fc.option(fc.array(fc.record({ modality: fc.constantFrom("TEXT", "AUDIO", "IMAGE", "VIDEO"), tokenCount: count }, { requiredKeys: ["modality"] }), { maxLength: 5 }), { nil: undefined });
  const usageMetadata = fc.record(
    {
      promptTokenCount: count,
      candidatesTokenCount: count,
      cachedContentTokenCount: count,
      thoughtsTokenCount: count,
      toolUsePromptTokenCount: count,
      totalTokenCount: count,
      promptTokensDetails: details,
      toolUsePromptTokensDetails: details,
      candidatesTokensDetails: details,
    },
    { requiredKeys: [] },
  );

  it("never lets a subset exceed its total, for any usageMetadata (property)", () => {
    fc.assert(
      fc.property(usageMetadata, (metadata) => {
        const usage = convertGoogleUsage(metadata);
        if (usage === null) return;
        // The contract's own check: non-negative integers, every subset within its total.
        expect(validateUsageEvent(createTestEvent({ usage }))).toEqual([]);
        expect(usage.inputTokens).toBe((metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0));
        expect(usage.outputTokens).toBe((metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0));
      }),
      { numRuns: 500 },
    );
  });

  it("maps a consistent report exactly: totalTokenCount = input + output (property)", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e6 }), fc.nat({ max: 1e6 }), fc.nat({ max: 1e6 }), fc.nat({ max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }), (prompt, candidates, thoughts, toolUse, cachedShare) => {
        const cached = Math.floor(prompt * cachedShare);
        const total = prompt + candidates + thoughts + toolUse;
        const usage = convertGoogleUsage({ promptTokenCount: prompt, candidatesTokenCount: candidates, thoughtsTokenCount: thoughts, toolUsePromptTokenCount: toolUse, cachedContentTokenCount: cached, totalTokenCount: total });
        expect(usage).not.toBeNull();
        expect(usage!.inputTokens + usage!.outputTokens).toBe(total);
        expect(usage!.cachedInputTokens).toBe(cached);
        expect(usage!.reasoningTokens).toBe(thoughts);
      }),
    );
  });

  it("says how much of the cache was audio, within both the cache and the audio input", () => {
    expect(
      convertGoogleUsage({
        promptTokenCount: 100,
        cachedContentTokenCount: 80,
        promptTokensDetails: [{ modality: "AUDIO", tokenCount: 30 }],
        cacheTokensDetails: [{ modality: "AUDIO", tokenCount: 25 }, { modality: "TEXT", tokenCount: 55 }],
      }),
    ).toMatchObject({ cachedInputTokens: 80, audioInputTokens: 30, cachedAudioInputTokens: 25 });
    // A report that says more cached audio than audio is clamped, never breaking the subsets.
    expect(convertGoogleUsage({ promptTokenCount: 100, cachedContentTokenCount: 80, promptTokensDetails: [{ modality: "AUDIO", tokenCount: 10 }], cacheTokensDetails: [{ modality: "AUDIO", tokenCount: 25 }] })?.cachedAudioInputTokens).toBe(10);
  });
});
