import type { StandardSchemaV1 } from "@standard-schema/spec";
import { BatchWriter, type BatchWriterStats } from "./batch/batch-writer";
import { createDeferredWork, type DeferredWork } from "./batch/deferred-work";
import { createDimensionContext, type DimensionContext } from "./context/dimension-context";
import { type DimensionPolicy, type DimensionsInput, type ResolvedDimensions, resolveDimensions } from "./dimensions/resolve-dimensions";
import { InvalidUsageEventError } from "./errors/invalid-usage-event-error";
import { MeteringError } from "./errors/metering-error";
import { createEventId } from "./event/create-event-id";
import type { Dimensions, TokenUsage, UsageEvent } from "./event/usage-event";
import { validateUsageEvent } from "./event/validate-usage-event";
import { type CreateFetchOptions, createMeteredFetch, type FetchFunction, type MeteredRequest } from "./fetch/create-metered-fetch";
import type { CapturedEvent, MeteringEngine } from "./fetch/metering-engine";
import { parseDecimal, formatDecimal } from "./price/decimal";
import type { PriceBookV1 } from "./price/price-book";
import type { ProviderAdapterV1 } from "./provider/provider-adapter-v1";
import type { TokenizerV1 } from "./tokenizer/tokenizer-v1";
import { UnknownPriceError } from "./errors/unknown-price-error";
import type { UsageQuery, UsageQueryRow } from "./storage/usage-query";
import type { UsageStorage } from "./storage/usage-storage";
import { isPromiseLike } from "./util/is-promise-like";
import { LimitEnforcer } from "./limits/limit-enforcer";
import type { LimitsOptions } from "./limits/limits-options";
import type { SpoolV1 } from "./spool/spool-v1";
import type { AlertV1 } from "./alerts/alert-v1";
import type { AlertsOptions } from "./alerts/alerts-options";
import { type AnomalyDetector, createAnomalyDetector } from "./alerts/anomaly-detector";
import { type AlertDispatcher, createAlertDispatcher } from "./alerts/create-alert-dispatcher";
import { thresholdAlert } from "./alerts/threshold-alert";
import type { UsageLimits } from "./limits/usage-limits";

// How long a captured call waits to be recorded, so calls are recorded in batches (DeferredWork): long
// enough that a busy process records many at once on warm code (10 ms cost ~2 points of the interception
// bench), short beside the writer's flushInterval, so stored events are not later for it.
const recordDelayMs = 100;
// With a spool a captured call survives a crash only once recorded (and synced): it waits less.
const spooledRecordDelayMs = 10;

/** Options of `UsagePilot`. */
export interface UsagePilotOptions<D extends Dimensions> {
  /** Where events go. `MemoryStorage` for tests; `PostgresStorage` for real use. */
  storage: UsageStorage;
  /** Provider adapters, tried in order. Required with `@usagepilot/core`; the `usagepilot` package fills it. */
  providers: readonly ProviderAdapterV1[];
  /** Prices usage into exact cost. Without one, cost is null (unknown), never 0. */
  prices?: PriceBookV1;
  /** Counts tokens locally: the usage of streams cut before the provider reported it, and pre-call estimates. */
  tokenizers?: TokenizerV1;
  /** A Standard Schema (zod, valibot...) every event's dimensions must pass. */
  dimensions?: StandardSchemaV1<unknown, D>;
  /** Dimension keys every event must have, when no schema says so. */
  requiredDimensions?: readonly (keyof D & string)[];
  /**
   * A call with missing or invalid dimensions: "record" (default) records the missing keys as
   * `UNATTRIBUTED` and reports through `onError`; "reject" makes the wrapped fetch throw before sending.
   */
  onInvalidDimensions?: "record" | "reject";
  /**
   * Budgets checked before each call, with reservations settled to the actual usage (see `LimitsOptions`).
   * Default: none, and then the metered fetch does no quota work.
   */
  limits?: LimitsOptions<D>;
  /**
   * Anomaly and budget-threshold alerts, each delivered once to `onAlert` and a webhook (see `AlertsOptions`).
   * Default: none.
   */
  alerts?: AlertsOptions;
  /** Called with every event as it is captured (before it is stored). Errors it throws go to `onError`. */
  onEvent?: (event: UsageEvent<D>) => void;
  /** Background problems: storage failures (retried), unreadable responses, invalid dimensions. Default: console.error. */
  onError?: (error: unknown) => void;
  /** Events per storage write. Default: the storage's preference, else 100. */
  batchSize?: number;
  /** Longest wait before buffered events are written, ms. Default: the storage's preference, else 5000. */
  flushInterval?: number;
  /** Events held before new calls wait for storage (or spill). Default 10000. */
  maxBufferSize?: number;
  /** Takes the overflow when the buffer is full, instead of making calls wait. */
  spill?: (events: readonly UsageEvent[]) => Promise<void>;
  /**
   * A write-ahead spool (`createFileSpool` from `@usagepilot/node`): each event is appended to it before it
   * counts as captured, and what an earlier process captured and did not store is recovered and stored.
   * Default: none (the buffer lives in memory only).
   */
  spool?: SpoolV1;
}

