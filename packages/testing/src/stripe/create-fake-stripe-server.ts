import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { safeParseJson } from "../util/safe-parse-json";
import { listenFakeServer, readRequestBody } from "./listen-fake-server";
import { type BillingFault, type BillingFaultKind, type BillingFaultPlan, createFaultInjector } from "./billing-fault";
import { parseStripeForm } from "./parse-stripe-form";
import { isDecimalText, sumDecimalText } from "./sum-decimal-text";

/** A meter the fake knows, as configured in the Stripe dashboard. */
export interface FakeStripeMeter {
  /** `mtr_...`. */
  id: string;
  event_name: string;
  /** `customer_mapping.event_payload_key`. Default "stripe_customer_id". */
  customerPayloadKey?: string;
  /** `value_settings.event_payload_key`. Default "value". */
  valuePayloadKey?: string;
}

/** A meter event the fake accepted (v1 or the v2 stream). */
export interface FakeStripeMeterEvent {
  event_name: string;
  identifier: string;
  customer: string;
  value: string;
  /** Seconds since the epoch. */
  timestamp: number;
  via: "v1" | "v2";
}

/** Options of `createFakeStripeServer`. */
export interface CreateFakeStripeServerOptions {
  meters: readonly FakeStripeMeter[];
  /** Customers that exist (`cus_...`). Default none; `GET /v1/customers/:id` 404s for others. */
  customers?: readonly string[];
  /** Random faults on a share of calls. Default none. */
  faults?: BillingFaultPlan;
  /** The fake's clock. Default `Date.now`. */
  now?: () => number;
}

/** A running fake Stripe API (v1 form-encoded, v2 JSON, meter-events host folded onto the same port). */
export interface FakeStripeServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Pass to `new Stripe(key, { ...fake.stripeConfig })`: every host (api, meter-events) points here. */
  readonly stripeConfig: { host: string; port: number; protocol: "http" };
  /** Accepted meter events, deduplicated by identifier. Live. */
  readonly meterEvents: readonly FakeStripeMeterEvent[];
  /** Calls by route, e.g. "POST /v1/billing/meter_events". */
  readonly calls: Readonly<Record<string, number>>;
  /** Events the v2 stream accepted but later dropped as invalid (Stripe reports these by webhook). */
  readonly asyncErrors: readonly { identifier: string; reason: string }[];
  readonly injected: Readonly<Record<BillingFaultKind, number>>;
  /** Events received again with an identifier already held (refused by v1, dropped by the v2 stream). */
  readonly duplicates: number;
  /** Sum of accepted values per customer for an event name, exact decimal strings. */
  totals(eventName: string): Map<string, string>;
  failNext(...faults: BillingFault[]): void;
  setFaults(plan: BillingFaultPlan | undefined): void;
  addCustomer(id: string): void;
  deleteCustomer(id: string): void;
  /** Expires every v2 meter event session (the next stream call gets 401 temporary_session_expired). */
  expireSessions(): void;
  close(): Promise<void>;
}

const day = 86_400_000;

function stripeError(status: number, error: { type: string; message: string; code?: string; param?: string }): { status: number; body: string } {
  return { status, body: JSON.stringify({ error }) };
}


/**
 * A stateful fake of the Stripe endpoints usage billing uses, faithful to the API reference and to what
 * stripe-node sends:
 * - `POST /v1/billing/meter_events` (form): `event_name`, `payload[...]`, `identifier`, `timestamp` (seconds,
 *   within the past 35 days or 5 minutes ahead). A repeated identifier is refused with 400 "An event already
 *   exists with identifier ..." as Stripe does.
 * - `GET /v1/billing/meters/:id/event_summaries?customer&start_time&end_time[&value_grouping_window]`:
 *   minute-aligned bounds, `aggregated_value` summed over [start_time, end_time).
 * - `GET /v1/customers/:id`: the customer, `{ deleted: true }` once deleted, 404 `resource_missing` otherwise.
 * - `POST /v2/billing/meter_event_session`, then `POST /v2/billing/meter_event_stream` (JSON, ≤ 100 events,
 *   Bearer = the session's `authentication_token`, 15 minutes): validated asynchronously, duplicates dropped
 *   silently, 401 `temporary_session_expired` for an expired session.
 * stripe-node sends v2 stream calls to meter-events.stripe.com; a `host` option overrides every base
 * address, so one port serves both.
 */
