import { UNATTRIBUTED } from "../dimensions/resolve-dimensions";
import { QuotaExceededError } from "../errors/quota-exceeded-error";
import { QuotaStoreError } from "../errors/quota-store-error";
import type { Dimensions } from "../event/usage-event";
import type { UsageEventV1 } from "../event/usage-event-v1";
import type { PriceBookV1 } from "../price/price-book";
import type { ProviderCallV1, RequestBodyV1 } from "../provider/provider-adapter-v1";
import type { UsageQueryRow } from "../storage/usage-query";
import type { UsageStorage } from "../storage/usage-storage";
import type { TokenizerInput, TokenizerV1 } from "../tokenizer/tokenizer-v1";
import { isPromiseLike } from "../util/is-promise-like";
import { calendarWindow, type CalendarWindow } from "./calendar-window";
import type { LimitMax, LimitRule } from "./limit-rule";
import type { LimitMetric } from "./limit-metric";
import type { LimitStatus } from "./limit-status";
import type { LimitsOptions } from "./limits-options";
import { MemoryQuotaStore } from "./memory-quota-store";
import { OutputEstimator } from "./output-estimator";
import { parseDuration } from "./parse-duration";
import type { QuotaCounterStateV1, QuotaCounterV1, QuotaEntryV1, QuotaStoreV1 } from "./quota-store-v1";
import { nanosToUsd, usdToNanos } from "./usd-nanos";

/** What a call admitted by the limits carries to its end. */
export interface LimitAdmission {
  /** A body to send instead of the caller's (the output cap was written into it), else undefined. */
  readonly body: unknown;
  /** Settles the reservation to the call's recorded event. Never throws. */
  settle(event: UsageEventV1): void;
}

/** A rule made ready once: its window parsed, its thresholds defaulted. */
interface PreparedRule {
  rule: LimitRule;
  window: { kind: "day" | "month" } | { kind: "rolling"; windowMs: number; bucketMs: number };
  thresholds: readonly number[];
}

/** One counter of one applicable rule, with the facts a refusal or a status needs. */
interface CounterPlan {
  prepared: PreparedRule;
  key: Record<string, string>;
  metric: LimitMetric;
  counter: QuotaCounterV1;
  windowId: string;
  start: number;
  resetsAt: number;
}

/** A call's usage in counter units: tokens, requests, nano-USD and units. */
interface Amounts {
  tokens: number;
  requests: number;
  costNanos: number;
  units: Readonly<Record<string, number>>;
}

/** About 4 characters of English text make a token (OpenAI's rule of thumb); used when no tokenizer can count. */
const charactersPerToken = 4;
const noAdmission: LimitAdmission = { body: undefined, settle() {} };
// A rolling window is seeded from hourly groups of stored events.
const hourMs = 3_600_000;

/**
 * Checks and reserves budgets before a call, settles them after, and reports where tenants stand. One
 * per `UsagePilot` with `limits`; the metered fetch calls `admit` only when it exists.
 */
export class LimitEnforcer {
  private readonly options: LimitsOptions;
  private readonly store: QuotaStoreV1;
  private readonly rules: readonly PreparedRule[];
  private readonly timeZone: string;
  private readonly now: () => number;
  private readonly estimator = new OutputEstimator();
  private readonly maxCache = new Map<string, { expiresAt: number; max: LimitMax | null | Promise<LimitMax | null> }>();
  private readonly seeding = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  /** The current day and month windows: Intl formatting costs tens of µs, a window lasts a day or more. */
  private readonly windows: { day?: CalendarWindow; month?: CalendarWindow } = {};