/** Options of `usage.track`. */
export interface TrackOptions<D extends Dimensions> {
  dimensions: DimensionsInput<D>;
  /** Non-token quantities, e.g. { images: 2 } or { gpu_hours: 0.5 }. */
  units?: Record<string, number>;
  /** Token counts, when the usage was in tokens. */
  usage?: TokenUsage;
  model?: string;
  /** Default "custom". */
  provider?: string;
  /** Default "custom". */
  operation?: string;
  /** Exact cost as a decimal string in USD; otherwise the price book prices it. */
  cost?: string;
  /** When it happened; default now. */
  timestamp?: Date;
}

/** Counters for monitoring. */
export interface UsagePilotStats extends BatchWriterStats {
  /** Events captured. */
  captured: number;
  /** Calls that no adapter claimed, passed through unmetered. */
  unmetered: number;
  /** Responses still being read. */
  inFlight: number;
  /** Events refused for breaking the contract (each reported through `onError` with the event). */
  invalid: number;
}

/**
 * Meters AI calls per tenant: wrap `fetch` with `createFetch`, hand it to a provider SDK, and every call
 * becomes a stored, priced usage event.
 *
 * @example
 * const usage = new UsagePilot<{ user_id: string }>({ storage: new MemoryStorage(), providers: [openai()] });
 * const client = new OpenAI({ fetch: usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") })) });
 */
export class UsagePilot<D extends Dimensions = Dimensions> {
  private readonly options: UsagePilotOptions<D>;
  private readonly writer: BatchWriter;
  private readonly deferred: DeferredWork;
  private readonly context: DimensionContext;
  private readonly engine: MeteringEngine;
  private readonly enforcer: LimitEnforcer | undefined;
  private readonly recovery: Promise<void> | undefined;
  private readonly detector: AnomalyDetector | undefined;
  private readonly dispatcher: AlertDispatcher | undefined;
  private readonly recentAlerts: AlertV1[] = [];
  /** Responses still being read, and who waits for there to be none (shutdown). */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly counters = { captured: 0, unmetered: 0, invalid: 0 };
  /** Provider/model pairs already reported as unpriced, so the warning comes once per model. */
  private readonly unpriced = new Set<string>();
  private shutdownPromise: Promise<void> | undefined;
  private readonly dimensionPolicy: DimensionPolicy;

