import fc from "fast-check";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { MemoryStorage, UNATTRIBUTED, UsagePilot, type UsagePilotOptions } from "../../runtime/node";
import { QuotaExceededError } from "../errors/quota-exceeded-error";
import { createPriceTable } from "../price/create-price-table";
import { createJsonObserver } from "../provider/create-json-observer";
import type { ProviderAdapterV1 } from "../provider/provider-adapter-v1";
import { createTestEvent } from "../test/create-test-event";
import type { LimitThresholdAlert } from "./limit-threshold-alert";
import type { LimitsOptions } from "./limits-options";
import { MemoryQuotaStore } from "./memory-quota-store";

const URL_ = "https://llm.test/v1/chat";

type ChatBody = { model?: string; messages?: { role: string; content: string }[]; max_tokens?: number };
const read = (body: unknown) => (typeof body === "object" && body !== null ? (body as ChatBody) : {});

/**
 * The provider of these tests: a chat endpoint that bills ceil(characters / 4) input tokens for the
 * message contents and `max_tokens` (else 40) output tokens, and reports them as `{ usage: { in, out } }`.
 */
const chatAdapter: ProviderAdapterV1 = {
  specificationVersion: "v1",
  name: "llm-test",
  match({ url }) {
    if (`${url.origin}${url.pathname}` !== URL_) return undefined;
    return {
      provider: "llm-test",
      operation: "chat",
      isStreamRequest: () => false,
      requestedModel: (body) => read(body).model ?? null,
      countableInput: (body) => ({ messages: read(body).messages ?? [] }),
      outputTokens: {
        requested: (body) => read(body).max_tokens ?? null,
        cap: (body, max) => ({ ...read(body), max_tokens: max }),
      },
      providerRequestId: () => null,
      observe: () =>
        createJsonObserver((value) => {
          const usage = (value as { usage?: { in: number; out: number } }).usage;
          if (!usage) return { usage: null, status: "error", accuracy: "estimated" };
          return { usage: { inputTokens: usage.in, outputTokens: usage.out, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 }, model: "m-1", status: "ok", accuracy: "reported" };
        }),
    };
  },
};

function answer(text: string) {
  const body = read(JSON.parse(text));
  const input = Math.ceil((body.messages ?? []).reduce((sum, message) => sum + message.content.length, 0) / 4);
  return { body: JSON.stringify({ usage: { in: input, out: body.max_tokens ?? 40 } }), headers: { "content-type": "application/json" } };
}

type Dims = { user_id: string; organization_id?: string; feature?: string };

function setup(limits: LimitsOptions<Dims>, options: Partial<UsagePilotOptions<Dims>> = {}) {
  const storage = options.storage instanceof MemoryStorage ? options.storage : new MemoryStorage();
  const errors: unknown[] = [];
  const usage = new UsagePilot<Dims>({ storage, providers: [chatAdapter], flushInterval: 10, onError: (error) => errors.push(error), limits, ...options });
  const bodies: string[] = [];
  const upstream = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const text = String(init?.body ?? "");
    bodies.push(text);
    if (read(JSON.parse(text)).model === "overloaded") return new Response('{"error":"overloaded"}', { status: 503, headers: { "content-type": "application/json" } });
    const spec = answer(text);
    return new Response(spec.body, { headers: spec.headers });
  }) as typeof fetch;
  const fetchWithUsage = usage.createFetch(
    (request) => ({ user_id: request.headers.get("x-user-id"), organization_id: request.headers.get("x-org-id"), feature: request.headers.get("x-feature") }),
    { fetch: upstream },
  );
  return { storage, errors, usage, bodies, fetchWithUsage };
}

const call = (fetchWithUsage: typeof fetch, headers: Record<string, string>, body: ChatBody = { model: "m-1", messages: [{ role: "user", content: "x".repeat(36) }], max_tokens: 16 }) =>
  fetchWithUsage(URL_, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }).then((response) => response.json());

