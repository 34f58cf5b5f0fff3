import { StorageError, type UsageQuery, type UsageQueryRow } from "@usagepilot/core";
import type { DashboardAnomaly } from "./dashboard-anomaly";
import type { DashboardQuotaStatus } from "./dashboard-quota-status";
import { usageRowsToCsv } from "./export/usage-rows-to-csv";
import { errorResponse, jsonResponse, textResponse } from "./http/dashboard-responses";
import { parseUsageRequest, type UsageRequestLimits } from "./query/parse-usage-request";
import { scopeUsageQuery } from "./query/scope-usage-query";
import type { DashboardStorage } from "./query/tenant-scoped-storage";
import { requireDashboardLicense } from "./require-dashboard-license";
import type { DashboardAccess } from "./token/dashboard-access";
import { type DashboardSigningKey, resolveSigningKey } from "./token/dashboard-signing-key";
import { verifyDashboardToken } from "./token/verify-dashboard-token";
import { dashboardElementScript } from "./view/dashboard-element-script";
import { renderDashboardPage } from "./view/render-dashboard-page";

/** Options of `createDashboardHandler`. */
export interface DashboardHandlerOptions {
  /** Where usage is read: any storage with `query` (`PostgresStorage`, `MemoryStorage`...). */
  storage: DashboardStorage;
  /** The secret embed and operator tokens are signed with (HS256, at least 32 bytes). Give this or `keys`. */
  secret?: DashboardSigningKey;
  /**
   * More verification keys, tried after `secret`: old secrets while rotating, or public `CryptoKey`s of
   * tokens another service signs (EdDSA, ES256, RS256).
   */
  keys?: readonly DashboardSigningKey[];
  /** The path the handler is mounted at, e.g. "/usage". Default "" (the root). */
  basePath?: string;
  /**
   * Quota gauges: where the tenant stands against its budgets, e.g. `(dimensions) => usage.limits.status(dimensions)`.
   * Default: no gauges. Only statuses whose key names every dimension of the token, with its value, are shown.
   */
  quotaStatus?: (dimensions: Readonly<Record<string, string>>) => readonly DashboardQuotaStatus[] | Promise<readonly DashboardQuotaStatus[]>;
  /**
   * Recent anomalies for a tenant (its dimensions), or for every tenant (null, the operator view). Default:
   * none shown. For a tenant, only anomalies whose tenant names every dimension of the token, with its value, are shown.
   */
  anomalies?: (dimensions: Readonly<Record<string, string>> | null) => readonly DashboardAnomaly[] | Promise<readonly DashboardAnomaly[]>;
  /** The dimension that names a tenant in the operator view's tenant table. Default "organization_id". */
  tenantKey?: string;
  /** The dimension that names a user in the "top users" table. Default "user_id". */
  userKey?: string;
  /** The page's title. Default "Usage". */
  title?: string;
  /** Longest token lifetime accepted (exp − iat), seconds. Default 86400. */
  maxTokenLifetimeSeconds?: number;
  /** Bounds on one request's range and buckets; see `UsageRequestLimits`. */
  limits?: UsageRequestLimits;
  /** Origins whose pages may call the API (the web component on another site). Default none: same origin only. */
  allowedOrigins?: readonly string[];
  /** Who may frame the page (CSP frame-ancestors). Default ["'self'"]. */
  frameAncestors?: readonly string[];
  /** The Pro licence key. Default the USAGEPILOT_LICENSE_KEY environment variable. */
  licenseKey?: string;
  /** The licence-verifying public key (SPKI PEM). Default UsagePilot's; tests pass their own. */
  licensePublicKey?: string;
  /** Problems behind a 5xx answer (storage failures, callbacks that threw, a refused licence). Default console.error. */
  onError?: (error: unknown) => void;
}

/** A Web-standard request handler: mount it in Node (`createNodeListener`), Hono, Next.js route handlers, Deno or Bun. */
export type DashboardHandler = (request: Request) => Promise<Response>;

/**
 * True when the record names every dimension of the tenant with the same value: it is about this tenant or
 * a part of it (an organisation's token sees its users' budgets; a user's token does not see the organisation's).
 */
function isWithin(record: Readonly<Record<string, string | undefined>>, tenant: Readonly<Record<string, string>>): boolean {
  return Object.entries(tenant).every(([key, value]) => Object.hasOwn(record, key) && record[key] === value);
}

/**
 * The dashboard as one HTTP handler: the page (`/`), the web component (`/dashboard.js`), and the
 * token-guarded API: `/api/session`, `/api/usage?from&to&granularity&groupBy&where.<key>`,
 * `/api/export.csv` (same parameters), `/api/quotas`, `/api/anomalies`. A tenant token's dimensions
 * are ANDed into every query (and, on `PostgresStorage`, enforced again by row-level security); an
 * operator token sees every tenant. Requests carry the token as `Authorization: Bearer <token>`.
 *
 * @example
 * const dashboard = createDashboardHandler({ storage, secret: process.env.DASHBOARD_SECRET!, basePath: "/usage" });
 * // Next.js: app/usage/[[...path]]/route.ts
 * export const GET = dashboard;
 * // Hono: app.all("/usage/*", (c) => dashboard(c.req.raw));
 * // node:http: http.createServer(createNodeListener(dashboard)).listen(3000);
 */