  constructor(options: UsagePilotOptions<D>) {
    this.options = options;
    this.dimensionPolicy = { schema: options.dimensions, required: options.requiredDimensions, onInvalid: options.onInvalidDimensions };
    this.context = createDimensionContext();
    this.deferred = createDeferredWork((error) => this.reportError(error), options.spool ? spooledRecordDelayMs : recordDelayMs);
    this.writer = new BatchWriter({
      storage: options.storage,
      ...withDefined("batchSize", options.batchSize ?? options.storage.batchSize),
      ...withDefined("flushInterval", options.flushInterval ?? options.storage.flushInterval),
      ...(options.maxBufferSize === undefined ? {} : { maxBufferSize: options.maxBufferSize }),
      ...(options.spill === undefined ? {} : { spill: options.spill }),
      onError: (error) => this.reportError(error),
      ...(options.spool ? { onSettled: (events: readonly UsageEvent[]) => options.spool!.settle(events) } : {}),
    });
    // Events an earlier process captured but did not store go out again (writes are idempotent on the id).
    this.recovery = options.spool?.recover().then(
      (events) => {
        for (const event of events) this.writer.add(event);
      },
      (error: unknown) => this.reportError(error),
    );
    const alerts = options.alerts;
    if (alerts) {
      this.detector = alerts.anomaly === false ? undefined : createAnomalyDetector(alerts.anomaly ?? { key: ["organization_id"] });
      this.dispatcher = createAlertDispatcher({
        onAlert: (alert) => {
          this.recentAlerts.push(alert);
          if (this.recentAlerts.length > (alerts.keep ?? 200)) this.recentAlerts.shift();
          return alerts.onAlert?.(alert);
        },
        ...(alerts.webhook ? { webhook: alerts.webhook } : {}),
        onError: (error) => this.reportError(error),
      });
    }
    // Threshold crossings go to the rule's own callback and, with alerts on, out as alerts too.
    const limits =
      options.limits && this.dispatcher
        ? {
            ...options.limits,
            onThreshold: (crossing: Parameters<NonNullable<LimitsOptions["onThreshold"]>>[0]) => {
              options.limits?.onThreshold?.(crossing);
              this.dispatcher?.deliver(thresholdAlert(crossing));
            },
          }
        : options.limits;
    this.enforcer =
      limits === undefined
        ? undefined
        : new LimitEnforcer(limits as unknown as LimitsOptions, {
            storage: options.storage,
            prices: options.prices,
            tokenizer: options.tokenizers,
            reportError: (error) => this.reportError(error),
            recordEnded: () => this.deferred.drain(),
          });
    this.engine = {
      providers: options.providers,
      limits: this.enforcer,
      tokenizer: options.tokenizers,
      resolveDimensions: (extracted, url) => this.resolve(extracted, url),
      waitForCapacity: () => {
        // Events still queued for recording reach the buffer before this call's: near the bound, record them first.
        const queued = this.deferred.size;
        if (queued > 0 && queued >= this.writer.room) this.deferred.drain();
        return this.writer.isFull ? this.writer.waitForSpace() : undefined;
      },
      defer: (task) => this.deferred.defer(task),
      record: (event) => this.record(event),
      reportError: (error) => this.reportError(error),
      countUnmetered: () => {
        this.counters.unmetered += 1;
      },
      responseStarted: () => {
        this.inFlight += 1;
      },
      responseEnded: () => {
        this.inFlight -= 1;
        if (this.inFlight > 0 || this.idleWaiters.length === 0) return;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      },
    };
  }

  /**
   * A drop-in `fetch` that meters every provider call. `extract` derives the tenant dimensions from the
   * outgoing request (its URL, method, headers and JSON body); values may be null when absent.
   *
   * @example
   * const fetchWithUsage = usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") || "anonymous" }));
   * const openai = createOpenAI({ fetch: fetchWithUsage });
   */
  createFetch(extract: (request: MeteredRequest) => DimensionsInput<D> | Promise<DimensionsInput<D>>, options?: CreateFetchOptions): FetchFunction {
    return createMeteredFetch<D>(this.engine, extract, options);
  }

  /**
   * Runs `callback` with dimensions that every metered call inside it (across awaits) records. Inner
   * scopes add to outer ones, and override the extractor's values.
   */
  withDimensions<R>(dimensions: DimensionsInput<D>, callback: () => R): R {
    const cleaned: Partial<Dimensions> = {};
    for (const [key, value] of Object.entries(dimensions)) if (typeof value === "string" && value !== "") cleaned[key] = value;
    return this.context.run(cleaned, callback);
  }

