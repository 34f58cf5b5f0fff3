import fc from "fast-check";
import type { UsageEvent } from "../event/usage-event";
import type { TokenUsageV1, UsageAccuracy, UsageStatus } from "../event/usage-event-v1";
import type { ProviderAdapterV1 } from "../provider/provider-adapter-v1";
import { MemoryStorage } from "../storage/memory-storage";
import type { TokenizerV1 } from "../tokenizer/tokenizer-v1";
import { UsagePilot } from "../usage-pilot";
import { collectBytes } from "./collect-stream";
import { createReplayFetch, type ReplayResponse } from "./create-replay-fetch";
import { findEventBoundaries } from "./find-event-boundaries";
import type { ConformanceRunner } from "./storage-conformance";

/** One recorded call and the event it must produce. */
export interface ProviderConformanceCase {
  /** Test name, e.g. the fixture file. */
  name: string;
  /** The request as the SDK sends it (url absolute; body is JSON-serialised when not a string). Method default "POST". */
  request: { url: string; method?: string; headers?: Record<string, string>; body?: unknown };
  /**
   * The recorded response. A streamed case has content-type text/event-stream (or a streamed JSON array).
   * Status default 200; headers default `content-type: application/json`.
   */
  response: { status?: number; headers?: Record<string, string>; body: string | Uint8Array };
  /**
   * What the one recorded event must carry. `units` defaults to `{}`; `accuracy` defaults to "reported"
   * when `usage` is not null, and is not checked when it is null and left out.
   */
  expect: {
    provider: string;
    operation: string;
    model: string | null;
    usage: TokenUsageV1 | null;
    units?: Record<string, number>;
    status: UsageStatus;
    accuracy?: UsageAccuracy;
    streamed: boolean;
  };
}

/** Options of `describeProviderConformance`. */
export interface ProviderConformanceOptions {
  /** Shown in test names, e.g. "Anthropic". */
  name: string;
  /** The adapter under test (a fresh one per test is made by calling it when it is a function). */
  adapter: ProviderAdapterV1 | (() => ProviderAdapterV1);
  cases: readonly ProviderConformanceCase[];
  /** vitest's describe/it/expect (the same ConformanceRunner shape the storage suite uses). */
  runner: ConformanceRunner;
  /**
   * Raw bytes of one in-stream error event in this provider's wire format, spliced into streamed cases
   * after their first event; the stream then ends, as providers end a stream after an error. (Observers
   * read only the head and the tail of a long stream, so an error followed by the rest of a recorded
   * stream would be unrealistic and unseen.) For a streamed JSON array the bytes follow the first
   * element's comma, e.g. `{"error":{...}}]`. Without it, that check is left out.
   */
  streamErrorEvent?: string;
  /** A tokenizer: then cut streams must end with counted or estimated usage, never null and never "reported". */
  tokenizer?: TokenizerV1;
}

// Bodies up to this size are split at every byte; larger ones at a sample plus every event boundary ±1.
const everyByteLimit = 20_000;
const sampledSplits = 300;
const cutFractions = [0.25, 0.5, 0.75] as const;
const timeout = 180_000;
const dimensions = { tenant: "conformance" };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What one metered call left behind. */
interface MeteredCall<T> {
  events: readonly UsageEvent[];
  received: T;
}

type Reader<T> = (response: Response) => Promise<T>;

const readText: Reader<string> = (response) => response.text();
const readJson: Reader<unknown> = (response) => response.json();
const readBody: Reader<Uint8Array> = (response) => collectBytes(response.body!);

/** Reads the body until `cancelAfter` bytes arrived (then cancels, as a caller that gives up) or it fails. */
function readUntil(cancelAfter: number): Reader<Uint8Array> {
  return async (response) => {
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch {
        break;
      }
      if (result.done) break;
      chunks.push(result.value);
      length += result.value.length;
      if (length >= cancelAfter) {
        await reader.cancel(new Error("conformance: the caller stopped reading"));
        break;
      }
    }
    return concat(chunks);
  };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index += 1) if (left[index] !== right[index]) return false;
  return true;
}

/** Split points for two-chunk runs: every byte of a small body; else a seeded sample and each event boundary ±1. */
function twoChunkSplits(bytes: Uint8Array): number[] {
  const length = bytes.length;
  if (length <= everyByteLimit) return Array.from({ length: Math.max(0, length - 1) }, (_, index) => index + 1);
  const points = new Set<number>();
  for (const boundary of findEventBoundaries(bytes)) for (const offset of [boundary - 1, boundary, boundary + 1]) points.add(offset);
  // A fixed seed: every run of the suite tries the same points, so a failure reproduces.
  let state = length;
  for (let index = 0; index < sampledSplits; index += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    points.add(1 + (state % (length - 1)));
  }
  return [...points].filter((point) => point > 0 && point < length).sort((a, b) => a - b);
}