  constructor(
    options: LimitsOptions,
    private readonly context: {
      storage: UsageStorage;
      prices: PriceBookV1 | undefined;
      tokenizer: TokenizerV1 | undefined;
      reportError: (error: unknown) => void;
      /** Records the calls that ended but wait for their batch (their reservations settle then); returns how many. */
      recordEnded: () => number;
    },
  ) {
    this.options = options;
    this.store = options.store ?? new MemoryQuotaStore();
    this.timeZone = options.timeZone ?? "UTC";
    this.now = options.now ?? Date.now;
    // A wrong time zone or duration fails at construction, not on the first call.
    calendarWindow("day", this.timeZone, this.now());
    const names = new Set<string>();
    this.rules = options.rules.map((rule) => {
      if (names.has(rule.name)) throw new TypeError(`Two limit rules are named "${rule.name}"; names identify their counters`);
      names.add(rule.name);
      const window: PreparedRule["window"] =
        typeof rule.window === "string" ? { kind: rule.window } : { kind: "rolling", windowMs: parseDuration(rule.window.rolling), bucketMs: Math.max(1, Math.ceil(parseDuration(rule.window.rolling) / 60)) };
      // A budget that cannot be counted exactly fails here, not on the first call.
      if (rule.max.costUsd !== undefined) usdToNanos(rule.max.costUsd);
      return { rule, window, thresholds: rule.thresholds ?? (rule.action === "notify" ? [50, 80, 100] : []) };
    });
  }

  /**
   * Before a call leaves: caps its output, estimates its usage and reserves it on every applicable
   * budget. Rejects with `QuotaExceededError` (or, failing closed, `QuotaStoreError`) to refuse it.
   */
  async admit(request: { call: ProviderCallV1; body: RequestBodyV1; prepared: unknown; dimensions: Dimensions }): Promise<LimitAdmission> {
    const { call, dimensions } = request;
    if (this.options.unattributed === "block") this.refuseUnattributed(dimensions);
    const json = request.prepared ?? request.body.json();
    const { body, outputMax } = this.capOutput(call, json, dimensions);
    const applicable = this.applicable(dimensions);
    if (applicable.length === 0) return body === undefined ? noAdmission : { body, settle() {} };

    const now = this.now();
    const model = safely(() => call.requestedModel(json), null);
    const kind = `${dimensions[this.options.estimateBy ?? "feature"] ?? ""}\u0000${call.provider}\u0000${model ?? ""}`;
    const estimate = this.estimate(call, json, request.body.text, model, outputMax, kind, dimensions, now);
    const planned = this.plan(applicable, now);
    const plans = isPromiseLike(planned) ? await planned : planned;
    if (plans.length === 0) return body === undefined ? noAdmission : { body, settle() {} };
    const entries = plans.map((plan) => ({ counter: plan.counter, amount: amountOf(plan.metric, estimate) }));
    const reservationId = crypto.randomUUID();

    await this.reserve(reservationId, plans, entries, estimate);
    return {
      body,
      settle: (event) => {
        if (event.usage !== null && event.status === "ok") this.estimator.observe(kind, event.usage.outputTokens);
        // A call let through unchecked while the store was down settles too: if the store is back and
        // kept its counters, its usage counts there; a store that came back empty seeds it from storage.
        this.settleEntries(reservationId, plans, actualAmounts(event, estimate), now);
      },
    };
  }

  /** Usage recorded without a call through the metered fetch (`usage.track()`): counted, never refused. */
  /**
   * Counts usage recorded with `track()`. Call it before the event is buffered: counters never seen are
   * seeded from storage first, and the event is then added once, so it is neither lost nor counted twice.
   */
  account(event: UsageEventV1): Promise<void> {
    const applicable = this.applicable(event.dimensions);
    if (applicable.length === 0) return Promise.resolve();
    const now = this.now();
    // Tracked usage is not a provider request, so it counts toward every metric but requests.
    const amounts = { ...actualAmounts(event, { tokens: 0, requests: 0, costNanos: 0, units: {} }), requests: 0 };
    const work = (async () => {
      const plans = await this.plan(applicable, now);
      await this.seededStates(plans, now);
      this.settleEntries(crypto.randomUUID(), plans, amounts, now);
    })().catch((error: unknown) => {
      // The usage happened: whatever the store policy, it is recorded and the failure only reported.
      this.context.reportError(new QuotaStoreError({ policy: this.options.onStoreUnavailable ?? "failOpen", operation: "settle", cause: error }));
    });
    this.track(work);
    return work;
  }