export async function createFakeStripeServer(options: CreateFakeStripeServerOptions): Promise<FakeStripeServer> {
  const now = options.now ?? Date.now;
  const meters = new Map(options.meters.map((meter) => [meter.id, meter]));
  const meterByEvent = new Map(options.meters.map((meter) => [meter.event_name, meter]));
  const customers = new Map<string, "active" | "deleted">((options.customers ?? []).map((id) => [id, "active"]));
  const events: FakeStripeMeterEvent[] = [];
  const identifiers = new Set<string>();
  const sessions = new Map<string, number>();
  const asyncErrors: { identifier: string; reason: string }[] = [];
  const calls: Record<string, number> = {};
  const faults = createFaultInjector(options.faults);
  let duplicates = 0;

  const errorBody = (status: 429 | 500) =>
    JSON.stringify({ error: status === 429 ? { type: "invalid_request_error", code: "rate_limit", message: "Request rate limit exceeded." } : { type: "api_error", message: "An unknown error occurred." } });

  /** Validates one event; returns the stored form or why Stripe would refuse it. */
  function check(input: { event_name?: unknown; identifier?: unknown; payload?: unknown; timestamp: number | null }, via: "v1" | "v2"): { event: FakeStripeMeterEvent } | { error: string; param: string } {
    if (typeof input.event_name !== "string" || input.event_name === "") return { error: "Missing required param: event_name.", param: "event_name" };
    const payload = (typeof input.payload === "object" && input.payload !== null ? input.payload : {}) as Record<string, unknown>;
    const meter = meterByEvent.get(input.event_name);
    const customerKey = meter?.customerPayloadKey ?? "stripe_customer_id";
    const valueKey = meter?.valuePayloadKey ?? "value";
    const customer = payload[customerKey];
    const value = payload[valueKey];
    if (typeof customer !== "string" || customer === "") return { error: `The payload must contain ${customerKey}.`, param: `payload[${customerKey}]` };
    if (!isDecimalText(value)) return { error: `The payload's ${valueKey} must be a number.`, param: `payload[${valueKey}]` };
    const timestamp = input.timestamp ?? Math.floor(now() / 1000);
    if (timestamp * 1000 < now() - 35 * day) return { error: "Timestamp must be within the past 35 calendar days.", param: "timestamp" };
    if (timestamp * 1000 > now() + 5 * 60_000) return { error: "Timestamp must not be more than 5 minutes in the future.", param: "timestamp" };
    const identifier = typeof input.identifier === "string" && input.identifier !== "" ? input.identifier : `fake_${randomBytes(12).toString("hex")}`;
    return { event: { event_name: input.event_name, identifier, customer, value: value.trim(), timestamp, via } };
  }

  function handle(method: string, path: string, query: URLSearchParams, headers: IncomingMessage["headers"], body: string): { status: number; body: string } {
    const authorization = headers.authorization ?? "";
    if (method === "POST" && path === "/v1/billing/meter_events") {
      const form = parseStripeForm(body);
      const timestamp = typeof form.timestamp === "string" && /^\d+$/.test(form.timestamp) ? Number(form.timestamp) : null;
      const checked = check({ event_name: form.event_name, identifier: form.identifier, payload: form.payload, timestamp }, "v1");
      if ("error" in checked) return stripeError(400, { type: "invalid_request_error", message: checked.error, param: checked.param });
      if (identifiers.has(checked.event.identifier)) {
        duplicates += 1;
        return stripeError(400, { type: "invalid_request_error", message: `An event already exists with identifier ${checked.event.identifier}.` });
      }
      identifiers.add(checked.event.identifier);
      events.push(checked.event);
      const { event_name, identifier, timestamp: stamp } = checked.event;
      return { status: 200, body: JSON.stringify({ object: "billing.meter_event", created: Math.floor(now() / 1000), event_name, identifier, livemode: false, payload: form.payload, timestamp: stamp }) };
    }
    const summaries = /^\/v1\/billing\/meters\/([^/]+)\/event_summaries$/.exec(path);
    if (method === "GET" && summaries) {
      const meter = meters.get(decodeURIComponent(summaries[1] ?? ""));
      if (!meter) return stripeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such billing meter: '${summaries[1]}'`, param: "id" });
      const customer = query.get("customer");
      const start = Number(query.get("start_time"));
      const end = Number(query.get("end_time"));
      if (!customer) return stripeError(400, { type: "invalid_request_error", message: "Missing required param: customer.", param: "customer" });
      for (const [name, value] of [["start_time", start], ["end_time", end]] as const) {
        if (!Number.isInteger(value) || value % 60 !== 0) return stripeError(400, { type: "invalid_request_error", message: `${name} must be aligned with minute boundaries.`, param: name });
      }
      const window = query.get("value_grouping_window");
      const step = window === "hour" ? 3600 : window === "day" ? 86_400 : end - start;
      const data = [];
      for (let from = start; from < end; from += step) {
        const to = Math.min(end, from + step);
        const values = events.filter((event) => event.event_name === meter.event_name && event.customer === customer && event.timestamp >= from && event.timestamp < to).map((event) => event.value);
        // Stripe's aggregated_value is a JSON number (a float); exact for the whole numbers billing sends.
        data.push({ id: `mtrusg_${randomBytes(8).toString("hex")}`, object: "billing.meter_event_summary", aggregated_value: Number(sumDecimalText(values)), end_time: to, livemode: false, meter: meter.id, start_time: from });
      }
      return { status: 200, body: JSON.stringify({ object: "list", data, has_more: false, url: path }) };
    }
    const customer = /^\/v1\/customers\/([^/]+)$/.exec(path);
    if (method === "GET" && customer) {
      const id = decodeURIComponent(customer[1] ?? "");
      const state = customers.get(id);
      if (!state) return stripeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such customer: '${id}'`, param: "id" });
      return { status: 200, body: JSON.stringify(state === "deleted" ? { id, object: "customer", deleted: true } : { id, object: "customer", livemode: false }) };
    }
    if (method === "POST" && path === "/v2/billing/meter_event_session") {
      const token = `mes_tok_${randomBytes(16).toString("hex")}`;
      const expiresAt = now() + 15 * 60_000;
      sessions.set(token, expiresAt);
      return {
        status: 200,
        body: JSON.stringify({ id: `mes_${randomBytes(12).toString("hex")}`, object: "v2.billing.meter_event_session", authentication_token: token, created: new Date(now()).toISOString(), expires_at: new Date(expiresAt).toISOString(), livemode: false }),
      };
    }
    if (method === "POST" && path === "/v2/billing/meter_event_stream") {
      const token = authorization.replace(/^Bearer\s+/i, "");
      const expiresAt = sessions.get(token);
      if (expiresAt === undefined || expiresAt <= now()) {
        return stripeError(401, { type: "temporary_session_expired", code: "billing_meter_event_session_expired", message: "The meter event session has expired. Create a new session." });
      }
      const parsed = safeParseJson(body);
      const list = parsed.ok && typeof parsed.value === "object" && parsed.value !== null ? (parsed.value as { events?: unknown }).events : undefined;
      if (!Array.isArray(list) || list.length === 0 || list.length > 100) return stripeError(400, { type: "invalid_request_error", message: "events must hold between 1 and 100 meter events.", param: "events" });
      // Accepted whole, validated after: invalid events are reported asynchronously, duplicates dropped.
      for (const item of list as Record<string, unknown>[]) {
        const stamp = typeof item.timestamp === "string" ? Date.parse(item.timestamp) : Number.NaN;
        const checked = check({ event_name: item.event_name, identifier: item.identifier, payload: item.payload, timestamp: Number.isNaN(stamp) ? null : Math.floor(stamp / 1000) }, "v2");
        if ("error" in checked) {
          asyncErrors.push({ identifier: String(item.identifier ?? ""), reason: checked.error });
          continue;
        }
        if (identifiers.has(checked.event.identifier)) {
          duplicates += 1;
          continue;
        }
        identifiers.add(checked.event.identifier);
        events.push(checked.event);
      }
      return { status: 200, body: "{}" };
    }
    return stripeError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` });
  }

  const server = await listenFakeServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const method = request.method ?? "GET";
    const route = `${method} ${url.pathname.replace(/\/(mtr|cus)_[^/]+/, "/:id")}`;
    calls[route] = (calls[route] ?? 0) + 1;
    const body = await readRequestBody(request);
    const fault = faults.draw(url.pathname);
    if (fault && !fault.afterEffect) return faults.apply(fault, request, response, errorBody);
    const answer = handle(method, url.pathname, url.searchParams, request.headers, body);
    if (fault) return faults.apply(fault, request, response, errorBody);
    response.writeHead(answer.status, { "content-type": "application/json", "request-id": `req_${randomBytes(8).toString("hex")}` }).end(answer.body);
  }, () => faults.clear());
  const port = server.port;
  return {
    url: `http://127.0.0.1:${port}`,
    stripeConfig: { host: "127.0.0.1", port, protocol: "http" },
    meterEvents: events,
    calls,
    asyncErrors,
    injected: faults.injected,
    get duplicates() {
      return duplicates;
    },
    totals(eventName) {
      const grouped = new Map<string, string[]>();
      for (const event of events) if (event.event_name === eventName) grouped.set(event.customer, [...(grouped.get(event.customer) ?? []), event.value]);
      return new Map([...grouped].map(([customer, values]) => [customer, sumDecimalText(values)]));
    },
    failNext: (...list) => faults.failNext(...list),
    setFaults: (plan) => faults.setPlan(plan),
    addCustomer: (id) => customers.set(id, "active"),
    deleteCustomer: (id) => customers.set(id, "deleted"),
    expireSessions() {
      for (const token of sessions.keys()) sessions.set(token, 0);
    },
    close: () => server.close(),
  };
}
