import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { aggregateEvents, type UsageEvent, type UsageQuery, UsagePilot } from "@usagepilot/core";
import { PostgresStorage } from "@usagepilot/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedTestDatabase } from "../../postgres/test/exclusive-server";
import { withClient } from "../../postgres/test/stored-totals";
import { createTestLicense, runBin, startBin } from "./run-bin";

const folder = mkdtempSync(join(tmpdir(), "usagepilot-cli-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const journal = JSON.parse(readFileSync(fileURLToPath(new URL("../../postgres/drizzle/meta/_journal.json", import.meta.url)), "utf8")) as { entries: unknown[] };
const range = { from: "2026-03-01", to: "2026-04-01" };

/** Three tenants through UsagePilot: priced and measured (org-1), big (org-2), nothing measured or priced (org-3). */
async function seed(storage: PostgresStorage): Promise<UsageEvent[]> {
  const usage = new UsagePilot<{ organization_id: string; user_id: string }>({ storage, providers: [] });
  const tokens = (input: number, output: number) => ({ inputTokens: input, outputTokens: output, cachedInputTokens: 100, cacheWriteInputTokens: 0, reasoningTokens: 0 });
  const events = [
    await usage.track({ dimensions: { organization_id: "org-1", user_id: "alice" }, model: "gpt-4o-mini", usage: tokens(1200, 300), cost: "0.00036", timestamp: new Date("2026-03-02T10:00:00Z") }),
    await usage.track({ dimensions: { organization_id: "org-1", user_id: "bob" }, model: "gpt-4o", usage: tokens(5000, 800), cost: "0.0205", timestamp: new Date("2026-03-15T10:30:00Z") }),
    await usage.track({ dimensions: { organization_id: "org-2", user_id: "carol" }, model: "gpt-4o", usage: tokens(987654, 12345), cost: "7.777777", timestamp: new Date("2026-03-20T00:00:00Z") }),
    await usage.track({ dimensions: { organization_id: "org-3", user_id: "dave" }, model: "local-llm", timestamp: new Date("2026-03-21T00:00:00Z") }),
    // Outside the range: must not be counted.
    await usage.track({ dimensions: { organization_id: "org-1", user_id: "alice" }, usage: tokens(999, 1), cost: "1", timestamp: new Date("2026-04-01T00:00:00Z") }),
  ];
  await usage.shutdown();
  return events;
}

function expectedRows(events: readonly UsageEvent[], query: Partial<UsageQuery> = {}) {
  return JSON.parse(JSON.stringify(aggregateEvents(events, { from: `${range.from}T00:00:00Z`, to: `${range.to}T00:00:00Z`, groupBy: ["organization_id"], ...query })));
}

describe("usagepilot (the built executable)", () => {
  it("lists its commands, and refuses unknown ones and wrong options", async () => {
    const help = await runBin(["--help"], { cwd: folder });
    expect(help.code).toBe(0);
    for (const name of ["migrate", "report", "dashboard", "sync"]) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    expect((await runBin([], { cwd: folder })).code).toBe(2);
    const unknown = await runBin(["frobnicate"], { cwd: folder });
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('Unknown command "frobnicate"')]);
    const typo = await runBin(["report", "--form", "2026-01-01"], { cwd: folder });
    expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining("--form")]);
    expect((await runBin(["report", "--help"], { cwd: folder })).stdout).toContain("--group-by");
  });

  it("sync stripe|chargebee without a config file says what it needs", async () => {
    for (const [target, name] of [["stripe", "@usagepilot/billing-stripe"], ["chargebee", "@usagepilot/billing-chargebee"]] as const) {
      const result = await runBin(["sync", target], { cwd: folder });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("usagepilot.config.mjs");
      expect(result.stderr).toContain(name);
    }
    expect((await runBin(["sync", "paypal"], { cwd: folder })).code).toBe(2);
  });

  it("sync stripe runs the config's billing sync with a progress bar: Stripe then holds exactly the stored tokens, and a second run sends nothing", async () => {
    const { createFakeStripeServer } = await import("@usagepilot/testing");
    const dataDir = join(folder, "sync-project-data");
    const storage = new PostgresStorage({ dataDir });
    const usage = new UsagePilot<{ organization_id: string }>({ storage, providers: [] });
    const hour = 3_600_000;
    const base = Math.floor(Date.now() / hour) * hour - 3 * hour;
    const expected = new Map<string, string>();
    for (let index = 0; index < 30; index += 1) {
      const organization = `org${index % 3}`;
      const input = 100 + index;
      await usage.track({ dimensions: { organization_id: organization }, model: "gpt-4o-mini", usage: { inputTokens: input, outputTokens: 10, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 }, timestamp: new Date(base + index * 60_000) });
      expected.set(`cus_${organization}`, String(Number(expected.get(`cus_${organization}`) ?? 0) + input + 10));
    }
    await usage.shutdown();
    const fake = await createFakeStripeServer({ meters: [{ id: "mtr_tokens", event_name: "ai_tokens" }], customers: ["cus_org0", "cus_org1", "cus_org2"] });
    try {
      const license = createTestLicense();
      const env = { DATA_DIR: dataDir, FAKE_STRIPE_PORT: String(fake.stripeConfig.port), LICENSE_KEY: license.licenseKey, LICENSE_PUBLIC_KEY: license.licensePublicKey };
      const config = fileURLToPath(new URL("./fixtures/stripe-sync.config.mjs", import.meta.url));
      const first = await runBin(["sync", "stripe", "--config", config], { cwd: folder, env });
      expect(first.stderr).toMatch(/\[#+\] 100% (\d+)\/\1 lines sent to stripe/);
      expect(first.stdout).toMatch(/^30 new event\(s\) claimed, [1-9]\d* line\(s\) sent \(v1\), 0 pending\./);
      expect(first.code).toBe(0);
      expect(fake.totals("ai_tokens")).toEqual(expected);
      const second = await runBin(["sync", "stripe", "--config", config], { cwd: folder, env });
      expect([second.code, second.stdout]).toEqual([0, expect.stringMatching(/^0 new event\(s\) claimed, 0 line\(s\) sent, 0 pending\./)]);
      expect(fake.totals("ai_tokens")).toEqual(expected);
    } finally {
      await fake.close();
    }
  }, 60_000);

  describe("on the embedded PGlite database", () => {
    const project = join(folder, "pglite-project");
    let events: UsageEvent[];
    beforeAll(async () => {
      mkdirSync(project);
      const migrate = await runBin(["migrate"], { cwd: project });
      expect(migrate.stdout).toBe(`Migrated embedded PGlite in ${join(project, ".usagepilot/pglite")}\n`);
      // The CLI's database is where `new PostgresStorage()` looks by default in that project.
      const storage = new PostgresStorage({ dataDir: join(project, ".usagepilot/pglite") });
      events = await seed(storage);
      await storage.close();
    }, 120_000);

    it("migrates once: a second run finds nothing to do", async () => {
      expect(await runBin(["migrate", "--data-dir", ".usagepilot/pglite"], { cwd: project })).toMatchObject({ code: 0 });
    });

    it("reports per-tenant usage and cost as JSON equal to the events' own sums", async () => {
      const result = await runBin(["report", "--from", range.from, "--to", range.to, "--format", "json"], { cwd: project });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ from: "2026-03-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z", granularity: "total", groupBy: ["organization_id"], rows: expectedRows(events) });
    });

    it("prints a table and CSV that say 'not measured' and 'no price', never 0", async () => {
      const table = await runBin(["report", "--from", range.from, "--to", range.to], { cwd: project });
      expect(table.stdout.split("\n")).toEqual([
        "organization_id  events  unmeasured_events  input_tokens  output_tokens  cached_input_tokens  reasoning_tokens  cost_usd  unpriced_events",
        "---------------  ------  -----------------  ------------  -------------  -------------------  ----------------  --------  ---------------",
        "org-1                 2                  0          6200           1100                  200                 0   0.02086                0",
        "org-2                 1                  0        987654          12345                  100                 0  7.777777                0",
        "org-3                 1                  1  not measured   not measured         not measured      not measured  no price                1",
        "",
      ]);
      const csv = await runBin(["report", "--from", range.from, "--to", range.to, "--format", "csv", "--group-by", "organization_id,user_id", "--granularity", "month"], { cwd: project });
      expect(csv.stdout.split("\r\n")).toEqual([
        "period,organization_id,user_id,events,unmeasured_events,input_tokens,output_tokens,cached_input_tokens,reasoning_tokens,cost_usd,unpriced_events",
        "2026-03-01T00:00:00.000Z,org-1,alice,1,0,1200,300,100,0,0.00036,0",
        "2026-03-01T00:00:00.000Z,org-1,bob,1,0,5000,800,100,0,0.0205,0",
        "2026-03-01T00:00:00.000Z,org-2,carol,1,0,987654,12345,100,0,7.777777,0",
        "2026-03-01T00:00:00.000Z,org-3,dave,1,1,not measured,not measured,not measured,not measured,no price,1",
        "",
      ]);
    });

    it("refuses a report without a period", async () => {
      const result = await runBin(["report", "--from", "2026-03-01"], { cwd: project });
      expect([result.code, result.stderr]).toEqual([2, expect.stringContaining("--from and --to")]);
    });

    it("serves the dashboard with an operator link, and stops cleanly", async () => {
      // A project with @usagepilot/dashboard installed, as a user's would be.
      mkdirSync(join(project, "node_modules/@usagepilot"), { recursive: true });
      symlinkSync(fileURLToPath(new URL("../../dashboard", import.meta.url)), join(project, "node_modules/@usagepilot/dashboard"), "dir");
      const license = createTestLicense();
      const child = startBin(["dashboard", "--port", "0"], { cwd: project, env: { USAGEPILOT_LICENSE_KEY: license.licenseKey, USAGEPILOT_LICENSE_PUBLIC_KEY: license.licensePublicKey } });
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      const deadline = Date.now() + 30_000;
      while (!/http:\/\/\S+#token=\S+/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
      const link = /(http:\/\/\S+)\/#token=(\S+)/.exec(output);
      expect(link, output).not.toBeNull();
      const [, origin, token] = link!;
      const session = await (await fetch(`${origin}/api/session`, { headers: { authorization: `Bearer ${token}` } })).json();
      expect(session).toMatchObject({ access: { kind: "operator" } });
      const usage = (await (await fetch(`${origin}/api/usage?from=${range.from}&to=${range.to}&granularity=total&groupBy=organization_id`, { headers: { authorization: `Bearer ${token}` } })).json()) as { rows: unknown };
      expect(usage.rows).toEqual(expectedRows(events));
      expect((await fetch(`${origin}/api/usage`)).status).toBe(401);
      expect(await (await fetch(`${origin}/`)).text()).toContain("<usagepilot-dashboard");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output).toContain("Dashboard stopped.");
    });

    it("refuses to serve the dashboard without a licence, or without the package", async () => {
      const unlicensed = await runBin(["dashboard", "--port", "0"], { cwd: project, env: { USAGEPILOT_LICENSE_PUBLIC_KEY: createTestLicense().licensePublicKey } });
      expect([unlicensed.code, unlicensed.stderr]).toEqual([1, expect.stringContaining("needs a valid UsagePilot licence")]);
      const missing = await runBin(["dashboard"], { cwd: folder });
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("npm install @usagepilot/dashboard")]);
    });
  });

  describe("on PostgreSQL", () => {
    let database: Awaited<ReturnType<typeof createGuardedTestDatabase>>;
    beforeAll(async () => {
      database = await createGuardedTestDatabase();
    }, 150_000);
    afterAll(async () => {
      await database?.drop();
    });

    it("migrates a fresh database from --database-url, then reports from DATABASE_URL", async () => {
      const migrate = await runBin(["migrate", "--database-url", database.url], { cwd: folder });
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toMatch(/^Migrated PostgreSQL postgres:\/\//);
      const applied = await withClient(database.url, (client) => client.query("SELECT count(*)::int AS count FROM usagepilot.__migrations"));
      expect(applied.rows).toEqual([{ count: journal.entries.length }]);

      const storage = new PostgresStorage({ connectionString: database.url });
      const events = await seed(storage);
      await storage.close();
      const result = await runBin(["report", "--from", range.from, "--to", range.to, "--format", "json", "--group-by", "organization_id,model"], { cwd: folder, env: { DATABASE_URL: database.url } });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).rows).toEqual(expectedRows(events, { groupBy: ["organization_id", "model"] }));
    });

    it("says why when the database cannot be reached, without the password", async () => {
      const result = await runBin(["report", "--from", range.from, "--to", range.to, "--database-url", "postgres://someone:secret-password@127.0.0.1:1/nowhere"], { cwd: folder });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/usagepilot report failed: /);
      expect(result.stderr).not.toContain("secret-password");
    });
  });
});
