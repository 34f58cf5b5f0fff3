import { rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createDashboardHandler, createEmbedToken, createNodeListener, createOperatorToken } from "@usagepilot/dashboard";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { type AlertV1, createOpenAIAdapter, UsagePilot, type UsageQueryRow } from "usagepilot";
import { PostgresStorage } from "usagepilot/postgres";
import { demoTenants, type DemoTenant } from "./demo-tenants";
import { evaluationLicense } from "./evaluation-license";
import { fakeProviderAnswer } from "./fake-provider-answer";
import { simulateTraffic, type TrafficResult } from "./simulate-traffic";
import { type DemoDimensions, startSaasBackend } from "./start-saas-backend";

/** Token totals per organisation. */
export type TenantTotals = Record<string, { calls: number; inputTokens: number; outputTokens: number }>;

/** A running demo, after its traffic: the numbers, and where to look. */
export interface DemoRun {
  tenants: DemoTenant[];
  /** Per organisation and user, as stored. */
  rows: UsageQueryRow[];
  /** What the fake provider served per organisation (null against a real provider). */
  served: TenantTotals | null;
  traffic: TrafficResult;
  alerts: AlertV1[];
  /** The operator dashboard (every tenant) and one tenant's embedded view. */
  dashboard: { operatorURL: string; tenantURL: string };
  /** Flushes every event and stops the servers. */
  close(): Promise<void>;
}

/** Plans of the demo's customers: monthly token budgets (null = no limit). */
const plans: Record<string, number | null> = { "solo-dev": 10_000 };

/**
 * The demo: a multi-tenant SaaS backend metering its AI calls with UsagePilot (embedded PGlite storage,
 * per-tenant quotas, an anomaly detector), the fake provider (or OpenAI with `apiKey`), a traffic
 * simulator, and the dashboard.
 */
export async function runDemo(options: { dataDir?: string; apiKey?: string; provider?: "openai" | "anthropic" | "google"; scale?: number; port?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<DemoRun> {
  const tenants = demoTenants(options.scale ?? (options.apiKey ? 0.1 : 1));
  const dataDir = options.dataDir ?? ".usagepilot/demo";
  // Every run starts from an empty database, so the hobbyist's month starts fresh and the numbers are this run's.
  rmSync(dataDir, { recursive: true, force: true });
  const fake: FakeLlmServer | undefined = options.apiKey ? undefined : await createFakeLlmServer({ answer: fakeProviderAnswer(tenants) });
  const storage = new PostgresStorage({ dataDir });
  const errors: unknown[] = [];

  const usage = new UsagePilot<DemoDimensions>({
    storage,
    // Against the fake server, its address is claimed as OpenAI; with a key, the defaults meet api.openai.com.
    ...(fake ? { providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: fake.baseURL, provider: "openai" }] })] } : {}),
    batchSize: 50,
    flushInterval: 1_000,
    limits: {
      rules: [{ name: "plan-monthly-tokens", key: ["organization_id"], window: "month", max: {}, action: "block" }],
      resolveMax: (_rule, dimensions) => {
        const tokens = plans[dimensions.organization_id ?? ""];
        return tokens === undefined || tokens === null ? null : { tokens };
      },
    },
    alerts: {
      // Demo-sized windows (half a second) so a baseline forms within seconds; production would use hours.
      anomaly: { key: ["organization_id"], windowMs: 500, minHistory: 3, requestFactor: 8, minRequests: 5 },
      // A Slack-compatible webhook would go here: webhook: { url: process.env.SLACK_WEBHOOK_URL }.
    },
    onError: (error) => errors.push(error),
  });

  const secret = randomBytes(32).toString("hex");
  const license = await evaluationLicense();
  const dashboard = createDashboardHandler({
    storage,
    secret,
    basePath: "/dashboard",
    title: "Demo SaaS — AI usage",
    quotaStatus: (dimensions) => usage.limits.status(dimensions),
    anomalies: (dimensions) => usage.alerts.recent(dimensions),
    ...license,
    onError: (error) => errors.push(error),
  });
  const dashboardListener = createNodeListener(dashboard);
  const backend = await startSaasBackend({
    usage,
    ...(options.port === undefined ? {} : { port: options.port }),
    provider: fake ? { baseURL: fake.baseURL, apiKey: "sk-demo", stripTenantHeaders: false } : { kind: options.provider ?? "openai", baseURL: undefined, apiKey: options.apiKey!, stripTenantHeaders: true },
    extra: (request, response) => {
      if (request.url?.startsWith("/dashboard")) dashboardListener(request, response);
      else {
        response.writeHead(302, { location: "/dashboard/" });
        response.end();
      }
    },
  });

  const runStarted = new Date(Date.now() - 1_000);
  const traffic = await simulateTraffic({ backendURL: backend.url, tenants, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  await usage.flush();
  const rows = await usage.query({ from: runStarted, to: new Date(Date.now() + 3_600_000), groupBy: ["organization_id", "user_id"] });
  const operatorToken = await createOperatorToken({ secret, expiresIn: "12h" });
  const tenantToken = await createEmbedToken({ secret, dimensions: { organization_id: "globex" }, expiresIn: "12h" });
  return {
    tenants,
    rows,
    served: fake ? servedPerTenant(fake) : null,
    traffic,
    alerts: usage.alerts.recent(),
    dashboard: { operatorURL: `${backend.url}/dashboard/#token=${operatorToken}`, tenantURL: `${backend.url}/dashboard/#token=${tenantToken}` },
    async close() {
      await usage.shutdown();
      await backend.close();
      await fake?.close();
      if (errors.length > 0 && process.env.USAGEPILOT_DEMO_DEBUG) console.error(errors);
    },
  };
}

/** The fake provider's own count: each request it received and the usage it put on the wire, by tenant header. */
function servedPerTenant(server: FakeLlmServer): TenantTotals {
  const totals: TenantTotals = {};
  server.requests.forEach((request, index) => {
    const served = server.served[index];
    const organization = request.headers["x-org-id"] ?? "(none)";
    const usage = served?.usage as { prompt_tokens?: number; completion_tokens?: number } | null | undefined;
    if (!usage) return;
    const total = (totals[organization] ??= { calls: 0, inputTokens: 0, outputTokens: 0 });
    total.calls += 1;
    total.inputTokens += usage.prompt_tokens ?? 0;
    total.outputTokens += usage.completion_tokens ?? 0;
  });
  return totals;
}
