import { describe, expect, it, vi } from "vitest";
import { MeteringError } from "./errors/metering-error";
import { MissingDimensionError } from "./errors/missing-dimension-error";
import { validateUsageEvent } from "./event/validate-usage-event";
import { MemoryStorage, UNATTRIBUTED, UsagePilot, type UsageEvent, type UsagePilotOptions } from "../runtime/node";
import { createPriceTable } from "./price/create-price-table";
import { createJsonObserver } from "./provider/create-json-observer";
import type { ObservationV1, ProviderAdapterV1 } from "./provider/provider-adapter-v1";
import type { SpoolV1 } from "./spool/spool-v1";
import { collectBytes } from "./test/collect-stream";
import { createReplayFetch, type ReplayResponse } from "./test/create-replay-fetch";

const ECHO_URL = "https://llm.test/v1/echo";
const BROKEN_URL = "https://llm.test/v1/broken";

type EchoBody = { model?: unknown; usage?: { in?: unknown; out?: unknown } };

function readEcho(value: unknown): ObservationV1 {
  const body = value as EchoBody | null;
  const usage = body?.usage;
  if (!usage || typeof usage.in !== "number" || typeof usage.out !== "number") {
    return { usage: null, status: "ok", accuracy: "estimated", problem: "the echo body reported no usage" };
  }
  return {
    usage: { inputTokens: usage.in, outputTokens: usage.out, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
    model: typeof body.model === "string" ? body.model : null,
    status: "ok",
    accuracy: "reported",
  };
}

/** A tiny provider: claims the echo URL and reads `{ usage: { in, out } }`; the broken URL's observer throws. */
const echoAdapter: ProviderAdapterV1 = {
  specificationVersion: "v1",
  name: "echo",
  match({ url }) {
    const href = `${url.origin}${url.pathname}`;
    if (href !== ECHO_URL && href !== BROKEN_URL) return undefined;
    const broken = href === BROKEN_URL;
    return {
      provider: "echo",
      operation: "chat",
      isStreamRequest: (body) => (body as { stream?: unknown } | undefined)?.stream === true,
      requestedModel: (body) => {
        const model = (body as { model?: unknown } | undefined)?.model;
        return typeof model === "string" ? model : null;
      },
      providerRequestId: (headers) => headers.get("x-request-id"),
      observe: () =>
        broken
          ? {
              push() {
                throw new Error("adapter bug");
              },
              end() {
                throw new Error("adapter bug");
              },
            }
          : createJsonObserver(readEcho),
    };
  },
};

const jsonHeaders = { "content-type": "application/json", "x-request-id": "req_123" };
const echoAnswer = (usage: { in: number; out: number }, extra: Partial<ReplayResponse> = {}): ReplayResponse => ({
  body: JSON.stringify({ model: "echo-1-2026", text: "héllo 😀", usage }),
  headers: jsonHeaders,
  ...extra,
});

type Dims = { user_id: string; organization_id?: string; feature?: "chat" | "analysis" };

function setup(answer: ReplayResponse | ((request: Request) => ReplayResponse), options: Partial<UsagePilotOptions<Dims>> = {}, fetchOptions: { stripHeaders?: string[] } = {}) {
  const storage = new MemoryStorage();
  const errors: unknown[] = [];
  const usage = new UsagePilot<Dims>({ storage, providers: [echoAdapter], flushInterval: 10, onError: (error) => errors.push(error), ...options });
  const replay = createReplayFetch(answer);
  const fetchWithUsage = usage.createFetch(
    (request) => ({ user_id: request.headers.get("x-user-id"), organization_id: request.headers.get("x-org-id"), feature: request.headers.get("x-feature") }),
    { fetch: replay, ...fetchOptions },
  );
  return { storage, errors, usage, replay, fetchWithUsage };
}

const post = (headers: Record<string, string> = {}, body: unknown = { model: "echo-1", input: "hi" }): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

const errorsOf = <T>(errors: unknown[], isInstance: (error: unknown) => error is T): T[] => errors.filter(isInstance);

describe("UsagePilot with createFetch", () => {
  it("records one valid event per call, with dimensions from the headers", async () => {
    const { storage, usage, fetchWithUsage, errors } = setup(echoAnswer({ in: 12, out: 34 }));
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1", "x-org-id": "o1" }));
    expect(await response.json()).toMatchObject({ usage: { in: 12, out: 34 } });
    const second = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u2", "x-feature": "chat" }));
    await second.text();
    await usage.flush();
    expect(storage.events).toHaveLength(2);
    const [first, next] = storage.events;
    expect(first).toMatchObject({
      schemaVersion: 1,
      dimensions: { user_id: "u1", organization_id: "o1" },
      provider: "echo",
      operation: "chat",
      model: "echo-1-2026",
      usage: { inputTokens: 12, outputTokens: 34, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
      units: {},
      cost: null,
      accuracy: "reported",
      status: "ok",
      streamed: false,
      providerRequestId: "req_123",
    });
    expect(first!.dimensions).toEqual({ user_id: "u1", organization_id: "o1" });
    expect(next!.dimensions).toEqual({ user_id: "u2", feature: "chat" });
    expect(first!.id).not.toBe(next!.id);
    for (const event of storage.events) expect(validateUsageEvent(event)).toEqual([]);
    expect(usage.stats()).toMatchObject({ captured: 2, unmetered: 0, invalid: 0 });
    expect(errors).toEqual([]);
    await usage.shutdown();
  });

  it("prices the event exactly with the configured price book", async () => {
    const prices = createPriceTable({ source: "t", models: { "echo-1": { input: "0.15", output: "0.60" } } });
    const { storage, usage, fetchWithUsage } = setup(echoAnswer({ in: 1000, out: 500 }), { prices });
    await (await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }))).text();
    await usage.flush();
    expect(storage.events[0]!.cost).toEqual({ amount: "0.00045", currency: "USD", priceSource: "t:echo-1" });
    await usage.shutdown();
  });

  it("takes dimensions from usage.withDimensions(), overriding the extractor, across awaits", async () => {
    const { storage, usage, fetchWithUsage } = setup(echoAnswer({ in: 1, out: 1 }));
    await usage.withDimensions({ user_id: "ctx-user", feature: "analysis" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await (await fetchWithUsage(ECHO_URL, post({ "x-user-id": "header-user", "x-org-id": "o1" }))).text();
      await usage.withDimensions({ organization_id: "inner-org" }, async () => {
        await (await fetchWithUsage(ECHO_URL, post())).text();
      });
    });
    await (await fetchWithUsage(ECHO_URL, post({ "x-user-id": "outside" }))).text();
    await usage.flush();
    expect(storage.events.map((event) => event.dimensions)).toEqual([
      { user_id: "ctx-user", organization_id: "o1", feature: "analysis" },
      { user_id: "ctx-user", organization_id: "inner-org", feature: "analysis" },
      { user_id: "outside" },
    ]);
    await usage.shutdown();
  });

  it("hands the caller exactly the upstream bytes, status and headers, however they are chunked", async () => {
    const text = JSON.stringify({ model: "echo-1", text: "multi-byte: é 世界 😀🎉", usage: { in: 3, out: 4 } }) + "\n";
    const bytes = new TextEncoder().encode(text);
    const emoji = bytes.indexOf(0xf0);
    const { usage, fetchWithUsage, storage } = setup({ body: bytes, status: 201, headers: jsonHeaders, splitAt: [1, 5, emoji + 1, emoji + 2, bytes.length - 1] });
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }));
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("req_123");
    expect(await collectBytes(response.body!)).toEqual(bytes);
    await usage.flush();
    expect(storage.events[0]!.usage).toMatchObject({ inputTokens: 3, outputTokens: 4 });
    await usage.shutdown();
  });

  it("passes a URL no adapter claims straight through, counted as unmetered, with no event", async () => {
    const { usage, fetchWithUsage, storage, replay } = setup({ body: "plain", headers: { "content-type": "text/plain" } });
    const response = await fetchWithUsage("https://example.test/other", post({ "x-user-id": "u1" }));
    expect(await response.text()).toBe("plain");
    expect(replay.requests).toHaveLength(1);
    await usage.flush();
    expect(usage.stats()).toMatchObject({ unmetered: 1, captured: 0 });
    expect(storage.events).toEqual([]);
    await usage.shutdown();
  });

  it('onInvalidDimensions "reject" refuses the call with MissingDimensionError before anything leaves', async () => {
    const { usage, fetchWithUsage, storage, replay } = setup(echoAnswer({ in: 1, out: 1 }), { requiredDimensions: ["user_id"], onInvalidDimensions: "reject" });
    const outcome = await fetchWithUsage(ECHO_URL, post()).then(
      () => "resolved",
      (error: unknown) => error,
    );
    expect(MissingDimensionError.isInstance(outcome)).toBe(true);
    expect((outcome as MissingDimensionError).missing).toEqual(["user_id"]);
    expect(replay.requests).toHaveLength(0);
    await usage.flush();
    expect(storage.events).toEqual([]);
    await usage.shutdown();
  });

  it("by default records a call without a required dimension as (unattributed) and reports it", async () => {
    const { usage, fetchWithUsage, storage, replay, errors } = setup(echoAnswer({ in: 1, out: 1 }), { requiredDimensions: ["user_id"] });
    await (await fetchWithUsage(ECHO_URL, post({ "x-org-id": "o1" }))).text();
    await usage.flush();
    expect(replay.requests).toHaveLength(1);
    expect(storage.events[0]!.dimensions).toEqual({ user_id: UNATTRIBUTED, organization_id: "o1" });
    expect(UNATTRIBUTED).toBe("(unattributed)");
    expect(errorsOf(errors, MissingDimensionError.isInstance)).toHaveLength(1);
    await usage.shutdown();
  });

  it("records an upstream HTTP 500 as an error event and returns the response untouched", async () => {
    const body = JSON.stringify({ error: { message: "boom" } });
    const { usage, fetchWithUsage, storage } = setup({ body, status: 500, headers: jsonHeaders });
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe(body);
    await usage.flush();
    expect(storage.events).toHaveLength(1);
    expect(storage.events[0]).toMatchObject({ status: "error", usage: null, model: "echo-1" });
    await usage.shutdown();
  });

  it("a body that is not JSON reaches the caller unchanged; the event is unmeasured and estimated; nothing throws", async () => {
    const body = "<html>Bad gateway, but 200</html>";
    const { usage, fetchWithUsage, storage, errors } = setup({ body, headers: { "content-type": "text/html" } });
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }));
    expect(await response.text()).toBe(body);
    await usage.flush();
    expect(storage.events).toHaveLength(1);
    expect(storage.events[0]).toMatchObject({ usage: null, accuracy: "estimated", model: "echo-1", cost: null });
    expect(errorsOf(errors, MeteringError.isInstance).length).toBeGreaterThan(0);
    await usage.shutdown();
  });

  it("an upstream network error reaches the caller as is, and an error event is recorded", async () => {
    const storage = new MemoryStorage();
    const errors: unknown[] = [];
    const usage = new UsagePilot<Dims>({ storage, providers: [echoAdapter], flushInterval: 10, onError: (error) => errors.push(error) });
    const failure = new TypeError("fetch failed");
    let calls = 0;
    const failing = (async () => {
      calls += 1;
      throw failure;
    }) as typeof fetch;
    const fetchWithUsage = usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") }), { fetch: failing });
    await expect(fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }))).rejects.toBe(failure);
    expect(calls).toBe(1);
    await usage.flush();
    expect(storage.events).toHaveLength(1);
    expect(storage.events[0]).toMatchObject({ status: "error", usage: null, dimensions: { user_id: "u1" }, model: "echo-1", providerRequestId: null });
    await usage.shutdown();
  });

  it("a body that fails mid-way errors the caller's stream with the same error and records an aborted, unmeasured event", async () => {
    const failure = new Error("socket hang up");
    const { usage, fetchWithUsage, storage } = setup(echoAnswer({ in: 1, out: 1 }, { splitAt: [5, 10], failAfter: { bytes: 10, error: failure } }));
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }));
    await expect(collectBytes(response.body!)).rejects.toBe(failure);
    await usage.flush();
    expect(storage.events).toHaveLength(1);
    expect(storage.events[0]).toMatchObject({ usage: null, accuracy: "estimated" });
    expect(storage.events[0]!.status).not.toBe("ok");
    await usage.shutdown();
  });

  it("an adapter whose observer throws: the caller still gets the whole body, an unmeasured event is recorded, the error reported", async () => {
    const answer = echoAnswer({ in: 5, out: 6 }, { splitAt: [3, 9, 20] });
    const { usage, fetchWithUsage, storage, errors } = setup(answer);
    const response = await fetchWithUsage(BROKEN_URL, post({ "x-user-id": "u1" }));
    expect(await response.text()).toBe(answer.body);
    await usage.flush();
    expect(storage.events).toHaveLength(1);
    expect(storage.events[0]).toMatchObject({ usage: null, provider: "echo", dimensions: { user_id: "u1" } });
    const metering = errorsOf(errors, MeteringError.isInstance);
    expect(metering.length).toBeGreaterThan(0);
    expect(metering.some((error) => (error.cause as Error | undefined)?.message === "adapter bug")).toBe(true);
    await usage.shutdown();
  });

  it("track() records non-token usage with an exact cost", async () => {
    const storage = new MemoryStorage();
    const usage = new UsagePilot<Dims>({ storage, providers: [echoAdapter], onError: () => {} });
    const event = await usage.track({ dimensions: { user_id: "u1", organization_id: null }, units: { images: 2 }, cost: "0.08", model: "dall-e-3" });
    expect(event).toMatchObject({ dimensions: { user_id: "u1" }, units: { images: 2 }, cost: { amount: "0.08", currency: "USD" }, usage: null, model: "dall-e-3", provider: "custom", operation: "custom" });
    expect(validateUsageEvent(event)).toEqual([]);
    await usage.track({ dimensions: { user_id: "u1" }, units: { images: 1 }, cost: "0.0400" });
    await usage.flush();
    expect(storage.events).toHaveLength(2);
    expect(storage.events[0]).toEqual(event);
    const rows = await usage.query({ from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000) });
    expect(rows).toMatchObject([{ events: 2, costUsd: "0.12", units: { images: 3 }, inputTokens: null, unmeasuredEvents: 2 }]);
    await usage.shutdown();
  });

  it("flush() then shutdown() leave nothing pending and every event stored", async () => {
    const { usage, fetchWithUsage, storage } = setup(echoAnswer({ in: 2, out: 3 }), { batchSize: 3, flushInterval: 60_000 });
    for (let index = 0; index < 7; index += 1) await (await fetchWithUsage(ECHO_URL, post({ "x-user-id": `u${index}` }))).text();
    await usage.track({ dimensions: { user_id: "t" }, units: { seconds: 4 } });
    await usage.flush();
    expect(usage.stats().pending).toBe(0);
    expect(storage.events).toHaveLength(8);
    await usage.track({ dimensions: { user_id: "late" }, units: { seconds: 1 } });
    await usage.shutdown();
    expect(usage.stats().pending).toBe(0);
    expect(usage.stats().inFlight).toBe(0);
    expect(storage.events).toHaveLength(9);
    expect(usage.shutdown()).toBe(usage.shutdown());
  });

  it("shutdown() waits for a response the caller is still reading", async () => {
    const { usage, fetchWithUsage, storage } = setup(echoAnswer({ in: 2, out: 3 }, { splitAt: [4, 8] }));
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }));
    expect(usage.stats().inFlight).toBe(1);
    const shutdown = usage.shutdown({ timeoutMs: 5_000 });
    await response.text();
    await shutdown;
    expect(storage.events).toHaveLength(1);
    expect(storage.events[0]!.usage).toMatchObject({ inputTokens: 2, outputTokens: 3 });
  });

  it("returns the caller's own Response object, and records a call whose body is read only through a clone, once", async () => {
    const { storage, usage, fetchWithUsage } = setup(echoAnswer({ in: 5, out: 6 }));
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }));
    expect(response).toBeInstanceOf(Response);
    const copy = response.clone();
    expect(await copy.json()).toMatchObject({ usage: { in: 5, out: 6 } });
    await usage.flush();
    expect(storage.events.map((event) => event.usage?.inputTokens)).toEqual([5]);
    await response.text();
    await usage.flush();
    expect(storage.events).toHaveLength(1);
  });

  it("leaves the caller's Response a Response with no visible own property, whose body reads as before", async () => {
    const { storage, usage, fetchWithUsage } = setup(echoAnswer({ in: 3, out: 4 }));
    const plain = await createReplayFetch(echoAnswer({ in: 3, out: 4 }))(ECHO_URL, post());
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }));
    expect(response).toBeInstanceOf(Response);
    expect(Object.keys(response)).toEqual(Object.keys(plain));
    expect(JSON.stringify(response)).toBe(JSON.stringify(plain));
    expect(response.body).toBe(response.body);
    expect(await collectBytes(response.body!)).toEqual(await collectBytes(plain.body!));
    await usage.flush();
    expect(storage.events.map((event) => event.usage?.outputTokens)).toEqual([4]);
  });

  it("a metered fetch inside another: both record the call once, the caller reads the same bytes", async () => {
    const inner = setup(echoAnswer({ in: 5, out: 6 }));
    const outerStorage = new MemoryStorage();
    const outer = new UsagePilot<Dims>({ storage: outerStorage, providers: [echoAdapter] });
    const fetchWithBoth = outer.createFetch((request) => ({ user_id: request.headers.get("x-user-id") }), { fetch: inner.fetchWithUsage });
    for (const read of [(response: Response) => response.json(), (response: Response) => collectBytes(response.body!)]) {
      const response = await fetchWithBoth(ECHO_URL, post({ "x-user-id": "u1" }));
      expect(await read(response)).toBeTruthy();
    }
    await inner.usage.flush();
    await outer.flush();
    expect(inner.storage.events.map((event) => event.usage?.outputTokens)).toEqual([6, 6]);
    expect(outerStorage.events.map((event) => event.usage?.outputTokens)).toEqual([6, 6]);
    expect(inner.errors).toEqual([]);
  });

  it("extractors read plain-object headers in any case; a header the extractor changes never reaches the request", async () => {
    const seen: (string | null)[] = [];
    const storage = new MemoryStorage();
    const usage = new UsagePilot<Dims>({ storage, providers: [echoAdapter] });
    const replay = createReplayFetch(echoAnswer({ in: 1, out: 1 }));
    const fetchWithUsage = usage.createFetch(
      (request) => {
        seen.push(request.headers.get("X-USER-ID"), request.headers.get("x-missing"));
        request.headers.set("x-user-id", "changed");
        return { user_id: request.headers.get("x-user-id") };
      },
      { fetch: replay },
    );
    await (await fetchWithUsage(ECHO_URL, post({ "X-User-Id": " u1 " }))).text();
    await usage.flush();
    expect(seen).toEqual(["u1", null]);
    expect(replay.requests[0]!.headers.get("x-user-id")).toBe("u1");
    expect(storage.events.map((event) => event.dimensions.user_id)).toEqual(["changed"]);
  });

  it("records a body read as a stream, chunk by chunk, exactly once", async () => {
    const { storage, usage, fetchWithUsage } = setup({ ...echoAnswer({ in: 7, out: 8 }), splitAt: [3, 9, 20] });
    const response = await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }));
    expect(response.body).not.toBeNull();
    const reader = response.body!.getReader();
    while (!(await reader.read()).done) {
      // the caller reads every chunk
    }
    await usage.flush();
    expect(storage.events.map((event) => event.usage?.outputTokens)).toEqual([8]);
  });

  it("ends a streamed body's observer in the recording batch, off the caller's last read, exactly once", async () => {
    const ends: string[] = [];
    const spying: ProviderAdapterV1 = {
      ...echoAdapter,
      match(request) {
        const call = echoAdapter.match(request);
        if (!call) return undefined;
        return {
          ...call,
          observe(...args) {
            const observer = call.observe(...args);
            return { push: (chunk) => observer.push(chunk), end: (how) => (ends.push(how), observer.end(how)) };
          },
        };
      },
    };
    const events: unknown[] = [];
    const { usage, fetchWithUsage, storage } = setup({ ...echoAnswer({ in: 2, out: 3 }), splitAt: [4, 11] }, { providers: [spying], onEvent: (event) => events.push(event) });
    const reader = (await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }))).body!.getReader();
    while (!(await reader.read()).done) {
      // the caller reads every chunk
    }
    // Decoding what the observer kept is recording work: it waits for the batch, as the event does.
    expect(ends).toEqual([]);
    expect(events).toHaveLength(0);
    await usage.flush();
    expect(ends).toEqual(["finished"]);
    expect(events).toHaveLength(1);
    expect(storage.events.map((event) => event.usage?.outputTokens)).toEqual([3]);
    await usage.shutdown();
  });

  it("records a call read whole on the batch timer, after the caller has its answer, with the calls made meanwhile", async () => {
    const events: UsageEvent[] = [];
    const usage = new UsagePilot<Dims>({ storage: new MemoryStorage(), providers: [echoAdapter], onEvent: (event) => events.push(event) });
    const fetchWithUsage = usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") }), { fetch: createReplayFetch(echoAnswer({ in: 5, out: 6 })) });
    expect(await (await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }))).json()).toMatchObject({ usage: { in: 5, out: 6 } });
    await new Promise((resolve) => setImmediate(resolve));
    // Not on the caller's time, nor in the next turns of the event loop: the batch waits for its timer.
    expect(events).toHaveLength(0);
    await (await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u2" }))).json();
    expect(events).toHaveLength(0);
    await vi.waitFor(() => expect(events.map((event) => [event.dimensions.user_id, event.usage?.outputTokens])).toEqual([["u1", 6], ["u2", 6]]), { timeout: 1000, interval: 2 });
    await usage.shutdown();
  });

  it("a batch is recorded 100 ms after its first call; with a spool 10 ms, as the spool's crash window counts from then", async () => {
    const spool: SpoolV1 = { specificationVersion: "v1", append() {}, recover: async () => [], settle() {}, sync: async () => {}, close: async () => {} };
    const recordedAfter = async (options: Partial<UsagePilotOptions<Dims>>) => {
      const events: UsageEvent[] = [];
      const usage = new UsagePilot<Dims>({ storage: new MemoryStorage(), providers: [echoAdapter], onEvent: (event) => events.push(event), ...options });
      const fetchWithUsage = usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") }), { fetch: createReplayFetch(echoAnswer({ in: 5, out: 6 })) });
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        await (await fetchWithUsage(ECHO_URL, post({ "x-user-id": "u1" }))).json();
        let elapsed = 0;
        while (events.length === 0 && elapsed < 1000) {
          vi.advanceTimersByTime(1);
          elapsed += 1;
        }
        return elapsed;
      } finally {
        vi.useRealTimers();
        await usage.shutdown();
      }
    };
    expect(await recordedAfter({})).toBe(100);
    expect(await recordedAfter({ spool })).toBe(10);
  });

  it("stripHeaders removes the tenant header from what is sent, after the extractor read it", async () => {
    const { usage, fetchWithUsage, storage, replay } = setup(echoAnswer({ in: 1, out: 1 }), {}, { stripHeaders: ["X-User-Id"] });
    const init = post({ "x-user-id": "secret-user", authorization: "Bearer k" }, { model: "echo-1", input: "é" });
    await (await fetchWithUsage(ECHO_URL, init)).text();
    await (await fetchWithUsage(new Request(ECHO_URL, post({ "x-user-id": "request-user" })))).text();
    await (await fetchWithUsage("https://example.test/unclaimed", post({ "x-user-id": "other" }))).text();
    expect(replay.requests).toHaveLength(3);
    for (const request of replay.requests) expect(request.headers.get("x-user-id")).toBeNull();
    expect(replay.requests[0]!.headers.get("authorization")).toBe("Bearer k");
    expect(await replay.requests[0]!.text()).toBe(init.body);
    expect(await replay.requests[1]!.json()).toEqual({ model: "echo-1", input: "hi" });
    await usage.flush();
    expect(storage.events.map((event) => event.dimensions.user_id)).toEqual(["secret-user", "request-user"]);
    await usage.shutdown();
  });

  it("sends the caller's request body byte for byte when nothing needs changing", async () => {
    const { usage, fetchWithUsage, replay } = setup(echoAnswer({ in: 1, out: 1 }));
    const body = '{ "model" : "echo-1",\n  "input": "😀" }';
    await (await fetchWithUsage(ECHO_URL, { method: "POST", headers: { "x-user-id": "u" }, body })).text();
    expect(await replay.requests[0]!.text()).toBe(body);
    await usage.shutdown();
  });
});