const org = { "x-user-id": "u1", "x-org-id": "acme" };

describe("limits through the metered fetch, in memory", () => {
  it("refuses a call that does not fit before it leaves, with a QuotaExceededError that explains itself", async () => {
    const { usage, bodies, fetchWithUsage, storage } = setup({ rules: [{ name: "org-month", key: ["organization_id"], window: "month", max: { tokens: 60 }, action: "block" }] });
    await call(fetchWithUsage, org); // 9 in + 16 out
    await call(fetchWithUsage, org);
    await usage.flush();
    const refusal = await call(fetchWithUsage, org).catch((error: unknown) => error);
    expect(QuotaExceededError.isInstance(refusal)).toBe(true);
    const error = refusal as QuotaExceededError;
    expect(error).toMatchObject({ reason: "limit", rule: "org-month", key: { organization_id: "acme" }, metric: "tokens", limit: 60, used: 50, reserved: 0, requested: 26 });
    // The estimate: ceil((36 characters + "user") / 4) = 10 input tokens plus max_tokens 16.
    expect(error.resetsAt!.getTime()).toBe(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1));
    expect(error.message).toContain('Quota "org-month" (organization_id=acme)');
    expect(bodies).toHaveLength(2);
    await usage.flush();
    expect(storage.events).toHaveLength(2);
    const [status] = await usage.limits.status({ organization_id: "acme" });
    expect(status).toMatchObject({ rule: "org-month", key: { organization_id: "acme" }, metrics: [{ metric: "tokens", limit: 60, used: 50, reserved: 0, remaining: 10 }] });
    // Another organisation has its own budget.
    await expect(call(fetchWithUsage, { "x-user-id": "u9", "x-org-id": "globex" })).resolves.toBeDefined();
    await usage.shutdown();
  });

  it("200 concurrent calls against one budget: never over it, and refused only when settled usage leaves no room", async () => {
    const { usage, bodies, fetchWithUsage, errors } = setup({ rules: [{ name: "org-month", key: ["organization_id"], window: "month", max: { tokens: 1000 }, action: "block" }] });
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => call(fetchWithUsage, org).then(() => "ok" as const, (error: unknown) => error)));
    await usage.flush();
    const [status] = await usage.limits.status({ organization_id: "acme" });
    const used = status!.metrics[0]!.used as number;
    const refusals = outcomes.filter((outcome) => outcome !== "ok");
    expect(used).toBeLessThanOrEqual(1000);
    for (const refusal of refusals) expect(QuotaExceededError.isInstance(refusal) && (refusal.used as number) + 26 > 1000).toBe(true);
    expect(used).toBeGreaterThan(1000 - 26);
    // Each call uses 25 tokens and reserves 26: 40 calls fill 1000 exactly; the 40th is refused only if it
    // asked while the 39th was still in flight and, once that settled, 975 + 26 no longer fit.
    const admitted = outcomes.filter((outcome) => outcome === "ok").length;
    expect([39, 40]).toContain(admitted);
    expect(used).toBe(25 * admitted);
    expect(bodies).toHaveLength(admitted);
    expect(status!.metrics[0]!.reserved).toBe(0);
    expect(errors).toEqual([]);
    await usage.shutdown();
  });

  it("an underestimated call overshoots by at most its own misestimate, and the next estimate learns from it", async () => {
    const { usage, fetchWithUsage } = setup({ rules: [{ name: "org-day", key: ["organization_id"], window: "day", max: { tokens: 100 }, action: "block" }], defaultOutputTokens: 8 });
    const noMax = { model: "m-1", messages: [{ role: "user", content: "x".repeat(36) }] };
    await call(fetchWithUsage, org, noMax); // reserves 10 + 8, uses 9 + 40
    await call(fetchWithUsage, org, noMax); // same estimate before the first is learned? no: learned, reserves 10 + 40
    await usage.flush();
    const [status] = await usage.limits.status({ organization_id: "acme" });
    expect(status!.metrics[0]!.used).toBe(98);
    // Now the p90 of observed outputs (40) is the estimate: 98 + 50 > 100, refused.
    await expect(call(fetchWithUsage, org, noMax)).rejects.toMatchObject({ requested: 50, used: 98 });
    await usage.shutdown();
  });

  it("hierarchical rules: an organisation budget and a user budget both apply; the tighter refuses", async () => {
    const { usage, fetchWithUsage } = setup({
      rules: [
        { name: "org", key: ["organization_id"], window: "month", max: { tokens: 1000 }, action: "block" },
        { name: "user", key: ["organization_id", "user_id"], window: "day", max: { requests: 2 }, action: "block" },
      ],
    });
    await call(fetchWithUsage, org);
    await call(fetchWithUsage, org);
    await expect(call(fetchWithUsage, org)).rejects.toMatchObject({ rule: "user", metric: "requests", key: { organization_id: "acme", user_id: "u1" }, limit: 2, used: 2 });
    await call(fetchWithUsage, { ...org, "x-user-id": "u2" });
    await usage.flush();
    const statuses = await usage.limits.status({ organization_id: "acme", user_id: "u1" });
    expect(statuses.map((status) => [status.rule, status.metrics[0]!.used])).toEqual([
      ["org", 75],
      ["user", 2],
    ]);
    // A call without a user_id is under the organisation's rule only.
    expect((await usage.limits.status({ organization_id: "acme" })).map((status) => status.rule)).toEqual(["org"]);
    await usage.shutdown();
  });

  it("costUsd budgets count exact decimals (nano-USD), and the estimate is priced before the call", async () => {
    const prices = createPriceTable({ source: "t", models: { "m-1": { input: "100", output: "1000" } } });
    const { usage, fetchWithUsage } = setup({ rules: [{ name: "user-day", key: ["organization_id", "user_id"], window: "day", max: { costUsd: "0.05" }, action: "block" }] }, { prices });
    await call(fetchWithUsage, org); // 9 × 100/1M + 16 × 1000/1M = 0.0169
    await call(fetchWithUsage, org);
    await usage.flush();
    const refusal = (await call(fetchWithUsage, org).catch((error: unknown) => error)) as QuotaExceededError;
    expect(refusal).toMatchObject({ metric: "costUsd", limit: "0.05", used: "0.0338", reserved: "0", requested: "0.017" });
    const [status] = await usage.limits.status({ organization_id: "acme", user_id: "u1" });
    expect(status!.metrics[0]).toEqual({ metric: "costUsd", limit: "0.05", used: "0.0338", reserved: "0", remaining: "0.0162" });
    await usage.shutdown();
  });

  it("notify rules never refuse; thresholds at 50/80/100% are called once per window", async () => {
    const alerts: LimitThresholdAlert[] = [];
    // Events take their timestamps from the same clock as the windows: a new window seeds its counter
    // from the stored events inside it, which must not depend on the day the test runs.
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    vi.setSystemTime(Date.UTC(2026, 10, 29, 12));
    const { usage, fetchWithUsage, bodies } = setup({
      rules: [{ name: "feature-day", key: ["feature"], window: "day", max: { requests: 4 }, action: "notify" }],
      onThreshold: (alert) => alerts.push(alert),
      now: () => Date.now(),
    });
    const withFeature = { ...org, "x-feature": "chat" };
    for (let index = 0; index < 6; index += 1) {
      await call(fetchWithUsage, withFeature);
      await usage.flush();
    }
    expect(bodies).toHaveLength(6);
    expect(alerts.map((alert) => [alert.threshold, alert.used])).toEqual([
      [50, 2],
      [80, 4],
      [100, 4],
    ]);
    expect(alerts[0]).toMatchObject({ rule: "feature-day", key: { feature: "chat" }, metric: "requests", limit: 4, resetsAt: new Date(Date.UTC(2026, 10, 30)) });
    vi.setSystemTime(Date.UTC(2026, 10, 30, 1));
    for (let index = 0; index < 2; index += 1) {
      await call(fetchWithUsage, withFeature);
      await usage.flush();
    }
    expect(alerts.map((alert) => alert.threshold)).toEqual([50, 80, 100, 50]);
    await usage.shutdown();
  });

  it("resolveMax gives each tenant its plan, cached for its TTL", async () => {
    const lookups: string[] = [];
    const { usage, fetchWithUsage } = setup({
      rules: [{ name: "org", key: ["organization_id"], window: "month", max: { requests: 1 }, action: "block" }],
      resolveMax: async (_rule, dimensions) => {
        lookups.push(dimensions.organization_id!);
        return dimensions.organization_id === "acme" ? { requests: 3 } : null;
      },
    });
    for (let index = 0; index < 3; index += 1) await call(fetchWithUsage, org);
    await expect(call(fetchWithUsage, org)).rejects.toMatchObject({ limit: 3 });
    // null: no budget for this tenant.
    for (let index = 0; index < 5; index += 1) await call(fetchWithUsage, { "x-user-id": "u", "x-org-id": "free" });
    expect(lookups).toEqual(["acme", "free"]);
    await usage.shutdown();
  });

  it("a plan lookup that fails: the rule's own max applies and the failure goes to onError; a nonsense plan is reported, the call sent", async () => {
    let plan: () => Promise<{ costUsd?: string; requests?: number }> = () => Promise.reject(new Error("billing service down"));
    const { usage, fetchWithUsage, errors, bodies } = setup({
      rules: [{ name: "org", key: ["organization_id"], window: "month", max: { requests: 1 }, action: "block" }],
      resolveMax: () => plan(),
      resolveMaxTtlMs: 0,
    });
    await call(fetchWithUsage, org);
    await expect(call(fetchWithUsage, org)).rejects.toMatchObject({ limit: 1 });
    expect(errors.map((error) => (error as Error).message)).toEqual(["billing service down", "billing service down"]);
    plan = async () => ({ costUsd: "not money" });
    await expect(call(fetchWithUsage, org)).resolves.toBeDefined();
    expect(bodies).toHaveLength(2);
    expect((errors[2] as Error).message).toContain("Checking limits failed; the call is sent unchecked");
    await usage.shutdown();
  });

  it("a restart seeds the window's usage from storage, so a new instance does not reset the month", async () => {
    const storage = new MemoryStorage();
    const limits: LimitsOptions<Dims> = { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { tokens: 100 }, action: "block" }] };
    const first = setup(limits, { storage });
    await call(first.fetchWithUsage, org);
    await call(first.fetchWithUsage, org);
    await first.usage.shutdown();
    // Events of another month and another organisation are not this window's usage.
    await storage.write([createTestEvent({ dimensions: { organization_id: "acme" }, timestamp: "2020-01-15T00:00:00.000Z" }), createTestEvent({ dimensions: { organization_id: "globex" } })]);
    const second = setup(limits, { storage });
    const [status] = await second.usage.limits.status({ organization_id: "acme" });
    expect(status!.metrics[0]).toMatchObject({ used: 50, reserved: 0 });
    await call(second.fetchWithUsage, org);
    await expect(call(second.fetchWithUsage, org)).rejects.toMatchObject({ used: 75 });
    await second.usage.shutdown();
  });

  it("the month rolls over at local midnight in the configured time zone", async () => {
    // 23:30 on 30 November in Los Angeles is 07:30 UTC on 1 December. Events share the windows' clock (see above).
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    vi.setSystemTime(Date.UTC(2026, 11, 1, 7, 30));
    const { usage, fetchWithUsage } = setup({ rules: [{ name: "org", key: ["organization_id"], window: "month", max: { requests: 1 }, action: "block" }], timeZone: "America/Los_Angeles", now: () => Date.now() });
    await call(fetchWithUsage, org);
    const refusal = (await call(fetchWithUsage, org).catch((error: unknown) => error)) as QuotaExceededError;
    expect(refusal.resetsAt).toEqual(new Date(Date.UTC(2026, 11, 1, 8)));
    vi.setSystemTime(Date.UTC(2026, 11, 1, 8)); // midnight, 1 December, in Los Angeles
    await call(fetchWithUsage, org);
    const [status] = await usage.limits.status({ organization_id: "acme" });
    expect(status!.window).toEqual({ id: "2026-12", start: new Date(Date.UTC(2026, 11, 1, 8)), resetsAt: new Date(Date.UTC(2027, 0, 1, 8)) });
    await usage.shutdown();
  });

  it("a rolling window lets usage leave it bucket by bucket", async () => {
    let now = Date.UTC(2026, 10, 29, 12);
    const { usage, fetchWithUsage } = setup({ rules: [{ name: "hour", key: ["organization_id"], window: { rolling: "1h" }, max: { requests: 2 }, action: "block" }], now: () => now });
    // Each call settles (flush) before the clock moves on, as it would while real time passes.
    const settled = async () => {
      await call(fetchWithUsage, org);
      await usage.flush();
    };
    await settled();
    now += 30 * 60_000;
    await settled();
    await expect(call(fetchWithUsage, org)).rejects.toMatchObject({ used: 2 });
    now += 31 * 60_000; // the first call left the window
    await settled();
    const refusal = (await call(fetchWithUsage, org).catch((error: unknown) => error)) as QuotaExceededError;
    expect(refusal).toMatchObject({ used: 2, resetsAt: new Date(now + 3_600_000) });
    await usage.shutdown();
  });

  it("the per-request output cap is written into the outgoing body, and the reservation follows it", async () => {
    const { usage, fetchWithUsage, bodies } = setup({ rules: [{ name: "org", key: ["organization_id"], window: "month", max: { tokens: 1000 }, action: "block" }], maxOutputTokens: (dimensions) => (dimensions.organization_id === "acme" ? 8 : null) });
    await call(fetchWithUsage, org, { model: "m-1", messages: [{ role: "user", content: "hello" }], max_tokens: 500 });
    await call(fetchWithUsage, org, { model: "m-1", messages: [{ role: "user", content: "hello" }] });
    await call(fetchWithUsage, org, { model: "m-1", messages: [{ role: "user", content: "hello" }], max_tokens: 4 });
    await call(fetchWithUsage, { "x-user-id": "u", "x-org-id": "big" }, { model: "m-1", messages: [{ role: "user", content: "hello" }], max_tokens: 500 });
    expect(bodies.map((body) => (JSON.parse(body) as ChatBody).max_tokens)).toEqual([8, 8, 4, 500]);
    await usage.shutdown();
  });

  it("unattributed calls are counted under UNATTRIBUTED, or refused when configured", async () => {
    const counted = setup({ rules: [{ name: "org", key: ["organization_id"], window: "month", max: { requests: 1 }, action: "block" }] }, { requiredDimensions: ["organization_id"] });
    await call(counted.fetchWithUsage, { "x-user-id": "u1" });
    await expect(call(counted.fetchWithUsage, { "x-user-id": "u2" })).rejects.toMatchObject({ key: { organization_id: UNATTRIBUTED } });
    await counted.usage.shutdown();

    const blocked = setup({ rules: [], unattributed: "block" }, { requiredDimensions: ["organization_id"] });
    const refusal = (await call(blocked.fetchWithUsage, { "x-user-id": "u1" }).catch((error: unknown) => error)) as QuotaExceededError;
    expect(QuotaExceededError.isInstance(refusal)).toBe(true);
    expect(refusal).toMatchObject({ reason: "unattributed", key: { organization_id: UNATTRIBUTED } });
    expect(blocked.bodies).toHaveLength(0);
    await call(blocked.fetchWithUsage, org);
    expect(blocked.bodies).toHaveLength(1);
    await blocked.usage.shutdown();
  });

  it("a failed call that billed nothing gives its reservation back; usage.track() counts toward units budgets", async () => {
    const { usage, fetchWithUsage } = setup({
      rules: [
        { name: "requests", key: ["organization_id"], window: "month", max: { requests: 1 }, action: "block" },
        { name: "images", key: ["organization_id"], window: "month", max: { units: { images: 3 } }, action: "block" },
      ],
    });
    await expect(call(fetchWithUsage, org, { model: "overloaded", messages: [] })).resolves.toEqual({ error: "overloaded" });
    await usage.flush();
    expect((await usage.limits.status({ organization_id: "acme" }))[0]!.metrics[0]).toMatchObject({ used: 0, reserved: 0 });
    await call(fetchWithUsage, org);
    await expect(call(fetchWithUsage, org)).rejects.toMatchObject({ rule: "requests" });
    await usage.flush();
    // A tracked image batch counts toward the images budget.
    await usage.track({ dimensions: { user_id: "u1", organization_id: "acme" }, units: { images: 2 } });
    await usage.flush();
    const statuses = await usage.limits.status({ organization_id: "acme" });
    expect(statuses.map((status) => [status.rule, status.metrics[0]!.used])).toEqual([
      ["requests", 1],
      ["images", 2],
    ]);
    await usage.shutdown();
  });

  it("a call held back only by calls that already ended is admitted once they are recorded, without waiting for their batch", async () => {
    const recorded: string[] = [];
    const { usage, fetchWithUsage, bodies } = setup(
      { rules: [{ name: "requests", key: ["organization_id"], window: "month", max: { requests: 1 }, action: "block" }] },
      { onEvent: (event) => void recorded.push(event.status) },
    );
    // No timer fires from here on: neither the batch's nor the enforcer's wait between attempts.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTestFinished(() => void vi.useRealTimers());
    // It ended (503, nothing billed) but its event waits for the batch: its reservation still holds the one request.
    await expect(call(fetchWithUsage, org, { model: "overloaded", messages: [] })).resolves.toEqual({ error: "overloaded" });
    expect(recorded).toEqual([]);
    await expect(call(fetchWithUsage, org)).resolves.toEqual({ usage: { in: 9, out: 16 } });
    expect(recorded).toEqual(["error"]);
    expect(bodies).toHaveLength(2);
    vi.useRealTimers();
    await usage.shutdown();
  });

  it("a reservation whose holder never settles expires after its TTL instead of pinning the budget", async () => {
    const store = new MemoryQuotaStore();
    let now = Date.UTC(2026, 10, 29, 12);
    const limits: LimitsOptions<Dims> = { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { requests: 1 }, action: "block" }], store, now: () => now, reservationTtlMs: 60_000, maxWaitMs: 20 };
    const { usage, fetchWithUsage } = setup(limits);
    // A response never read: its event is never recorded, so its reservation is never settled.
    const unread = await fetchWithUsage(URL_, { method: "POST", headers: { "content-type": "application/json", ...org }, body: JSON.stringify({ model: "m-1", messages: [] }) });
    expect(unread.status).toBe(200);
    // Room after settlement, but a reservation in flight: the call waits (20 ms here), then is refused.
    await expect(call(fetchWithUsage, org)).rejects.toMatchObject({ used: 0, reserved: 1 });
    now += 60_001;
    await expect(call(fetchWithUsage, org)).resolves.toBeDefined();
    await unread.body?.cancel();
    await usage.shutdown();
  });
});

