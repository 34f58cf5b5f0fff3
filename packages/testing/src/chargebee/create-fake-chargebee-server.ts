import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type BillingFault, type BillingFaultKind, type BillingFaultPlan, createFaultInjector } from "../stripe/billing-fault";
import { sumDecimalText } from "../stripe/sum-decimal-text";
import { listenFakeServer, readRequestBody } from "../stripe/listen-fake-server";
import { safeParseJson } from "../util/safe-parse-json";

/** A usage event the fake accepted. */
export interface FakeChargebeeUsageEvent {
  subscription_id: string;
  deduplication_id: string;
  /** Epoch milliseconds. */
  usage_timestamp: number;
  properties: Record<string, unknown>;
}

/** A metered feature: sums one numeric property of the usage events (Chargebee's "sum" aggregation). */
export interface FakeChargebeeFeature {
  id: string;
  property: string;
}

/** Options of `createFakeChargebeeServer`. */
export interface CreateFakeChargebeeServerOptions {
  /** The site name (`{site}.chargebee.com`). Default "usagepilot-test". */
  site?: string;
  /** Subscriptions that exist. Default none. */
  subscriptions?: readonly string[];
  features?: readonly FakeChargebeeFeature[];
  /** Random faults on a share of calls. Default none. */
  faults?: BillingFaultPlan;
  /** A share (0..1) of the events in each batch reported as failed with a temporary error. Default 0. */
  eventFailureRate?: number;
  now?: () => number;
}

/** The `httpClient` shape chargebee-node accepts (`makeApiRequest(request, timeout)`). */
export interface ChargebeeHttpClientLike {
  makeApiRequest(request: Request, timeout: number): Promise<Response>;
}

/** A running fake Chargebee API. */
export interface FakeChargebeeServer {
  readonly url: string;
  /**
   * Pass to `new Chargebee({ ...fake.chargebeeConfig })`. chargebee-node builds `{site}.chargebee.com` and,
   * for usage events, `{site}.ingest.chargebee.com`; neither resolves here, so `httpClient` sends each
   * request to this port with the host it was addressed to in `x-forwarded-host`, which the fake checks.
   */
  readonly chargebeeConfig: { site: string; apiKey: string; protocol: "http"; hostSuffix: string; port: number; httpClient: ChargebeeHttpClientLike };
  /** Accepted usage events, deduplicated on (usage_timestamp, subscription_id, deduplication_id). Live. */
  readonly usageEvents: readonly FakeChargebeeUsageEvent[];
  readonly calls: Readonly<Record<string, number>>;
  readonly injected: Readonly<Record<BillingFaultKind, number>>;
  /** Per-event failures reported in batch answers so far. */
  readonly failedEvents: number;
  /** Sum of a property per subscription over accepted events, exact decimal strings. */
  totals(property: string): Map<string, string>;
  failNext(...faults: BillingFault[]): void;
  setFaults(plan: BillingFaultPlan | undefined): void;
  setEventFailureRate(rate: number): void;
  addSubscription(id: string): void;
  /** Deletes a subscription: `GET /subscriptions/:id` then 404s. */
  deleteSubscription(id: string): void;
  close(): Promise<void>;
}

const hour = 3_600_000;
/** The host suffix the fake's `chargebeeConfig` gives the SDK (`{site}.chargebee.test`, `{site}.ingest.chargebee.test`). */
export const fakeChargebeeHostSuffix = ".chargebee.test";
const hostSuffix = fakeChargebeeHostSuffix;

/**
 * A chargebee-node `httpClient` that sends every request to `origin` (the fake), with the host the SDK
 * addressed in `x-forwarded-host`, and honours the SDK's timeout. Usable from a child process too.
 */
export function createChargebeeRedirectClient(origin: string): ChargebeeHttpClientLike {
  return {
    async makeApiRequest(request, timeout) {
      const addressed = new URL(request.url);
      const headers = new Headers(request.headers);
      headers.set("x-forwarded-host", addressed.hostname);
      const body = request.method === "GET" ? undefined : await request.text();
      return fetch(`${origin}${addressed.pathname}${addressed.search}`, { method: request.method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(timeout) });
    },
  };
}

function chargebeeError(status: number, apiErrorCode: string, message: string, param?: string): { status: number; body: string } {
  const type = status === 404 || status === 400 ? "invalid_request" : undefined;
  return { status, body: JSON.stringify({ message, ...(type ? { type } : {}), api_error_code: apiErrorCode, ...(param ? { param } : {}), error_code: apiErrorCode, http_status_code: status }) };
}


