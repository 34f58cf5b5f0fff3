import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./meter-harness";
import { createWordTokenizer } from "./word-tokenizer";

// A stream can be cut after any of its events. Whatever was delivered, the event is never "reported" while
// the final counts did not arrive, keeps message_start's input (the provider's own number, cache included)
// once it arrived, and counts the output the caller actually received.

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ tokenizer: createWordTokenizer() });
});
afterAll(() => harness.close());

const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"];
const headers = { "content-type": "application/json", "x-api-key": "test", "anthropic-version": "2023-06-01", "x-user-id": "user-1" };

describe("Anthropic: a stream cut after any event", () => {
  it("is aborted and estimated, with message_start's input and the output delivered", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ input: fc.nat({ max: 50_000 }), read: fc.nat({ max: 50_000 }), written: fc.nat({ max: 50_000 }), chunks: fc.integer({ min: 1, max: words.length }) }),
        fc.nat(),
        async ({ input, read, written, chunks }, cut) => {
          // message_start, ping, content_block_start, the deltas, content_block_stop: cut anywhere before message_delta.
          const cutAfterEvents = 1 + (cut % (4 + chunks));
          const content = words.slice(0, chunks).join(" ");
          const usage = { input_tokens: input, output_tokens: chunks, cache_read_input_tokens: read, cache_creation_input_tokens: written };
          harness.server.enqueue({ kind: "anthropic", usage, content, chunks, cutAfterEvents });
          const body = { model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "name eight letters" }], stream: true };
          let delivered = "";
          const event = await harness.recordOne(async () => {
            const response = await harness.fetchWithUsage(`${harness.server.url}/v1/messages`, { method: "POST", headers, body: JSON.stringify(body) });
            // The caller reads the stream (as the SDKs do) until the cut; what it got is what it can count.
            let text = "";
            const reader = response.body!.getReader();
            const decoder = new TextDecoder();
            try {
              for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
            } catch {}
            for (const match of text.matchAll(/"text_delta","text":"([^"]*)"/g)) delivered += match[1];
            return new Response("");
          });
          expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", streamed: true });
          expect(event.usage).not.toBeNull();
          expect(event.usage).toMatchObject({ inputTokens: input + read + written, cachedInputTokens: read, cacheWriteInputTokens: written });
          expect(event.usage!.outputTokens).toBe(delivered.split(/\s+/).filter((word) => word !== "").length);
          // The cut is reported (through onError), and nothing else is.
          expect(harness.errors.splice(0).map((error) => (error as Error).message)).toEqual([expect.stringContaining("the stream was failed")]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