  /** Where these dimensions stand against every rule that applies to them. */
  async status(dimensions: Dimensions): Promise<LimitStatus[]> {
    const now = this.now();
    const plans = await this.plan(this.applicable(dimensions), now);
    const states = await this.seededStates(plans, now);
    const byRule = new Map<string, LimitStatus>();
    plans.forEach((plan, index) => {
      const state = states[index]!;
      let status = byRule.get(plan.prepared.rule.name);
      if (!status) {
        status = { rule: plan.prepared.rule.name, action: plan.prepared.rule.action, key: plan.key, window: { id: plan.windowId, start: new Date(plan.start), resetsAt: new Date(plan.resetsAt) }, metrics: [] };
        byRule.set(plan.prepared.rule.name, status);
      }
      const remaining = Math.max(0, plan.counter.limit - state.used - state.reserved);
      const show = (value: number) => (plan.metric === "costUsd" ? nanosToUsd(value) : value);
      status.metrics.push({ metric: plan.metric, limit: show(plan.counter.limit), used: show(state.used), reserved: show(state.reserved), remaining: show(remaining) });
    });
    return [...byRule.values()];
  }

  /** Resolves when every settlement started so far has reached the store. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  private refuseUnattributed(dimensions: Dimensions): void {
    const missing = Object.keys(dimensions).filter((key) => dimensions[key] === UNATTRIBUTED);
    if (missing.length === 0) return;
    throw new QuotaExceededError({
      reason: "unattributed",
      rule: "unattributed",
      key: Object.fromEntries(missing.map((key) => [key, UNATTRIBUTED])),
      metric: null,
      limit: 0,
      used: 0,
      reserved: 0,
      requested: 0,
      resetsAt: null,
      message: `A call without the required dimension${missing.length === 1 ? "" : "s"} ${missing.map((key) => `"${key}"`).join(", ")} was refused before sending (limits.unattributed: "block").`,
    });
  }

  private capOutput(call: ProviderCallV1, json: unknown, dimensions: Dimensions): { body: unknown; outputMax: number | null } {
    const hook = call.outputTokens;
    if (!hook) return { body: undefined, outputMax: null };
    const requested = safely(() => hook.requested(json), null);
    const setting = this.options.maxOutputTokens;
    const cap = typeof setting === "function" ? safely(() => setting(dimensions), null) : setting;
    if (cap === null || cap === undefined || (requested !== null && requested <= cap)) return { body: undefined, outputMax: requested };
    try {
      return { body: hook.cap(json, cap), outputMax: cap };
    } catch (error) {
      this.context.reportError(error);
      return { body: undefined, outputMax: requested };
    }
  }

  /** The rules whose key dimensions the call has, with their key values. */
  private applicable(dimensions: Dimensions): { prepared: PreparedRule; key: Record<string, string> }[] {
    const found: { prepared: PreparedRule; key: Record<string, string> }[] = [];
    for (const prepared of this.rules) {
      const key: Record<string, string> = {};
      let complete = true;
      for (const name of prepared.rule.key) {
        const value = dimensions[name];
        if (value === undefined) {
          complete = false;
          break;
        }
        key[name] = value;
      }
      if (complete) found.push({ prepared, key });
    }
    return found;
  }