/** Prefixes an assertion's message with where it failed (a split point, a cut), keeping its diff. */
async function labelled(label: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof Error) error.message = `${label}: ${error.message}`;
    throw error;
  }
}

/**
 * The provider conformance suite: every recorded case goes through a real `UsagePilot` (with
 * `MemoryStorage`) and `usage.createFetch` over a replaying fetch, and must give exactly one event with
 * the expected fields while the caller receives the recorded bytes unchanged — read whole (`text()`,
 * `json()`, `body` in one chunk), split anywhere (streams), cut mid-way by a network error or by the
 * caller (streams: "aborted", never "reported" usage), ended by an error event (streams: "error"),
 * and answered with a 500 (JSON: "error", no usage).
 *
 * @example
 * import { describe, expect, it } from "vitest";
 * import { describeProviderConformance } from "@usagepilot/core/test";
 *
 * describeProviderConformance({
 *   name: "Acme",
 *   adapter: () => createAcmeAdapter(),
 *   runner: { describe, it, expect },
 *   streamErrorEvent: 'event: error\ndata: {"error":{"message":"overloaded"}}\n\n',
 *   cases: [{
 *     name: "chat-stream.sse",
 *     request: { url: "https://api.acme.ai/v1/chat", body: { model: "acme-1", stream: true } },
 *     response: { headers: { "content-type": "text/event-stream" }, body: readFileSync("chat-stream.sse") },
 *     expect: { provider: "acme", operation: "chat", model: "acme-1-2026", usage: { inputTokens: 12, outputTokens: 30, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 }, status: "ok", streamed: true },
 *   }],
 * });
 */