/**
 * A stateful fake of Chargebee's usage-based billing endpoints, faithful to the API reference and to what
 * chargebee-node 3 sends (JSON to the ingest host for usage events):
 * - `POST /api/v2/usage_events` and `POST /api/v2/batch/usage_events` (≤ 500 events) on
 *   `{site}.ingest.chargebee.com`: `deduplication_id` (≤ 36 chars), `subscription_id`, `usage_timestamp`
 *   (epoch ms, within the last 12 hours), `properties`; (usage_timestamp, subscription_id,
 *   deduplication_id) identifies an event, so a repeat is a no-op. A batch answers `batch_id` and
 *   `failed_events` (the API reference leaves the entries' shape open: here each is the event's own fields
 *   plus `error_code` and `error_message`).
 * - `GET /api/v2/subscriptions/:id`: the subscription, or 404 `resource_not_found` once deleted.
 * - `GET /api/v2/subscriptions/:id/usage_summary?feature_id&timeframe_start&timeframe_end` (seconds): one
 *   `usage_summary` with `aggregated_value` (a decimal string) over [start, end).
 */
export async function createFakeChargebeeServer(options: CreateFakeChargebeeServerOptions = {}): Promise<FakeChargebeeServer> {
  const site = options.site ?? "usagepilot-test";
  const now = options.now ?? Date.now;
  const subscriptions = new Set(options.subscriptions ?? []);
  const features = new Map((options.features ?? []).map((feature) => [feature.id, feature]));
  const events: FakeChargebeeUsageEvent[] = [];
  const keys = new Set<string>();
  const calls: Record<string, number> = {};
  const faults = createFaultInjector(options.faults);
  let eventFailureRate = options.eventFailureRate ?? 0;
  let failedEvents = 0;
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };

  const errorBody = (status: 429 | 500) =>
    status === 429 ? chargebeeError(429, "api_request_limit_exceeded", "Sorry, access has been blocked temporarily due to request count exceeding acceptable limits.").body : chargebeeError(500, "internal_error", "Sorry, something went wrong when trying to process the request.").body;

  /** Validates and stores one event; returns why it failed, if it did. */
  function ingest(input: Record<string, unknown>): { code: string; message: string } | null {
    const { deduplication_id: dedupe, subscription_id: subscription, usage_timestamp: stamp, properties } = input;
    if (typeof dedupe !== "string" || dedupe === "" || dedupe.length > 36) return { code: "param_invalid", message: "deduplication_id is required (max 36 chars)" };
    if (typeof subscription !== "string" || subscription === "" || subscription.length > 50) return { code: "param_invalid", message: "subscription_id is required (max 50 chars)" };
    if (typeof stamp !== "number" || !Number.isInteger(stamp)) return { code: "param_invalid", message: "usage_timestamp must be epoch milliseconds" };
    if (stamp < now() - 12 * hour) return { code: "param_invalid", message: "usage_timestamp must be within the last 12 hours" };
    if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return { code: "param_invalid", message: "properties must be a JSON object" };
    const key = `${stamp}\u0000${subscription}\u0000${dedupe}`;
    if (keys.has(key)) return null;
    keys.add(key);
    events.push({ subscription_id: subscription, deduplication_id: dedupe, usage_timestamp: stamp, properties: properties as Record<string, unknown> });
    return null;
  }

  function handle(method: string, path: string, query: URLSearchParams, host: string, body: string): { status: number; body: string } {
    const ingestHost = `${site}.ingest${hostSuffix}`;
    const apiHost = `${site}${hostSuffix}`;
    if (method === "POST" && (path === "/api/v2/usage_events" || path === "/api/v2/batch/usage_events")) {
      if (host !== ingestHost) return chargebeeError(404, "resource_not_found", `usage events are served by ${ingestHost}, not ${host}`);
      const parsed = safeParseJson(body);
      const value = parsed.ok && typeof parsed.value === "object" && parsed.value !== null ? (parsed.value as Record<string, unknown>) : null;
      if (!value) return chargebeeError(400, "param_invalid", "the body must be JSON");
      if (path === "/api/v2/usage_events") {
        const failure = ingest(value);
        if (failure) return chargebeeError(400, failure.code, failure.message);
        return { status: 200, body: JSON.stringify({ usage_event: value }) };
      }
      const list = value.events;
      if (!Array.isArray(list) || list.length === 0 || list.length > 500) return chargebeeError(400, "param_invalid", "events must hold between 1 and 500 usage events", "events");
      const failed: Record<string, unknown>[] = [];
      for (const item of list as Record<string, unknown>[]) {
        const failure = eventFailureRate > 0 && random() < eventFailureRate ? { code: "internal_temporary_error", message: "temporary failure, retry the event" } : ingest(item);
        if (failure) failed.push({ ...item, error_code: failure.code, error_message: failure.message });
      }
      failedEvents += failed.length;
      return { status: 200, body: JSON.stringify({ batch_id: `batch_${randomBytes(10).toString("hex")}`, failed_events: failed }) };
    }
    if (host !== apiHost) return chargebeeError(404, "resource_not_found", `unknown host ${host}`);
    const summary = /^\/api\/v2\/subscriptions\/([^/]+)\/usage_summary$/.exec(path);
    if (method === "GET" && summary) {
      const id = decodeURIComponent(summary[1] ?? "");
      const feature = features.get(query.get("feature_id") ?? "");
      if (!feature) return chargebeeError(400, "param_invalid", "feature_id is not a metered feature", "feature_id");
      const from = Number(query.get("timeframe_start"));
      const to = Number(query.get("timeframe_end"));
      const values = events
        .filter((event) => event.subscription_id === id && event.usage_timestamp >= from * 1000 && event.usage_timestamp < to * 1000)
        .map((event) => event.properties[feature.property])
        .filter((value): value is number | string => typeof value === "number" || typeof value === "string")
        .map(String);
      return { status: 200, body: JSON.stringify({ list: [{ usage_summary: { subscription_id: id, feature_id: feature.id, aggregated_value: sumDecimalText(values), aggregated_from: from, aggregated_to: to } }] }) };
    }
    const subscription = /^\/api\/v2\/subscriptions\/([^/]+)$/.exec(path);
    if (method === "GET" && subscription) {
      const id = decodeURIComponent(subscription[1] ?? "");
      if (!subscriptions.has(id)) return chargebeeError(404, "resource_not_found", `Sorry, we couldn't find that resource: subscription ${id}`);
      return { status: 200, body: JSON.stringify({ subscription: { id, status: "active", object: "subscription" } }) };
    }
    return chargebeeError(404, "resource_not_found", `Sorry, we couldn't find that resource (${method} ${path})`);
  }

  const server = await listenFakeServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const method = request.method ?? "GET";
    const route = `${method} ${url.pathname.replace(/\/subscriptions\/[^/]+/, "/subscriptions/:id")}`;
    calls[route] = (calls[route] ?? 0) + 1;
    const body = await readRequestBody(request);
    const fault = faults.draw(url.pathname);
    if (fault && !fault.afterEffect) return faults.apply(fault, request, response, errorBody);
    const host = String(request.headers["x-forwarded-host"] ?? request.headers.host ?? "");
    const answer = handle(method, url.pathname, url.searchParams, host, body);
    if (fault) return faults.apply(fault, request, response, errorBody);
    response.writeHead(answer.status, { "content-type": "application/json;charset=utf-8" }).end(answer.body);
  }, () => faults.clear());
  const port = server.port;
  const origin = `http://127.0.0.1:${port}`;
  const httpClient = createChargebeeRedirectClient(origin);
  return {
    url: origin,
    chargebeeConfig: { site, apiKey: "test_fake_chargebee_key", protocol: "http", hostSuffix, port, httpClient },
    usageEvents: events,
    calls,
    injected: faults.injected,
    get failedEvents() {
      return failedEvents;
    },
    totals(property) {
      const grouped = new Map<string, string[]>();
      for (const event of events) {
        const value = event.properties[property];
        if (typeof value === "number" || typeof value === "string") grouped.set(event.subscription_id, [...(grouped.get(event.subscription_id) ?? []), String(value)]);
      }
      return new Map([...grouped].map(([id, values]) => [id, sumDecimalText(values)]));
    },
    failNext: (...list) => faults.failNext(...list),
    setFaults: (plan) => faults.setPlan(plan),
    setEventFailureRate(rate) {
      eventFailureRate = rate;
    },
    addSubscription: (id) => subscriptions.add(id),
    deleteSubscription: (id) => subscriptions.delete(id),
    close: () => server.close(),
  };
}