  private estimate(call: ProviderCallV1, json: unknown, text: string | undefined, model: string | null, outputMax: number | null, kind: string, dimensions: Dimensions, now: number): Amounts {
    const input = call.countableInput ? safely(() => call.countableInput!(json), null) : null;
    let inputTokens: number | undefined;
    if (input !== null && model !== null && this.context.tokenizer) {
      inputTokens = safely(() => this.context.tokenizer!.count({ provider: call.provider, model, input })?.tokens, undefined);
    }
    inputTokens ??= Math.ceil((input === null ? (text?.length ?? 0) : countableLength(input)) / charactersPerToken);
    const outputTokens = outputMax ?? this.estimator.estimate(kind) ?? this.options.defaultOutputTokens ?? 256;
    let costNanos = 0;
    if (this.context.prices) {
      const cost = safely(
        () =>
          this.context.prices!.price({
            schemaVersion: 1,
            id: "estimate",
            timestamp: new Date(now).toISOString(),
            dimensions,
            provider: call.provider,
            operation: call.operation,
            model,
            usage: { inputTokens, outputTokens, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
            units: {},
            accuracy: "estimated",
            status: "ok",
            streamed: false,
            latencyMs: 0,
            providerRequestId: null,
          }),
        null,
      );
      // An unpriced model is not reserved in cost: its events carry no cost either (null, never 0 spent).
      if (cost) costNanos = safely(() => usdToNanos(cost.amount), 0);
    }
    const units = call.requestedUnits ? (safely(() => call.requestedUnits!(json), null) ?? {}) : {};
    return { tokens: inputTokens + outputTokens, requests: 1, costNanos, units };
  }

  /** The counters of the applicable rules at `now`, with each tenant's budget. */
  private plan(applicable: readonly { prepared: PreparedRule; key: Record<string, string> }[], now: number): Promise<CounterPlan[]> | CounterPlan[] {
    const maxes = applicable.map(({ prepared, key }) => this.maxFor(prepared.rule, key, now));
    const build = (resolved: readonly (LimitMax | null)[]) => applicable.flatMap(({ prepared, key }, index) => this.counters(prepared, key, resolved[index] ?? null, now));
    return maxes.some(isPromiseLike) ? Promise.all(maxes).then(build) : build(maxes as (LimitMax | null)[]);
  }

  private maxFor(rule: LimitRule, key: Record<string, string>, now: number): LimitMax | null | Promise<LimitMax | null> {
    const resolve = this.options.resolveMax;
    if (!resolve) return rule.max;
    const cacheKey = `${rule.name}\u0000${rule.key.map((name) => key[name]).join("\u0000")}`;
    const cached = this.maxCache.get(cacheKey);
    if (cached && cached.expiresAt > now) return cached.max;
    const max = Promise.resolve()
      .then(() => resolve(rule, key))
      .then(
        (value) => {
          this.maxCache.set(cacheKey, { expiresAt: now + (this.options.resolveMaxTtlMs ?? 60_000), max: value });
          return value;
        },
        (error: unknown) => {
          // A plan lookup that fails is not cached, and the rule's own max applies meanwhile.
          this.maxCache.delete(cacheKey);
          this.context.reportError(error);
          return rule.max;
        },
      );
    this.maxCache.set(cacheKey, { expiresAt: now + (this.options.resolveMaxTtlMs ?? 60_000), max });
    return max;
  }

  private counters(prepared: PreparedRule, key: Record<string, string>, max: LimitMax | null, now: number): CounterPlan[] {
    if (max === null) return [];
    const { rule, window } = prepared;
    let windowId: string;
    let start: number;
    let resetsAt: number;
    let counterWindow: QuotaCounterV1["window"];
    if (window.kind === "rolling") {
      windowId = "rolling";
      start = now - window.windowMs;
      resetsAt = now + window.windowMs;
      counterWindow = { kind: "rolling", windowMs: window.windowMs, bucketMs: window.bucketMs };
    } else {
      const calendar = this.calendar(window.kind, now);
      windowId = calendar.id;
      start = calendar.start;
      resetsAt = calendar.end;
      counterWindow = { kind: "calendar", end: calendar.end };
    }
    const keyPart = rule.key.map((name) => encodeURIComponent(key[name]!)).join(",");
    const metrics: [LimitMetric, number][] = [];
    if (max.tokens !== undefined) metrics.push(["tokens", max.tokens]);
    if (max.requests !== undefined) metrics.push(["requests", max.requests]);
    if (max.costUsd !== undefined) metrics.push(["costUsd", usdToNanos(max.costUsd)]);
    for (const [unit, limit] of Object.entries(max.units ?? {})) metrics.push([`units.${unit}`, limit]);
    return metrics.map(([metric, limit]) => ({
      prepared,
      key,
      metric,
      windowId,
      start,
      resetsAt,
      // The window id is part of the counter's id: a new day or month starts from a fresh counter.
      counter: { id: `${encodeURIComponent(rule.name)}:${metric}:${keyPart}:${windowId}`, limit, block: rule.action === "block", window: counterWindow },
    }));
  }

  private calendar(kind: "day" | "month", now: number): CalendarWindow {
    let window = this.windows[kind];
    if (!window || now < window.start || now >= window.end) {
      window = calendarWindow(kind, this.timeZone, now);
      this.windows[kind] = window;
    }
    return window;
  }

  /**
   * Reserves, seeding counters never seen and waiting while only reservations in flight stand in the way.
   * True once reserved; false when the store failed and the policy let the call through.
   */
  private async reserve(reservationId: string, plans: readonly CounterPlan[], entries: readonly QuotaEntryV1[], estimate: Amounts): Promise<boolean> {
    const ttlMs = this.options.reservationTtlMs ?? 900_000;
    const deadline = performance.now() + (this.options.maxWaitMs ?? 30_000);
    let delay = 1;
    for (;;) {
      let result;
      try {
        const pending = this.store.reserve({ reservationId, now: this.now(), ttlMs, entries });
        result = isPromiseLike(pending) ? await pending : pending;
      } catch (error) {
        return this.storeFailed("reserve", error);
      }
      if (result.outcome === "reserved") return true;
      if (result.outcome === "unseeded") {
        try {
          await Promise.all(result.indexes.map((index) => this.seed(plans[index]!)));
        } catch (error) {
          return this.storeFailed("seed", error);
        }
        continue;
      }
      if (result.outcome === "pending" && performance.now() < deadline) {
        // The budget has room once calls in flight settle. Those that already ended settle as soon as they
        // are recorded, so record them now rather than wait for their batch; then wait for the others.
        if (this.context.recordEnded() > 0) continue;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 50);
        continue;
      }
      const plan = plans[result.index]!;
      const show = (value: number) => (plan.metric === "costUsd" ? nanosToUsd(value) : value);
      throw new QuotaExceededError({
        rule: plan.prepared.rule.name,
        key: plan.key,
        metric: plan.metric,
        limit: show(plan.counter.limit),
        used: show(result.used),
        reserved: show(result.reserved),
        requested: show(amountOf(plan.metric, estimate)),
        resetsAt: new Date(plan.resetsAt),
      });
    }
  }