export function describeProviderConformance(options: ProviderConformanceOptions): void {
  const { describe, it, expect } = options.runner;
  const makeAdapter = () => (typeof options.adapter === "function" ? options.adapter() : options.adapter);

  describe(`${options.name} — provider conformance`, () => {
    for (const testCase of options.cases) {
      const bytes = typeof testCase.response.body === "string" ? encoder.encode(testCase.response.body) : testCase.response.body;
      const responseHeaders = testCase.response.headers ?? { "content-type": "application/json" };
      const contentType = new Headers(responseHeaders).get("content-type") ?? "";
      const expected = testCase.expect;

      /** One call with a fresh UsagePilot, so each run stores its own events. */
      const meter = async <T>(adapter: ProviderAdapterV1, answer: ReplayResponse, read: Reader<T>): Promise<MeteredCall<T>> => {
        const storage = new MemoryStorage();
        const usage = new UsagePilot({ storage, providers: [adapter], ...(options.tokenizer ? { tokenizers: options.tokenizer } : {}), onError: () => {} });
        const replay = createReplayFetch({ headers: responseHeaders, status: testCase.response.status ?? 200, ...answer });
        const fetchWithUsage = usage.createFetch(() => dimensions, { fetch: replay });
        const { url, method, headers, body } = testCase.request;
        const response = await fetchWithUsage(url, {
          method: method ?? "POST",
          headers: { "content-type": "application/json", ...headers },
          ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
        });
        const received = await read(response);
        await usage.shutdown();
        return { events: storage.events, received };
      };

      /** The one event's fields the case names, beside what the case expects. */
      const expectRecorded = (events: readonly UsageEvent[]) => {
        expect(events.length).toBe(1);
        const event = events[0]!;
        const accuracy = expected.accuracy ?? (expected.usage === null ? event.accuracy : "reported");
        expect({
          provider: event.provider,
          operation: event.operation,
          model: event.model,
          usage: event.usage,
          units: event.units,
          status: event.status,
          accuracy: event.accuracy,
          streamed: event.streamed,
          dimensions: event.dimensions,
        }).toEqual({ provider: expected.provider, operation: expected.operation, model: expected.model, usage: expected.usage, units: expected.units ?? {}, status: expected.status, accuracy, streamed: expected.streamed, dimensions });
      };

      /** A stream that did not end: aborted (or error, where the case is one), and never reported final usage. */
      const expectCut = (events: readonly UsageEvent[]) => {
        expect(events.length).toBe(1);
        const event = events[0]!;
        expect({ provider: event.provider, operation: event.operation, streamed: event.streamed }).toEqual({ provider: expected.provider, operation: expected.operation, streamed: true });
        const statuses: readonly UsageStatus[] = expected.status === "error" ? ["aborted", "error"] : ["aborted"];
        const seen = `status ${event.status}, accuracy ${event.accuracy}, usage ${JSON.stringify(event.usage)}`;
        expect(statuses.includes(event.status) ? "as required" : `${seen}; expected status ${statuses.join(" or ")}`).toBe("as required");
        if (options.tokenizer && event.status === "aborted") {
          // Counted from the request and the output seen: known, but never the provider's word.
          expect(event.usage !== null && event.accuracy !== "reported" ? "as required" : `${seen}; expected usage counted or estimated by the tokenizer`).toBe("as required");
        } else {
          // Numbers the provider sent before the cut (e.g. input at the start) are not its final usage.
          expect(event.usage === null || event.accuracy !== "reported" ? "as required" : `${seen}; expected no "reported" usage from a cut stream`).toBe("as required");
        }
      };

      describe(testCase.name, () => {
        it("read whole with text(), json() and the body in one chunk: one event as expected, the bytes unchanged", async () => {
          const adapter = makeAdapter();
          await labelled("text()", async () => {
            const { events, received } = await meter(adapter, { body: bytes }, readText);
            expect(received).toBe(decoder.decode(bytes));
            expectRecorded(events);
          });
          if (contentType.includes("json")) {
            await labelled("json()", async () => {
              const { events, received } = await meter(adapter, { body: bytes }, readJson);
              expect(received).toEqual(JSON.parse(decoder.decode(bytes)));
              expectRecorded(events);
            });
          }
          await labelled("body", async () => {
            const { events, received } = await meter(adapter, { body: bytes }, readBody);
            expect(sameBytes(received, bytes)).toBe(true);
            expectRecorded(events);
          });
        }, timeout);

        if (expected.streamed) {
          it("split into two chunks at every byte (a sample with every event boundary ±1 when large)", async () => {
            const adapter = makeAdapter();
            for (const split of twoChunkSplits(bytes)) {
              await labelled(`split at byte ${split}`, async () => {
                const { events, received } = await meter(adapter, { body: bytes, splitAt: [split] }, readBody);
                expect(sameBytes(received, bytes)).toBe(true);
                expectRecorded(events);
              });
            }
          }, timeout);

          it("split into arbitrarily many chunks (fast-check)", async () => {
            const adapter = makeAdapter();
            await fc.assert(
              fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: Math.min(200, bytes.length) }), async (splitAt) => {
                const { events, received } = await meter(adapter, { body: bytes, splitAt }, readBody);
                expect(sameBytes(received, bytes)).toBe(true);
                expectRecorded(events);
              }),
              { numRuns: 50 },
            );
          }, timeout);

          it("cut by a network error or by the caller at 25%, 50% and 75%: aborted, never reported usage", async () => {
            const adapter = makeAdapter();
            for (const fraction of cutFractions) {
              const cut = Math.floor(bytes.length * fraction);
              const prefix = bytes.slice(0, cut);
              await labelled(`network error after ${cut} of ${bytes.length} bytes`, async () => {
                const failAfter = { bytes: cut, error: new TypeError("conformance: the connection was reset") };
                const { events, received } = await meter(adapter, { body: bytes, splitAt: [Math.floor(cut / 2)], failAfter }, readUntil(Number.POSITIVE_INFINITY));
                expect(sameBytes(received, prefix)).toBe(true);
                expectCut(events);
              });
              await labelled(`cancelled by the caller after ${cut} of ${bytes.length} bytes`, async () => {
                const { events, received } = await meter(adapter, { body: bytes, splitAt: [Math.floor(cut / 2), cut] }, readUntil(cut));
                expect(sameBytes(received, prefix)).toBe(true);
                expectCut(events);
              });
            }
          }, timeout);

          if (options.streamErrorEvent !== undefined) {
            const errorEvent = options.streamErrorEvent;
            it("with an error event after the first event, where the stream ends: status error", async () => {
              const at = findEventBoundaries(bytes)[0];
              expect(at === undefined ? "no event boundary in the body" : "found").toBe("found");
              const spliced = concat([bytes.slice(0, at), encoder.encode(errorEvent)]);
              const { events, received } = await meter(makeAdapter(), { body: spliced, splitAt: [at!] }, readBody);
              expect(sameBytes(received, spliced)).toBe(true);
              expect(events.length).toBe(1);
              const event = events[0]!;
              expect({ provider: event.provider, operation: event.operation, status: event.status, streamed: event.streamed }).toEqual({ provider: expected.provider, operation: expected.operation, status: "error", streamed: true });
            }, timeout);
          }
        } else {
          it("answered with status 500 and a JSON error body: status error, no usage", async () => {
            const errorBody = JSON.stringify({ error: { message: "conformance: the server had an error", type: "server_error", code: 500 } });
            const { events, received } = await meter(makeAdapter(), { body: errorBody, status: 500, headers: { "content-type": "application/json" } }, readText);
            expect(received).toBe(errorBody);
            expect(events.length).toBe(1);
            const event = events[0]!;
            expect({ provider: event.provider, operation: event.operation, status: event.status, usage: event.usage, streamed: event.streamed }).toEqual({ provider: expected.provider, operation: expected.operation, status: "error", usage: null, streamed: false });
          }, timeout);
        }
      });
    }
  });
}