describe("limits after a restart, in a rolling window", () => {
  it("a restarted instance never forgets a call before the live one does, nor holds one two hours", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    const minute = 60_000;
    const limits: LimitsOptions<Dims> = { rules: [{ name: "hour", key: ["organization_id"], window: { rolling: "1h" }, max: { requests: 1_000 }, action: "notify" }], now: () => Date.now() };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 }), async (gaps, checks) => {
        vi.setSystemTime(Date.UTC(2026, 10, 29, 10, 7, 13));
        const storage = new MemoryStorage();
        const live = setup(limits, { storage });
        const calls: number[] = [];
        for (const gap of gaps) {
          vi.setSystemTime(Date.now() + gap * minute);
          calls.push(Date.now());
          await call(live.fetchWithUsage, org);
          await live.usage.flush();
        }
        const restarted = setup(limits, { storage });
        const used = async (instance: ReturnType<typeof setup>) => (await instance.usage.limits.status({ organization_id: "acme" }))[0]!.metrics[0]!.used as number;
        for (const check of [0, ...checks]) {
          vi.setSystemTime(Date.now() + check * minute);
          const [counted, seeded] = [await used(live), await used(restarted)];
          // Storage tells a call's hour, not its minute: the restarted count may hold a call up to an hour
          // longer than the live one, never drop it sooner (a budget must not reopen because of a restart).
          expect(seeded).toBeGreaterThanOrEqual(counted);
          expect(seeded).toBeLessThanOrEqual(calls.filter((at) => at > Date.now() - 120 * minute).length);
        }
        await Promise.all([live.usage.shutdown(), restarted.usage.shutdown()]);
      }),
      { numRuns: 40 },
    );
  });
});