  /** Records usage that is not an HTTP call to a provider: images, seconds, GPU hours, or tokens you counted. */
  async track(options: TrackOptions<D>): Promise<UsageEvent<D>> {
    const timestamp = options.timestamp ?? new Date();
    const { dimensions } = await this.resolve(options.dimensions as Record<string, unknown>, undefined);
    const captured: CapturedEvent = {
      schemaVersion: 1,
      id: createEventId(timestamp.getTime()),
      timestamp: timestamp.toISOString(),
      dimensions,
      provider: options.provider ?? "custom",
      operation: options.operation ?? "custom",
      model: options.model ?? null,
      usage: options.usage ?? null,
      units: options.units ?? {},
      accuracy: "reported",
      status: "ok",
      streamed: false,
      latencyMs: 0,
      providerRequestId: null,
      cost: null,
    };
    const cost = options.cost === undefined ? undefined : { amount: formatDecimal(parseDecimal(options.cost)), currency: "USD" as const, priceSource: "track" };
    const event = this.price(captured, cost);
    const valid = this.isValid(event);
    freezeEvent(event);
    if (!valid) return event as UsageEvent<D>;
    // Counted against the budgets before it is buffered: a counter seen for the first time is seeded from
    // storage, which must not already hold this event.
    await this.enforcer?.account(event);
    this.commit(event);
    return event as UsageEvent<D>;
  }

  /** Where tenants stand against the configured `limits`: `usage.limits.status(dimensions)`. */
  get limits(): UsageLimits<D> {
    return {
      status: async (dimensions) => {
        if (!this.enforcer) return [];
        // A status asks about a tenant, not a call: no dimension is required, absent values are left out.
        const given: Dimensions = {};
        for (const [key, value] of Object.entries(dimensions)) if (typeof value === "string" && value !== "") given[key] = value;
        return this.enforcer.status(given);
      },
    };
  }

  /** Recent alerts (newest last), optionally only those about a tenant: `usage.alerts.recent({ organization_id })`. */
  get alerts(): { recent(tenant?: Partial<Record<string, string>> | null): AlertV1[] } {
    return {
      recent: (tenant) => this.recentAlerts.filter((alert) => !tenant || Object.entries(tenant).every(([key, value]) => value === undefined || alert.tenant[key] === value)),
    };
  }

  /** Sums usage and cost from storage. Call `flush()` first to include what is still buffered. */
  async query(query: UsageQuery): Promise<UsageQueryRow[]> {
    if (!this.options.storage.query) throw new TypeError("This storage does not support query()");
    return this.options.storage.query(query);
  }

  /** Resolves when every event captured so far is stored (and settled in the quota store). On edge runtimes pass it to `waitUntil`. */
  flush(): Promise<void> {
    this.deferred.drain();
    if (!this.enforcer && !this.options.spool && !this.dispatcher) return this.writer.flush();
    return Promise.all([this.recovery?.then(() => this.writer.flush()) ?? this.writer.flush(), this.enforcer?.idle(), this.options.spool?.sync(), this.dispatcher?.flush()]).then(() => undefined);
  }

  /**
   * Waits for responses still being read, flushes, and stops; runs once. Rejects with `FlushTimeoutError`
   * (carrying the unstored events) when storage has not taken them within `timeoutMs` (default 10 s).
   */
  shutdown(options: { timeoutMs?: number } = {}): Promise<void> {
    this.shutdownPromise ??= this.runShutdown(options.timeoutMs ?? 10_000);
    return this.shutdownPromise;
  }

  /** Counters for monitoring. */
  stats(): UsagePilotStats {
    return { ...this.writer.stats, ...this.counters, inFlight: this.inFlight };
  }