  private storeFailed(operation: string, cause: unknown): false {
    const policy = this.options.onStoreUnavailable ?? "failOpen";
    const error = new QuotaStoreError({ policy, operation: operation === "seed" ? "reserve" : operation, cause });
    if (policy === "failClosed") throw error;
    this.context.reportError(error);
    return false;
  }

  /** The counters' states, after seeding from storage the ones the store has not seen yet. */
  private async seededStates(plans: readonly CounterPlan[], now: number): Promise<readonly QuotaCounterStateV1[]> {
    const counters = plans.map((plan) => plan.counter);
    const states = await this.store.read({ now, counters });
    const unseeded = states.flatMap((state, index) => (state.seeded ? [] : [index]));
    if (unseeded.length === 0) return states;
    await Promise.all(unseeded.map((index) => this.seed(plans[index]!)));
    return this.store.read({ now, counters });
  }

  /** Seeds a counter from storage: what the window's stored events add up to, set-if-absent in the store. */
  private seed(plan: CounterPlan): Promise<void> {
    const id = plan.counter.id;
    let seeding = this.seeding.get(id);
    if (!seeding) {
      seeding = this.querySeed(plan).finally(() => this.seeding.delete(id));
      this.seeding.set(id, seeding);
    }
    return seeding;
  }

