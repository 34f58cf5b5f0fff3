import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateUsageEvent } from "./event/validate-usage-event";
import { MemoryStorage, UsagePilot } from "../runtime/node";
import { createJsonObserver } from "./provider/create-json-observer";
import { createSseObserver } from "./provider/create-sse-observer";
import type { ObservationV1, ProviderAdapterV1, ProviderCallV1, ResponseObserverV1 } from "./provider/provider-adapter-v1";
import { createReplayFetch, type ReplayResponse } from "./test/create-replay-fetch";

// Every place metering runs code it does not control (an adapter's hooks, the extractor, the price book,
// the handlers) or may fail on its own. Whichever of them throws, the caller must get exactly what the
// plain fetch gives it, and nothing may escape as an unhandled rejection or uncaught exception.
const faultPoints = [
  "match",
  "prepareBody",
  "isStreamRequest",
  "requestedModel",
  "countableInput",
  "outputTokens",
  "providerRequestId",
  "observe",
  "push",
  "end",
  "readWhole",
  "extract",
  "price",
  "onEvent",
  "onError",
] as const;
type FaultPoint = (typeof faultPoints)[number];

const callUrl = "https://llm.test/v1/chat";

function fail(point: string): never {
  throw new Error(`fault injected in ${point}`);
}

function readUsage(value: unknown): ObservationV1 {
  const usage = (value as { usage?: { in?: unknown; out?: unknown } } | null)?.usage;
  if (!usage || typeof usage.in !== "number" || typeof usage.out !== "number") return { usage: null, status: "ok", accuracy: "estimated" };
  return { usage: { inputTokens: usage.in, outputTokens: usage.out, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 }, model: "m-1", status: "ok", accuracy: "reported" };
}

/** A provider whose every hook throws when the fault set names it. */
function faultyAdapter(faults: ReadonlySet<FaultPoint>): ProviderAdapterV1 {
  const hook = <T>(point: FaultPoint, value: () => T): T => (faults.has(point) ? fail(point) : value());
  const wrapObserver = (observer: ResponseObserverV1): ResponseObserverV1 => ({
    push: (chunk) => hook("push", () => observer.push(chunk)),
    end: (how) => hook("end", () => observer.end(how)),
    ...(observer.readWhole ? { readWhole: (body) => hook("readWhole", () => observer.readWhole!(body)) } : {}),
  });
  const call: ProviderCallV1 = {
    provider: "faulty",
    operation: "chat",
    prepareBody: (body) => hook("prepareBody", () => (String(body.text).includes('"stream":true') ? { ...(body.json() as object), injected: true } : undefined)),
    isStreamRequest: (body) => hook("isStreamRequest", () => (body as { stream?: unknown } | undefined)?.stream === true),
    requestedModel: () => hook("requestedModel", () => "m-1"),
    countableInput: () => hook("countableInput", () => ({ text: "hello" }) as never),
    outputTokens: {
      requested: () => hook("outputTokens", () => 100),
      cap: (body, max) => hook("outputTokens", () => ({ ...(body as object), max_tokens: max })),
    },
    providerRequestId: (headers) => hook("providerRequestId", () => headers.get("x-request-id")),
    observe: (_request, response) =>
      hook("observe", () =>
        wrapObserver(
          (response.headers.get("content-type") ?? "").includes("text/event-stream")
            ? (() => {
                let last: ObservationV1 = { usage: null, status: "ok", accuracy: "estimated" };
                return createSseObserver({
                  onMessage: (message) => {
                    if (message.data !== "[DONE]") last = readUsage(JSON.parse(message.data));
                  },
                  result: (how) => (how === "finished" ? last : { usage: null, status: "aborted", accuracy: "estimated" }),
                });
              })()
            : createJsonObserver(readUsage),
        ),
      ),
  };
  return { specificationVersion: "v1", name: "faulty", match: () => hook("match", () => call) };
}

const answers = {
  json: { body: JSON.stringify({ text: "héllo 😀", usage: { in: 3, out: 4 } }), headers: { "content-type": "application/json", "x-request-id": "r1" } },
  sse: { body: 'data: {"text":"hé"}\n\ndata: {"text":"llo","usage":{"in":3,"out":4}}\n\ndata: [DONE]\n\n', headers: { "content-type": "text/event-stream" } },
  notJson: { body: "<html>gateway</html>", headers: { "content-type": "text/html" } },
  error: { body: JSON.stringify({ error: { message: "overloaded" } }), status: 500, headers: { "content-type": "application/json" } },
} satisfies Record<string, ReplayResponse>;

