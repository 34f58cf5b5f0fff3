import { MemoryStorage, type UsageQuery, type UsageQueryRow } from "@usagepilot/core";
import { createTestEvent, testTokens } from "@usagepilot/core/test";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestLicense } from "../test/test-license";
import { createDashboardHandler, type DashboardHandlerOptions } from "./create-dashboard-handler";
import type { DashboardAnomaly } from "./dashboard-anomaly";
import type { DashboardQuotaStatus } from "./dashboard-quota-status";
import { createEmbedToken } from "./token/create-embed-token";
import { createOperatorToken } from "./token/create-operator-token";

const secret = "a-test-secret-that-is-at-least-32-bytes-long";
const day = Date.UTC(2026, 5, 3);
const range = "from=2026-06-01&to=2026-06-08";
const storage = new MemoryStorage();
let license: { licenseKey: string; licensePublicKey: string };

beforeAll(async () => {
  license = await createTestLicense();
  await storage.write([
    createTestEvent({ timestamp: new Date(day + 3_600_000).toISOString(), dimensions: { organization_id: "org-1", user_id: "alice", feature: "chat" }, usage: testTokens(100, 20), cost: { amount: "0.0015", currency: "USD", priceSource: "test" } }),
    createTestEvent({ timestamp: new Date(day + 7_200_000).toISOString(), dimensions: { organization_id: "org-1", user_id: "bob", feature: "analysis" }, model: "gpt-4o", usage: null, cost: null }),
    createTestEvent({ timestamp: new Date(day + 86_400_000).toISOString(), dimensions: { organization_id: "org-2", user_id: "mallory" }, usage: testTokens(9000, 900), cost: { amount: "0.25", currency: "USD", priceSource: "test" } }),
  ]);
});

function handler(overrides: Partial<DashboardHandlerOptions> = {}) {
  return createDashboardHandler({ storage, secret, ...license, onError: () => {}, ...overrides });
}

