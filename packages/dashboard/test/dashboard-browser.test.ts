import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { formatDecimal, parseDecimal, UsagePilot } from "@usagepilot/core";
import { PostgresStorage } from "@usagepilot/postgres";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedTestDatabase } from "../../postgres/test/exclusive-server";
import { withClient } from "../../postgres/test/stored-totals";
import { createDashboardHandler, createEmbedToken, createNodeListener, createOperatorToken } from "../src/index";
import { decodePng } from "./decode-png";
import { createTestLicense } from "./test-license";

const secret = "browser-test-secret-of-at-least-32-bytes";
const screenshots = join(tmpdir(), "usagepilot-dashboard-screenshots");
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

/** Three tenants: org-1 with priced and unmeasured calls, org-2 with a big bill, org-3 with nothing measured or priced. */
async function seed(storage: PostgresStorage): Promise<void> {
  const usage = new UsagePilot<{ organization_id: string; user_id: string; feature?: string }>({ storage, providers: [], onError: (error) => console.error(error) });
  const tokens = (input: number, output: number) => ({ inputTokens: input, outputTokens: output, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 });
  await usage.track({ dimensions: { organization_id: "org-1", user_id: "alice", feature: "chat" }, provider: "openai", operation: "chat", model: "gpt-4o-mini", usage: tokens(1200, 300), cost: "0.000360", timestamp: hoursAgo(50) });
  await usage.track({ dimensions: { organization_id: "org-1", user_id: "alice", feature: "chat" }, provider: "openai", operation: "chat", model: "gpt-4o-mini", usage: tokens(800, 200), cost: "0.000240", timestamp: hoursAgo(26) });
  await usage.track({ dimensions: { organization_id: "org-1", user_id: "bob", feature: "analysis" }, provider: "openai", operation: "chat", model: "gpt-4o", usage: tokens(5000, 800), cost: "0.020500", timestamp: hoursAgo(3) });
  await usage.track({ dimensions: { organization_id: "org-1", user_id: "bob", feature: "analysis" }, model: "in-house-ranker", units: { documents: 40 }, timestamp: hoursAgo(2) });
  await usage.track({ dimensions: { organization_id: "org-2", user_id: "mallory", feature: "analysis" }, provider: "openai", operation: "chat", model: "gpt-4o", usage: tokens(987654, 12345), cost: "7.777777", timestamp: hoursAgo(5) });
  await usage.track({ dimensions: { organization_id: "org-3", user_id: "hobbyist" }, model: "local-llm", timestamp: hoursAgo(4) });
  await usage.shutdown();
}

/** The tenant's totals read straight from the table as its owner, not through the code under test. */
type Totals = { events: string; input: string | null; output: string | null; cost: string | null };
const totalsSql = `SELECT count(*)::text AS events, sum(input_tokens)::text AS input, sum(output_tokens)::text AS output, sum(cost_usd)::text AS cost
  FROM usagepilot.events WHERE dimensions @> $1::jsonb`;

async function dashboardReady(page: Page): Promise<string> {
  await page.waitForSelector("usagepilot-dashboard[data-state=ready], usagepilot-dashboard[data-state=denied]", { timeout: 15_000 });
  return (await page.locator("usagepilot-dashboard").getAttribute("data-state")) ?? "";
}