  private async runShutdown(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    if (this.inFlight > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([new Promise<void>((resolve) => this.idleWaiters.push(resolve)), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs / 2)))]);
      clearTimeout(timer);
      if (this.inFlight > 0) {
        this.reportError(new MeteringError({ message: `${this.inFlight} response(s) were still being read at shutdown; their usage is not recorded.` }));
      }
    }
    this.deferred.drain();
    await this.enforcer?.idle();
    await this.recovery;
    await this.dispatcher?.flush();
    try {
      await this.writer.shutdown({ timeoutMs: Math.max(0, deadline - Date.now()) });
    } finally {
      // Connections are released even when events could not be stored (they ride on the error); the spool
      // keeps whatever was not, for the next start.
      await this.options.spool?.close().catch((error: unknown) => this.reportError(error));
      await this.options.storage.close?.().catch((error: unknown) => this.reportError(error));
    }
  }

  private resolve(extracted: Record<string, unknown>, url: string | undefined): ResolvedDimensions | Promise<ResolvedDimensions> {
    const resolved = resolveDimensions({ extracted, context: this.context.current(), policy: this.dimensionPolicy, url });
    return isPromiseLike(resolved) ? resolved.then((value) => this.settleDimensions(value)) : this.settleDimensions(resolved);
  }

  private settleDimensions(resolved: ResolvedDimensions): ResolvedDimensions {
    if (resolved.error) {
      if (this.options.onInvalidDimensions === "reject") throw resolved.error;
      this.reportError(resolved.error);
    }
    return resolved;
  }


  /** Prices, checks and buffers a captured event, and returns it as recorded. Never throws. */
  private record(captured: CapturedEvent): UsageEvent {
    const event = this.price(captured);
    // Checked before it is frozen: V8 reads frozen objects' keys on a slow path, and this runs on every call.
    const valid = this.isValid(event);
    freezeEvent(event);
    if (valid) this.commit(event);
    return event;
  }

  /**
   * The event with its cost (the one given, else the price book's, null when unknown), set in place on
   * the captured object (a copy per event cost as much as the pricing); not yet frozen.
   */
  private price(captured: CapturedEvent, cost?: UsageEvent["cost"]): UsageEvent {
    const event = captured as UsageEvent;
    if (cost !== undefined) {
      event.cost = cost;
      return event;
    }
    if (this.options.prices) {
      try {
        event.cost = this.options.prices.price(captured);
        if (event.cost === null && captured.model !== null && (captured.usage !== null || Object.keys(captured.units).length > 0)) this.warnUnpriced(captured.provider, captured.model);
      } catch (error) {
        this.reportError(new MeteringError({ message: `Pricing event ${captured.id} failed; its cost is unknown`, provider: captured.provider, cause: error }));
      }
    }
    return event;
  }

  /** Whether the event keeps the contract's invariants; one that does not is reported with the event. */
  private isValid(event: UsageEvent): boolean {
    const violations = validateUsageEvent(event);
    if (violations.length === 0) return true;
    this.counters.invalid += 1;
    this.reportError(new InvalidUsageEventError({ eventId: event.id, violations, event }));
    return false;
  }

  /** A captured event: handed to `onEvent` and the anomaly detector, spooled, buffered. */
  private commit(event: UsageEvent): void {
    this.counters.captured += 1;
    if (this.options.onEvent) {
      try {
        this.options.onEvent(event as UsageEvent<D>);
      } catch (error) {
        this.reportError(error);
      }
    }
    if (this.detector) {
      for (const alert of this.detector.observe(event)) this.dispatcher?.deliver(alert);
    }
    // Captured means in the spool (when there is one) before it is in the buffer.
    this.options.spool?.append(event);
    this.writer.add(event);
  }

  private warnUnpriced(provider: string, model: string): void {
    const key = `${provider}\u0000${model}`;
    if (this.unpriced.has(key)) return;
    this.unpriced.add(key);
    this.reportError(new UnknownPriceError({ provider, model }));
  }

  private reportError(error: unknown): void {
    try {
      (this.options.onError ?? defaultOnError)(error);
    } catch {
      // An error handler that throws must not break metering.
    }
  }
}

/** Events are facts: frozen once recorded, so an `onEvent` handler cannot change what is stored. */
function freezeEvent(event: UsageEvent): UsageEvent {
  Object.freeze(event.dimensions);
  Object.freeze(event.units);
  if (event.usage) Object.freeze(event.usage);
  if (event.cost) Object.freeze(event.cost);
  return Object.freeze(event);
}

function withDefined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function defaultOnError(error: unknown): void {
  console.error("[usagepilot]", error);
}