async function get(target: ReturnType<typeof handler>, path: string, token?: string, headers: Record<string, string> = {}) {
  return target(new Request(`http://dashboard.test${path}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } }));
}

const tenantToken = () => createEmbedToken({ secret, dimensions: { organization_id: "org-1" } });

describe("createDashboardHandler", () => {
  it("answers the API only with a valid token", async () => {
    const dashboard = handler();
    expect((await get(dashboard, `/api/usage?${range}`)).status).toBe(401);
    const forged = await createEmbedToken({ secret: "someone-elses-secret-of-32-bytes-or-more", dimensions: { organization_id: "org-2" } });
    const expired = await createEmbedToken({ secret, dimensions: { organization_id: "org-2" }, expiresIn: -1 });
    for (const token of [forged, expired, "garbage"]) {
      const response = await get(dashboard, `/api/usage?${range}`, token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("invalid_token");
      expect(await response.text()).not.toContain("org-2");
    }
  });

  it("gives a tenant its own totals, whatever the request's where and groupBy ask", async () => {
    const dashboard = handler();
    const token = await tenantToken();
    const answer = (await (await get(dashboard, `/api/usage?${range}&granularity=total`, token)).json()) as { rows: UsageQueryRow[] };
    expect(answer.rows).toEqual([
      expect.objectContaining({ events: 2, unmeasuredEvents: 1, inputTokens: 100, outputTokens: 20, costUsd: "0.0015", unpricedEvents: 1 }),
    ]);
    const widened = (await (await get(dashboard, `/api/usage?${range}&granularity=total&groupBy=organization_id,user_id&where.organization_id=org-2&where.organization_id=org-1`, token)).json()) as { rows: UsageQueryRow[] };
    expect(widened.rows.map((row) => row.group)).toEqual([
      { organization_id: "org-1", user_id: "alice" },
      { organization_id: "org-1", user_id: "bob" },
    ]);
    const onlyOther = (await (await get(dashboard, `/api/usage?${range}&where.organization_id=org-2`, token)).json()) as { rows: UsageQueryRow[] };
    expect(onlyOther.rows.map((row) => [row.period, row.events])).toEqual([["2026-06-03T00:00:00.000Z", 2]]);
    expect(JSON.stringify(onlyOther)).not.toContain("mallory");
  });

  it("uses the storage's own tenant guard when it has one, with the tenant's where already applied", async () => {
    const seen: { tenant: Readonly<Record<string, string>>; query: UsageQuery }[] = [];
    const guarded = {
      query: () => Promise.reject(new Error("an unscoped read for a tenant")),
      forTenant: (tenant: Readonly<Record<string, string>>) => ({
        query: (query: UsageQuery) => {
          seen.push({ tenant, query });
          return storage.query(query);
        },
      }),
    };
    const response = await get(handler({ storage: guarded }), `/api/usage?${range}&where.organization_id=org-2`, await tenantToken());
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ tenant: { organization_id: "org-1" }, query: expect.objectContaining({ where: { organization_id: "org-1" } }) }]);
  });

  it("lets an operator token read every tenant", async () => {
    const answer = (await (await get(handler(), `/api/usage?${range}&granularity=total&groupBy=organization_id`, await createOperatorToken({ secret }))).json()) as { rows: UsageQueryRow[] };
    expect(answer.rows.map((row) => [row.group.organization_id, row.events, row.costUsd])).toEqual([
      ["org-1", 2, "0.0015"],
      ["org-2", 1, "0.25"],
    ]);
  });

  it("exports the tenant's rows as CSV, with unknowns spelled out", async () => {
    const response = await get(handler(), `/api/export.csv?${range}&granularity=day&groupBy=user_id`, await tenantToken());
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="usage-2026-06-01-2026-06-08.csv"');
    expect((await response.text()).split("\r\n")).toEqual([
      "period,user_id,events,unmeasured_events,input_tokens,output_tokens,cached_input_tokens,cache_write_input_tokens,reasoning_tokens,cost_usd,unpriced_events",
      "2026-06-03T00:00:00.000Z,alice,1,0,100,20,0,0,0,0.0015,0",
      "2026-06-03T00:00:00.000Z,bob,1,1,not measured,not measured,not measured,not measured,not measured,no price,1",
      "",
    ]);
  });

  it("shows a tenant only the quotas and anomalies that are its own", async () => {
    const statuses: DashboardQuotaStatus[] = [
      { rule: "org-month", action: "block", key: { organization_id: "org-1" }, window: { id: "2026-06", start: "2026-06-01T00:00:00Z", resetsAt: "2026-07-01T00:00:00Z" }, metrics: [{ metric: "tokens", limit: 1000, used: 120, reserved: 0, remaining: 880 }] },
      { rule: "org-month", action: "block", key: { organization_id: "org-2" }, window: { id: "2026-06", start: "2026-06-01T00:00:00Z", resetsAt: "2026-07-01T00:00:00Z" }, metrics: [{ metric: "tokens", limit: 1000, used: 990, reserved: 0, remaining: 10 }] },
      { rule: "feature-hour", action: "notify", key: { feature: "chat" }, window: { id: "rolling", start: "2026-06-03T00:00:00Z", resetsAt: "2026-06-03T01:00:00Z" }, metrics: [{ metric: "requests", limit: 10, used: 1, reserved: 0, remaining: 9 }] },
    ];
    const anomalies: DashboardAnomaly[] = [
      { id: "a1", kind: "request-anomaly", tenant: { organization_id: "org-1" }, message: "one request far above the norm", at: "2026-06-03T02:00:00Z", values: { tokens: 90000 } },
      { id: "a2", kind: "window-anomaly", tenant: { organization_id: "org-2" }, message: "runaway loop", at: "2026-06-04T02:00:00Z", values: { tokens: 1 } },
    ];
    const asked: unknown[] = [];
    const dashboard = handler({
      quotaStatus: (dimensions) => {
        asked.push(dimensions);
        return statuses;
      },
      anomalies: async (dimensions) => {
        asked.push(dimensions);
        return anomalies;
      },
    });
    const token = await tenantToken();
    expect(await (await get(dashboard, "/api/quotas", token)).json()).toEqual({ quotas: [statuses[0]] });
    expect(await (await get(dashboard, "/api/anomalies", token)).json()).toEqual({ anomalies: [anomalies[0]] });
    expect(await (await get(dashboard, "/api/anomalies", await createOperatorToken({ secret }))).json()).toEqual({ anomalies: [anomalies[1], anomalies[0]] });
    expect(asked).toEqual([{ organization_id: "org-1" }, { organization_id: "org-1" }, null]);
    // A token for one user of org-1 sees neither the organisation's budget nor its anomalies.
    const userToken = await createEmbedToken({ secret, dimensions: { organization_id: "org-1", user_id: "alice" } });
    expect(await (await get(dashboard, "/api/quotas", userToken)).json()).toEqual({ quotas: [] });
    expect(await (await get(dashboard, "/api/anomalies", userToken)).json()).toEqual({ anomalies: [] });
    const session = (await (await get(dashboard, "/api/session", token)).json()) as { access: unknown; features: unknown };
    expect(session).toMatchObject({ access: { kind: "tenant", dimensions: { organization_id: "org-1" } }, features: { quotas: true, anomalies: true } });
  });

  it("refuses bad parameters and writes", async () => {
    const token = await tenantToken();
    const bad = await get(handler(), "/api/usage?granularity=minute", token);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "bad_request" });
    expect((await handler()(new Request("http://dashboard.test/api/usage", { method: "POST", headers: { authorization: `Bearer ${token}` } }))).status).toBe(405);
    expect((await get(handler(), "/api/nothing", token)).status).toBe(404);
  });

  it("serves the page under its base path with a strict CSP, and the element script", async () => {
    const dashboard = handler({ basePath: "/usage/" });
    expect((await get(dashboard, "/usage")).headers.get("location")).toBe("/usage/");
    const page = await get(dashboard, "/usage/");
    const html = await page.text();
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain('<usagepilot-dashboard api="/usage">');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(html).not.toMatch(/<script[^>]+src=|<link/);
    const script = await get(dashboard, "/usage/dashboard.js");
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain('customElements.define("usagepilot-dashboard"');
    expect((await get(dashboard, "/elsewhere")).status).toBe(404);
  });

  it("lets only the allowed origins call it from another site", async () => {
    const dashboard = handler({ allowedOrigins: ["https://app.example"] });
    const token = await tenantToken();
    const allowed = await get(dashboard, `/api/session`, token, { origin: "https://app.example" });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const other = await get(dashboard, `/api/session`, token, { origin: "https://evil.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses to serve without a valid Pro licence, and says why once", async () => {
    const errors: unknown[] = [];
    const dashboard = createDashboardHandler({ storage, secret, licenseKey: "not-a-licence", licensePublicKey: license.licensePublicKey, onError: (error) => errors.push(error) });
    const response = await get(dashboard, `/api/usage?${range}`, await tenantToken());
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toMatch(/needs a valid UsagePilot licence/);
    expect((await get(dashboard, "/")).status).toBe(403);
    expect(errors).toHaveLength(1);
  });

  it("answers 503 without details when the storage fails, and reports the cause", async () => {
    const errors: unknown[] = [];
    const { StorageError } = await import("@usagepilot/core");
    const failing = { query: () => Promise.reject(new StorageError({ message: "connect ECONNREFUSED 10.0.0.5:5432", eventCount: 0, attempt: 1 })) };
    const response = await get(handler({ storage: failing, onError: (error) => errors.push(error) }), `/api/usage?${range}`, await tenantToken());
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain("10.0.0.5");
    expect(errors).toHaveLength(1);
  });

  it("refuses to start without a key, with a weak secret, or without a queryable storage", () => {
    expect(() => createDashboardHandler({ storage, ...license })).toThrow(/secret/);
    expect(() => createDashboardHandler({ storage, secret: "short", ...license })).toThrow(/32 bytes/);
    expect(() => createDashboardHandler({ storage: {}, secret, ...license })).toThrow(/query/);
  });
});