const readers = {
  json: async (response: Response) => JSON.stringify(await response.json()),
  text: (response: Response) => response.text(),
  arrayBuffer: async (response: Response) => new TextDecoder().decode(await response.arrayBuffer()),
  reader: async (response: Response) => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (let result = await reader.read(); !result.done; result = await reader.read()) text += decoder.decode(result.value, { stream: true });
    return text + decoder.decode();
  },
  forAwait: async (response: Response) => {
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  },
  cloneText: (response: Response) => response.clone().text(),
  // Pipes and tees read the body through a pass-through copy rather than the caller's own reader.
  pipeThrough: async (response: Response) => {
    let text = "";
    for await (const piece of response.body!.pipeThrough(new TextDecoderStream()) as unknown as AsyncIterable<string>) text += piece;
    return text;
  },
  tee: async (response: Response) => {
    const [first, second] = response.body!.tee();
    const [text] = await Promise.all([new Response(first).text(), second.cancel()]);
    return text;
  },
  cancelAfterFirst: async (response: Response) => {
    const reader = response.body!.getReader();
    const first = await reader.read();
    await reader.cancel();
    return `${first.done}`;
  },
} satisfies Record<string, (response: Response) => Promise<string>>;

/** What the caller ends up with: its status and text, or the error it got. */
async function outcome(run: () => Promise<Response>, read: (response: Response) => Promise<string>): Promise<string> {
  try {
    const response = await run();
    return `${response.status} ${await read(response)}`;
  } catch (error) {
    return `threw ${(error as Error).name}`;
  }
}

describe("metering never throws into the caller", () => {
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);
  beforeAll(() => {
    process.on("unhandledRejection", onEscape);
    process.on("uncaughtException", onEscape);
  });
  afterAll(() => {
    process.off("unhandledRejection", onEscape);
    process.off("uncaughtException", onEscape);
  });

  it("whichever hooks, handlers or the price book throw, the caller gets what plain fetch gives, and one valid event is kept per claimed call", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...faultPoints]),
        fc.constantFrom(...(Object.keys(answers) as (keyof typeof answers)[])),
        fc.constantFrom(...(Object.keys(readers) as (keyof typeof readers)[])),
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (faultList, answerName, readerName, splitAt, streamRequest, withLimits, drainOnCancel) => {
          const faults = new Set<FaultPoint>(faultList);
          const answer: ReplayResponse = { ...answers[answerName], splitAt };
          const storage = new MemoryStorage();
          const reported: unknown[] = [];
          const usage = new UsagePilot({
            storage,
            providers: [faultyAdapter(faults)],
            flushInterval: 10,
            prices: { specificationVersion: "v1", price: () => (faults.has("price") ? fail("price") : null) },
            onEvent: () => (faults.has("onEvent") ? fail("onEvent") : undefined),
            onError: (error) => {
              reported.push(error);
              if (faults.has("onError")) fail("onError");
            },
            ...(withLimits ? { limits: { rules: [{ name: "watch", key: ["user_id"], window: "day" as const, max: { tokens: 1_000_000 }, action: "notify" as const }] } } : {}),
          });
          const metered = usage.createFetch((request) => (faults.has("extract") ? fail("extract") : { user_id: request.headers.get("x-user-id") ?? "anonymous" }), { fetch: createReplayFetch(answer), drainOnCancel });
          const init = (): RequestInit => ({ method: "POST", headers: { "content-type": "application/json", "x-user-id": "u1" }, body: JSON.stringify({ model: "m-1", stream: streamRequest }) });

          const plain = await outcome(() => createReplayFetch(answer)(callUrl, init()), readers[readerName]);
          const got = await outcome(() => metered(callUrl, init()), readers[readerName]);
          expect(got).toBe(plain);

          await usage.flush();
          await usage.shutdown();
          // A call no adapter could claim passes through unmetered; every claimed one is kept, once.
          expect(storage.events).toHaveLength(faults.has("match") ? 0 : 1);
          for (const event of storage.events) expect(validateUsageEvent(event)).toEqual([]);
          // A fault in a hook that runs on every call is reported, never swallowed silently.
          if (["match", "extract", "observe", "price", "onEvent"].some((point) => faults.has(point as FaultPoint))) expect(reported.length).toBeGreaterThan(0);
          expect(escaped).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