export function createDashboardHandler(options: DashboardHandlerOptions): DashboardHandler {
  const keys = [...(options.secret === undefined ? [] : [options.secret]), ...(options.keys ?? [])];
  if (keys.length === 0) throw new TypeError("createDashboardHandler needs a `secret` or `keys` to verify tokens");
  // Refuse a weak or unsupported key now, not on the first request.
  for (const key of keys) resolveSigningKey(key);
  const storage = options.storage;
  if (typeof storage.query !== "function") throw new TypeError("createDashboardHandler needs a storage that answers `query`");
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const report = options.onError ?? ((error: unknown) => console.error(error));
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const tenantKey = options.tenantKey ?? "organization_id";
  const userKey = options.userKey ?? "user_id";
  const title = options.title ?? "Usage";
  const frameAncestors = (options.frameAncestors ?? ["'self'"]).join(" ");

  const license = requireDashboardLicense({ licenseKey: options.licenseKey, licensePublicKey: options.licensePublicKey });
  // Said once at start-up, where the operator looks; every answer then refuses with the same reason.
  license.catch(report);

  async function authenticate(request: Request): Promise<DashboardAccess | null> {
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return null;
    return verifyDashboardToken(match[1], { keys, ...(options.maxTokenLifetimeSeconds === undefined ? {} : { maxLifetimeSeconds: options.maxTokenLifetimeSeconds }) });
  }

  function readUsage(access: DashboardAccess, query: UsageQuery): Promise<UsageQueryRow[]> {
    if (access.kind === "operator") return storage.query!(query);
    const scoped = scopeUsageQuery(query, access.dimensions);
    // Where the storage can guard tenants itself (Postgres row-level security), it does so as well.
    return storage.forTenant ? storage.forTenant(access.dimensions).query(scoped) : storage.query!(scoped);
  }

  async function api(route: string, url: URL, access: DashboardAccess, cors: Record<string, string>): Promise<Response> {
    switch (route) {
      case "/api/session":
        return jsonResponse(
          200,
          {
            access: access.kind === "operator" ? { kind: "operator", expiresAt: access.expiresAt.toISOString() } : { kind: "tenant", dimensions: access.dimensions, expiresAt: access.expiresAt.toISOString() },
            features: { quotas: options.quotaStatus !== undefined && access.kind === "tenant", anomalies: options.anomalies !== undefined },
            tenantKey,
            userKey,
            title,
          },
          cors,
        );
      case "/api/usage":
      case "/api/export.csv": {
        const parsed = parseUsageRequest(url.searchParams, options.limits);
        if (!parsed.ok) return errorResponse(400, "bad_request", parsed.error, cors);
        const rows = await readUsage(access, parsed.query);
        const { from, to, granularity, groupBy } = parsed.query;
        if (route === "/api/usage") return jsonResponse(200, { from: from.toISOString(), to: to.toISOString(), granularity, groupBy, rows }, cors);
        const name = `usage-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv`;
        return textResponse(200, usageRowsToCsv(rows, groupBy), "text/csv; charset=utf-8", { ...cors, "content-disposition": `attachment; filename="${name}"` });
      }
      case "/api/quotas": {
        if (!options.quotaStatus || access.kind === "operator") return jsonResponse(200, { quotas: [] }, cors);
        const statuses = await options.quotaStatus(access.dimensions);
        return jsonResponse(200, { quotas: statuses.filter((status) => isWithin(status.key, access.dimensions)) }, cors);
      }
      case "/api/anomalies": {
        if (!options.anomalies) return jsonResponse(200, { anomalies: [] }, cors);
        const found = await options.anomalies(access.kind === "operator" ? null : access.dimensions);
        const visible = access.kind === "operator" ? found : found.filter((anomaly) => isWithin(anomaly.tenant, access.dimensions));
        return jsonResponse(200, { anomalies: [...visible].sort((a, b) => b.at.localeCompare(a.at)).slice(0, 50) }, cors);
      }
      default:
        return errorResponse(404, "not_found", "No such dashboard route", cors);
    }
  }

  async function answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (basePath !== "" && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return errorResponse(404, "not_found", "Not a dashboard path");
    const route = url.pathname.slice(basePath.length) || "";
    const origin = request.headers.get("origin");
    const cors: Record<string, string> =
      origin !== null && allowedOrigins.has(origin) ? { "access-control-allow-origin": origin, "access-control-allow-headers": "authorization", "access-control-allow-methods": "GET", vary: "origin" } : {};
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    if (request.method !== "GET" && request.method !== "HEAD") return errorResponse(405, "method_not_allowed", "The dashboard only reads", { allow: "GET, HEAD, OPTIONS" });

    try {
      await license;
    } catch (error) {
      return errorResponse(403, "license", error instanceof Error ? error.message : String(error), cors);
    }

    if (route === "") return new Response(null, { status: 308, headers: { location: `${basePath}/${url.search}` } });
    if (route === "/") {
      const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
      return textResponse(200, renderDashboardPage({ title, apiBase: basePath, nonce }), "text/html; charset=utf-8", {
        "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors}`,
      });
    }
    if (route === "/dashboard.js") return textResponse(200, dashboardElementScript(), "text/javascript; charset=utf-8", cors);
    if (!route.startsWith("/api/")) return errorResponse(404, "not_found", "No such dashboard route", cors);

    const access = await authenticate(request);
    if (!access) return errorResponse(401, "invalid_token", "A valid, unexpired dashboard token is required", { ...cors, "www-authenticate": 'Bearer error="invalid_token"' });
    return api(route, url, access, cors);
  }

  return async (request) => {
    try {
      return await answer(request);
    } catch (error) {
      report(error);
      const unavailable = StorageError.isInstance(error);
      // The details (which may name hosts or SQL) go to onError, not to the browser.
      return errorResponse(unavailable ? 503 : 500, unavailable ? "storage_unavailable" : "internal", unavailable ? "Usage could not be read right now" : "The dashboard could not answer");
    }
  };
}