  private async querySeed(plan: CounterPlan): Promise<void> {
    const now = this.now();
    let rows: UsageQueryRow[] = [];
    if (this.context.storage.query) {
      rows = await this.context.storage.query({
        from: new Date(plan.start),
        to: new Date(now + 1),
        where: plan.key,
        groupBy: ["status"],
        granularity: plan.counter.window.kind === "rolling" ? "hour" : "total",
      });
    }
    // Storage tells a call's hour, not its minute: a rolling window's usage is placed at the end of its
    // hour (or now), so it leaves the window no sooner than the calls did — at the hour's start it left up to
    // an hour early, and a restart reopened a budget within minutes.
    const amounts = rows.map((row) => ({ at: row.period === null ? now : Math.min(now, Date.parse(row.period) + hourMs - 1), amount: storedAmount(plan.metric, row) }));
    await this.store.seed({ now, counter: plan.counter, amounts });
  }

  private settleEntries(reservationId: string, plans: readonly CounterPlan[], amounts: Amounts, at: number): void {
    if (plans.length === 0) return;
    const entries = plans.map((plan) => ({ counter: plan.counter, amount: amountOf(plan.metric, amounts), thresholds: plan.prepared.thresholds }));
    const report = (crossings: readonly { index: number; threshold: number; used: number }[]) => {
      const onThreshold = this.options.onThreshold;
      if (!onThreshold) return;
      for (const crossing of crossings) {
        const plan = plans[crossing.index];
        if (!plan) continue;
        const show = (value: number) => (plan.metric === "costUsd" ? nanosToUsd(value) : value);
        try {
          onThreshold({ rule: plan.prepared.rule.name, key: plan.key, metric: plan.metric, threshold: crossing.threshold, limit: show(plan.counter.limit), used: show(crossing.used), resetsAt: new Date(plan.resetsAt) });
        } catch (error) {
          this.context.reportError(error);
        }
      }
    };
    const failed = (error: unknown) => this.context.reportError(new QuotaStoreError({ policy: this.options.onStoreUnavailable ?? "failOpen", operation: "settle", cause: error }));
    try {
      const result = this.store.settle({ reservationId, now: this.now(), at, entries });
      if (isPromiseLike(result)) this.track(Promise.resolve(result).then(report, failed));
      else report(result);
    } catch (error) {
      failed(error);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.context.reportError(error)).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

function amountOf(metric: LimitMetric, amounts: Amounts): number {
  switch (metric) {
    case "tokens":
      return amounts.tokens;
    case "requests":
      return amounts.requests;
    case "costUsd":
      return amounts.costNanos;
    default:
      return amounts.units[metric.slice("units.".length)] ?? 0;
  }
}

/**
 * What a recorded call used. Unknown is not zero: a call whose usage was not measured keeps its estimate;
 * a failed call that reported nothing billed nothing, so it gives everything back.
 */
function actualAmounts(event: UsageEventV1, estimate: Amounts): Amounts {
  const billedNothing = event.status === "error" && event.usage === null && event.cost === null && Object.keys(event.units).length === 0;
  if (billedNothing) return { tokens: 0, requests: 0, costNanos: 0, units: {} };
  const usage = event.usage;
  return {
    tokens: usage === null ? estimate.tokens : usage.inputTokens + usage.outputTokens,
    requests: 1,
    costNanos: event.cost ? safely(() => usdToNanos(event.cost!.amount), 0) : usage === null ? estimate.costNanos : 0,
    units: event.units,
  };
}

/** A metric's amount in a stored group of events (the seed of a counter). */
function storedAmount(metric: LimitMetric, row: UsageQueryRow): number {
  switch (metric) {
    case "tokens":
      return (row.inputTokens ?? 0) + (row.outputTokens ?? 0);
    case "requests":
      // As settlement counts them: a failed call that reported nothing gave its request back.
      return row.group.status === "error" ? row.events - row.unmeasuredEvents : row.events;
    case "costUsd":
      return row.costUsd === null ? 0 : usdToNanos(row.costUsd);
    default:
      return row.units[metric.slice("units.".length)] ?? 0;
  }
}

function countableLength(input: TokenizerInput): number {
  if (typeof input === "string") return input.length;
  let length = (input.system?.length ?? 0) + (input.tools?.length ?? 0);
  for (const message of input.messages) length += message.content.length + message.role.length + (message.name?.length ?? 0);
  return length;
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