function describeBrowser(name: string, open: () => Promise<{ storage: PostgresStorage; totals(organization: string): Promise<Totals>; close(): Promise<void> }>) {
  describe(`the dashboard in Chromium (${name})`, () => {
    let browser: Browser;
    let server: Server;
    let base: string;
    let context: Awaited<ReturnType<typeof open>>;

    beforeAll(async () => {
      context = await open();
      await seed(context.storage);
      const license = await createTestLicense();
      const handler = createDashboardHandler({
        storage: context.storage,
        secret,
        basePath: "/usage",
        ...license,
        onError: (error) => console.error(error),
        // Shaped as core's limits.status() and alerts would give them; the handler filters them per tenant.
        quotaStatus: (dimensions) => [
          { rule: "org-month", action: "block", key: { organization_id: dimensions.organization_id ?? "" }, window: { id: "2026-11", start: "2026-11-01T00:00:00Z", resetsAt: "2026-12-01T00:00:00Z" }, metrics: [{ metric: "costUsd", limit: "5.00", used: "4.5", reserved: "0", remaining: "0.5" }] },
        ],
        anomalies: () => [
          { id: "a1", kind: "request-anomaly", tenant: { organization_id: "org-1" }, message: "bob: one request far above the usual", at: hoursAgo(3).toISOString(), values: { tokens: 5800 } },
          { id: "a2", kind: "window-anomaly", tenant: { organization_id: "org-2" }, message: "mallory: runaway loop", at: hoursAgo(5).toISOString(), values: { tokens: 999_999 } },
        ],
      });
      server = createServer(createNodeListener(handler));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/usage/`;
      browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
      mkdirSync(screenshots, { recursive: true });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => server?.close(resolve));
      await context?.close();
    });

    async function openWith(token: string): Promise<Page> {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(`${base}#token=${token}`);
      return page;
    }

    it("shows a tenant its own totals, exactly as stored, and nobody else's", async () => {
      const page = await openWith(await createEmbedToken({ secret, dimensions: { organization_id: "org-1" }, expiresIn: "5m" }));
      expect(await dashboardReady(page)).toBe("ready");
      const stored = await context.totals("org-1");
      const tile = (id: string) => page.locator(`usagepilot-dashboard [data-testid=${id}]`);
      expect(await tile("total-cost").getAttribute("data-value")).toBe(formatDecimal(parseDecimal(stored.cost!)));
      expect(await tile("input-tokens").getAttribute("data-value")).toBe(stored.input);
      expect(await tile("output-tokens").getAttribute("data-value")).toBe(stored.output);
      expect(await tile("requests").getAttribute("data-value")).toBe(stored.events);
      expect(await tile("total-cost").locator(".value").textContent()).toBe("$0.0211");
      expect(await tile("input-tokens").locator(".value").textContent()).toBe("7,000");
      expect(await tile("input-tokens").locator(".note").textContent()).toBe("1 call(s) not measured, not included");
      expect(await tile("total-cost").locator(".note").textContent()).toBe("1 call(s) with no price, not included");
      expect(await page.locator("usagepilot-dashboard [data-testid=scope]").textContent()).toBe("organization_id: org-1");
      expect(await page.locator("usagepilot-dashboard [data-testid=top-users] tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-key")))).toEqual(["bob", "alice"]);
      expect(await page.locator("usagepilot-dashboard [data-testid=by-model] svg rect").count()).toBeGreaterThan(2);
      expect(await page.locator("usagepilot-dashboard [data-testid=quotas] .gauge").first().textContent()).toContain("org-month · costUsd: $4.50 of $5.00");
      expect(await page.locator("usagepilot-dashboard [data-testid=anomalies] li").allTextContents()).toEqual([expect.stringContaining("bob: one request far above the usual")]);
      const text = await page.locator("usagepilot-dashboard").evaluate((element) => element.shadowRoot!.textContent ?? "");
      expect(text).not.toMatch(/mallory|org-2|987,654|7\.7777/);
      expect(page.url()).not.toContain("token=");

      const png = await page.screenshot({ fullPage: true });
      const file = join(screenshots, `org-1-${name.replace(/\W+/g, "-")}.png`);
      writeFileSync(file, png);
      const { width, height, pixels } = decodePng(png);
      const colours = new Set<number>();
      let drawn = 0;
      for (let index = 0; index < width * height; index += 1) {
        const [red, green, blue] = [pixels[index * 4]!, pixels[index * 4 + 1]!, pixels[index * 4 + 2]!];
        colours.add((red << 16) | (green << 8) | blue);
        // Neither the page background (#f8fafc) nor the cards' white.
        if (!(red === 0xf8 && green === 0xfa && blue === 0xfc) && !(red === 255 && green === 255 && blue === 255)) drawn += 1;
      }
      expect(width).toBeGreaterThanOrEqual(1200);
      expect(colours.size).toBeGreaterThan(20);
      expect(drawn / (width * height)).toBeGreaterThan(0.02);

      // The export button downloads the tenant's rows as CSV, unknowns spelled out.
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("usagepilot-dashboard [data-testid=export]").click()]);
      expect(download.suggestedFilename()).toMatch(/^usage-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = readFileSync((await download.path())!, "utf8").split("\r\n");
      expect(csv[0]).toBe("period,model,events,unmeasured_events,input_tokens,output_tokens,cached_input_tokens,cache_write_input_tokens,reasoning_tokens,cost_usd,unpriced_events,units.documents");
      expect(csv.filter((line) => line.includes(",in-house-ranker,"))).toEqual([expect.stringMatching(/,in-house-ranker,1,1,not measured,not measured,not measured,not measured,not measured,no price,1,40$/)]);
      expect(csv.slice(1, -1).reduce((sum, line) => sum + Number(line.split(",")[2]), 0)).toBe(Number(stored.events));
      expect(csv.join("\n")).not.toMatch(/mallory|7\.77/);
      await page.close();
    });

    it("says 'not measured' and 'no price' for a tenant with unknown usage, never $0", async () => {
      const page = await openWith(await createEmbedToken({ secret, dimensions: { organization_id: "org-3" } }));
      expect(await dashboardReady(page)).toBe("ready");
      const value = (id: string) => page.locator(`usagepilot-dashboard [data-testid=${id}] .value`).textContent();
      expect(await value("total-cost")).toBe("no price");
      expect(await value("input-tokens")).toBe("not measured");
      expect(await value("requests")).toBe("1");
      const text = await page.locator("usagepilot-dashboard").evaluate((element) => element.shadowRoot!.textContent ?? "");
      expect(text).not.toContain("$0");
      await page.close();
    });

    it("shows nothing of another tenant to a forged, tampered or expired token", async () => {
      const forged = await createEmbedToken({ secret: "an-attackers-own-secret-32-bytes-long!!", dimensions: { organization_id: "org-2" } });
      const expired = await createEmbedToken({ secret, dimensions: { organization_id: "org-2" }, expiresIn: -30 });
      const [header, , signature] = (await createEmbedToken({ secret, dimensions: { organization_id: "org-1" } })).split(".");
      const payload = Buffer.from(JSON.stringify({ scope: "tenant", dimensions: { organization_id: "org-2" }, aud: "usagepilot-dashboard", iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300 })).toString("base64url");
      for (const token of [forged, expired, `${header}.${payload}.${signature}`]) {
        const page = await openWith(token);
        expect(await dashboardReady(page)).toBe("denied");
        const text = await page.locator("usagepilot-dashboard").evaluate((element) => element.shadowRoot!.textContent ?? "");
        expect(text).toContain("not valid or has expired");
        expect(text).not.toMatch(/mallory|987|7\.77/);
        // The API refuses the same token outright, whatever it asks for.
        const status = await page.evaluate(async (bearer) => (await fetch("api/usage?where.organization_id=org-2", { headers: { authorization: `Bearer ${bearer}` } })).status, token);
        expect(status).toBe(401);
        await page.close();
      }
    });

    it("lets a tenant's token ask for another tenant's rows and get only its own", async () => {
      const token = await createEmbedToken({ secret, dimensions: { organization_id: "org-1" } });
      const page = await openWith(token);
      await dashboardReady(page);
      const rows = await page.evaluate(async (bearer) => {
        const response = await fetch("api/usage?granularity=total&groupBy=organization_id,user_id&where.organization_id=org-2", { headers: { authorization: `Bearer ${bearer}` } });
        return ((await response.json()) as { rows: { group: Record<string, string> }[] }).rows.map((row) => row.group);
      }, token);
      expect(rows).toEqual([
        { organization_id: "org-1", user_id: "alice" },
        { organization_id: "org-1", user_id: "bob" },
      ]);
      await page.close();
    });

    it("shows the operator every tenant", async () => {
      const page = await openWith(await createOperatorToken({ secret }));
      expect(await dashboardReady(page)).toBe("ready");
      expect(await page.locator("usagepilot-dashboard [data-testid=tenants] tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-key")))).toEqual(["org-2", "org-1", "org-3"]);
      let events = 0;
      for (const organization of ["org-1", "org-2", "org-3"]) events += Number((await context.totals(organization)).events);
      expect(await page.locator("usagepilot-dashboard [data-testid=requests]").getAttribute("data-value")).toBe(String(events));
      await page.close();
    });
  });
}

describeBrowser("PGlite", async () => {
  const pglite = new PGlite("memory://");
  return {
    storage: new PostgresStorage({ pglite }),
    totals: async (organization) => (await pglite.query<Totals>(totalsSql, [JSON.stringify({ organization_id: organization })])).rows[0]!,
    close: () => pglite.close(),
  };
});

describeBrowser("PostgreSQL", async () => {
  const database = await createGuardedTestDatabase();
  const storage = new PostgresStorage({ connectionString: database.url });
  return {
    storage,
    totals: (organization) => withClient(database.url, async (client) => (await client.query<Totals>(totalsSql, [JSON.stringify({ organization_id: organization })])).rows[0]!),
    async close() {
      await storage.close();
      await database.drop();
    },
  };
});