describe("limits after a restart, in calendar windows", () => {
  it("a restarted instance counts exactly what the live one counted: tokens, requests and cost, failed calls included", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    const prices = createPriceTable({ source: "t", models: { "m-1": { input: "0.15", output: "0.6" } } });
    const limits: LimitsOptions<Dims> = {
      rules: [
        { name: "org-month", key: ["organization_id"], window: "month", max: { tokens: 10_000_000, requests: 100_000, costUsd: "1000" }, action: "notify" },
        { name: "user-day", key: ["organization_id", "user_id"], window: "day", max: { tokens: 10_000_000, requests: 100_000, costUsd: "1000" }, action: "notify" },
      ],
      now: () => Date.now(),
    };
    const step = fc.record({ gapMinutes: fc.integer({ min: 0, max: 600 }), user: fc.constantFrom("u1", "u2"), failing: fc.boolean(), characters: fc.nat({ max: 400 }), maxTokens: fc.integer({ min: 1, max: 300 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        vi.setSystemTime(Date.UTC(2026, 10, 29, 20, 0, 0));
        const storage = new MemoryStorage();
        const live = setup(limits, { storage, prices });
        for (const { gapMinutes, user, failing, characters, maxTokens } of steps) {
          vi.setSystemTime(Date.now() + gapMinutes * 60_000);
          const body = { model: failing ? "overloaded" : "m-1", messages: [{ role: "user", content: "x".repeat(characters) }], max_tokens: maxTokens };
          await call(live.fetchWithUsage, { "x-user-id": user, "x-org-id": "acme" }, body).catch(() => undefined);
        }
        await live.usage.flush();
        const restarted = setup(limits, { storage, prices });
        for (const user of ["u1", "u2"]) {
          const dimensions = { organization_id: "acme", user_id: user };
          expect(await restarted.usage.limits.status(dimensions)).toEqual(await live.usage.limits.status(dimensions));
        }
        await Promise.all([live.usage.shutdown(), restarted.usage.shutdown()]);
      }),
      { numRuns: 60 },
    );
  });
});

describe("no limits configured", () => {
  it("usage.limits.status() is empty and calls pass untouched", async () => {
    const storage = new MemoryStorage();
    const usage = new UsagePilot<Dims>({ storage, providers: [chatAdapter] });
    expect(await usage.limits.status({ organization_id: "acme" })).toEqual([]);
    await usage.shutdown();
  });
});
